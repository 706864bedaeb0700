import { describe, expect, it } from "vitest";
import { api } from "../../web/src/api/client.js";
import { outboxWrites } from "../../web/src/phone/fleet-api.js";
import { isRequestTo, outboxRequest, storedEntry } from "../../web/src/phone/outbox-request.js";

const AT = "2026-11-23T20:00:00.000Z";

describe("phone outbox: requests are built from the endpoint declarations only", () => {
  it("stores method, resolved path and body; a handle and the full declaration build the same request", () => {
    const body = { status: "en_route" as const, version: 3, at: AT };
    const viaHandle = outboxRequest(outboxWrites.taskStatus, { params: { id: "a/1" }, body }, "step", AT);
    expect(viaHandle).toEqual({
      label: "step",
      method: "POST",
      path: "/api/assignments/a%2F1/status",
      body,
      queuedAt: AT,
    });
    expect(outboxRequest(api.dispatch.setStatus, { params: { id: "a/1" }, body }, "step", AT)).toEqual(viaHandle);
    expect(
      outboxRequest(outboxWrites.visit, { body: { id: "v", keyPointId: "k", peopleFound: 0 } }, "visit", AT).path,
    ).toBe("/api/keypoint-visits");
  });

  it("refuses, at compile time, paths, reads, missing params and bodies of another endpoint", () => {
    const check = () => {
      // @ts-expect-error a hand-written path is no endpoint
      outboxRequest("/api/encounters", { body: {} }, "x");
      // @ts-expect-error reads never wait in the outbox
      outboxRequest(api.encounters.list, { body: {} }, "x");
      // @ts-expect-error the sortie to end is a path parameter
      outboxRequest(outboxWrites.endSortie, { body: {} }, "x");
      // @ts-expect-error not the body of a task step
      outboxRequest(outboxWrites.taskStatus, { params: { id: "a" }, body: { found: true } }, "x");
    };
    expect(check).toBeTypeOf("function");
  });

  it("recognises its own requests by method and declared path, not by neighbours", () => {
    const end = outboxRequest(outboxWrites.endSortie, { params: { id: "s1" }, body: {} }, "end", AT);
    expect(isRequestTo(outboxWrites.endSortie, end)).toBe(true);
    expect(isRequestTo(outboxWrites.startSortie, end)).toBe(false);
    expect(isRequestTo(outboxWrites.endSortie, { ...end, path: "/api/sorties/s1/end/x" })).toBe(false);
    expect(isRequestTo(outboxWrites.endSortie, { ...end, method: "PUT" })).toBe(false);
    expect(isRequestTo(outboxWrites.startSortie, { ...end, path: "/api/sorties/start" })).toBe(true);
  });

  it("replays entries queued by earlier versions ({ label, path, body }) as the POSTs they were", () => {
    const legacy = storedEntry({ seq: 7, label: "收车", path: "/api/sorties/s1/end", body: { returned: [] } });
    expect(legacy).toEqual({
      seq: 7,
      label: "收车",
      method: "POST",
      path: "/api/sorties/s1/end",
      body: { returned: [] },
    });
    expect(isRequestTo(outboxWrites.endSortie, legacy)).toBe(true);
    const current = outboxRequest(
      outboxWrites.encounter,
      { body: { id: "e", found: false, outcome: "not_found", caseId: "c" } },
      "e",
      AT,
    );
    expect(storedEntry(current)).toEqual(current);
  });
});

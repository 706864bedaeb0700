import { describe, expect, it } from "vitest";
import { assertSameRequest } from "../../server/http/idempotency.js";
import { AppError } from "../../server/http/errors.js";

const ID = "6f1c1b9e-2a4b-4c1d-9e8f-0a1b2c3d4e5f";

/** The fields named by the 409, or [] when the repeat was accepted. */
function differing(stored: object, sent: object, opts?: Parameters<typeof assertSameRequest>[4]): string[] {
  try {
    assertSameRequest("thing", ID, stored, sent, opts);
    return [];
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.status).toBe(409);
    expect(err.code).toBe("IDEMPOTENCY_MISMATCH");
    expect(err.message).toContain(ID);
    return (err.issues ?? []).map((i) => i.path);
  }
}

describe("assertSameRequest: a repeated client id must say the same", () => {
  it("compares fields as stored: numbers by value, times by instant, blanks alike, plain lists as sets", () => {
    const stored = {
      id: ID,
      n: 3,
      t: -12.300000190734863,
      at: new Date("2026-11-20T10:00:00.000Z"),
      name: null,
      notes: "桥下",
      flags: ["elderly", "ill"],
      lines: [{ itemId: "a", quantity: 2 }],
      extra: "only stored",
    };
    expect(
      differing(stored, {
        id: ID,
        n: 3,
        t: -12.3,
        at: "2026-11-20T18:00:00+08:00",
        name: "",
        notes: " 桥下 ",
        flags: ["ill", "elderly", "ill"],
        lines: [{ itemId: "a", quantity: 2 }],
        load: [{ itemId: "x" }],
        startedAt: undefined,
      }),
    ).toEqual([]);
    expect(
      differing(stored, {
        n: 4,
        at: "2026-11-20T10:00:01Z",
        name: "张",
        flags: ["elderly"],
        lines: [{ itemId: "a", quantity: 3 }],
      }),
    ).toEqual(["body.n", "body.at", "body.name", "body.flags", "body.lines"]);
  });

  it("skips what the site says, accepts a later time the server clamped, and compares only fixed fields once edited", () => {
    expect(differing({ placeText: "新华桥" }, { placeText: "" }, { skip: ["placeText"] })).toEqual([]);
    const clampedAt = new Date("2026-11-20T10:00:00Z");
    expect(
      differing({ startedAt: clampedAt }, { startedAt: "2026-11-20T10:05:00Z" }, { clamped: ["startedAt"] }),
    ).toEqual([]);
    expect(
      differing({ startedAt: clampedAt }, { startedAt: "2026-11-20T09:55:00Z" }, { clamped: ["startedAt"] }),
    ).toEqual(["body.startedAt"]);
    const edited = { version: 3, code: "DL", name: "renamed since" };
    expect(differing(edited, { code: "DL", name: "first name" }, { fixed: ["code"] })).toEqual([]);
    expect(differing(edited, { code: "NG", name: "first name" }, { fixed: ["code"] })).toEqual(["body.code"]);
  });
});

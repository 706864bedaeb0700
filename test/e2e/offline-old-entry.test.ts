import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM } from "./harness.js";
import { E2ESession, ok, outboxConfirmed, stationOf } from "./steps.js";
import { startSortie } from "./offline-steps.js";

/**
 * A phone updated with a request still queued by an earlier version ({ label, path, body }, no
 * method): after the reload it is sent as the POST it was, once, with its own time.
 */
describe.skipIf(!HAVE_CHROMIUM)("an outbox entry queued by an earlier version", () => {
  let e2e: E2ESession;
  let head: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    head = await e2e.client("head");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("is replayed as the POST it was after the page reloads", async () => {
    const stationId = await stationOf(head);
    const keyPoints = async () => ok(await head.call(api.keypoints.list, { query: { stationId } })).items;
    const point = (await keyPoints())[0]!;
    const phone = await e2e.phone("patrol1");
    // On patrol, where the outbox is shown (the vehicle picker has none).
    await startSortie(phone, 0);
    const visitedAt = new Date(Date.now() - 60_000).toISOString();
    await phone.evaluate(
      async (entry) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open("warmline-phone", 1);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        await new Promise<void>((resolve, reject) => {
          const t = db.transaction("outbox", "readwrite");
          t.objectStore("outbox").add(entry);
          t.oncomplete = () => resolve();
          t.onerror = () => reject(t.error);
        });
        db.close();
      },
      {
        label: "e2e 旧版排队：重点点位",
        // The stored entry as an earlier version wrote it: a bare path string is the point here.
        path: api.patrols.visitKeyPoint.path,
        body: { id: crypto.randomUUID(), keyPointId: point.id, peopleFound: 0, visitedAt },
      },
    );
    await phone.reload();
    await outboxConfirmed(phone, "e2e 旧版排队：重点点位");
    const visited = (await keyPoints()).find((p) => p.id === point.id);
    expect(new Date(visited!.lastVisitedAt!).getTime(), "the old entry's visit, at its own time").toBe(
      new Date(visitedAt).getTime(),
    );
    expect(await phone.locator("section.ph-outbox li.ph-ok", { hasText: "e2e 旧版排队" }).count(), "sent once").toBe(1);
  });
});

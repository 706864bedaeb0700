import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signInAll, Fixtures } from "../helpers/fixtures.js";
import type { TestClient } from "../helpers/http.js";
import { api } from "../../shared/api/index.js";

/**
 * The map's key points: only the fields the map draws (no address, notes, kind or cadence), the same
 * entries and due states as the full list, and optionally only those within the view.
 */
describe(`key points for the map [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let operator: TestClient, patrol: TestClient;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [operator, patrol] = await signInAll(srv.url, ["operator", "patrol1"] as const);
    await new Fixtures(srv.database.db).demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("answers the full list's entries with only the map's fields", async () => {
    const full = await operator.call(api.keypoints.list);
    const map = await operator.call(api.keypoints.map);
    expect(map.status, JSON.stringify(map.body)).toBe(200);
    expect(full.body.items.length).toBeGreaterThan(1);
    expect(map.body.items.map((k) => k.id)).toEqual(full.body.items.map((k) => k.id));
    for (const [i, k] of map.body.items.entries()) {
      expect(Object.keys(k).sort()).toEqual(
        ["alertLevel", "dueState", "id", "lastVisitedAt", "lat", "lng", "name", "stationId", "version"].sort(),
      );
      const f = full.body.items[i]!;
      expect(k).toEqual({
        id: f.id,
        stationId: f.stationId,
        name: f.name,
        lat: f.lat,
        lng: f.lng,
        version: f.version,
        lastVisitedAt: f.lastVisitedAt,
        dueState: f.dueState,
        alertLevel: f.alertLevel,
      });
    }
    // Smaller on the wire than the full entries.
    expect(JSON.stringify(map.body).length).toBeLessThan(JSON.stringify(full.body).length * 0.8);
    // Scope as the list: a patrol sees their station's.
    const mine = await patrol.call(api.keypoints.map);
    expect(mine.body.items.map((k) => k.id)).toEqual(
      (await patrol.call(api.keypoints.list)).body.items.map((k) => k.id),
    );
  });

  it("keeps to the view when one is given, and names the field of a bad one", async () => {
    const all = (await operator.call(api.keypoints.map)).body.items;
    const lats = all.map((k) => k.lat).sort((a, b) => a - b);
    const mid = lats[Math.floor(lats.length / 2)]!;
    const view = { south: lats[0]!, west: -180, north: mid, east: 180 };
    const inView = await operator.call(api.keypoints.map, { query: view });
    expect(inView.status).toBe(200);
    expect(inView.body.items.map((k) => k.id).sort()).toEqual(
      all
        .filter((k) => k.lat <= mid)
        .map((k) => k.id)
        .sort(),
    );
    expect(inView.body.items.length).toBeLessThan(all.length);

    const half = await operator.call(api.keypoints.map, { query: { south: 40, west: 120 } });
    expect(half.status).toBe(400);
    expect(half.error.code).toBe("VALIDATION_FAILED");
    expect(half.error.issues?.map((i) => i.path)).toContain("query.south");
    const upside = await operator.call(api.keypoints.map, { query: { south: 50, north: 40, west: 120, east: 130 } });
    expect(upside.status).toBe(400);
    const off = await operator.call(api.keypoints.map, {
      query: { south: 40, north: 95, west: 120, east: 130 } as never,
    });
    expect(off.status).toBe(400);
    expect(off.error.issues?.map((i) => i.path)).toContain("query.north");
  });
});

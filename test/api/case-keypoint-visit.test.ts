import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type BodyOf, type TestClient } from "../helpers/http.js";
import { demoIds, type DemoIds } from "../helpers/fleet.js";
import { rawRows } from "../../server/db/client.js";
import { api } from "../../shared/api/index.js";

/**
 * A case placed at a key point, with the crew on scene, is a visit to that key point: the point's
 * last visit moves to the arrival, once per task however often the phone repeats the step.
 */
describe(`a crew on scene at a key point visits it [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let op: TestClient, p1: TestClient, admin: TestClient;
  let ids: DemoIds;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false" });
    [op, p1, admin] = (await Promise.all(["operator", "patrol1", "admin"].map((u) => signedIn(srv.url, u)))) as [
      TestClient,
      TestClient,
      TestClient,
    ];
    ids = await demoIds(srv);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("records one key-point visit at the on-scene time, with the task's station, and not again on replay", async () => {
    const kp = (await op.call(api.keypoints.list, { query: { stationId: ids.dl } })).body.items[0]!;
    expect(kp.lastVisitedAt).toBeNull();
    const c = await op.call(api.cases.createSighting, {
      body: { id: randomUUID(), source: "grid_worker", keyPointId: kp.id, flags: [] },
    });
    expect(c.status).toBe(201);
    const v = (await admin.call(api.vehicles.list)).body.items.find((x) => x.callSign === "DL-01")!;
    const t = await op.call(api.dispatch.assign, {
      body: { id: randomUUID(), caseId: c.body.case.id, vehicleId: v.id, vehicleVersion: v.version },
    });
    expect(t.status).toBe(201);
    const step = (status: BodyOf<typeof api.dispatch.setStatus>["status"], version: number) =>
      p1.call(api.dispatch.setStatus, { params: { id: t.body.id }, body: { status, version } });
    const ack = await step("acknowledged", t.body.version);
    const enRoute = await step("en_route", ack.body.version);
    const visitsBefore = await rawRows<{ n: number }>(
      srv.database.db,
      sql`select count(*)::int as n from key_point_visits where key_point_id = ${kp.id}::uuid`,
    );
    expect(Number(visitsBefore[0]!.n), "en route is not a visit").toBe(0);
    const onScene = await step("on_scene", enRoute.body.version);
    expect(onScene.status).toBe(200);
    const replay = await step("on_scene", enRoute.body.version);
    expect(replay.status).toBe(200);

    const visits = await rawRows<{ station_id: string; visited_at: string | Date; people_found: number }>(
      srv.database.db,
      sql`select station_id, visited_at, people_found from key_point_visits where key_point_id = ${kp.id}::uuid`,
    );
    expect(visits.length, "one visit for the task").toBe(1);
    expect(visits[0]!.station_id).toBe(kp.stationId);
    expect(new Date(visits[0]!.visited_at).toISOString()).toBe(onScene.body.onSceneAt);
    expect(visits[0]!.people_found, "people met are counted by their encounters").toBe(0);

    const after = (await op.call(api.keypoints.list, { query: { stationId: ids.dl } })).body.items.find(
      (k) => k.id === kp.id,
    )!;
    expect(after.lastVisitedAt).toBe(onScene.body.onSceneAt);
  });
});

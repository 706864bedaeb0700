import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type TestClient, type BodyOf } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { rowCount } from "../helpers/db.js";
import { demoIds, openCase, type DemoIds } from "../helpers/fleet.js";
import { api } from "../../shared/api/index.js";

interface V {
  id: string;
  callSign: string;
  status: string;
  version: number;
  stationId: string;
}

describe(`dispatch [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let op: TestClient, p1: TestClient, p2: TestClient, admin: TestClient;
  let ids: DemoIds;
  const vehicle = async (callSign: string): Promise<V> =>
    ((await admin.call(api.vehicles.list)).body.items as V[]).find((v) => v.callSign === callSign)!;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ ACK_TIMEOUT_SECONDS: "5", JOBS_ENABLED: "false" });
    [op, p1, p2, admin] = (await Promise.all(
      ["operator", "patrol1", "patrol2", "admin"].map((u) => signedIn(srv.url, u)),
    )) as TestClient[] as [TestClient, TestClient, TestClient, TestClient];
    ids = await demoIds(srv);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("recommends available vehicles in scope, nearest first, with ETA at the assumed speed", async () => {
    const caseId = await openCase(srv, ids.dl, 45.78, 126.606); // next to DL-02
    const r = await op.call(api.dispatch.recommendations, { params: { id: caseId } });
    expect(r.status).toBe(200);
    expect(r.body.speedKmh).toBe(25);
    expect(r.body.items.map((i: { callSign: string }) => i.callSign)).toEqual(["DL-02", "DL-01"]); // NG out of scope, DL-03 off duty
    const [near, far] = r.body.items;
    expect(near!.distanceM).toBeLessThan(far!.distanceM!);
    expect(far!.etaMinutes).toBe(Math.ceil((far!.distanceM! / 1000 / 25) * 60));
    // Status, crew on board and the age of the position, so a crewless vehicle is not sent blind.
    expect(near).toMatchObject({ status: "available", onSortie: false, crewCount: 0, crewNames: [] });
    expect(Date.parse(near!.lastPositionAt!)).not.toBeNaN();
    expect((await p1.call(api.dispatch.recommendations, { params: { id: caseId } })).status).toBe(403);
  });

  it("assigns in one transaction, pushes the task to the crew live, and a retry changes nothing", async () => {
    const caseId = await openCase(srv, ids.dl, 45.7712, 126.615);
    const [opRec, p1Rec, p2Rec] = [op, p1, p2].map((c) => new EventRecorder(srv.url, c.cookie)) as [
      EventRecorder,
      EventRecorder,
      EventRecorder,
    ];
    await Promise.all([opRec.ready(), p1Rec.ready(), p2Rec.ready()]);
    const v = await vehicle("DL-01");
    const body = { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version };
    const r = await op.call(api.dispatch.assign, { body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: body.id,
      status: "assigned",
      callSign: "DL-01",
      case: { id: caseId, status: "dispatched" },
    });
    await waitFor(() => p1Rec.ofType("assignment.created").length === 1 && opRec.ofType("case.updated").length === 1);
    expect(p1Rec.ofType("assignment.created")[0]!.payload).toMatchObject({
      id: body.id,
      case: { placeText: "桥洞下" },
    });
    expect(opRec.ofType("vehicle.status_changed")[0]!.payload).toMatchObject({
      id: v.id,
      status: "dispatched",
      previousStatus: "available",
    });
    const kase = opRec.ofType("case.updated")[0]!.payload.case as { status: string; dispatchedAt: string };
    expect(kase.status).toBe("dispatched");
    expect(kase.dispatchedAt).toBeTruthy();
    expect(await vehicle("DL-01")).toMatchObject({ status: "dispatched", version: v.version + 1 });

    const events = await rowCount(srv, "events");
    const again = await op.call(api.dispatch.assign, { body });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(body.id);
    expect(await rowCount(srv, "events")).toBe(events);
    await new Promise((res) => setTimeout(res, 200));
    expect(p2Rec.events.filter((e) => e.type.startsWith("assignment."))).toHaveLength(0); // another station's crew
    for (const rec of [opRec, p1Rec, p2Rec]) rec.close();
  });

  it("lets exactly one of many concurrent assigns of one vehicle win; the rest get 409 saying why", async () => {
    const v = await vehicle("DL-02");
    const caseIds = await Promise.all(Array.from({ length: 8 }, () => openCase(srv, ids.dl, 45.77, 126.61)));
    const dispatchers = await Promise.all(caseIds.map(() => signedIn(srv.url, "operator")));
    const before = await rowCount(srv, "assignments");
    const results = await Promise.all(
      caseIds.map((caseId, i) =>
        dispatchers[i]!.call(api.dispatch.assign, {
          body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version },
        }),
      ),
    );
    const won = results.filter((r) => r.status === 201);
    const lost = results.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const l of lost) {
      expect(l.error.code).toBe("VERSION_CONFLICT");
      expect(l.error.message).toMatch(/DL-02.*dispatched/);
    }
    expect(await rowCount(srv, "assignments")).toBe(before + 1);
    const after = await vehicle("DL-02");
    expect(after).toMatchObject({ status: "dispatched", version: v.version + 1 });
    // Nothing is left locked: the vehicle's row can be changed at once.
    const cancel = await op.call(api.dispatch.cancel, {
      params: { id: won[0]!.body.id },
      body: { version: won[0]!.body.version, reason: "test" },
    });
    expect(cancel.status).toBe(200);
    expect(await vehicle("DL-02")).toMatchObject({ status: "available" });
    const losers = caseIds.filter((c) => c !== won[0]!.body.caseId);
    const open = await Promise.all(losers.map((c) => op.call(api.dispatch.list, { query: { caseId: c } })));
    expect(open.every((r) => r.body.items.length === 0)).toBe(true);
  });

  it("refuses a stale vehicle version, a vehicle that is not available, and an unknown case", async () => {
    const caseId = await openCase(srv, ids.dl, 45.77, 126.61);
    const v = await vehicle("DL-02");
    const stale = await op.call(api.dispatch.assign, {
      body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version - 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.error.code).toBe("VERSION_CONFLICT");
    const off = await vehicle("DL-03");
    const notAvail = await op.call(api.dispatch.assign, {
      body: { id: randomUUID(), caseId, vehicleId: off.id, vehicleVersion: off.version },
    });
    expect(notAvail.status).toBe(409);
    expect(notAvail.error.code).toBe("INVALID_TRANSITION");
    const missing = await op.call(api.dispatch.assign, {
      body: { id: randomUUID(), caseId: randomUUID(), vehicleId: v.id, vehicleVersion: v.version },
    });
    expect(missing.status).toBe(404);
    const bad = await op.call(api.dispatch.assign, {
      body: { id: "nope", caseId, vehicleId: v.id, vehicleVersion: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.error.message).toMatch(/^body\.id/);
  });

  it("walks a task through the crew's steps with CAD timestamps, moving vehicle and case along", async () => {
    const caseId = await openCase(srv, ids.dl, 45.77, 126.61);
    const v = await vehicle("DL-02");
    const t = (
      await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version },
      })
    ).body;
    const step = (status: BodyOf<typeof api.dispatch.setStatus>["status"], version: number, at?: string) =>
      p1.call(api.dispatch.setStatus, { params: { id: t.id }, body: { status, version, at } });
    const ack = await step("acknowledged", t.version);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgedAt).toBeTruthy();
    const bad = await step("cleared", ack.body.version);
    expect(bad.status).toBe(409);
    expect(bad.error.code).toBe("INVALID_TRANSITION");
    const enRoute = await step("en_route", ack.body.version);
    expect(enRoute.body.status).toBe("en_route");
    expect((await vehicle("DL-02")).status).toBe("en_route");
    const replay = await step("en_route", ack.body.version); // the outbox sends it again
    expect(replay.status).toBe(200);
    expect(replay.body.version).toBe(enRoute.body.version);
    const tapped = new Date(Date.parse(enRoute.body.enRouteAt!) + 1).toISOString(); // tapped offline, sent later
    const onScene = await step("on_scene", enRoute.body.version, tapped);
    expect(onScene.body.onSceneAt).toBe(tapped);
    expect(onScene.body.case.status).toBe("on_scene");
    expect((await vehicle("DL-02")).status).toBe("on_scene");
    const cleared = await step("cleared", onScene.body.version);
    expect(cleared.body).toMatchObject({ status: "cleared", case: { status: "closed" } });
    expect((await vehicle("DL-02")).status).toBe("available");
    const list = (await op.call(api.dispatch.list, { query: { caseId } })).body.items[0];
    for (const k of ["dispatchedAt", "acknowledgedAt", "enRouteAt", "onSceneAt", "clearedAt"] as const)
      expect(list![k], k).toBeTruthy();
  });

  it("reassigns and cancels keeping history; the case reopens when no vehicle is left on it", async () => {
    const caseId = await openCase(srv, ids.dl, 45.77, 126.61);
    const [a, b] = [await vehicle("DL-01"), await vehicle("DL-02")];
    if (a.status !== "available") {
      const cur = (await op.call(api.dispatch.list, { query: { vehicleId: a.id, active: "true" } })).body.items[0];
      await op.call(api.dispatch.cancel, { params: { id: cur!.id }, body: { version: cur!.version } });
    }
    const a2 = await vehicle("DL-01");
    const first = (
      await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId: a2.id, vehicleVersion: a2.version },
      })
    ).body;
    const re = await op.call(api.dispatch.reassign, {
      params: { id: first.id },
      body: { id: randomUUID(), version: first.version, vehicleId: b.id, vehicleVersion: b.version },
    });
    expect(re.status, JSON.stringify(re.body)).toBe(201);
    expect(re.body).toMatchObject({ callSign: "DL-02", status: "assigned", case: { status: "dispatched" } });
    const history = (await op.call(api.dispatch.list, { query: { caseId } })).body.items;
    expect(history).toHaveLength(2);
    expect(history.find((h: { id: string }) => h.id === first.id)).toMatchObject({
      status: "cancelled",
      cancelReason: "reassigned",
    });
    expect((await vehicle("DL-01")).status).toBe("available");
    const cancel = await op.call(api.dispatch.cancel, {
      params: { id: re.body.id },
      body: { version: re.body.version, reason: "person left" },
    });
    expect(cancel.body).toMatchObject({ status: "cancelled", cancelReason: "person left", case: { status: "open" } });
    expect((await vehicle("DL-02")).status).toBe("available");
  });

  it("changes vehicle status only as the machine allows, and only within the station", async () => {
    const v = await vehicle("DL-03"); // off duty
    const bad = await p1.call(api.vehicles.setStatus, {
      params: { id: v.id },
      body: { status: "on_scene", version: v.version },
    });
    expect(bad.status).toBe(409);
    expect(bad.error.code).toBe("INVALID_TRANSITION");
    expect(bad.error.message).toMatch(/off_duty to on_scene.*allowed next: available, out_of_service/);
    const ok = await p1.call(api.vehicles.setStatus, {
      params: { id: v.id },
      body: { status: "out_of_service", version: v.version },
    });
    expect(ok.body).toMatchObject({ status: "out_of_service", version: v.version + 1 });
    const stale = await p1.call(api.vehicles.setStatus, {
      params: { id: v.id },
      body: { status: "off_duty", version: v.version },
    });
    expect(stale.error.code).toBe("VERSION_CONFLICT");
    const other = await p2.call(api.vehicles.setStatus, {
      params: { id: v.id },
      body: { status: "off_duty", version: v.version + 1 },
    });
    expect(other.status).toBe(403);
    expect((await p2.call(api.vehicles.list)).body.items.every((x: V) => x.stationId === ids.ng)).toBe(true);
  });

  it("lets a crew act only on its own station's tasks (403 for another station's vehicle)", async () => {
    const caseId = await openCase(srv, ids.dl, 45.77, 126.61);
    const v = await vehicle("DL-01");
    const t = (
      await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version },
      })
    ).body;
    const events = await rowCount(srv, "events");
    const r = await p2.call(api.dispatch.setStatus, {
      params: { id: t.id },
      body: { status: "acknowledged", version: t.version },
    });
    expect(r.status).toBe(403);
    expect(r.error.code).toBe("FORBIDDEN");
    expect(
      (
        await op.call(api.dispatch.setStatus, {
          params: { id: t.id },
          body: { status: "acknowledged", version: t.version },
        })
      ).status,
    ).toBe(403); // dispatchers don't drive
    expect(await rowCount(srv, "events")).toBe(events);
    await p1.call(api.dispatch.setStatus, {
      params: { id: t.id },
      body: { status: "acknowledged", version: t.version },
    });
  });

  it("creates vehicles (admin only) and refuses a duplicate call sign", async () => {
    const body = { id: randomUUID(), stationId: ids.dl, callSign: "DL-09", plate: "黑A·J3109", seats: 5 };
    expect((await op.call(api.vehicles.create, { body })).status).toBe(403);
    const r = await admin.call(api.vehicles.create, { body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ callSign: "DL-09", status: "off_duty", currentSortie: null, currentTask: null });
    expect((await admin.call(api.vehicles.create, { body })).body.id).toBe(body.id);
    const dup = await admin.call(api.vehicles.create, { body: { ...body, id: randomUUID() } });
    expect(dup.status).toBe(409);
    const upd = await admin.call(api.vehicles.update, {
      params: { id: body.id },
      body: { version: r.body.version, seats: 7 },
    });
    expect(upd.body.seats).toBe(7);
  });

  it("raises an unacknowledged-task alert once per task after ACK_TIMEOUT_SECONDS", async () => {
    const caseId = await openCase(srv, ids.dl, 45.77, 126.61);
    const v = await vehicle("DL-02");
    const t = (
      await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version },
      })
    ).body;
    const rec = new EventRecorder(srv.url, op.cookie);
    await rec.ready();
    expect(
      (await op.call(api.dispatch.unacknowledged)).body.items.map((u: { assignmentId: string }) => u.assignmentId),
    ).not.toContain(t.id);
    await new Promise((r) => setTimeout(r, 5200));
    const un = await op.call(api.dispatch.unacknowledged);
    expect(un.body.timeoutSeconds).toBe(5);
    expect(un.body.items.find((u: { assignmentId: string }) => u.assignmentId === t.id)).toMatchObject({
      callSign: "DL-02",
    });
    expect((await p2.call(api.dispatch.unacknowledged)).body.items).toHaveLength(0); // other station
    const raised = await srv.services.dispatch.raiseUnacknowledgedAlerts();
    expect(raised).toBeGreaterThanOrEqual(1);
    expect(await srv.services.dispatch.raiseUnacknowledgedAlerts()).toBe(0);
    await waitFor(() => rec.ofType("assignment.unacknowledged").some((e) => e.payload.id === t.id));
    expect(rec.ofType("assignment.unacknowledged").filter((e) => e.payload.id === t.id)).toHaveLength(1);
    await p1.call(api.dispatch.setStatus, {
      params: { id: t.id },
      body: { status: "acknowledged", version: t.version },
    });
    expect(
      (await op.call(api.dispatch.unacknowledged)).body.items.map((u: { assignmentId: string }) => u.assignmentId),
    ).not.toContain(t.id);
    rec.close();
  });
});

import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type TestClient } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { demoIds, type DemoIds } from "../helpers/fleet.js";
import { api } from "../../shared/api/index.js";
import { crewAlerts, events, scheduledJobs } from "../../server/db/schema/index.js";
import type { AlertLevel } from "../../shared/vocab.js";

/**
 * Crew check-ins (issue 19). Time is controlled through the contract rather than by sleeping: a
 * phone replaying an offline sortie start keeps its real start time, so a sortie started "9 min 57 s
 * ago" on a 10-minute interval has its first deadline 3 s from now. The job runs on its own
 * schedule (every 5 s, on a 100 ms tick); the only real waits are for a deadline to pass and for
 * the job's next slot, bounded generously (the product's promise is 30 s), and assertions are on
 * order, not on speed.
 */
const SERVER = { JOB_TICK_MS: "100", ACK_TIMEOUT_SECONDS: "3600" };
const MIN = 60_000;
const ALERT_BOUND_MS = 45_000;

describe(`crew check-ins [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let op: TestClient, p1: TestClient, p2: TestClient, head: TestClient, sup: TestClient;
  let ids: DemoIds;
  let campaignId: string;

  const signIn = async () => {
    [op, p1, p2, head, sup] = (await Promise.all(
      ["operator", "patrol1", "patrol2", "head", "supervisor"].map((u) => signedIn(srv.url, u)),
    )) as [TestClient, TestClient, TestClient, TestClient, TestClient];
  };
  const vehicleId = async (callSign: string) =>
    ((await p1.call(api.vehicles.list)).body.items as { id: string; callSign: string }[]).find(
      (v) => v.callSign === callSign,
    )!.id;
  const setLevel = async (level: AlertLevel) => {
    const r = await head.call(api.campaigns.setAlert, {
      params: { id: campaignId },
      body: { stationId: ids.dl, level, reason: "test" },
    });
    expect(r.status).toBe(200);
  };
  const startSortie = async (callSign: string, startedAt: Date) => {
    const r = await p1.call(api.patrols.startSortie, {
      body: {
        id: randomUUID(),
        vehicleId: await vehicleId(callSign),
        crewCount: 2,
        crewNames: ["李强", "张伟"],
        startedAt: startedAt.toISOString(),
      },
    });
    expect(r.status).toBe(201);
    return r.body.id;
  };
  const endSortie = async (id: string) =>
    expect((await p1.call(api.patrols.endSortie, { params: { id }, body: {} })).status).toBe(200);
  const status = async (sortieId: string, c = p1) => c.call(api.checkIns.status, { params: { id: sortieId } });
  const jobRuns = async () =>
    (
      await srv.database.db
        .select({ runs: scheduledJobs.runs })
        .from(scheduledJobs)
        .where(eq(scheduledJobs.name, "check_ins.missed"))
    )[0]?.runs ?? 0;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start(SERVER);
    await signIn();
    ids = await demoIds(srv);
    campaignId = (await head.call(api.campaigns.list)).body.items[0]!.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("schedules check-ins on an orange night: the policy's interval from the start, moved by each check-in", async () => {
    const policy = await p1.call(api.checkIns.policy, { params: { id: campaignId } });
    expect(policy.body).toMatchObject({ levels: ["orange", "red"], intervalMinutes: 30, isDefault: true, version: 0 });
    expect(
      (
        await head.call(api.checkIns.setPolicy, {
          params: { id: campaignId },
          body: { levels: ["orange", "red"], intervalMinutes: 10, version: 0 },
        })
      ).status,
    ).toBe(403); // a campaign-wide rule: supervisors and admins
    const set = await sup.call(api.checkIns.setPolicy, {
      params: { id: campaignId },
      body: { levels: ["orange", "red"], intervalMinutes: 10, version: 0 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ intervalMinutes: 10, isDefault: false, version: 1 });
    const stale = await sup.call(api.checkIns.setPolicy, {
      params: { id: campaignId },
      body: { levels: ["red"], intervalMinutes: 20, version: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.error.code).toBe("VERSION_CONFLICT");
    await setLevel("orange");

    const rec = new EventRecorder(srv.url, p1.cookie);
    await rec.ready();
    const startedAt = new Date(Date.now() - 1000);
    const sortieId = await startSortie("DL-01", startedAt);
    const s = (await status(sortieId)).body;
    expect(s).toMatchObject({ required: true, level: "orange", intervalMinutes: 10, callSign: "DL-01" });
    expect(Date.parse(s.nextDueAt!)).toBe(startedAt.getTime() + 10 * MIN);
    await waitFor(() => rec.ofType("check_in.schedule_changed").some((e) => e.payload.sortieId === sortieId));
    expect((await status(sortieId, p2)).status).toBe(403); // another station's sortie

    const body = { id: randomUUID(), sortieId, at: new Date().toISOString() };
    const c = await p1.call(api.checkIns.checkIn, { body });
    expect(c.status).toBe(201);
    expect(c.body.checkIn.late).toBe(false);
    expect(Date.parse(c.body.status.nextDueAt!)).toBe(Date.parse(body.at) + 10 * MIN);
    expect(c.body.status.lastCheckInAt).toBe(new Date(body.at).toISOString());
    // The outbox replays it: the same answer, no second event; other content under the id is refused.
    const again = await p1.call(api.checkIns.checkIn, { body });
    expect(again.status).toBe(201);
    expect(again.body.checkIn).toEqual(c.body.checkIn);
    const other = await p1.call(api.checkIns.checkIn, {
      body: { ...body, at: new Date(Date.now() - MIN).toISOString() },
    });
    expect(other.status).toBe(409);
    expect(other.error.code).toBe("IDEMPOTENCY_MISMATCH");
    expect((await p2.call(api.checkIns.checkIn, { body: { id: randomUUID(), sortieId } })).status).toBe(403);
    // An older tap arriving late (queued on another phone) does not move the deadline back.
    const older = await p1.call(api.checkIns.checkIn, {
      body: { id: randomUUID(), sortieId, at: new Date(Date.now() - 2 * MIN).toISOString() },
    });
    expect(older.body.status.nextDueAt).toBe(c.body.status.nextDueAt);
    await waitFor(
      () => rec.ofType("check_in.recorded").filter((e) => e.payload.status.sortieId === sortieId).length === 2,
    );
    expect(rec.ofType("check_in.recorded").filter((e) => e.payload.checkIn.id === body.id)).toHaveLength(1);
    await endSortie(sortieId);
    expect((await status(sortieId)).body).toMatchObject({ required: false, nextDueAt: null });
    rec.close();
  });

  it("alerts the duty room within 30 s of a missed check-in while the phone sends nothing, once; a late check-in clears it", async () => {
    const rec = new EventRecorder(srv.url, op.cookie);
    const crewRec = new EventRecorder(srv.url, p2.cookie); // another station's crew
    await Promise.all([rec.ready(), crewRec.ready()]);
    const sortieId = await startSortie("DL-02", new Date(Date.now() - 10 * MIN + 3000));
    const due = Date.parse((await status(sortieId)).body.nextDueAt!);
    expect((await op.call(api.checkIns.alerts, { query: {} })).body.items.some((a) => a.sortieId === sortieId)).toBe(
      false,
    );
    // The phone says nothing from here on.
    await waitFor(
      () => rec.ofType("crew_alert.missed_check_in").some((e) => e.payload.sortieId === sortieId),
      ALERT_BOUND_MS,
    );
    const alert = rec.ofType("crew_alert.missed_check_in").find((e) => e.payload.sortieId === sortieId)!.payload;
    expect(alert).toMatchObject({
      kind: "missed_check_in",
      callSign: "DL-02",
      crewNames: ["李强", "张伟"],
      crewCount: 2,
      open: true,
      position: { source: "vehicle" },
    });
    expect(Date.parse(alert.dueAt!)).toBe(due);
    expect(Date.parse(alert.raisedAt)).toBeGreaterThan(due); // order: the deadline, then the alert
    expect(Date.parse(alert.raisedAt) - due).toBeLessThanOrEqual(30_000); // the promise, on the server's clock
    console.log(`missed check-in alerted ${Date.parse(alert.raisedAt) - due} ms after its deadline [${ENGINE}]`);
    const listed = (await op.call(api.checkIns.alerts, { query: {} })).body.items.find((a) => a.id === alert.id)!;
    expect(listed.overdueSeconds).toBeGreaterThanOrEqual(0);
    expect((await head.call(api.checkIns.alerts, { query: {} })).body.items.map((a) => a.id)).toContain(alert.id);
    expect((await sup.call(api.checkIns.alerts, { query: {} })).body.items.map((a) => a.id)).toContain(alert.id);
    expect((await p2.call(api.checkIns.alerts, { query: {} })).body.items.map((a) => a.id)).not.toContain(alert.id);

    // Two more runs of the job: still one alert for this deadline.
    const runs = await jobRuns();
    await (async () => {
      const until = Date.now() + ALERT_BOUND_MS;
      while ((await jobRuns()) < runs + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    })();
    expect(await jobRuns()).toBeGreaterThanOrEqual(runs + 2);
    expect(rec.ofType("crew_alert.missed_check_in").filter((e) => e.payload.sortieId === sortieId)).toHaveLength(1);
    expect(crewRec.ofType("crew_alert.missed_check_in").some((e) => e.payload.sortieId === sortieId)).toBe(false);

    // The crew comes back into signal and checks in late: the alert clears.
    const late = await p1.call(api.checkIns.checkIn, { body: { id: randomUUID(), sortieId } });
    expect(late.status).toBe(201);
    expect(late.body.checkIn.late).toBe(true);
    expect(late.body.status.overdueSeconds).toBe(0);
    expect(Date.parse(late.body.status.nextDueAt!)).toBeGreaterThan(Date.now());
    await waitFor(() => rec.ofType("crew_alert.cleared").some((e) => e.payload.id === alert.id));
    expect(rec.ofType("crew_alert.cleared").find((e) => e.payload.id === alert.id)!.payload).toMatchObject({
      open: false,
      acknowledgedAt: null,
    });
    expect((await op.call(api.checkIns.alerts, { query: {} })).body.items.map((a) => a.id)).not.toContain(alert.id);
    const all = (await op.call(api.checkIns.alerts, { query: { open: "false" } })).body.items;
    expect(all.find((a) => a.id === alert.id)!.clearedAt).not.toBeNull();
    rec.close();
    crewRec.close();
  });

  it("a panic reaches an operator's Socket.IO client first in the list, with the last position; acknowledged in one action", async () => {
    const rec = new EventRecorder(srv.url, op.cookie);
    await rec.ready();
    const dl02 = await vehicleId("DL-02"); // still out since the missed check-in
    const sortieId = (await p1.call(api.patrols.sorties, { query: { open: "true", vehicleId: dl02 } })).body.items[0]!
      .id;
    const id = randomUUID();
    const body = { id, sortieId, position: { lat: 45.7731, lng: 126.6172, accuracy: 12 } };
    const r = await p1.call(api.checkIns.panic, { body });
    expect(r.status).toBe(201);
    await waitFor(() => rec.ofType("crew_alert.panic").some((e) => e.payload.id === id));
    const e = rec.ofType("crew_alert.panic").find((x) => x.payload.id === id)!.payload;
    expect(e).toMatchObject({ kind: "panic", open: true, position: { lat: 45.7731, lng: 126.6172, source: "phone" } });
    // Without a fix of its own, the vehicle's last known position.
    const noFix = await p1.call(api.checkIns.panic, { body: { id: randomUUID(), sortieId } });
    expect(noFix.body.position).toMatchObject({ source: "vehicle" });
    // An outbox replay raises nothing new.
    expect((await p1.call(api.checkIns.panic, { body })).body.id).toBe(id);
    await waitFor(() => rec.ofType("crew_alert.panic").length === 2);
    const open = (await op.call(api.checkIns.alerts, { query: {} })).body.items;
    expect(open[0]!.kind).toBe("panic");
    expect((await p2.call(api.checkIns.panic, { body: { id: randomUUID(), sortieId } })).status).toBe(403);

    expect((await p1.call(api.checkIns.acknowledge, { params: { id }, body: { version: 1 } })).status).toBe(403);
    expect((await op.call(api.checkIns.acknowledge, { params: { id }, body: { version: 7 } })).status).toBe(409);
    const ack = await op.call(api.checkIns.acknowledge, { params: { id }, body: { version: 1 } });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ open: false, acknowledgedBy: "接线员 王芳" });
    expect(ack.body.acknowledgedAt).not.toBeNull();
    const twice = await head.call(api.checkIns.acknowledge, { params: { id }, body: { version: 1 } });
    expect(twice.body.acknowledgedBy).toBe("接线员 王芳"); // one action: a second click changes nothing
    await waitFor(() => rec.ofType("crew_alert.acknowledged").some((x) => x.payload.id === id));
    expect(rec.ofType("crew_alert.acknowledged").filter((x) => x.payload.id === id)).toHaveLength(1);
    await op.call(api.checkIns.acknowledge, { params: { id: noFix.body.id }, body: { version: 1 } });
    await endSortie(sortieId);
    rec.close();
  });

  it("requires no check-ins on a blue night; a level raised mid-sortie starts the clock from then", async () => {
    await setLevel("blue");
    const sortieId = await startSortie("DL-03", new Date(Date.now() - 40 * MIN));
    expect((await status(sortieId)).body).toMatchObject({ required: false, nextDueAt: null, level: null });
    expect(await srv.services.checkIns.raiseMissed()).toBe(0);
    const c = await p1.call(api.checkIns.checkIn, { body: { id: randomUUID(), sortieId } });
    expect(c.status).toBe(201); // a check-in is still welcome, only recorded
    expect(c.body.status.required).toBe(false);
    const all = (await op.call(api.checkIns.alerts, { query: { open: "false", limit: 200 } })).body.items;
    expect(all.some((a) => a.sortieId === sortieId)).toBe(false);

    await setLevel("orange");
    const before = Date.now();
    await srv.services.checkIns.raiseMissed();
    const s = (await status(sortieId)).body;
    expect(s).toMatchObject({ required: true, level: "orange", intervalMinutes: 10, overdueSeconds: 0 });
    expect(Date.parse(s.nextDueAt!)).toBeGreaterThanOrEqual(before + 10 * MIN - 1000);
    await setLevel("blue");
    await srv.services.checkIns.raiseMissed();
    expect((await status(sortieId)).body).toMatchObject({ required: false, nextDueAt: null });
    await endSortie(sortieId);
  });

  it("raises the alert after a restart when the deadline passed while the server was down", async () => {
    await setLevel("orange");
    const sortieId = await startSortie("DL-01", new Date(Date.now() - 10 * MIN + 3000));
    const due = Date.parse((await status(sortieId)).body.nextDueAt!);
    await srv.close();
    // The deadline passes with no server running.
    while (Date.now() < due + 1000) await new Promise((r) => setTimeout(r, 200));
    const restartedAt = Date.now();
    srv = await tdb.start(SERVER);
    await signIn();
    const rec = new EventRecorder(srv.url, op.cookie, 0);
    await rec.ready();
    await waitFor(
      () => rec.ofType("crew_alert.missed_check_in").some((e) => e.payload.sortieId === sortieId),
      ALERT_BOUND_MS,
    );
    const alert = rec.ofType("crew_alert.missed_check_in").find((e) => e.payload.sortieId === sortieId)!.payload;
    expect(Date.parse(alert.dueAt!)).toBe(due);
    expect(Date.parse(alert.raisedAt)).toBeGreaterThanOrEqual(restartedAt - 1000); // raised by the new process
    expect(alert.overdueSeconds).toBeGreaterThanOrEqual(1);
    await endSortie(sortieId);
    rec.close();
  });

  it.skipIf(ENGINE !== "postgres")(
    "two nodes on one database record one alert per missed deadline [postgres only]",
    async () => {
      const other = await tdb.start(SERVER);
      try {
        await setLevel("orange");
        const sortieId = await startSortie("DL-02", new Date(Date.now() - 10 * MIN - 1000)); // already overdue
        // Both nodes' jobs run on their own; the job bodies are also called at once on both.
        await Promise.all([srv, other, srv, other].map((n) => n.services.checkIns.raiseMissed()));
        const runs = await jobRuns();
        const until = Date.now() + ALERT_BOUND_MS;
        while ((await jobRuns()) < runs + 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
        const rows = await srv.database.db.select().from(crewAlerts).where(eq(crewAlerts.sortieId, sortieId));
        expect(rows).toHaveLength(1);
        const evs = await srv.database.db
          .select({ id: events.id })
          .from(events)
          .where(and(eq(events.type, "crew_alert.missed_check_in"), sql`${events.payload}->>'sortieId' = ${sortieId}`));
        expect(evs).toHaveLength(1);
        await endSortie(sortieId);
      } finally {
        await other.close();
      }
    },
  );
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { addDays, localDay } from "../../shared/counting.js";
import { api } from "../../shared/api/index.js";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

describe(`stays, shelters, supplies, alert levels and due-now [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, operator: TestClient, supervisor: TestClient, admin: TestClient, patrol2: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, operator, supervisor, admin, patrol2] = await signInAll(srv.url, [
      "head",
      "operator",
      "supervisor",
      "admin",
      "patrol2",
    ] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const today = localDay(new Date(), "Asia/Shanghai");
    await fx.setCampaignDates(demo.campaign.id, addDays(today, -20), addDays(today, 60));
    campaignId = demo.campaign.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("stays fill station beds and shelter places; the duty room reads free places", async () => {
    const sh = await head.call(api.shelters.create, {
      body: {
        stationId: demo.dl.id,
        name: "安升街临时避寒点",
        kind: "warming_shelter",
        lat: 45.77,
        lng: 126.61,
        capacity: 2,
      },
    });
    expect(sh.status).toBe(201);
    const s1 = await operator.call(api.shelters.startStay, {
      body: { id: randomUUID(), stationId: demo.dl.id, bed: "B-3", needs: ["food"] },
    });
    expect(s1.status).toBe(201);
    await operator.call(api.shelters.startStay, {
      body: { id: randomUUID(), stationId: demo.dl.id, shelterId: sh.body.id },
    });
    const list = (await operator.call(api.shelters.list)).body.items;
    const st = list.find((x) => x.id === demo.dl.id);
    expect(st).toMatchObject({ kind: "station", capacity: 60, occupied: 1, free: 59 });
    expect(list.find((x) => x.id === sh.body.id)).toMatchObject({ capacity: 2, occupied: 1, free: 1 });
    expect(list.some((x) => x.stationId === demo.ng.id)).toBe(false);
    const ended = await head.call(api.shelters.endStay, {
      params: { id: s1.body.id },
      body: { reason: "settled", version: 1 },
    });
    expect(ended.body.endReason).toBe("settled");
    expect(
      (await head.call(api.shelters.endStay, { params: { id: s1.body.id }, body: { reason: "left", version: 2 } }))
        .status,
    ).toBe(409);
    expect((await operator.call(api.shelters.list)).body.items.find((x) => x.id === demo.dl.id)!.free).toBe(60);
    const bad = await head.call(api.shelters.startStay, {
      body: {
        id: randomUUID(),
        stationId: demo.dl.id,
        encounterId: await fx.encounter(demo.dl.id, "refused", new Date()),
      },
    });
    expect(bad.error.message).toMatch(/^body\.encounterId/);
    expect(
      (
        await head.call(api.shelters.endStay, {
          params: { id: s1.body.id },
          body: { reason: "left", travelVoucher: true, version: 2 },
        })
      ).error.message,
    ).toMatch(/^body\.travelVoucher/);
    expect(
      (await patrol2.call(api.shelters.startStay, { body: { id: randomUUID(), stationId: demo.dl.id } })).status,
    ).toBe(403);
  });

  it("matches an arrival to the patrol's pick-up, so a person brought in counts once under in-station aid", async () => {
    const person = await fx.person(demo.dl.id, { name: "钱七" });
    const e = await fx.encounter(demo.dl.id, "brought_in", hoursAgo(1), { personId: person });
    const unknown = await fx.encounter(demo.dl.id, "brought_in", hoursAgo(0.5));
    const pending = await operator.call(api.shelters.pending, { query: { stationId: demo.dl.id } });
    expect(pending.body.items.map((p) => p.encounterId)).toEqual([e, unknown]);
    const s = await operator.call(api.shelters.startStay, {
      body: { id: randomUUID(), stationId: demo.dl.id, personId: person },
    });
    expect(s.body.encounterId).toBe(e);
    const s2 = await operator.call(api.shelters.startStay, {
      body: { id: randomUUID(), stationId: demo.dl.id, encounterId: unknown },
    });
    expect(s2.body.encounterId).toBe(unknown);
    expect((await operator.call(api.shelters.pending, { query: { stationId: demo.dl.id } })).body.items).toEqual([]);
    const today = localDay(new Date(), "Asia/Shanghai");
    const totals = await head.call(api.totals.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: addDays(today, -1) },
    });
    // The two pick-ups plus the two walk-in stays of the first test.
    expect(totals.body.figures.aidedInStation).toBe(4);
  });

  it("keeps stock as ledger sums; receipts and write-offs never go below zero; low stock is flagged", async () => {
    const coat = demo.item("coat");
    const v = demo.vehicles(demo.dl.id)[0]!;
    const r = await head.call(api.supplies.receive, {
      body: { id: randomUUID(), stationId: demo.dl.id, itemId: coat.id, quantity: 40, notes: "市局调拨" },
    });
    expect(r.status).toBe(201);
    expect(r.body.unitValueFen).toBe(15000);
    await fx.ledger(demo.dl.id, coat.id, "loaded", 12, { vehicleId: v.id });
    await fx.ledger(demo.dl.id, coat.id, "handed_out", 5, { vehicleId: v.id });
    const stock = (await operator.call(api.supplies.stock, { query: { stationId: demo.dl.id } })).body.items.find(
      (i) => i.code === "coat",
    );
    expect(stock).toMatchObject({
      station: 28,
      low: false,
      vehicles: [{ vehicleId: v.id, callSign: v.callSign, quantity: 7 }],
    });
    const over = await head.call(api.supplies.writeOff, {
      body: { id: randomUUID(), stationId: demo.dl.id, itemId: coat.id, quantity: 29 },
    });
    expect(over.status).toBe(409);
    expect(over.error.code).toBe("INSUFFICIENT_STOCK");
    const before = await rowCount(srv, "supplyLedger");
    const wid = randomUUID();
    expect(
      (
        await head.call(api.supplies.writeOff, {
          body: { id: wid, stationId: demo.dl.id, itemId: coat.id, quantity: 20, notes: "受潮" },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await head.call(api.supplies.writeOff, {
          body: { id: wid, stationId: demo.dl.id, itemId: coat.id, quantity: 20, notes: "受潮" },
        })
      ).status,
    ).toBe(201);
    expect(await rowCount(srv, "supplyLedger")).toBe(before + 1);
    const after = (await head.call(api.supplies.stock, { query: { stationId: demo.dl.id } })).body.items.find(
      (i) => i.code === "coat",
    );
    expect(after).toMatchObject({ station: 8, low: true });
    expect(
      (
        await operator.call(api.supplies.receive, {
          body: { id: randomUUID(), stationId: demo.dl.id, itemId: coat.id, quantity: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await head.call(api.supplies.receive, {
          body: { id: randomUUID(), stationId: demo.dl.id, itemId: coat.id, quantity: 0 },
        })
      ).error.message,
    ).toMatch(/^body\.quantity/);
  });

  it("lets admins keep the catalog; a new unit value applies from then on", async () => {
    const item = await admin.call(api.supplies.createItem, {
      body: { code: "thermos", nameZh: "保温杯", nameEn: "Thermos", unitZh: "个", unitEn: "piece", unitValueFen: 2500 },
    });
    expect(item.status).toBe(201);
    expect(
      (
        await head.call(api.supplies.createItem, {
          body: { code: "x", nameZh: "x", nameEn: "x", unitZh: "x", unitEn: "x", unitValueFen: 1 },
        })
      ).status,
    ).toBe(403);
    const up = await admin.call(api.supplies.updateItem, {
      params: { id: item.body.id },
      body: { unitValueFen: 3000, version: 1 },
    });
    expect(up.body.unitValueFen).toBe(3000);
    expect(
      (
        await admin.call(api.supplies.updateItem, {
          params: { id: item.body.id },
          body: { unitValueFen: 1, version: 1 },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await admin.call(api.supplies.createItem, {
          body: { code: "coat", nameZh: "x", nameEn: "x", unitZh: "x", unitEn: "x", unitValueFen: 1 },
        })
      ).status,
    ).toBe(409);
  });

  it("the head raises the station's alert level; history is kept and the change announced", async () => {
    const opRec = new EventRecorder(srv.url, operator.cookie);
    await opRec.ready();
    const r = await head.call(api.campaigns.setAlert, {
      params: { id: campaignId },
      body: { stationId: demo.dl.id, level: "red", reason: "预报最低-32℃" },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ level: "red", previousLevel: "yellow" });
    await waitFor(() => opRec.ofType("campaign.alert_changed").length === 1);
    expect(opRec.ofType("campaign.alert_changed")[0]!.payload).toMatchObject({
      level: "red",
      cadence: { keyPointHours: 2, recheckHours: 2 },
    });
    opRec.close();
    expect(
      (await head.call(api.campaigns.setAlert, { params: { id: campaignId }, body: { stationId: null, level: "red" } }))
        .status,
    ).toBe(403);
    expect(
      (
        await head.call(api.campaigns.setAlert, {
          params: { id: campaignId },
          body: { stationId: demo.ng.id, level: "red" },
        })
      ).status,
    ).toBe(403);
    const c = (await head.call(api.campaigns.list)).body.items.find((x) => x.id === campaignId);
    expect(c!.stationLevels).toEqual([{ stationId: demo.dl.id, level: "red" }]);
    const sup = (await supervisor.call(api.campaigns.list)).body.items.find((x) => x.id === campaignId);
    expect(sup!.stationLevels.find((s) => s.stationId === demo.ng.id)!.level).toBe("yellow");
    await head.call(api.campaigns.setAlert, {
      params: { id: campaignId },
      body: { stationId: demo.dl.id, level: "orange", reason: "回暖" },
    });
    const h = await head.call(api.campaigns.alerts, { params: { id: campaignId }, query: { stationId: demo.dl.id } });
    expect(h.body.items.map((a) => `${a.previousLevel}>${a.level}`)).toEqual(["red>orange", "yellow>red"]);
    const wide = await supervisor.call(api.campaigns.setAlert, {
      params: { id: campaignId },
      body: { stationId: null, level: "red", reason: "全市寒潮" },
    });
    expect(wide.body.previousLevel).toBe("yellow");
    const after = (await head.call(api.campaigns.list)).body.items.find((x) => x.id === campaignId);
    expect(after).toMatchObject({ alertLevel: "red", stationLevels: [{ stationId: demo.dl.id, level: "red" }] });
  });

  it("lists key points overdue and welfare re-checks due under the level in force", async () => {
    const kps = demo.keyPoints(demo.dl.id);
    for (const k of kps.slice(1)) await fx.visit(demo.dl.id, k.id, hoursAgo(0.5));
    const person = await fx.person(demo.dl.id);
    await fx.encounter(demo.dl.id, "refused", hoursAgo(3), { personId: person });
    const later = await fx.person(demo.dl.id);
    await fx.encounter(demo.dl.id, "refused", hoursAgo(5), { personId: later });
    await fx.encounter(demo.dl.id, "street_aid", hoursAgo(1), { personId: later });
    const due = await operator.call(api.campaigns.dueNow, { query: { stationId: demo.dl.id } });
    expect(due.status).toBe(200);
    expect(due.body.stations).toEqual([{ stationId: demo.dl.id, level: "red" }]);
    expect(due.body.keyPoints.map((k) => k.keyPointId)).toEqual([kps[0]!.id]);
    expect(due.body.keyPoints[0]!.state).toBe("overdue");
    const rechecks = due.body.rechecks.map((r) => r.personId);
    expect(rechecks).toContain(person);
    expect(rechecks).not.toContain(later);
    // Under blue (24 h) nothing waiting 3 hours is due yet.
    await supervisor.call(api.campaigns.setAlert, {
      params: { id: campaignId },
      body: { stationId: null, level: "blue" },
    });
    const calm = await operator.call(api.campaigns.dueNow, { query: { stationId: demo.dl.id } });
    expect(calm.body.rechecks.map((r) => r.personId)).not.toContain(person);
    expect((await operator.call(api.campaigns.dueNow, { query: { stationId: demo.ng.id } })).status).toBe(403);
  });

  it("the due-now job announces counts per station (no personal data)", async () => {
    await supervisor.call(api.campaigns.setAlert, {
      params: { id: campaignId },
      body: { stationId: null, level: "red" },
    });
    const rec = new EventRecorder(srv.url, head.cookie);
    await rec.ready();
    expect(await srv.services.campaigns.announceDueNow()).toBeGreaterThanOrEqual(1);
    await waitFor(() => rec.ofType("campaign.due_now").length >= 1);
    const p = rec.ofType("campaign.due_now")[0]!.payload;
    expect(Object.keys(p).sort()).toEqual(["at", "keyPoints", "overdue", "rechecks", "stationId"]);
    expect(p.rechecks).toBeGreaterThanOrEqual(1);
    // The scheduled run only speaks when something changed: nothing now, then one event when a key point is visited.
    expect(await srv.services.campaigns.announceDueNow({ onlyChanges: true })).toBe(0);
    await fx.visit(demo.dl.id, demo.keyPoints(demo.dl.id)[0]!.id, new Date());
    expect(await srv.services.campaigns.announceDueNow({ onlyChanges: true })).toBe(1);
    await waitFor(() => rec.ofType("campaign.due_now").length >= 2);
    expect(rec.ofType("campaign.due_now").at(-1)!.payload).toMatchObject({
      stationId: demo.dl.id,
      keyPoints: 0,
      overdue: 0,
    });
    rec.close();
  });
});

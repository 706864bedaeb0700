import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { BodyOf, TestClient } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { addDays, localDay } from "../../shared/counting.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";

type Submit = Pick<BodyOf<typeof api.reports.submit>, "day"> & Partial<BodyOf<typeof api.reports.submit>>;

const TZ = "Asia/Shanghai";
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

describe(`daily and zero reports [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient, operator: TestClient, admin: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  const today = localDay(new Date(), TZ);
  const start = addDays(today, -5);
  const d1 = addDays(today, -3);
  const d2 = addDays(today, -2);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, supervisor, operator, admin] = await signInAll(srv.url, [
      "head",
      "supervisor",
      "operator",
      "admin",
    ] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const c = await admin.call(api.campaigns.create, {
      body: { name: "报告测试", regionId: city.id, startsOn: start, endsOn: addDays(today, 20) },
    });
    campaignId = c.body.id;
    const p = await fx.patrol(demo.dl.id, at(d1, "20:00"));
    await fx.sortie(p, demo.dl.id, demo.vehicles(demo.dl.id)[0]!.id, 3, at(d1, "20:00"));
    await fx.encounter(demo.dl.id, "street_aid", at(d1, "20:30"));
    await fx.encounter(demo.dl.id, "refused", at(d2, "20:30"));
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("prefills the form from the day's records", async () => {
    const f = await head.call(api.reports.form, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, day: d1 },
    });
    expect(f.status).toBe(200);
    expect(f.body.report).toBeNull();
    expect(f.body.zero).toBe(false);
    expect(f.body.prefill).toMatchObject({
      patrols: 1,
      sorties: 1,
      staffPersonTimes: 3,
      foundPersonTimes: 1,
      aidedOnStreet: 1,
    });
    const empty = await head.call(api.reports.form, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, day: start },
    });
    expect(empty.body.zero).toBe(true);
  });

  it("submits a daily report once; a retry returns it; a second report for the day and any edit get 409", async () => {
    const sup = new EventRecorder(srv.url, supervisor.cookie);
    await sup.ready();
    const id = randomUUID();
    const r = await head.call(api.reports.submit, {
      params: { id: campaignId },
      body: { id, stationId: demo.dl.id, day: d1, remarks: "夜间巡查正常" },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id, isZero: false, remarks: "夜间巡查正常", amendments: [] });
    expect(r.body.figures.sorties).toBe(1);
    const again = await head.call(api.reports.submit, {
      params: { id: campaignId },
      body: { id, stationId: demo.dl.id, day: d1, remarks: "夜间巡查正常" },
    });
    expect(again.body.id).toBe(id);
    const other = await head.call(api.reports.submit, {
      params: { id: campaignId },
      body: { id: randomUUID(), stationId: demo.dl.id, day: d1, remarks: "改" },
    });
    expect(other.status).toBe(409);
    const edit = await head.call(api.reports.update, { params: { id }, body: { remarks: "改" } });
    expect(edit.status).toBe(409);
    expect(await rowCount(srv, "dailyReports")).toBe(1);
    await waitFor(() => sup.ofType("report.submitted").length === 1);
    expect(sup.ofType("report.submitted")[0]!.payload).toMatchObject({ id, day: d1, isZero: false });
    sup.close();
  });

  it("keeps a submitted report frozen when late records arrive; an amendment shows the correction beside it", async () => {
    const [report] = (
      await head.call(api.reports.list, { params: { id: campaignId }, query: { stationId: demo.dl.id } })
    ).body.items;
    await fx.encounter(demo.dl.id, "brought_in", at(d1, "23:00"));
    const form = await head.call(api.reports.form, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, day: d1 },
    });
    expect(form.body.report!.figures.aidedInStation).toBe(0);
    expect(form.body.prefill.aidedInStation).toBe(1);
    const am = await head.call(api.reports.amend, {
      params: { id: report!.id },
      body: { id: randomUUID(), reason: "补录23时接回站内1人" },
    });
    expect(am.status).toBe(201);
    expect(am.body.figures.aidedInStation).toBe(0);
    expect(am.body.amendments).toHaveLength(1);
    expect(am.body.amendments[0]!.figures.aidedInStation).toBe(1);
    expect(am.body.amendments[0]!.reason).toBe("补录23时接回站内1人");
    // The amendment freezes its own text with its figures; the official text of the day follows it.
    const before = report!.text!["zh-CN"][0]!;
    const after = am.body.amendments[0]!.text!["zh-CN"][0]!;
    expect(before).toContain("站内救助0人次");
    expect(after).toContain("站内救助1人次");
    expect(am.body.text).toEqual(report!.text);
    const official = await head.call(api.reports.text, {
      query: { scope: "station", id: demo.dl.id, kind: "daily", from: d1 },
    });
    expect(official.body).toMatchObject({ frozen: true, sentences: am.body.amendments[0]!.text!["zh-CN"] });
    expect(official.body.figures.aidedInStation).toBe(1);
  });

  it("takes a zero report for a day with nothing, and refuses one for a day with records", async () => {
    const z = await head.call(api.reports.submit, {
      params: { id: campaignId },
      body: { id: randomUUID(), stationId: demo.dl.id, day: start, zero: true },
    });
    expect(z.status).toBe(201);
    expect(z.body.isZero).toBe(true);
    expect(z.body.figures.patrols).toBe(0);
    const bad = await head.call(api.reports.submit, {
      params: { id: campaignId },
      body: { id: randomUUID(), stationId: demo.dl.id, day: d2, zero: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.error.message).toMatch(/^body\.zero/);
  });

  it("refuses days outside the campaign or in the future, other stations, and other roles", async () => {
    const post = (c: TestClient, body: Submit) =>
      c.call(api.reports.submit, {
        params: { id: campaignId },
        body: { id: randomUUID(), stationId: demo.dl.id, ...body },
      });
    expect((await post(head, { day: addDays(today, 1) })).error.message).toMatch(/^body\.day/);
    expect((await post(head, { day: addDays(start, -1) })).status).toBe(400);
    expect((await post(head, { day: d2, stationId: demo.ng.id })).status).toBe(403);
    expect((await post(supervisor, { day: d2 })).status).toBe(403);
    expect((await post(operator, { day: d2 })).status).toBe(403);
    expect((await post(head, { day: "2026-13-45" })).status).toBe(400);
  });

  it("shows supervisors which stations have not reported and for how long", async () => {
    const m = await supervisor.call(api.reports.missing, { params: { id: campaignId } });
    expect(m.status).toBe(200);
    expect(m.body.today).toBe(today);
    const dl = m.body.items.find((i) => i.stationId === demo.dl.id);
    const ng = m.body.items.find((i) => i.stationId === demo.ng.id);
    // Ended days: start .. today-1 = 5 days. DL reported `start` (zero) and d1.
    expect(dl!.missingCount).toBe(3);
    expect(dl!.missingDays).toEqual([addDays(start, 1), d2, addDays(today, -1)]);
    expect(dl!.overdueDays).toBe(4);
    expect(ng!.missingCount).toBe(5);
    expect(ng!.lastReportedDay).toBeNull();
    expect(ng!.overdueDays).toBe(5);
    expect(m.body.items[0]!.stationId).toBe(demo.ng.id); // longest silence first
    const own = await head.call(api.reports.missing, { params: { id: campaignId } });
    expect(own.body.items.map((i) => i.stationId)).toEqual([demo.dl.id]);
  });

  it("the job announces stations with missing reports to supervisors", async () => {
    const sup = new EventRecorder(srv.url, supervisor.cookie);
    await sup.ready();
    const n = await srv.services.reports.announceMissing();
    expect(n).toBeGreaterThanOrEqual(2);
    await waitFor(() => sup.ofType("report.missing").length >= 2);
    const ng = sup
      .ofType("report.missing")
      .find((e) => e.stationId === demo.ng.id && e.payload.campaignId === campaignId)!;
    expect(ng.payload).toMatchObject({ campaignId, missingCount: 5 });
    // Scheduled runs announce changes only: nothing until a gap is filled.
    expect(await srv.services.reports.announceMissing({ onlyChanges: true })).toBe(0);
    await head.call(api.reports.submit, {
      params: { id: campaignId },
      body: { id: randomUUID(), stationId: demo.dl.id, day: d2 },
    });
    expect(await srv.services.reports.announceMissing({ onlyChanges: true })).toBe(1);
    sup.close();
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { addDays, ADDITIVE_FIGURES, computeFigures, dayRange, localDay, sumAdditive } from "../../shared/counting.js";
import { rawRows } from "../../server/db/client.js";
import { sql } from "drizzle-orm";
import { api } from "../../shared/api/index.js";

const TZ = "Asia/Shanghai";
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

describe(`campaign totals [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient, patrol: TestClient, operator: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  const today = localDay(new Date(), TZ);
  const d1 = addDays(today, -3);
  const d2 = addDays(today, -2);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, supervisor, patrol, operator] = await signInAll(srv.url, [
      "head",
      "supervisor",
      "patrol1",
      "operator",
    ] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "测试行动",
        regionId: city.id,
        startsOn: addDays(today, -10),
        endsOn: addDays(today, 30),
        alertLevel: "yellow",
      },
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;

    const { dl, ng } = demo;
    const [v1, v2, v3] = demo.vehicles(dl.id);
    const kp = demo.keyPoints(dl.id);
    // Joint patrol on d1: 3 vehicles (crews 3, 3, 2) and 2 police on foot; a second patrol on d2 with one crew of 3.
    const p1 = await fx.patrol(dl.id, at(d1, "20:00"), [{ agency: "police", count: 2 }]);
    await fx.sortie(p1, dl.id, v1!.id, 3, at(d1, "20:00"));
    await fx.sortie(p1, dl.id, v2!.id, 3, at(d1, "20:05"));
    await fx.sortie(p1, dl.id, v3!.id, 2, at(d1, "20:10"));
    const p2 = await fx.patrol(dl.id, at(d2, "21:00"));
    await fx.sortie(p2, dl.id, v1!.id, 3, at(d2, "21:00"));
    for (const k of kp.slice(0, 3)) await fx.visit(dl.id, k.id, at(d1, "21:00"), p1);
    const visit = await fx.visit(dl.id, kp[0]!.id, at(d2, "22:00"), p2);

    const quilt = demo.item("quilt"),
      food = demo.item("food"),
      coat = demo.item("coat");
    const a = await fx.person(dl.id, { name: "张三" });
    const b = await fx.person(dl.id, { name: "李四" });
    const cPerson = await fx.person(dl.id, { name: "王五" });
    const eA1 = await fx.encounter(dl.id, "street_aid", at(d1, "21:10"), { personId: a, patrolId: p1 });
    await fx.handOut(dl.id, quilt.id, 1, 12000, at(d1, "21:10"), { encounterId: eA1, vehicleId: v1!.id });
    await fx.handOut(dl.id, food.id, 2, 1000, at(d1, "21:10"), { encounterId: eA1, vehicleId: v1!.id });
    const eA2 = await fx.encounter(dl.id, "street_aid", at(d2, "22:00"), { personId: a, keyPointVisitId: visit });
    await fx.handOut(dl.id, food.id, 1, 1000, at(d2, "22:00"), { encounterId: eA2, vehicleId: v1!.id });
    await fx.encounter(dl.id, "refused", at(d1, "21:30"), { personId: b });
    const eU = await fx.encounter(dl.id, "refused", at(d2, "22:10"));
    await fx.handOut(dl.id, coat.id, 1, 15000, at(d2, "22:10"), { encounterId: eU, vehicleId: v1!.id });
    const eC = await fx.encounter(dl.id, "brought_in", at(d1, "22:00"), { personId: cPerson });
    await fx.encounter(dl.id, "not_found", at(d2, "23:00"));
    await fx.encounter(dl.id, "hospital", at(d2, "23:10"));
    await fx.encounter(dl.id, "referred_police", at(d1, "23:20"));
    for (const secs of [600, 1200, 1800]) await fx.case(dl.id, at(d1, "19:00"), secs);
    await fx.case(dl.id, at(d1, "19:00"), 60, "merged");
    await fx.case(dl.id, at(d1, "19:00"), null, "open");

    // Stays through the API: C brought in and later picked up by family; D walks in and is escorted home.
    const sC = await head.call(api.shelters.startStay, {
      body: {
        id: randomUUID(),
        stationId: dl.id,
        personId: cPerson,
        encounterId: eC,
        bed: "A-1",
        arrivedAt: at(d1, "22:30").toISOString(),
      },
    });
    expect(sC.status).toBe(201);
    expect(
      (
        await head.call(api.shelters.endStay, {
          params: { id: sC.body.id },
          body: { reason: "family_pickup", at: at(d2, "10:00").toISOString(), version: sC.body.version },
        })
      ).status,
    ).toBe(200);
    const d = await head.call(api.people.create, {
      body: { id: randomUUID(), stationId: dl.id, gender: "male", approxAge: 60 },
    });
    const sD = await head.call(api.shelters.startStay, {
      body: { id: randomUUID(), stationId: dl.id, personId: d.body.id, arrivedAt: at(d1, "09:00").toISOString() },
    });
    expect(
      (
        await head.call(api.shelters.endStay, {
          params: { id: sD.body.id },
          body: {
            reason: "escorted_home",
            travelVoucher: true,
            destination: "绥化",
            at: at(d2, "09:00").toISOString(),
            version: 1,
          },
        })
      ).status,
    ).toBe(200);
    // B's family is found (today).
    expect(
      (
        await head.call(api.people.familySearch, {
          params: { id: b },
          body: { status: "family_found", note: "公告后亲属来电", version: 1 },
        })
      ).status,
    ).toBe(200);

    // NG: one patrol of one vehicle (crew 4), one person aided on the street.
    const pn = await fx.patrol(ng.id, at(d1, "20:00"));
    await fx.sortie(pn, ng.id, demo.vehicles(ng.id)[0]!.id, 4, at(d1, "20:00"));
    await fx.encounter(ng.id, "street_aid", at(d1, "20:30"));
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("counts a station's records exactly as the hand-worked figures say", async () => {
    const r = await head.call(api.totals.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: d1 },
    });
    expect(r.status).toBe(200);
    const f = r.body.figures;
    expect({
      patrols: f.patrols,
      sorties: f.sorties,
      staffPersonTimes: f.staffPersonTimes,
      keyPointVisits: f.keyPointVisits,
      foundPersonTimes: f.foundPersonTimes,
      foundPersons: f.foundPersons,
      aidedInStation: f.aidedInStation,
      aidedOnStreet: f.aidedOnStreet,
      aidedTotal: f.aidedTotal,
      hospital: f.hospital,
      escortedHome: f.escortedHome,
      familyPickup: f.familyPickup,
      escorts: f.escorts,
      referred: f.referred,
      familiesFound: f.familiesFound,
      suppliesQuantity: f.suppliesQuantity,
      suppliesValueFen: f.suppliesValueFen,
      responseP50Sec: f.responseP50Sec,
      responseP90Sec: f.responseP90Sec,
      responseCount: f.responseCount,
    }).toEqual({
      patrols: 2,
      sorties: 4,
      staffPersonTimes: 13,
      keyPointVisits: 4,
      foundPersonTimes: 7,
      foundPersons: 6,
      aidedInStation: 2,
      aidedOnStreet: 3,
      aidedTotal: 5,
      hospital: 1,
      escortedHome: 1,
      familyPickup: 1,
      escorts: 2,
      referred: 1,
      familiesFound: 1,
      suppliesQuantity: 5,
      suppliesValueFen: 30000,
      responseP50Sec: 1200,
      responseP90Sec: 1800,
      responseCount: 3,
    });
    const byCode = Object.fromEntries(f.supplies.map((s) => [s.code, [s.quantity, s.valueFen, s.nameZh]]));
    expect(byCode).toEqual({ quilt: [1, 12000, "棉被"], food: [3, 3000, "方便食品"], coat: [1, 15000, "棉大衣"] });
  });

  it("SQL totals equal the pure counting rules over the same records, for every station, day and the whole range", async () => {
    const r = await supervisor.call(api.totals.get, { params: { id: campaignId } });
    expect(r.status).toBe(200);
    const { from, to } = r.body;
    const input = await fx.countingInput(r.body.stationIds);
    const strip = (x: typeof r.body.figures) => ({
      ...x,
      supplies: x.supplies.map((s) => ({ itemId: s.itemId, quantity: s.quantity, valueFen: s.valueFen })),
    });
    expect(strip(r.body.figures)).toEqual(computeFigures(input, dayRange(from, to, TZ)));
    for (const s of r.body.byStation) {
      expect(strip(s.figures)).toEqual(computeFigures(await fx.countingInput([s.stationId]), dayRange(from, to, TZ)));
    }
    for (const d of r.body.daily) expect(strip(d.figures)).toEqual(computeFigures(input, dayRange(d.day, d.day, TZ)));
  });

  it("a region rolls up to the sum of its parts, and the daily series sums to the range", async () => {
    const city = demo.regions.find((x) => x.level === "city")!;
    const district = demo.regions.find((x) => x.name === "道里区")!;
    const all = (await supervisor.call(api.totals.get, { params: { id: campaignId }, query: { regionId: city.id } }))
      .body;
    const dl = (await supervisor.call(api.totals.get, { params: { id: campaignId }, query: { stationId: demo.dl.id } }))
      .body;
    const ng = (await supervisor.call(api.totals.get, { params: { id: campaignId }, query: { stationId: demo.ng.id } }))
      .body;
    const daoli = (
      await supervisor.call(api.totals.get, { params: { id: campaignId }, query: { regionId: district.id } })
    ).body;
    const sum = sumAdditive([dl.figures, ng.figures]);
    for (const k of ADDITIVE_FIGURES) expect(all.figures[k]).toBe(sum[k]);
    expect(sumAdditive(all.byStation.map((s) => s.figures))).toEqual(sum);
    expect(sumAdditive(all.daily.map((d) => d.figures))).toEqual(sum);
    expect(daoli.stationIds).toEqual([demo.dl.id]);
    expect(daoli.figures).toEqual(dl.figures);
    expect(all.figures.patrols).toBe(3);
    expect(all.figures.sorties).toBe(5);
    expect(all.figures.staffPersonTimes).toBe(17);
    expect(all.daily.find((d) => d.day === d1)!.figures.sorties).toBe(4);
  });

  it("filters by date range, clamped to the campaign", async () => {
    const r = await head.call(api.totals.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: d1, to: d1 },
    });
    expect(r.body.figures.patrols).toBe(1);
    expect(r.body.figures.sorties).toBe(3);
    expect(r.body.figures.staffPersonTimes).toBe(10);
    expect(r.body.daily).toHaveLength(1);
    const wide = await head.call(api.totals.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: "2000-01-01" },
    });
    expect(wide.body.from).toBe(addDays(today, -10));
    expect(wide.body.to).toBe(today);
  });

  it("enforces scope and names bad input", async () => {
    expect(
      (await head.call(api.totals.get, { params: { id: campaignId }, query: { stationId: demo.ng.id } })).status,
    ).toBe(403);
    expect((await patrol.call(api.totals.get, { params: { id: campaignId } })).status).toBe(403);
    const own = await operator.call(api.totals.get, { params: { id: campaignId } });
    expect(own.body.stationIds).toEqual([demo.dl.id]);
    const bad = await head.call(api.totals.get, { params: { id: campaignId }, query: { from: d2, to: d1 } });
    expect(bad.status).toBe(400);
    expect(bad.error.message).toMatch(/^query\.from/);
    expect(
      (await head.call(api.totals.get, { params: { id: campaignId }, query: { stationId: "nope" } })).error.message,
    ).toMatch(/^query\.stationId/);
    for (const day of ["2026-13-01", "2026-11-31", "2026-02-29"]) {
      const notADay = await head.call(api.totals.get, { params: { id: campaignId }, query: { to: day } });
      expect(notADay.status, day).toBe(400);
      expect(notADay.error.message).toMatch(/^query\.to: must be a calendar day/);
    }
    expect((await head.call(api.totals.get, { params: { id: randomUUID() } })).status).toBe(404);
  });

  it("has the indexes the range scans rely on", async () => {
    const rows = await rawRows<{ indexname: string }>(
      srv.database.db,
      sql`select indexname from pg_indexes where schemaname = 'public'`,
    );
    const names = rows.map((r) => r.indexname);
    for (const i of [
      "patrols_station_started_idx",
      "sorties_station_started_idx",
      "kpv_station_idx",
      "encounters_station_time_idx",
      "ledger_station_kind_at_idx",
      "cases_station_received_idx",
      "stays_station_arrived_idx",
      "stays_station_ended_idx",
      "family_search_log_station_idx",
    ]) {
      expect(names).toContain(i);
    }
  });

  it("exports totals as CSV, and the records behind them redacted to the reader's role", async () => {
    const csv = await head.call(api.exports.totalsCsv, { query: { campaignId, stationId: demo.dl.id, from: d1 } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = String(csv.body).trim().split("\r\n");
    expect(lines[0]).toContain("出动车辆台次");
    expect(lines[0]).toContain("巡查点位个次,巡查重点点位个数");
    expect(lines[0]).toContain("转介人次,安置人数,临时避寒场所和室外救助点个数,寻亲成功人数");
    expect(lines[lines.length - 1]).toMatch(/^合计 .*,2,4,13,4,3,7,6,2,3,5,1,1,1,2,1,0,0,1,5,0,300\.00,1200,1800/);
    const x = await fetch(
      `${srv.url}/api/exports/totals.xlsx?campaignId=${campaignId}&stationId=${demo.dl.id}&from=${d1}`,
      { headers: { cookie: head.cookie } },
    );
    expect(x.status).toBe(200);
    expect(x.headers.get("content-type")).toMatch(/spreadsheetml/);
    const bytes = Buffer.from(await x.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
    const text = bytes.toString("utf8");
    expect(text).toContain("xl/worksheets/sheet1.xml");
    expect(text).toContain("出动车辆台次");
    expect(text).toMatch(/<v>300<\/v>/);
    const recHead = await head.call(api.exports.encountersCsv, {
      query: { campaignId, stationId: demo.dl.id, lang: "en" },
    });
    expect(recHead.headers.get("x-total-rows")).toBe("8");
    expect(String(recHead.body)).toContain("张三");
    const recSup = await supervisor.call(api.exports.encountersCsv, { query: { campaignId, lang: "en" } });
    expect(recSup.status).toBe(200);
    expect(String(recSup.body)).not.toContain("张三");
    expect(String(recSup.body).split("\r\n")[0]).not.toMatch(/name|person/);
    const recOp = await operator.call(api.exports.encountersCsv, { query: { campaignId, lang: "en" } });
    expect(String(recOp.body)).not.toContain("张三");
    expect(String(recOp.body)).toContain("#");
  });
});

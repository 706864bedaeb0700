import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import * as t from "../../server/db/schema/index.js";
import { addDays, reportDayOf } from "../../shared/counting.js";
import { reportPeriod, reportSentences } from "../../shared/report-text.js";
import { api } from "../../shared/api/index.js";

/**
 * With REPORT_DAY_START=08:00 a night's patrol from 20:00 to 03:00 is one report day in the totals,
 * the daily series, the daily report and its heading; families found are counted on the day they
 * were found; GET /api/reports/text gives the sentences of shared/report-text.ts (the print view's
 * function) and a submitted daily report answers with the text frozen at submission.
 */
const TZ = "Asia/Shanghai";
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

describe(`report day 08:00 to 08:00, dated families found, official text [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  let cityId: string;
  const today = reportDayOf(new Date(), TZ, "08:00");
  const night = addDays(today, -2); // the night of `night` 20:00 .. `night`+1 03:00
  const lastWeek = addDays(today, -7);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ REPORT_DAY_START: "08:00" });
    [head, supervisor] = await signInAll(srv.url, ["head", "supervisor"] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    cityId = demo.regions.find((r) => r.level === "city")!.id;
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "一夜行动",
        regionId: cityId,
        startsOn: addDays(today, -10),
        endsOn: addDays(today, 30),
        alertLevel: "red",
      },
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;
    const { dl } = demo;
    const kp = demo.keyPoints(dl.id);
    // One night: 20:00 to 03:00, visits on both sides of midnight (the same key point twice).
    const p = await fx.patrol(dl.id, at(night, "20:00"));
    await fx.sortie(p, dl.id, demo.vehicles(dl.id)[0]!.id, 3, at(night, "20:00"));
    await fx.visit(dl.id, kp[0]!.id, at(night, "21:00"), p);
    await fx.visit(dl.id, kp[1]!.id, at(night, "23:30"), p);
    await fx.visit(dl.id, kp[0]!.id, at(addDays(night, 1), "01:00"), p);
    await fx.visit(dl.id, kp[2]!.id, at(addDays(night, 1), "03:00"), p);
    await fx.encounter(dl.id, "street_aid", at(addDays(night, 1), "02:00"));
    await fx.encounter(dl.id, "escorted_home", at(night, "22:00"));
    await fx.encounter(dl.id, "family_pickup", at(addDays(night, 1), "02:30"));
    // A shelter opened for the campaign, and one closed before it.
    await srv.database.db.insert(t.shelters).values([
      {
        stationId: dl.id,
        name: "桥东临时避寒点",
        kind: "warming_shelter",
        lat: 45.76,
        lng: 126.61,
        capacity: 20,
        openedAt: at(addDays(today, -9), "18:00"),
      },
      {
        stationId: dl.id,
        name: "旧点",
        kind: "service_point",
        lat: 45.76,
        lng: 126.61,
        capacity: 5,
        openedAt: at(addDays(today, -60), "18:00"),
        closedAt: at(addDays(today, -30), "18:00"),
      },
    ]);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("counts the whole night on one report day in totals and the daily series", async () => {
    const r = await head.call(api.totals.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: night, to: addDays(night, 1) },
    });
    expect(r.status).toBe(200);
    expect(r.body.dayStart).toBe("08:00");
    const day = (d: string) => r.body.daily.find((x) => x.day === d)!.figures;
    expect([day(night).keyPointVisits, day(night).keyPointsCovered, day(night).foundPersonTimes]).toEqual([4, 3, 3]);
    expect([day(addDays(night, 1)).keyPointVisits, day(addDays(night, 1)).foundPersonTimes]).toEqual([0, 0]);
    expect([r.body.figures.escortedHome, r.body.figures.familyPickup, r.body.figures.escorts]).toEqual([1, 1, 2]);
    expect(r.body.figures.sheltersInService).toBe(1);
  });

  it("the daily report of that day holds the whole night, is headed by that one day, and freezes its text", async () => {
    const form = await head.call(api.reports.form, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, day: night },
    });
    expect(form.status).toBe(200);
    expect([form.body.prefill.keyPointVisits, form.body.prefill.keyPointsCovered, form.body.dayStart]).toEqual([
      4,
      3,
      "08:00",
    ]);
    const sub = await head.call(api.reports.submit, {
      params: { id: campaignId },
      body: { id: randomUUID(), stationId: demo.dl.id, day: night, remarks: "" },
    });
    expect(sub.status).toBe(201);
    expect(sub.body.text).not.toBeNull();
    const text = sub.body.text!;
    const [m, d] = night.split("-").slice(1).map(Number);
    const next = Number(addDays(night, 1).slice(8));
    const heading = reportPeriod(night, night, "08:00", "zh-CN");
    expect(heading).toMatch(new RegExp(`^${m}月${d}日（(${d}日|${m}月${d}日)8时至(${next}日|\\d+月${next}日)8时）$`));
    expect(text["zh-CN"][0]).toContain(`${heading}，`);
    expect(text["zh-CN"][0]).toContain("巡查重点点位3个（4个次）");
    expect(text["zh-CN"][0]).toContain("护送（接领）2人次（其中护送返乡1人次、亲属接领1人次）");
    expect(sub.body.text).toEqual({
      "zh-CN": reportSentences({ figures: sub.body.figures, from: night, to: night, dayStart: "08:00", lang: "zh-CN" }),
      en: reportSentences({ figures: sub.body.figures, from: night, to: night, dayStart: "08:00", lang: "en" }),
    });
    // A record entered afterwards changes the day's figures, not the frozen text.
    await fx.visit(demo.dl.id, demo.keyPoints(demo.dl.id)[3]!.id, at(addDays(night, 1), "04:00"));
    const frozen = await head.call(api.reports.text, {
      query: { scope: "station", id: demo.dl.id, kind: "daily", from: night },
    });
    expect(frozen.status).toBe(200);
    expect(frozen.body.frozen).toBe(true);
    expect(frozen.body.sentences).toEqual(text["zh-CN"]);
    const live = await head.call(api.reports.text, {
      query: { scope: "station", id: demo.dl.id, kind: "campaign", from: night, to: night },
    });
    expect(live.body.frozen).toBe(false);
    expect(live.body.figures.keyPointVisits).toBe(5);
  });

  it("a family found last week, entered today, counts last week; a time in the future is refused", async () => {
    const person = await head.call(api.people.create, {
      body: { id: randomUUID(), stationId: demo.dl.id, gender: "male", approxAge: 60 },
    });
    expect(person.status).toBe(201);
    const future = await head.call(api.people.familySearch, {
      params: { id: person.body.id },
      body: {
        status: "family_found",
        occurredAt: new Date(Date.now() + 3600_000).toISOString(),
        version: person.body.version,
      },
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain("occurredAt");
    const found = await head.call(api.people.familySearch, {
      params: { id: person.body.id },
      body: { status: "family_found", occurredAt: at(lastWeek, "15:00").toISOString(), version: person.body.version },
    });
    expect(found.status).toBe(200);
    const r = await head.call(api.totals.get, { params: { id: campaignId }, query: { stationId: demo.dl.id } });
    const day = (d: string) => r.body.daily.find((x) => x.day === d)!.figures.familiesFound;
    expect([day(lastWeek), day(today), r.body.figures.familiesFound]).toEqual([1, 0, 1]);
  });

  it("campaigns run by report days: at 02:00 the night still belongs to the day before", async () => {
    const list = await head.call(api.campaigns.list);
    expect(list.body.today).toBe(reportDayOf(new Date(), TZ, "08:00"));
    // A one-night campaign (before the other one): at 02:00 after its day it still runs (the report
    // day is still its day); at 08:00 it has ended.
    const one = addDays(today, -20);
    const c = await supervisor.call(api.campaigns.create, {
      body: { name: "单夜", regionId: cityId, startsOn: one, endsOn: one, alertLevel: "orange" },
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const campaigns = srv.services.campaigns;
    const running = async (now: Date) => (await campaigns.levelsToday([demo.ng.id], now)).get(demo.ng.id);
    expect(campaigns.today(at(addDays(one, 1), "02:00"))).toBe(one);
    expect(await running(at(addDays(one, 1), "02:00"))).toBe("orange");
    expect(await running(at(addDays(one, 1), "08:00"))).toBe("blue");
  });

  it("GET /api/reports/text gives the print view's sentences for a region's campaign, in both languages", async () => {
    const from = addDays(today, -10);
    for (const lang of ["zh-CN", "en"] as const) {
      const r = await supervisor.call(api.reports.text, {
        query: { scope: "region", id: cityId, from, to: today, lang },
      });
      expect(r.status).toBe(200);
      const totals = await supervisor.call(api.totals.get, {
        params: { id: campaignId },
        query: { regionId: cityId, from, to: today },
      });
      expect(r.body.figures).toEqual(totals.body.figures);
      expect(r.body.sentences).toEqual(
        reportSentences({ figures: totals.body.figures, from, to: today, dayStart: "08:00", lang }),
      );
      expect(r.body.period).toBe(reportPeriod(from, today, "08:00", lang));
    }
    const bad = await supervisor.call(api.reports.text, {
      query: { scope: "station", id: demo.dl.id, kind: "daily", from: night, to: today },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("to");
  });
});

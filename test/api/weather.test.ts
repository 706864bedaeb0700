import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { openCase } from "../helpers/fleet.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { addDays } from "../../shared/counting.js";
import { api } from "../../shared/api/index.js";
import { DEFAULT_COLD_RULE, backtestColdRule, proposeColdLevel, type WeatherNight } from "../../shared/cold-level.js";
import { DEMO_PARTNER_KEY } from "../../server/partners/partners.service.js";
import { weatherReadings } from "../../server/db/schema/index.js";
import type { AlertLevel } from "../../shared/vocab.js";

/**
 * Weather in (issue 19): hand entry, CSV upload (all or nothing), a partner's push with its key;
 * the cold rule's proposal with its reasons per station; confirming it sets the level and
 * re-triages open cases; the backtest over a generated winter.
 */
const b64 = (s: string) => Buffer.from(s).toString("base64");
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map(String).join(",")).join("\r\n");

/** 90 nights ending `last`, drifting colder with three cold waves (as the unit test's winter). */
function winter(last: string): { nights: WeatherNight[]; waves: Record<string, AlertLevel> } {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const nights: WeatherNight[] = [];
  let t = 2;
  for (let d = 89; d >= 0; d--) {
    t = Math.max(-30, Math.min(4, t + (rand() - 0.55) * 3));
    nights.push({ date: addDays(last, -d), minTempC: Math.round(t * 10) / 10, windForce: 2 });
  }
  const waves: Record<string, AlertLevel> = {};
  const wave = (i: number, fall: number, level: AlertLevel) => {
    nights[i] = { ...nights[i]!, minTempC: Math.min(nights[i - 1]!.minTempC - fall, -1), windForce: 7 };
    nights[i + 1] = { ...nights[i + 1]!, minTempC: nights[i]!.minTempC, windForce: 2 };
    waves[nights[i]!.date] = level;
  };
  wave(20, 12.5, "orange");
  wave(45, 17, "red");
  wave(70, 10.5, "yellow");
  return { nights, waves };
}

describe(`weather in, the level proposal and the backtest [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient, admin: TestClient, operator: TestClient;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let today: string;
  let daoli: string, nangang: string, city: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, supervisor, admin, operator] = await signInAll(srv.url, [
      "head",
      "supervisor",
      "admin",
      "operator",
    ] as const);
    demo = await new Fixtures(srv.database.db).demo();
    today = (await head.call(api.campaigns.list)).body.today;
    daoli = demo.dl.regionId;
    nangang = demo.ng.regionId;
    city = demo.regions.find((r) => r.level === "city")!.id;
    // The campaign runs over the generated winter and after today.
    await new Fixtures(srv.database.db).setCampaignDates(demo.campaign.id, addDays(today, -120), addDays(today, 60));
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  const night = (date: string, minTempC: number, windForce: number, extra: Partial<WeatherNight> = {}) => ({
    date,
    minTempC,
    windForce,
    ...extra,
  });

  it("hand entry: idempotent by region, night and source; a revision replaces; scope and roles are checked", async () => {
    const date = addDays(today, -60);
    const body = { regionId: daoli, ...night(date, -5, 2) };
    const first = await head.call(api.weather.enter, { body });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ rows: 1, created: 1, updated: 0, unchanged: 0 });
    expect(first.body.items[0]).toMatchObject({ regionName: "道里区", source: "manual", minTempC: -5, version: 1 });
    const events = await rowCount(srv, "events");
    const again = await head.call(api.weather.enter, { body });
    expect(again.body).toMatchObject({ created: 0, unchanged: 1 });
    expect(await rowCount(srv, "events")).toBe(events);
    const revised = await head.call(api.weather.enter, { body: { ...body, minTempC: -9 } });
    expect(revised.body).toMatchObject({ updated: 1 });
    expect(revised.body.items[0]).toMatchObject({ id: first.body.items[0]!.id, minTempC: -9, version: 2 });
    // A client id: the same reading again is a no-op, other values under it are refused.
    const id = randomUUID();
    const withId = { id, regionId: daoli, ...night(addDays(today, -61), -3, 1) };
    expect((await head.call(api.weather.enter, { body: withId })).body).toMatchObject({ created: 1 });
    expect((await head.call(api.weather.enter, { body: withId })).body).toMatchObject({ unchanged: 1 });
    const mismatch = await head.call(api.weather.enter, { body: { ...withId, minTempC: -4 } });
    expect(mismatch.status).toBe(409);
    expect(mismatch.error.code).toBe("IDEMPOTENCY_MISMATCH");
    // A head writes for the regions above their station, not for a neighbour's district.
    expect((await head.call(api.weather.enter, { body: { ...body, regionId: nangang } })).status).toBe(403);
    // …nor for the whole city, whose reading would stand for other heads' stations.
    expect((await head.call(api.weather.enter, { body: { ...body, regionId: city } })).status).toBe(403);
    expect((await operator.call(api.weather.enter, { body })).status).toBe(403);
    expect((await supervisor.call(api.weather.enter, { body: { ...body, regionId: nangang } })).status).toBe(200);
    const bad = await head.call(api.weather.enter, { body: { ...body, windForce: 30 } });
    expect(bad.status).toBe(400);
    expect(bad.error.issues?.[0]?.path).toBe("body.windForce");
    const list = await head.call(api.weather.readings, { query: { stationId: demo.dl.id, from: date, to: date } });
    expect(list.body.items).toEqual([expect.objectContaining({ regionId: daoli, date, minTempC: -9 })]);
  });

  it("CSV upload: a bad row names row and column and nothing is written; a good file is written whole", async () => {
    const header = [
      "区域(region)",
      "日期(date)",
      "最低气温(min_temp_c)",
      "风力(wind_force)",
      "feels_like_c",
      "official_signal",
    ];
    const d = (n: number) => addDays(today, -50 + n);
    const rows = [
      ["哈尔滨市/道里区", d(0), "-4", "3", "", ""],
      ["道里区", d(1), "abc", "3", "", ""],
      ["哈尔滨市/道里区", d(2), "-12", "6", "-20", "橙色"],
      ["不存在区", d(3), "-1", "2", "", ""],
      ["道里区", "0000-01-01", "-1", "2", "", ""],
    ];
    const before = { readings: await rowCount(srv, "weatherReadings"), events: await rowCount(srv, "events") };
    const refused = await head.call(api.weather.upload, {
      body: { format: "csv", content: b64(csv([header, ...rows])) },
    });
    expect(refused.status).toBe(400);
    expect(refused.error.code).toBe("IMPORT_INVALID");
    expect(refused.error.message).toMatch(/^row 3, min_temp_c:/);
    expect(refused.error.issues?.map((i) => i.path)).toEqual(["rows.3.min_temp_c", "rows.5.region", "rows.6.date"]);
    expect(await rowCount(srv, "weatherReadings")).toBe(before.readings);
    expect(await rowCount(srv, "events")).toBe(before.events);
    // A district outside the head's scope is refused by row too.
    const outside = await head.call(api.weather.upload, {
      body: { format: "csv", content: b64(csv([header, ["南岗区", d(0), "-1", "2", "", ""]])) },
    });
    expect(outside.error.issues).toEqual([{ path: "rows.2.region", message: "outside your scope" }]);
    const good = rows.filter((_, i) => i === 0 || i === 2);
    const ok = await head.call(api.weather.upload, { body: { format: "csv", content: b64(csv([header, ...good])) } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ rows: 2, created: 2 });
    expect(ok.body.items[1]).toMatchObject({ source: "upload", feelsLikeC: -20, officialSignal: "orange" });
    const same = await head.call(api.weather.upload, { body: { format: "csv", content: b64(csv([header, ...good])) } });
    expect(same.body).toMatchObject({ created: 0, unchanged: 2 });
  });

  it("partner push: 401 without a key, 403 with a wrong one, written with the partner's key", async () => {
    const anon = new TestClient(srv.url);
    const body = { readings: [{ regionId: daoli, ...night(addDays(today, -45), -6, 4) }] };
    const none = await anon.call(api.weather.push, { body });
    expect(none.status).toBe(401);
    expect(none.error.code).toBe("UNAUTHENTICATED");
    const wrong = await anon.raw(api.weather.push, { body, headers: { "x-api-key": "not-a-key" } });
    expect(wrong.status).toBe(403);
    // The key is checked before the fields: a bad body with no key is still 401.
    expect((await anon.raw(api.weather.push, { body: { readings: "x" } })).status).toBe(401);
    const ok = await anon.raw(api.weather.push, { body, headers: { "x-api-key": DEMO_PARTNER_KEY } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ created: 1, items: [{ source: "partner", regionName: "道里区" }] });
    const inBody = await anon.call(api.weather.push, { body: { ...body, api_key: DEMO_PARTNER_KEY } });
    expect(inBody.body).toMatchObject({ unchanged: 1 });
    const badField = await anon.call(api.weather.push, {
      body: { api_key: DEMO_PARTNER_KEY, readings: [{ regionId: randomUUID(), ...night(today, 1, 1) }] },
    });
    expect(badField.status).toBe(400);
    expect(badField.error.issues?.[0]?.path).toBe("body.readings.0.regionId");
  });

  /** Three nights ending on the proposal's night: minimum temperatures, tonight's wind and extras. */
  const table: [string, [number, number, number], number, Partial<WeatherNight>, AlertLevel | null, string][] = [
    ["a 24 h fall of 17 °C to −5 °C in force 7 is red", [12, 12, -5], 7, {}, "red", "cold_wave"],
    ["a 24 h fall of 13 °C to −2 °C in force 6 is orange", [11, 11, -2], 6, {}, "orange", "cold_wave"],
    ["a 24 h fall of 11 °C to 3 °C in force 6 is yellow", [14, 14, 3], 6, {}, "yellow", "cold_wave"],
    ["a 48 h fall of 9 °C to −4 °C in force 5 is blue by the wave", [5, 0, -4], 5, {}, "blue", "cold_wave"],
    ["a steady −25 °C night in force 5 is red by feels-like alone", [-25, -25, -25], 5, {}, "red", "feels_like"],
    ["a steady −10 °C calm night feels like −10 °C: blue", [-10, -10, -10], 0, {}, "blue", "feels_like"],
    [
      "a mild night with an orange signal issued",
      [3, 3, 2],
      2,
      { officialSignal: "orange" },
      "orange",
      "official_signal",
    ],
    ["a mild steady night raises nothing", [3, 3, 2], 2, {}, null, ""],
  ];

  it("proposes a level per station from its district's nights, with every reason (table of readings)", async () => {
    for (const [i, [what, temps, wind, extra, level, rule]] of table.entries()) {
      const last = addDays(today, -30 + i * 3);
      const nights = temps.map((t, k) =>
        night(addDays(last, k - 2), t, k === 2 ? wind : 2, k === 2 ? extra : {}),
      ) as WeatherNight[];
      for (const n of nights)
        expect((await admin.call(api.weather.enter, { body: { regionId: daoli, ...n } })).status).toBe(200);
      const p = await head.call(api.weather.proposal, { query: { stationId: demo.dl.id, date: last } });
      expect(p.status, what).toBe(200);
      expect(p.body.level, what).toBe(level);
      expect(p.body.reasons, what).toEqual(proposeColdLevel(nights[2]!, nights.slice(0, 2), DEFAULT_COLD_RULE).reasons);
      if (level) expect(p.body.reasons[0], what).toMatchObject({ rule, level });
      expect(p.body).toMatchObject({
        regionId: daoli,
        regionName: "道里区",
        rule: { regionId: city, isDefault: true },
      });
      expect(p.body.earlier.map((e) => e.date)).toEqual([nights[0]!.date, nights[1]!.date]);
    }
  });

  it("confirming tonight's proposal sets the level, re-triages an open case and is announced live", async () => {
    const rec = new EventRecorder(srv.url, operator.cookie);
    await rec.ready();
    const caseId = await openCase(srv, demo.dl.id, 45.77, 126.62, { urgency: "low", flags: [] });
    const ngCase = await openCase(srv, demo.ng.id, 45.75, 126.64, { urgency: "low", flags: [] });
    for (const [k, t, w] of [
      [-2, 12, 2],
      [-1, 12, 2],
      [0, -6, 7],
    ] as const)
      await head.call(api.weather.enter, { body: { regionId: daoli, ...night(addDays(today, k), t, w) } });
    await waitFor(() => rec.ofType("weather.proposed").some((e) => e.payload.stationId === demo.dl.id));
    const proposed = rec
      .ofType("weather.proposed")
      .filter((e) => e.payload.stationId === demo.dl.id)
      .at(-1)!;
    expect(proposed.payload).toMatchObject({ date: today, level: "red" });
    // The district's reading proposes nothing for the neighbour's station.
    expect(rec.ofType("weather.proposed").some((e) => e.payload.stationId === demo.ng.id)).toBe(false);

    const p = (await head.call(api.weather.proposal, { query: { stationId: demo.dl.id } })).body;
    expect(p).toMatchObject({
      id: proposed.payload.id,
      date: today,
      level: "red",
      currentLevel: "yellow",
      confirmed: null,
    });
    expect(p.cadence).toEqual({ keyPointHours: 2, recheckHours: 2, shelterHours: "all_day" });
    expect((await operator.call(api.weather.confirm, { params: { id: p.id! } })).status).toBe(403);
    const c = await head.call(api.weather.confirm, { params: { id: p.id! } });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body).toMatchObject({
      currentLevel: "red",
      confirmed: { id: p.id, level: "red", previousLevel: "yellow" },
    });
    await waitFor(
      () => rec.ofType("weather.confirmed").length === 1 && rec.ofType("campaign.alert_changed").length === 1,
    );
    expect(rec.ofType("weather.confirmed")[0]!.payload).toMatchObject({ proposalId: p.id, level: "red", date: today });
    expect(rec.ofType("campaign.alert_changed")[0]!.payload).toMatchObject({
      stationId: demo.dl.id,
      level: "red",
      cadence: { keyPointHours: 2, shelterHours: "all_day" },
    });
    // The open case of the station re-triaged under red, as a manual change does; the other station's not.
    await waitFor(() => rec.ofType("case.updated").some((e) => e.payload.case.id === caseId));
    const got = await operator.call(api.cases.get, { params: { id: caseId } });
    expect(got.body.urgency).not.toBe("low");
    expect(rec.ofType("case.updated").some((e) => e.payload.case.id === ngCase)).toBe(false);
    // Key-point cadence follows the level in force.
    const due = await operator.call(api.campaigns.dueNow, { query: { stationId: demo.dl.id } });
    expect(due.body.stations).toEqual([{ stationId: demo.dl.id, level: "red" }]);
    // A repeat changes nothing; the history holds one change.
    const alerts = await rowCount(srv, "campaignAlerts");
    expect((await head.call(api.weather.confirm, { params: { id: p.id! } })).status).toBe(200);
    expect(await rowCount(srv, "campaignAlerts")).toBe(alerts);
    // A revised forecast replaces the proposal: the old one can no longer be confirmed.
    await head.call(api.weather.enter, { body: { regionId: daoli, ...night(today, -6, 5) } });
    const next = (await head.call(api.weather.proposal, { query: { stationId: demo.dl.id } })).body;
    expect(next.id).not.toBe(p.id);
    const stale = await head.call(api.weather.confirm, { params: { id: p.id! } });
    expect(stale.status).toBe(409);
    expect((await head.call(api.weather.confirm, { params: { id: randomUUID() } })).status).toBe(404);
    rec.close();
  });

  it("backtest over a generated winter: the nights left under-levelled, stored or uploaded", async () => {
    const { nights, waves } = winter(addDays(today, -1));
    const content = b64(
      csv([
        ["region", "date", "min_temp_c", "wind_force"],
        ...nights.map((n) => ["哈尔滨市/南岗区", n.date, n.minTempC, n.windForce]),
      ]),
    );
    const up = await supervisor.call(api.weather.upload, { body: { format: "csv", content } });
    expect(up.status, JSON.stringify(up.body).slice(0, 300)).toBe(200);
    expect(up.body.created).toBe(90);
    // Nobody changed 南岗's level: yellow (the campaign's start) every night.
    const set = Object.fromEntries(nights.map((n) => [n.date, "yellow" as const]));
    const expected = backtestColdRule(nights, set, DEFAULT_COLD_RULE);
    const stored = await supervisor.call(api.weather.backtest, {
      body: { stationId: demo.ng.id, from: nights[0]!.date },
    });
    expect(stored.status, JSON.stringify(stored.body).slice(0, 300)).toBe(200);
    expect(stored.body).toMatchObject({ nights: 90, from: nights[0]!.date, to: nights.at(-1)!.date });
    expect(stored.body.items).toEqual(expected);
    const found = Object.fromEntries(stored.body.items.map((u) => [u.date, u.proposed]));
    for (const [date, level] of Object.entries(waves)) if (level !== "yellow") expect(found[date], date).toBe(level);
    expect(stored.body.items.every((u) => u.set === "yellow")).toBe(true);
    const uploaded = await supervisor.call(api.weather.backtest, {
      body: {
        stationId: demo.ng.id,
        file: {
          format: "csv",
          content: b64(
            csv([["date", "min_temp_c", "wind_force"], ...nights.map((n) => [n.date, n.minTempC, n.windForce])]),
          ),
        },
      },
    });
    expect(uploaded.body.items).toEqual(expected);
    const byLevel = expected.reduce<Record<string, number>>(
      (m, u) => ({ ...m, [u.proposed]: (m[u.proposed] ?? 0) + 1 }),
      {},
    );
    console.log(
      `backtest [${ENGINE}]: ${nights.length} nights, ${expected.length} under-levelled against yellow`,
      byLevel,
    );
    // A head may not backtest another station.
    expect((await head.call(api.weather.backtest, { body: { stationId: demo.ng.id } })).status).toBe(403);
  });

  it("a supervisor confirms the proposal of a station they pick; a head may not confirm another station's", async () => {
    for (const [k, t, w] of [
      [-2, 3, 2],
      [-1, 3, 2],
      [0, -10, 6],
    ] as const)
      await supervisor.call(api.weather.enter, { body: { regionId: nangang, ...night(addDays(today, k), t, w) } });
    const p = (await supervisor.call(api.weather.proposal, { query: { stationId: demo.ng.id } })).body;
    expect(p).toMatchObject({ level: "orange", regionName: "南岗区", currentLevel: "yellow" });
    expect(p.reasons[0]).toMatchObject({ rule: "cold_wave", level: "orange", hours: 24, fallC: 13 });
    expect((await head.call(api.weather.proposal, { query: { stationId: demo.ng.id } })).status).toBe(403);
    expect((await head.call(api.weather.confirm, { params: { id: p.id! } })).status).toBe(403);
    const c = await supervisor.call(api.weather.confirm, { params: { id: p.id! } });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect(c.body).toMatchObject({ currentLevel: "orange", confirmed: { stationId: demo.ng.id, level: "orange" } });
    const history = await supervisor.call(api.campaigns.alerts, {
      params: { id: demo.campaign.id },
      query: { stationId: demo.ng.id },
    });
    expect(history.body.items[0]).toMatchObject({ id: p.id, level: "orange", previousLevel: "yellow" });
    expect(history.body.items[0]!.reason).toContain("cold_wave orange");
  });

  it("a city's thresholds are admin-editable and change the proposal", async () => {
    const r = await head.call(api.weather.rule, { params: { id: daoli } });
    expect(r.body).toMatchObject({ regionId: city, isDefault: true, version: 0 });
    const rule = { ...DEFAULT_COLD_RULE, feelsLike: { blue: -15, yellow: -25, orange: -32, red: -40 } };
    expect((await head.call(api.weather.setRule, { params: { id: city }, body: { rule, version: 0 } })).status).toBe(
      403,
    );
    expect((await admin.call(api.weather.setRule, { params: { id: daoli }, body: { rule, version: 0 } })).status).toBe(
      400,
    );
    const saved = await admin.call(api.weather.setRule, { params: { id: city }, body: { rule, version: 0 } });
    expect(saved.body).toMatchObject({ isDefault: false, version: 1, rule: { feelsLike: { blue: -15 } } });
    expect((await admin.call(api.weather.setRule, { params: { id: city }, body: { rule, version: 0 } })).status).toBe(
      409,
    );
    // The steady −10 °C calm night (row 6 of the table) no longer raises blue.
    const last = addDays(today, -30 + 5 * 3);
    const p = await head.call(api.weather.proposal, { query: { stationId: demo.dl.id, date: last } });
    expect(p.body).toMatchObject({ level: null, reasons: [], rule: { version: 1, isDefault: false } });
  });

  it("the scheduled job records tonight's proposal when a reading reached tonight without one", async () => {
    // A reading written without the service (as a forecast stored before its night came within reach).
    await srv.database.db.insert(weatherReadings).values({
      id: randomUUID(),
      regionId: daoli,
      night: today,
      source: "upload",
      sourceKey: "upload",
      minTempC: -41,
      windForce: 2,
      recordedAt: new Date(Date.now() + 60_000),
    });
    const before = (await head.call(api.weather.proposal, { query: { stationId: demo.dl.id } })).body;
    expect(before).toMatchObject({ id: null, level: "red" });
    expect(await srv.services.weather.refreshTonight()).toBe(1);
    const after = (await head.call(api.weather.proposal, { query: { stationId: demo.dl.id } })).body;
    expect(after.id).not.toBeNull();
    expect(after.reasons[0]).toMatchObject({ rule: "feels_like", level: "red" });
    expect(await srv.services.weather.refreshTonight()).toBe(0);
  });
});

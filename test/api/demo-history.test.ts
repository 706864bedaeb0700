import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { signInAll } from "../helpers/fixtures.js";
import { ADDITIVE_FIGURES, addDays } from "../../shared/counting.js";
import { api } from "../../shared/api/index.js";
import type { Figures } from "../../shared/api/totals.js";
import { HISTORY_DAYS, MISSING_DAY_BACK, ZERO_DAY_BACK } from "../../server/db/demo-history-plan.js";

/**
 * SEED=demo-history (the default of `npm start`): the demo city opens on a campaign two weeks in,
 * and every figure of it is counted by the same rules as live data: totals are non-zero, the
 * daily series and the stations each add up to the whole, every submitted report froze the figures
 * the totals give for its day, the second station has one zero report and one missing day, and a
 * restart on the same data writes nothing more.
 */
describe(`demo history seed [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let supervisor: TestClient, operator: TestClient;
  let campaignId: string;
  let stations: { id: string; code: string }[];
  const ENV = { SEED: "demo-history", REPORT_DAY_START: "08:00", SEED_STOCK: "0" };

  const totals = async (q: { stationId?: string; from?: string; to?: string } = {}) => {
    const r = await supervisor.call(api.totals.get, { params: { id: campaignId }, query: q });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  beforeAll(async () => {
    // Another seed than the template's: an untouched database.
    tdb = await createTestDatabase({ empty: true });
    const t0 = performance.now();
    srv = await tdb.start(ENV);
    console.log(`[${ENGINE}] start with SEED=demo-history: ${Math.round(performance.now() - t0)} ms`);
    [supervisor, operator] = await signInAll(srv.url, ["supervisor", "operator"] as const);
    campaignId = (await supervisor.call(api.campaigns.list, {})).body.items[0]!.id;
    stations = (await supervisor.call(api.stations.list, {})).body.items.sort((a, b) => a.code.localeCompare(b.code));
  }, 180_000);
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("the campaign has two weeks of non-zero figures that add up by day and by station", async () => {
    const t = await totals();
    const today = srv.services.totals.today();
    expect(t.from).toBe(addDays(today, -HISTORY_DAYS));
    expect(t.to).toBe(today);
    const f = t.figures;
    for (const k of [
      "patrols",
      "sorties",
      "staffPersonTimes",
      "keyPointVisits",
      "keyPointsCovered",
      "foundPersonTimes",
      "foundPersons",
      "aidedInStation",
      "aidedOnStreet",
      "escorts",
      "suppliesQuantity",
      "suppliesValueFen",
      "distributionRecipients",
      "sheltersInService",
      "responseCount",
    ] as const)
      expect(f[k], k).toBeGreaterThan(0);
    // Regulars are met again and again: fewer people than person-times.
    expect(f.foundPersons).toBeLessThan(f.foundPersonTimes);
    expect(f.sorties).toBeGreaterThanOrEqual(f.patrols);
    expect(f.aidedTotal).toBe(f.aidedInStation + f.aidedOnStreet);
    expect(f.responseP50Sec).not.toBeNull();
    expect(f.responseP90Sec!).toBeGreaterThanOrEqual(f.responseP50Sec!);
    expect(f.suppliesQuantity).toBe(f.supplies.reduce((n, s) => n + s.quantity, 0));
    expect(t.daily).toHaveLength(HISTORY_DAYS + 1);
    for (const k of ADDITIVE_FIGURES) {
      expect(
        t.daily.reduce((n, d) => n + d.figures[k], 0),
        `${k} by day`,
      ).toBe(f[k]);
      expect(
        t.byStation.reduce((n, s) => n + s.figures[k], 0),
        `${k} by station`,
      ).toBe(f[k]);
    }
    // Both stations worked, and most days saw someone found.
    for (const s of t.byStation) expect(s.figures.foundPersonTimes, s.stationId).toBeGreaterThan(0);
    expect(t.daily.filter((d) => d.figures.foundPersonTimes > 0).length).toBeGreaterThan(HISTORY_DAYS / 2);
  });

  it("every past day is reported but one; one zero report; frozen figures agree with the totals", async () => {
    const today = srv.services.totals.today();
    const ng = stations.find((s) => s.code === "NG")!;
    const dl = stations.find((s) => s.code === "DL")!;
    const reports = (await supervisor.call(api.reports.list, { params: { id: campaignId }, query: { limit: 500 } }))
      .body.items;
    expect(reports).toHaveLength(2 * HISTORY_DAYS - 1);
    const zero = reports.filter((r) => r.isZero);
    expect(zero.map((r) => [r.stationId, r.day])).toEqual([[ng.id, addDays(today, -ZERO_DAY_BACK)]]);
    expect(reports.some((r) => r.stationId === ng.id && r.day === addDays(today, -MISSING_DAY_BACK))).toBe(false);
    for (const r of reports) {
      const live = (await totals({ stationId: r.stationId, from: r.day, to: r.day })).figures;
      for (const k of ADDITIVE_FIGURES) expect(r.figures[k], `${r.day} ${k}`).toBe(live[k]);
    }
    const quiet = (await totals({ stationId: ng.id, from: zero[0]!.day, to: zero[0]!.day })).figures;
    for (const k of ADDITIVE_FIGURES) expect(quiet[k], k).toBe(0);

    const missing = (await supervisor.call(api.reports.missing, { params: { id: campaignId } })).body.items;
    const ngMissing = missing.find((m) => m.stationId === ng.id)!;
    expect(ngMissing.missingCount).toBe(1);
    expect(ngMissing.missingDays).toEqual([addDays(today, -MISSING_DAY_BACK)]);
    expect(missing.find((m) => m.stationId === dl.id)?.missingCount ?? 0).toBe(0);
  });

  it("tonight the vehicles are out with crews, and nothing from the past waits in the queue", async () => {
    const vehicles = (await operator.call(api.vehicles.list, { query: {} })).body.items.filter(
      (v) => v.lastLat !== null,
    );
    expect(vehicles.length).toBeGreaterThan(0);
    for (const v of vehicles) expect(v.status, v.callSign).toBe("available");
    const queue = (await operator.call(api.cases.list, { query: {} })).body.items;
    expect(queue.filter((c) => c.status !== "closed")).toEqual([]);
  });

  it("a restart on the same data writes nothing more", async () => {
    const before: Figures = (await totals()).figures;
    await srv.close();
    srv = await tdb.start(ENV);
    expect(srv.seeded).toBe(false);
    [supervisor, operator] = await signInAll(srv.url, ["supervisor", "operator"] as const);
    expect((await totals()).figures).toEqual(before);
  });
});

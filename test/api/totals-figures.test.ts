import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import * as t from "../../server/db/schema/index.js";
import {
  addDays,
  computeFigures,
  dayRange,
  dayStart,
  daysBetween,
  localDay,
  sumAdditive,
} from "../../shared/counting.js";
import { computeFigureSet } from "../../server/totals/totals.repo.js";
import { api } from "../../shared/api/index.js";

/**
 * The one-pass totals (server/totals/totals.repo.ts computeFigureSet: additive cells folded in JS,
 * grouping sets for persons, families and percentiles) against the pure rules of shared/counting.ts
 * over generated records, and the totals cache: a write a reader saw is in the reader's next read.
 */
const OUTCOMES = [
  "brought_in",
  "street_aid",
  "hospital",
  "escorted_home",
  "family_pickup",
  "referred_police",
  "referred_minors",
  "referred_mental_health",
  "refused",
  "not_found",
] as const;
const END_REASONS = ["left", "escorted_home", "family_pickup", "hospital", "care_institution", "settled"] as const;
const H = 3600_000;

/** A time inside or around a 3-day window: anywhere, or exactly at / 1 ms around a local midnight. */
const when = fc.oneof(
  fc.integer({ min: -2 * H, max: 74 * H }).map((ms) => ({ ms })),
  fc.record({ day: fc.integer({ min: 0, max: 3 }), delta: fc.constantFrom(-1, 0, 1) }),
);
type When = { ms: number } | { day: number; delta: number };
const station = fc.integer({ min: 0, max: 1 });
const person = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });

const recordSet = fc.record({
  patrols: fc.array(
    fc.record({ s: station, at: when, foot: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }) }),
    { maxLength: 3 },
  ),
  sorties: fc.array(fc.record({ s: station, at: when, crew: fc.integer({ min: 1, max: 4 }) }), { maxLength: 4 }),
  visits: fc.array(fc.record({ s: station, at: when, kp: fc.integer({ min: 0, max: 1 }) }), { maxLength: 4 }),
  shelters: fc.array(fc.record({ s: station, opened: when, closed: fc.option(when, { nil: null }) }), { maxLength: 3 }),
  // mergedInto[i]: person i merged into person j (ignored when j is itself merged or j = i).
  mergedInto: fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), { minLength: 4, maxLength: 4 }),
  encounters: fc.array(
    fc.record({
      s: station,
      at: when,
      outcome: fc.constantFrom(...OUTCOMES),
      found: fc.constantFrom(true, true, false),
      person,
    }),
    { maxLength: 12 },
  ),
  ledger: fc.array(
    fc.record({
      s: station,
      at: when,
      item: fc.integer({ min: 0, max: 2 }),
      qty: fc.integer({ min: 1, max: 3 }),
      fen: fc.constantFrom(100, 1500, 12000),
      kind: fc.constantFrom("handed_out", "handed_out", "received"),
      enc: fc.option(fc.nat(), { nil: null }),
    }),
    { maxLength: 8 },
  ),
  stays: fc.array(
    fc.record({
      s: station,
      arrived: when,
      ended: fc.option(fc.record({ at: when, reason: fc.constantFrom(...END_REASONS) }), { nil: null }),
      enc: fc.option(fc.nat(), { nil: null }),
    }),
    { maxLength: 4 },
  ),
  cases: fc.array(
    fc.record({
      s: station,
      at: when,
      onScene: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
      status: fc.constantFrom("closed", "closed", "merged", "cancelled", "open"),
    }),
    { maxLength: 5 },
  ),
  families: fc.array(fc.record({ s: station, p: fc.integer({ min: 0, max: 3 }), at: when, found: fc.boolean() }), {
    maxLength: 3,
  }),
});

type RecordSet = typeof recordSet extends fc.Arbitrary<infer T> ? T : never;

describe(`totals in one pass, and the totals cache [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  const today = localDay(new Date(), "Asia/Shanghai");

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, supervisor] = await signInAll(srv.url, ["head", "supervisor"] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "缓存测试",
        regionId: city.id,
        startsOn: addDays(today, -2),
        endsOn: addDays(today, 30),
        alertLevel: "yellow",
      },
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  /** Inserts one generated record set in the 3-day window starting `first` (local days of `tz`). */
  async function insert(rs: RecordSet, first: string, tz: string, cut = "00:00"): Promise<void> {
    const db = srv.database.db;
    const days = daysBetween(first, addDays(first, 3)).map((d) => dayStart(d, tz, cut).getTime());
    const at = (w: When) => new Date("ms" in w ? days[0]! + w.ms : days[w.day]! + w.delta);
    const sid = (i: number) => (i ? demo.ng.id : demo.dl.id);
    const people = [0, 1, 2, 3].map(() => randomUUID());
    await db.insert(t.people).values(people.map((id, i) => ({ id, stationId: sid(i % 2) })));
    for (const [i, j] of rs.mergedInto.entries()) {
      if (j === null || j === i || rs.mergedInto[j] !== null) continue; // one level, as the merge service keeps it
      await db.update(t.people).set({ mergedIntoId: people[j]! }).where(eq(t.people.id, people[i]!));
    }
    const patrolOf = [randomUUID(), randomUUID()];
    await db.insert(t.patrols).values([
      ...patrolOf.map((id, s) => ({ id, stationId: sid(s), kind: "planned", startedAt: new Date(days[0]! - 5 * H) })),
      ...rs.patrols.map((p) => ({
        id: randomUUID(),
        stationId: sid(p.s),
        kind: "planned",
        startedAt: at(p.at),
        footStaff: p.foot.map((count) => ({ agency: "police", count })),
      })),
    ]);
    if (rs.sorties.length)
      await db.insert(t.sorties).values(
        rs.sorties.map((x) => ({
          id: randomUUID(),
          patrolId: patrolOf[x.s]!,
          stationId: sid(x.s),
          vehicleId: demo.vehicles(sid(x.s))[0]!.id,
          crewCount: x.crew,
          startedAt: at(x.at),
        })),
      );
    if (rs.visits.length)
      await db.insert(t.keyPointVisits).values(
        rs.visits.map((v) => ({
          id: randomUUID(),
          stationId: sid(v.s),
          keyPointId: demo.keyPoints(sid(v.s))[v.kp]!.id,
          visitedAt: at(v.at),
        })),
      );
    if (rs.shelters.length)
      await db.insert(t.shelters).values(
        rs.shelters.map((x, i) => ({
          stationId: sid(x.s),
          name: `临时避寒点${i}`,
          kind: "warming_shelter",
          lat: 45.76,
          lng: 126.61,
          capacity: 10,
          openedAt: at(x.opened),
          closedAt: x.closed === null ? null : new Date(Math.max(at(x.opened).getTime(), at(x.closed).getTime())),
        })),
      );
    const encIds = rs.encounters.map(() => randomUUID());
    if (encIds.length)
      await db.insert(t.encounters).values(
        rs.encounters.map((e, i) => ({
          id: encIds[i]!,
          stationId: sid(e.s),
          outcome: e.outcome,
          found: e.found,
          occurredAt: at(e.at),
          personId: e.person === null ? null : people[e.person]!,
        })),
      );
    const enc = (i: number | null) => (i === null || !encIds.length ? null : encIds[i % encIds.length]!);
    const items = ["coat", "quilt", "food"].map((c) => demo.item(c).id);
    // A line naming an encounter is the crew's hand-out at that encounter: same station (the app records it so).
    const encStation = (i: number | null, s: number) => (enc(i) ? sid(rs.encounters[i! % encIds.length]!.s) : sid(s));
    if (rs.ledger.length)
      await db.insert(t.supplyLedger).values(
        rs.ledger.map((l) => ({
          id: randomUUID(),
          stationId: encStation(l.enc, l.s),
          itemId: items[l.item]!,
          kind: l.kind,
          quantity: l.qty,
          unitValueFen: l.fen,
          at: at(l.at),
          encounterId: enc(l.enc),
        })),
      );
    if (rs.stays.length)
      await db.insert(t.stays).values(
        rs.stays.map((x) => ({
          id: randomUUID(),
          stationId: sid(x.s),
          arrivedAt: at(x.arrived),
          endedAt: x.ended ? at(x.ended.at) : null,
          endReason: x.ended?.reason ?? null,
          encounterId: enc(x.enc),
        })),
      );
    if (rs.cases.length)
      await db.insert(t.cases).values(
        rs.cases.map((c) => ({
          id: randomUUID(),
          stationId: sid(c.s),
          status: c.status,
          urgency: "high",
          lat: 45.76,
          lng: 126.61,
          source: "public_hotline",
          receivedAt: at(c.at),
          onSceneAt: c.onScene === null ? null : new Date(at(c.at).getTime() + c.onScene * 1000),
        })),
      );
    if (rs.families.length)
      await db.insert(t.familySearchLog).values(
        rs.families.map((f) => ({
          id: randomUUID(),
          stationId: sid(f.s),
          personId: people[f.p]!,
          status: f.found ? "family_found" : "notice_published",
          at: at(f.at),
        })),
      );
  }

  // First, while the HTTP clients' keep-alive connections are fresh.
  it("a write the reader saw is in the very next read: 0 → 1 → 3 人次, 0 → 1 → 2 人, cached reads in between", async () => {
    const read = () => head.call(api.totals.get, { params: { id: campaignId }, query: { stationId: demo.dl.id } });
    const cache = srv.services.totals.cache;
    const r0 = await read();
    expect(r0.status).toBe(200);
    expect([r0.body.figures.foundPersonTimes, r0.body.figures.foundPersons]).toEqual([0, 0]);
    const misses = cache.misses;
    // Nothing written: five concurrent readers are all served the same answer without computing it again.
    const same = await Promise.all([1, 2, 3, 4, 5].map(() => read()));
    for (const r of same) expect(r.body).toEqual(r0.body);
    expect(cache.misses).toBe(misses);

    const e1 = await head.call(api.encounters.create, {
      body: { id: randomUUID(), found: true, outcome: "street_aid", lat: 45.76, lng: 126.61 },
    });
    expect(e1.status).toBe(201);
    const r1 = await read();
    expect([r1.body.figures.foundPersonTimes, r1.body.figures.foundPersons, r1.body.figures.aidedOnStreet]).toEqual([
      1, 1, 1,
    ]);
    expect(r1.body.daily.find((d: { day: string }) => d.day === today)!.figures.foundPersonTimes).toBe(1);
    expect(cache.misses).toBe(misses + 1);

    const p = await head.call(api.people.create, {
      body: { id: randomUUID(), stationId: demo.dl.id, gender: "female", approxAge: 70 },
    });
    expect(p.status).toBe(201);
    for (const outcome of ["refused", "brought_in"] as const) {
      const e = await head.call(api.encounters.create, {
        body: { id: randomUUID(), personId: p.body.id, found: true, outcome, lat: 45.76, lng: 126.61 },
      });
      expect(e.status).toBe(201);
    }
    const r2 = await read();
    expect([r2.body.figures.foundPersonTimes, r2.body.figures.foundPersons, r2.body.figures.aidedInStation]).toEqual([
      3, 2, 1,
    ]);
    // The supervisor's city-wide answer is another key, computed after the writes.
    const city = await supervisor.call(api.totals.get, { params: { id: campaignId } });
    expect(city.body.figures.foundPersonTimes).toBe(3);
  });

  it("a write at another station leaves a station's cached answer (no new computation), while the city-wide answer counts it at once", async () => {
    const [patrol2] = await signInAll(srv.url, ["patrol2"] as const);
    const read = () => head.call(api.totals.get, { params: { id: campaignId }, query: { stationId: demo.dl.id } });
    const cityRead = () => supervisor.call(api.totals.get, { params: { id: campaignId } });
    const cache = srv.services.totals.cache;
    const r0 = await read();
    const c0 = await cityRead();
    const misses = cache.misses;
    const e = await patrol2.call(api.encounters.create, {
      body: { id: randomUUID(), found: true, outcome: "street_aid", lat: 45.7, lng: 126.6 },
    });
    expect(e.status).toBe(201);
    expect(e.body.stationId).not.toBe(demo.dl.id);
    const r1 = await read();
    expect(r1.body).toEqual(r0.body);
    expect(cache.misses).toBe(misses);
    const c1 = await cityRead();
    expect(c1.body.figures.foundPersonTimes).toBe(c0.body.figures.foundPersonTimes + 1);
    expect(cache.misses).toBe(misses + 1);
  });

  it("gives the pure counting rules' figures for the whole range, each station and each report day over generated records (merges, unidentified people, distinct key points, settled, shelters in service, day-start edges at 00:00/08:00/02:30, DST)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(recordSet, async (rs) => {
        // A fresh window per run, alternating a zone without DST and one across a DST change, and
        // report days cut at midnight, at 08:00 (civil-affairs daily reports) and at 02:30 (inside a DST jump).
        const tz = run % 2 ? "America/New_York" : "Asia/Shanghai";
        const cut = ["00:00", "08:00", "02:30"][run % 3]!;
        const first = addDays(run % 2 ? "2001-03-31" : "2001-01-01", 40 * run);
        run++;
        await insert(rs, first, tz, cut);
        const days = daysBetween(first, addDays(first, 2));
        const stationIds = [demo.dl.id, demo.ng.id];
        const set = await computeFigureSet(srv.database.db, { stationIds, days, timeZone: tz, dayStart: cut });
        const all = await fx.countingInput(stationIds);
        expect(set.whole).toEqual(computeFigures(all, dayRange(days[0]!, days[2]!, tz, cut)));
        for (const s of stationIds) {
          expect(set.byStation.get(s)).toEqual(
            computeFigures(await fx.countingInput([s]), dayRange(days[0]!, days[2]!, tz, cut)),
          );
        }
        for (const d of days) expect(set.byDay.get(d)).toEqual(computeFigures(all, dayRange(d, d, tz, cut)));
        expect(sumAdditive([...set.byDay.values()])).toEqual(sumAdditive([set.whole]));
        expect(sumAdditive([...set.byStation.values()])).toEqual(sumAdditive([set.whole]));
      }),
      { numRuns: 12 },
    );
  });

  it("counts unidentified people once per encounter and identified people once through merges: 6 人次, 4 人 over two days, 3 人 on the first", async () => {
    const first = "2002-06-01";
    const tz = "Asia/Shanghai";
    const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
    const a = await fx.person(demo.dl.id),
      b = await fx.person(demo.dl.id);
    const aDup = await fx.person(demo.ng.id, { mergedIntoId: a });
    await fx.encounter(demo.dl.id, "street_aid", at(first, "20:00"), { personId: a });
    await fx.encounter(demo.ng.id, "refused", at(first, "21:00"), { personId: aDup }); // the same person as a
    await fx.encounter(demo.dl.id, "street_aid", at(first, "22:00")); // unidentified
    await fx.encounter(demo.dl.id, "street_aid", at(addDays(first, 1), "00:00")); // unidentified, next day at midnight
    await fx.encounter(demo.dl.id, "hospital", at(addDays(first, 1), "01:00"), { personId: b });
    await fx.encounter(demo.dl.id, "brought_in", at(addDays(first, 1), "02:00"), { personId: a });
    await fx.encounter(demo.dl.id, "not_found", at(addDays(first, 1), "03:00"));
    const set = await computeFigureSet(srv.database.db, {
      stationIds: [demo.dl.id, demo.ng.id],
      days: [first, addDays(first, 1)],
      timeZone: tz,
    });
    const pick = (f: { foundPersonTimes: number; foundPersons: number }) => [f.foundPersonTimes, f.foundPersons];
    expect(pick(set.whole)).toEqual([6, 4]); // a (3 times, once as aDup), b, 2 unidentified
    expect(pick(set.byDay.get(first)!)).toEqual([3, 2]); // a twice (merged), one unidentified
    expect(pick(set.byDay.get(addDays(first, 1))!)).toEqual([3, 3]); // unidentified, b, a
    expect(pick(set.byStation.get(demo.dl.id)!)).toEqual([5, 4]);
    expect(pick(set.byStation.get(demo.ng.id)!)).toEqual([1, 1]);
    expect(set.whole.aidedOnStreet).toBe(3); // the refused one got nothing
  });
});

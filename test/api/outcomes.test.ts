import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import * as t from "../../server/db/schema/index.js";
import { addDays, dayStart, reportDayOf } from "../../shared/report-day.js";
import { computeOutcomes, type OutcomeEncounter, type OutcomeScope } from "../../shared/outcomes.js";
import { computeOutcomeSet } from "../../server/outcomes/outcomes.repo.js";
import { ENCOUNTER_OUTCOMES } from "../../shared/vocab.js";
import { api } from "../../shared/api/index.js";

/**
 * The outcome measures in SQL (server/outcomes/outcomes.repo.ts), through the API and directly,
 * against the pure rules of shared/outcomes.ts over generated encounters: nights back to 75 days
 * ago (so 30-night windows close and returners come back after 31+ nights), two stations, merges,
 * unlinked encounters, times exactly at the report-day start and 1 ms around it.
 */
const H = 3600_000;
const PEOPLE = 4;

/**
 * When, in nights back from today: anywhere back to 75 nights, or a few nights after the person's own
 * first-night anchor (0, 1, 2, 7, 8, 30, 31, 32 later), so returns on exactly night 1, 7 and 30 and just
 * after, open windows and 31-night gaps come up often.
 */
const when = fc.record({
  night: fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 75 }) },
    { weight: 3, arbitrary: fc.constantFrom(0, 1, 2, 7, 8, 30, 31, 32).map((later) => ({ later })) },
  ),
  // Anywhere in the night, or exactly at / 1 ms around its start.
  offset: fc.oneof(fc.integer({ min: 0, max: 24 * H - 1 }), fc.constantFrom(-1, 0, 1)),
});
const encounterSet = fc.record({
  // mergedInto[i]: person i merged into person j (ignored when j is itself merged or j = i).
  mergedInto: fc.array(fc.option(fc.integer({ min: 0, max: PEOPLE - 1 }), { nil: null }), {
    minLength: PEOPLE,
    maxLength: PEOPLE,
  }),
  // Each person's anchor night, back from today.
  anchors: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: PEOPLE, maxLength: PEOPLE }),
  encounters: fc.array(
    fc.record({
      s: fc.integer({ min: 0, max: 1 }),
      at: when,
      outcome: fc.constantFrom(...ENCOUNTER_OUTCOMES),
      found: fc.constantFrom(true, true, true, false),
      person: fc.option(fc.integer({ min: 0, max: PEOPLE - 1 }), { nil: null, freq: 4 }),
    }),
    { minLength: 2, maxLength: 20 },
  ),
  // The range asked for, in days back from today.
  fromBack: fc.integer({ min: 0, max: 40 }),
  toBack: fc.integer({ min: 0, max: 40 }),
});
type EncounterSet = typeof encounterSet extends fc.Arbitrary<infer T> ? T : never;

describe(`outcome measures [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient, patrol: TestClient, operator: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  let tz: string;
  let cut: string;
  const today = () => reportDayOf(new Date(), tz, cut);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ REPORT_DAY_START: "08:00" });
    [head, supervisor, patrol, operator] = await signInAll(srv.url, [
      "head",
      "supervisor",
      "patrol1",
      "operator",
    ] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    ({ timeZone: tz, dayStart: cut } = srv.services.totals);
    const city = demo.regions.find((r) => r.level === "city")!;
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "结果指标",
        regionId: city.id,
        startsOn: addDays(today(), -40),
        endsOn: addDays(today(), 30),
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

  /** Inserts one generated set: fresh people, encounters at nights back from today (never in the future). */
  async function insert(rs: EncounterSet): Promise<void> {
    const db = srv.database.db;
    const now = Date.now();
    const people = Array.from({ length: PEOPLE }, () => randomUUID());
    const sid = (i: number) => (i ? demo.ng.id : demo.dl.id);
    await db.insert(t.people).values(people.map((id, i) => ({ id, stationId: sid(i % 2) })));
    for (const [i, j] of rs.mergedInto.entries()) {
      if (j === null || j === i || rs.mergedInto[j] !== null) continue; // one level, as the merge service keeps it
      await db.update(t.people).set({ mergedIntoId: people[j]! }).where(eq(t.people.id, people[i]!));
    }
    if (!rs.encounters.length) return;
    const nightBack = (e: EncounterSet["encounters"][number]) =>
      typeof e.at.night === "number" ? e.at.night : Math.max(0, rs.anchors[e.person ?? 0]! - e.at.night.later);
    await db.insert(t.encounters).values(
      rs.encounters.map((e) => ({
        id: randomUUID(),
        stationId: sid(e.s),
        outcome: e.outcome,
        found: e.found,
        occurredAt: new Date(
          Math.min(now - 1000, dayStart(addDays(today(), -nightBack(e)), tz, cut).getTime() + e.at.offset),
        ),
        personId: e.person === null ? null : people[e.person]!,
      })),
    );
  }

  /** Every encounter in the database and the merges, as the pure rules take them. */
  async function everything(): Promise<{ encounters: OutcomeEncounter[]; mergedInto: Record<string, string> }> {
    const db = srv.database.db;
    const rows = await db.select().from(t.encounters);
    const merged = await db
      .select({ id: t.people.id, into: t.people.mergedIntoId })
      .from(t.people)
      .where(isNotNull(t.people.mergedIntoId));
    return {
      encounters: rows.map((e) => ({
        id: e.id,
        stationId: e.stationId,
        personId: e.personId,
        found: e.found,
        outcome: e.outcome,
        occurredAt: e.occurredAt,
      })),
      mergedInto: Object.fromEntries(merged.map((m) => [m.id, m.into!])),
    };
  }

  it("gives the pure rules' measures through the API (city-wide and per station) and directly (other zones and day starts, DST) over generated encounters", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(encounterSet, async (rs) => {
        await insert(rs);
        const all = await everything();
        const back = [rs.fromBack, rs.toBack].sort((a, b) => b - a);
        const query = { from: addDays(today(), -back[0]!), to: addDays(today(), -back[1]!) };
        for (const [client, q] of [
          [supervisor, query],
          [head, { ...query, stationId: demo.dl.id }],
        ] as const) {
          const before = today();
          const r = await client.call(api.outcomes.get, { params: { id: campaignId }, query: q });
          expect(r.status, JSON.stringify(r.body)).toBe(200);
          if (today() !== before) return; // a report day ended during the call: asOf is ambiguous
          expect(r.body.asOf).toBe(before);
          const scope: OutcomeScope = {
            stationIds: r.body.stationIds,
            from: r.body.from,
            to: r.body.to,
            asOf: r.body.asOf,
            timeZone: tz,
            dayStart: cut,
          };
          const pure = computeOutcomes(all.encounters, scope, all.mergedInto);
          expect(r.body.measures).toEqual(pure.whole);
          for (const s of r.body.byStation) expect(s.measures).toEqual(pure.byStation.get(s.stationId));
          // Contacts are the totals' people found, 人次 and 人, by the same counting rules.
          const f = await srv.services.totals.figures(r.body.stationIds, r.body.from, r.body.to);
          expect([r.body.measures.contacts, r.body.measures.contactPersons]).toEqual([
            f.foundPersonTimes,
            f.foundPersons,
          ]);
        }
        // The same SQL in other zones and report-day starts (New York crosses DST in March and November).
        const zone = run % 2 ? "America/New_York" : "Asia/Shanghai";
        const start = ["00:00", "02:30", "08:00"][run % 3]!;
        run++;
        const scope: OutcomeScope = {
          stationIds: [demo.dl.id, demo.ng.id],
          ...query,
          asOf: addDays(query.to, rs.toBack % 3),
          timeZone: zone,
          dayStart: start,
        };
        const set = await computeOutcomeSet(srv.database.db, scope);
        const pure = computeOutcomes(all.encounters, scope, all.mergedInto);
        expect(set.whole).toEqual(pure.whole);
        expect(set.byStation).toEqual(pure.byStation);
      }),
      { numRuns: 15 },
    );
  });

  it("counts a person seen again the next night at another station, and one not seen again, and exports the same counts with no identity", async () => {
    const at = (back: number, hhmm: string) => {
      const [h, m] = hhmm.split(":").map(Number) as [number, number];
      return new Date(dayStart(addDays(today(), -back), tz, cut).getTime() + ((h - 8 + 24) % 24) * H + m * 60_000);
    };
    const before = await head.call(api.outcomes.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: addDays(today(), -10), to: addDays(today(), -10) },
    });
    const p1 = await fx.person(demo.dl.id, { name: "张三" });
    const p2 = await fx.person(demo.dl.id, { gender: "male", approxAge: 60 });
    await fx.encounter(demo.dl.id, "refused", at(10, "22:00"), { personId: p1 });
    await fx.encounter(demo.ng.id, "brought_in", at(9, "03:00"), { personId: p1 }); // 03:00: still night −10 (08:00 cut)
    await fx.encounter(demo.ng.id, "brought_in", at(9, "21:00"), { personId: p1 }); // night −9: seen again
    await fx.encounter(demo.dl.id, "street_aid", at(10, "23:00"), { personId: p2 });
    const r = await head.call(api.outcomes.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: addDays(today(), -10), to: addDays(today(), -10) },
    });
    expect(r.status).toBe(200);
    const d = (k: keyof typeof r.body.measures) => Number(r.body.measures[k]) - Number(before.body.measures[k]);
    expect([d("contacts"), d("contactPersons"), d("engagedContacts"), d("engagedPersons"), d("newPersons")]).toEqual([
      2, 2, 1, 1, 2,
    ]);
    const w1 = r.body.measures.windows[0]!;
    const w1Before = before.body.measures.windows[0]!;
    expect([w1.returned - w1Before.returned, w1.notReturned - w1Before.notReturned]).toEqual([1, 1]);

    const csv = await head.call(api.exports.outcomesCsv, {
      query: { campaignId, stationId: demo.dl.id, from: addDays(today(), -10), to: addDays(today(), -10), lang: "en" },
    });
    expect(csv.status).toBe(200);
    const text = csv.body;
    expect(text).not.toContain("张三");
    const lines = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(3); // header, the station, the total
    expect(lines[0]).toContain("Contacts (person-times)");
    expect(lines[2]!.split(",").slice(1, 3)).toEqual([
      String(r.body.measures.contacts),
      String(r.body.measures.contactPersons),
    ]);
    const xlsx = await supervisor.call(api.exports.outcomesXlsx, { query: { campaignId } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
  });

  it("is for the desk roles of the totals: a patrol gets 403, an operator its own station, a head not another station", async () => {
    expect((await patrol.call(api.outcomes.get, { params: { id: campaignId } })).status).toBe(403);
    const op = await operator.call(api.outcomes.get, { params: { id: campaignId } });
    expect(op.status).toBe(200);
    const other = await head.call(api.outcomes.get, { params: { id: campaignId }, query: { stationId: demo.ng.id } });
    expect(other.status).toBe(403);
  });
});

import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import * as t from "../../server/db/schema/index.js";
import { addDays, dayRange, dayStart, daysBetween, localDay } from "../../shared/counting.js";
import { CLOSINGS, DEFAULT_DEADLINES, type StepKind } from "../../shared/identification.js";
import { identificationCounts, type IdFileRec } from "../../shared/identification-figures.js";
import { computeFigureSet } from "../../server/totals/totals.repo.js";
import { api } from "../../shared/api/index.js";
import { parseCsv } from "../helpers/csv.js";

/**
 * The identification figures (落户安置, median days to a family found, people past each deadline at
 * the period's end) in SQL (server/totals/identification-passes.ts) against the pure rules of
 * shared/identification-figures.ts over generated files, through the API and the totals' one pass,
 * and the deadline edges of a backdated arrival and a step recorded after the fact.
 */
const H = 3600_000;
const D = 24 * H;
const TZ = "Asia/Shanghai";
const DEADLINE_STEPS = ["fingerprint_check", "notice_published", "dna_requested"] as const;

/** An offset from the window's start: anywhere over four months before it to its end, or a deadline's edge. */
const arrival = fc.oneof(
  fc.integer({ min: -130 * D, max: 5 * D }),
  // Exactly at / 1 ms around "a deadline falls on a day boundary": 24 h or a day start before one.
  fc.record({
    day: fc.integer({ min: 0, max: 5 }),
    back: fc.constantFrom(24 * H, 0),
    delta: fc.constantFrom(-1, 0, 1),
  }),
);
const fileArb = fc.record({
  s: fc.integer({ min: 0, max: 1 }),
  arrival,
  // Steps after arrival (hours), some recorded after their deadline, some after the window.
  steps: fc.array(
    fc.record({
      kind: fc.constantFrom<StepKind>(...DEADLINE_STEPS, "police_check"),
      after: fc.integer({ min: 0, max: 60 * 24 }),
    }),
    { maxLength: 3 },
  ),
  close: fc.option(fc.record({ closing: fc.constantFrom(...CLOSINGS), after: fc.integer({ min: 0, max: 120 * 24 }) }), {
    nil: null,
  }),
  // Merged into an earlier generated person of the same station (one level), or not.
  mergeInto: fc.option(fc.nat(), { nil: null }),
});

describe(`identification figures = the pure rules [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient, operator: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, supervisor, operator] = await signInAll(srv.url, ["head", "supervisor", "operator"] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("equals the pure rules for the range, each station and each report day, over generated files (both through the API and the one-pass totals)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fileArb, { minLength: 1, maxLength: 8 }), async (gen) => {
        const db = srv.database.db;
        // A fresh window per run, in the past, so "now" never falls inside it…
        const first = addDays("2003-01-10", 200 * run);
        run++;
        const days = daysBetween(first, addDays(first, 4));
        const starts = [...days, addDays(first, 5)].map((d) => dayStart(d, TZ, "00:00").getTime());
        const sid = (i: number) => (i ? demo.ng.id : demo.dl.id);
        const ids = gen.map(() => randomUUID());
        await db.insert(t.people).values(ids.map((id, i) => ({ id, stationId: sid(gen[i]!.s) })));
        const mergedInto: Record<string, string> = {};
        for (const [i, g] of gen.entries()) {
          const j = g.mergeInto === null || i === 0 ? null : g.mergeInto % i;
          if (j === null || gen[j]!.s !== g.s || mergedInto[ids[j]!]) continue;
          mergedInto[ids[i]!] = ids[j]!;
          await db.update(t.people).set({ mergedIntoId: ids[j]! }).where(eq(t.people.id, ids[i]!));
        }
        const files: (IdFileRec & { s: number })[] = gen.map((g, i) => {
          const a = new Date(
            typeof g.arrival === "number"
              ? starts[0]! + g.arrival
              : starts[g.arrival.day]! - g.arrival.back + g.arrival.delta,
          );
          return {
            s: g.s,
            personId: ids[i]!,
            arrivedAt: a,
            steps: g.steps.map((x) => ({ kind: x.kind, at: new Date(a.getTime() + x.after * H) })),
            closing: g.close?.closing ?? null,
            closedAt: g.close ? new Date(a.getTime() + g.close.after * H) : null,
            rules: DEFAULT_DEADLINES,
          };
        });
        await db.insert(t.identificationFiles).values(
          files.map((f) => ({
            personId: f.personId,
            stationId: sid(f.s),
            arrivedAt: f.arrivedAt,
            closing: f.closing,
            closedAt: f.closedAt,
          })),
        );
        const steps = files.flatMap((f) =>
          f.steps.map((x) => ({
            id: randomUUID(),
            personId: f.personId,
            stationId: sid(f.s),
            kind: x.kind,
            channel: x.kind === "notice_published" ? "national_site" : null,
            at: x.at,
          })),
        );
        if (steps.length) await db.insert(t.identificationSteps).values(steps);

        const resolve = (id: string) => mergedInto[id] ?? id;
        const pure = (fs: typeof files, from: string, to: string, now = new Date()) =>
          identificationCounts(fs, dayRange(from, to, TZ, "00:00"), now, resolve);
        const pick = (f: object) =>
          Object.fromEntries(
            Object.entries(f).filter(([k]) =>
              [
                "householdSettled",
                "medianDaysToIdentification",
                "pastFingerprintCheck",
                "pastNotice",
                "pastDnaRequest",
                "pastSettleReview",
              ].includes(k),
            ),
          );
        const stationIds = [demo.dl.id, demo.ng.id];
        const last = days[days.length - 1]!;
        // The one-pass totals: the range, each station, each day.
        const set = await computeFigureSet(db, { stationIds, days, timeZone: TZ, dayStart: "00:00" });
        expect(pick(set.whole)).toEqual(pure(files, first, last));
        for (const [i, s] of stationIds.entries())
          expect(pick(set.byStation.get(s)!)).toEqual(
            pure(
              files.filter((f) => f.s === i),
              first,
              last,
            ),
          );
        for (const d of days) expect(pick(set.byDay.get(d)!)).toEqual(pure(files, d, d));
        // …and with "now" inside the window: the days after now are taken at now.
        const now = new Date(starts[2]! + 5 * H);
        const mid = await computeFigureSet(db, { stationIds, days, timeZone: TZ, dayStart: "00:00", now });
        expect(pick(mid.whole)).toEqual(pure(files, first, last, now));
        for (const d of days) expect(pick(mid.byDay.get(d)!)).toEqual(pure(files, d, d, now));

        // Through the API: the supervisor's figures of both stations equal the pure rules.
        const api1 = await supervisor.call(api.identification.figures, { query: { from: first, to: last } });
        expect(api1.status, JSON.stringify(api1.body)).toBe(200);
        const p = pure(files, first, last);
        expect({
          settled: api1.body.settled,
          medianDaysToIdentification: api1.body.medianDaysToIdentification,
          pastDeadline: api1.body.pastDeadline,
        }).toEqual({
          settled: p.householdSettled,
          medianDaysToIdentification: p.medianDaysToIdentification,
          pastDeadline: {
            fingerprint_check: p.pastFingerprintCheck,
            notice_published: p.pastNotice,
            dna_requested: p.pastDnaRequest,
            settle_review: p.pastSettleReview,
          },
        });
        // The next run (and the next test) starts with no files.
        await db.delete(t.identificationSteps);
        await db.delete(t.identificationFiles);
      }),
      { numRuns: 15 },
    );
  });

  it("deadline edges across a backdated arrival and a step recorded after the fact: past the notice at a day's end, then done late", async () => {
    const today = localDay(new Date(), TZ);
    const d0 = addDays(today, -5);
    const end0 = dayStart(addDays(d0, 1), TZ, "00:00").getTime();
    // Arrived exactly 24 h before the end of d0: the notice falls due at that instant, not yet past at d0's end.
    const onEdge = await fx.person(demo.dl.id, { gender: "male", approxAge: 50 });
    const opened = await head.call(api.identification.open, {
      params: { id: onEdge },
      body: { arrivedAt: new Date(end0 - 24 * H).toISOString() },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    // One millisecond earlier: past at d0's end.
    const justPast = await fx.person(demo.dl.id, { gender: "female", approxAge: 70 });
    expect(
      (
        await head.call(api.identification.open, {
          params: { id: justPast },
          body: { arrivedAt: new Date(end0 - 24 * H - 1).toISOString() },
        })
      ).status,
    ).toBe(200);
    const past = async (day: string) =>
      (await head.call(api.identification.figures, { query: { stationId: demo.dl.id, from: day } })).body.pastDeadline
        .notice_published;
    expect(await past(d0)).toBe(1);
    expect(await past(addDays(d0, 1))).toBe(2);
    // The notice entered today, dated one hour into d0+2: d0+1 still counts both, d0+2 only the other one.
    const step = await head.call(api.identification.addStep, {
      params: { id: onEdge },
      body: {
        id: randomUUID(),
        kind: "notice_published",
        channel: "news_app",
        at: new Date(end0 + D + H).toISOString(),
      },
    });
    expect(step.status, JSON.stringify(step.body)).toBe(200);
    expect(step.body.deadlines.find((d) => d.kind === "notice_published")!.state).toBe("done_late");
    expect(await past(addDays(d0, 1))).toBe(2);
    expect(await past(addDays(d0, 2))).toBe(1);
    // The report of d0+2 says so, from the same figure.
    const text = await head.call(api.reports.text, {
      query: { scope: "station", id: demo.dl.id, from: addDays(d0, 2), kind: "daily" },
    });
    expect(text.body.sentences.join("")).toContain("逾期未发布寻亲公告1人");
    expect(text.body.figures.pastNotice).toBe(1);

    // The station page's totals, its CSV export (counts only, for the head, not the duty room's
    // operator) and the supervisor's side-by-side comparison (totals by station) say the same.
    const campaignId = demo.campaign.id;
    await fx.setCampaignDates(campaignId, addDays(today, -30), addDays(today, 30));
    const d2 = addDays(d0, 2);
    const totals = await head.call(api.totals.get, {
      params: { id: campaignId },
      query: { stationId: demo.dl.id, from: d2, to: d2 },
    });
    expect(totals.status, JSON.stringify(totals.body)).toBe(200);
    expect(totals.body.figures.pastNotice).toBe(1);
    const compare = await supervisor.call(api.totals.get, { params: { id: campaignId }, query: { from: d2, to: d2 } });
    expect(compare.body.byStation.find((s) => s.stationId === demo.dl.id)!.figures.pastNotice).toBe(1);
    const csv = await head.call(api.exports.totalsCsv, {
      query: { campaignId, stationId: demo.dl.id, from: d2, to: d2, lang: "zh-CN" },
    });
    expect(csv.status).toBe(200);
    const rows = parseCsv(String(csv.body));
    const col = rows[0]!.indexOf("逾期未发布寻亲公告人数");
    expect(col, rows[0]!.join(",")).toBeGreaterThan(0);
    expect(rows.at(-1)![col]).toBe("1");
    expect(String(csv.body)).not.toMatch(/无名|[\u4e00-\u9fa5]{2}氏/);
    const opCsv = await operator.call(api.exports.totalsCsv, {
      query: { campaignId, stationId: demo.dl.id, from: d2, to: d2, lang: "zh-CN" },
    });
    expect(opCsv.status).toBe(200);
    expect(parseCsv(String(opCsv.body))[0]).not.toContain("逾期未发布寻亲公告人数");
  });
});

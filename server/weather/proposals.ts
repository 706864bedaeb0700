import { randomUUID } from "node:crypto";
import { ColdRuleSchema, type WeatherProposal } from "../../shared/api/weather.js";
import { DEFAULT_COLD_RULE, proposeColdLevel, type ColdReason, type ColdRule } from "../../shared/cold-level.js";
import { addDays } from "../../shared/report-day.js";
import type { AlertLevel } from "../../shared/vocab.js";
import type { DbOrTx, Tx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import { stationRegionChain } from "../stations/stations.repo.js";
import { nightOf } from "./weather.presenter.js";
import * as repo from "./weather.repo.js";

/** How far ahead forecasts make proposals (nights after tonight). */
const AHEAD_NIGHTS = 15;

/** A city's rule as used: its configured one, or the default. */
export type CityRule = WeatherProposal["rule"];

/** What the rule says for one station's night, before it is presented. */
export interface Computed {
  stationId: string;
  date: string;
  chain: repo.RegionRow[];
  region: repo.RegionRow | null;
  reading: repo.ReadingRow | null;
  earlier: repo.ReadingRow[];
  level: AlertLevel | null;
  reasons: ColdReason[];
  rule: CityRule;
}

/** The city a region chain belongs to: its `city` region, else its top. */
export function cityOf(chain: repo.RegionRow[]): repo.RegionRow | undefined {
  return chain.find((r) => r.level === "city") ?? chain[0];
}

/** The rule of a city: the stored one when it parses, else the default (version 0). */
export async function ruleOfCity(db: DbOrTx, cityId: string): Promise<CityRule> {
  const row = await repo.findColdRule(db, cityId);
  const parsed = row ? ColdRuleSchema.safeParse(row.rule) : undefined;
  if (row && parsed?.success) return { regionId: cityId, rule: parsed.data, isDefault: false, version: row.version };
  return { regionId: cityId, rule: DEFAULT_COLD_RULE, isDefault: true, version: row?.version ?? 0 };
}

/** A station's regions from the top down, with names and levels. */
async function chainOf(db: DbOrTx, stationId: string): Promise<repo.RegionRow[]> {
  const ids = await stationRegionChain(db, stationId);
  const byId = new Map((await repo.regionsByIds(db, ids)).map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/**
 * The rule's proposal for a station's night: the reading of the deepest region above the station
 * that has one for that night (its district before its city), compared with the same region's two
 * nights before; the city's thresholds.
 */
export async function computeProposal(db: DbOrTx, stationId: string, date: string): Promise<Computed> {
  const chain = await chainOf(db, stationId);
  const city = cityOf(chain);
  const rule = city
    ? await ruleOfCity(db, city.id)
    : { regionId: stationId, rule: DEFAULT_COLD_RULE, isDefault: true, version: 0 };
  const readings = await repo.latestReadings(
    db,
    chain.map((r) => r.id),
    addDays(date, -2),
    date,
  );
  const region = [...chain].reverse().find((r) => readings.some((x) => x.regionId === r.id && x.night === date));
  const base = { stationId, date, chain, rule };
  if (!region) return { ...base, region: null, reading: null, earlier: [], level: null, reasons: [] };
  const mine = readings.filter((r) => r.regionId === region.id);
  const reading = mine.find((r) => r.night === date)!;
  const earlier = mine.filter((r) => r.night < date);
  const p = proposeColdLevel(nightOf(reading), earlier.map(nightOf), rule.rule as ColdRule);
  return { ...base, region, reading, earlier, level: p.level, reasons: p.reasons };
}

/** JSON with object keys sorted (jsonb does not keep key order), to compare reasons. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );
}

/** True when a computed proposal says something else than the one recorded last. */
export function differs(c: Computed, prev: repo.ProposalRow | undefined): boolean {
  if (!prev) return c.level !== null;
  return prev.level !== c.level || prev.regionId !== c.region?.id || canon(prev.reasons) !== canon(c.reasons);
}

/** The nights whose proposals a reading of `dates` can change (a night's falls look 2 nights back), from tonight on. */
export function affectedNights(dates: string[], today: string): string[] {
  const last = addDays(today, AHEAD_NIGHTS);
  const out = new Set<string>();
  for (const d of dates)
    for (let i = 0; i <= 2; i++) {
      const n = addDays(d, i);
      if (n >= today && n <= last) out.add(n);
    }
  return [...out].sort();
}

/**
 * After readings (or a city's rule) changed: recomputes the proposals of every station below the
 * regions for the nights given, and appends and announces (weather.proposed) each that changed.
 * Past nights are left alone: a winter uploaded for a backtest proposes nothing.
 */
export async function refreshProposals(
  tx: Tx,
  record: RecordEvent,
  regionIds: string[],
  nights: string[],
  actorId: string | null,
): Promise<number> {
  if (!nights.length || !regionIds.length) return 0;
  const stations = (await repo.stationPaths(tx)).filter((s) => regionIds.some((r) => s.path.includes(`/${r}/`)));
  let n = 0;
  for (const s of stations)
    for (const night of nights) {
      const c = await computeProposal(tx, s.id, night);
      if (!c.region || !differs(c, await repo.latestProposal(tx, s.id, night))) continue;
      const row = await repo.insertProposal(tx, {
        id: randomUUID(),
        stationId: s.id,
        night,
        regionId: c.region.id,
        level: c.level,
        reasons: c.reasons,
      });
      record({
        type: "weather.proposed",
        stationId: s.id,
        actorId,
        payload: {
          id: row.id,
          stationId: s.id,
          date: night,
          regionId: c.region.id,
          level: c.level,
          reasons: c.reasons,
        },
      });
      n++;
    }
  return n;
}

import { sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { FIGURE_PASSES } from "./figure-passes.js";
import { emptyFigures, figureQuery, type FigureScope, type FigureSet } from "./figure-scope.js";

/**
 * The campaign figures as SQL aggregates. Every definition mirrors shared/counting.ts computeFigures;
 * the API tests check both give the same numbers over the same records.
 *
 * One computation answers the whole range, each station and each local day together, with one
 * pass per table (figure-passes.ts; the shared SQL pieces in figure-scope.ts):
 * - additive figures (counts and sums) are grouped by (station, day) only, and folded in JS into
 *   the whole, the station and the day: the roll-up equals the sum of its parts by construction,
 *   and a plain hash aggregate over a few columns stays cheap on millions of rows;
 * - figures that do not add up (distinct persons, distinct key points, distinct families found,
 *   response percentiles) use `grouping sets ((station), (day), ())`, so each is still one scan;
 * - shelters in service are few rows: their periods are read and overlapped with each range in JS
 *   by the same `inService` as the pure rules.
 *
 * The day of a row is `width_bucket(time, day starts)` over the report-day boundaries computed in JS
 * (dayStart: local `dayStart` time, e.g. 08:00, handling DST; the same cut as reportDayOf), which is cheaper per row than `to_char(time at time zone ...)` and gives
 * exactly the half-open [day start, next day start) of computeFigures.
 */

/** Computes the figures of a scope: whole range, each station and each day, in one pass per table. */
export async function computeFigureSet(db: DbOrTx, scope: FigureScope): Promise<FigureSet> {
  const set: FigureSet = {
    whole: emptyFigures(),
    byStation: new Map(scope.stationIds.map((s) => [s, emptyFigures()])),
    byDay: new Map(scope.days.map((d) => [d, emptyFigures()])),
  };
  if (!scope.stationIds.length || !scope.days.length) return set;
  const q = figureQuery(scope, set);
  const folds = await Promise.all(FIGURE_PASSES.map((pass) => pass(db, q)));
  for (const fold of folds) fold();
  for (const f of [set.whole, ...set.byStation.values(), ...set.byDay.values()]) {
    f.aidedTotal = f.aidedInStation + f.aidedOnStreet;
    f.escorts = f.escortedHome + f.familyPickup;
  }
  return set;
}

/**
 * Event types whose transactions never touch a record the figures count (GPS fixes write only
 * positions and the vehicle's last position); they are frequent, so they must not end a cached answer.
 */
const IRRELEVANT_EVENT_TYPES = ["vehicle.position"];

/**
 * Event types whose transaction can change the figures of a station other than the event's own:
 * a person merge re-points identified encounters of every station (distinct persons, families
 * found), and a case merge or unmerge moves calls between two cases that may belong to different
 * stations (response times). Every other event is recorded with the station of the records its
 * transaction writes (or none: city-wide), which is what lets a cached answer ignore events of
 * stations outside its scope.
 */
const CROSS_STATION_EVENT_TYPES = ["person.merged", "case.merged", "case.unmerged"];

const textList = (xs: string[]) =>
  sql.join(
    xs.map((t) => sql`${t}`),
    sql`, `,
  );

/**
 * True when an event with an id above `afterId` is committed (visible now) that can change the
 * figures of `stationIds`: an event of one of those stations, a city-wide one (no station) or a
 * cross-station type — never the types that cannot change figures. Index range scan on the primary
 * key from `afterId` on (the events after a recent watermark are few).
 */
export async function eventsCommittedAfter(db: DbOrTx, afterId: number, stationIds: string[]): Promise<boolean> {
  const inScope = stationIds.length
    ? sql`station_id in (${sql.join(
        stationIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql`false`;
  const rows = await rawRows<{ one: number }>(
    db,
    sql`select 1 as one from events where id > ${afterId}
    and type not in (${textList(IRRELEVANT_EVENT_TYPES)})
    and (station_id is null or ${inScope} or type in (${textList(CROSS_STATION_EVENT_TYPES)})) limit 1`,
  );
  return rows.length > 0;
}

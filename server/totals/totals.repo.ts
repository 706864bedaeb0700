import { sql, type SQL } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import type { Figures, SupplyFigure } from "../../shared/counting.js";
import { REFERRAL_OUTCOMES, addDays, dayStart, inService } from "../../shared/counting.js";

/**
 * The campaign figures as SQL aggregates. Every definition mirrors shared/counting.ts computeFigures;
 * the API tests check both give the same numbers over the same records.
 *
 * One computation answers the whole range, each station and each local day together, with one
 * pass per table:
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

/**
 * Scope and range of one computation: stations and the report days `days` (contiguous, ascending),
 * each starting at local `dayStart` ("HH:MM", default midnight) in `timeZone`.
 */
export interface FigureScope {
  stationIds: string[];
  days: string[];
  timeZone: string;
  dayStart?: string;
}

/** The figures of a scope over its range, and split by station and by local day. */
export interface FigureSet {
  whole: Figures;
  byStation: Map<string, Figures>;
  byDay: Map<string, Figures>;
}

/** Figures with all zeros (a day or station with no records). */
export function emptyFigures(): Figures {
  return {
    patrols: 0,
    sorties: 0,
    staffPersonTimes: 0,
    keyPointVisits: 0,
    keyPointsCovered: 0,
    foundPersonTimes: 0,
    foundPersons: 0,
    aidedInStation: 0,
    aidedOnStreet: 0,
    aidedTotal: 0,
    hospital: 0,
    escortedHome: 0,
    familyPickup: 0,
    escorts: 0,
    referred: 0,
    settled: 0,
    sheltersInService: 0,
    familiesFound: 0,
    supplies: [],
    suppliesQuantity: 0,
    suppliesValueFen: 0,
    distributionRecipients: 0,
    responseP50Sec: null,
    responseP90Sec: null,
    responseCount: 0,
  };
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const REFERRALS = new Set<string>(REFERRAL_OUTCOMES);

/**
 * Memory for the hash and sort steps of the heavy queries: with the default 4 MB, deduplicating a
 * million (station, day, person) keys spills to disk and takes twice as long. Set for that query's
 * own transaction only.
 */
const HEAVY_WORK_MEM = "32MB";

/** Rows of `query` run in its own transaction with HEAVY_WORK_MEM. */
async function withWorkMem<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local work_mem = '${HEAVY_WORK_MEM}'`));
    return rawRows<T>(tx, query);
  });
}

/** A row of a grouping-sets query: which set it belongs to is told by grouping(station) / grouping(day). */
type SetRow = Record<string, unknown> & { s: string | null; k: number | null; gs: number; gk: number };

/** Computes the figures of a scope: whole range, each station and each day, in one pass per table. */
export async function computeFigureSet(db: DbOrTx, scope: FigureScope): Promise<FigureSet> {
  const { stationIds, days, timeZone } = scope;
  const cut = scope.dayStart ?? "00:00";
  const set: FigureSet = {
    whole: emptyFigures(),
    byStation: new Map(stationIds.map((s) => [s, emptyFigures()])),
    byDay: new Map(days.map((d) => [d, emptyFigures()])),
  };
  if (!stationIds.length || !days.length) return set;

  // Day boundaries: bounds[i] is the start of days[i]; the last one ends the range.
  const bounds = [
    ...days.map((d) => dayStart(d, timeZone, cut)),
    dayStart(addDays(days[days.length - 1]!, 1), timeZone, cut),
  ];
  const boundsArray = sql`${`{${bounds.map((b) => `"${b.toISOString()}"`).join(",")}}`}::timestamptz[]`;
  const from = bounds[0]!.toISOString();
  const to = bounds[bounds.length - 1]!.toISOString();
  const inStations = (col: SQL) =>
    sql`${col} in (${sql.join(
      stationIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`;
  const where = (time: SQL, station: SQL) =>
    sql`${inStations(station)} and ${time} >= ${from}::timestamptz and ${time} < ${to}::timestamptz`;
  // 1-based index into `days` (width_bucket over the bounds gives 1..days.length inside the range).
  const dayOf = (time: SQL) => sql`width_bucket(${time}, ${boundsArray})`;
  // The day as a join on a series of day numbers rather than a bare expression: PostgreSQL has no
  // statistics for width_bucket(...) and would plan one group per row, ruling out a parallel
  // aggregate; grouping by the series' column, it expects days x stations groups and lets two
  // workers share the scan (ledger pass 1.3 s -> 0.55 s at 2 M lines). The hash join costs a probe per row.
  const dayJoin = (time: SQL) => sql`join generate_series(1, ${days.length}::int) as d(k) on d.k = ${dayOf(time)}`;

  /** The three figures a (station, day) cell adds to. */
  const cell = (s: unknown, k: unknown): Figures[] => {
    const st = set.byStation.get(String(s));
    const dy = set.byDay.get(days[n(k) - 1]!);
    if (!st || !dy) throw new Error(`totals: row outside the scope (station ${String(s)}, day index ${String(k)})`);
    return [set.whole, st, dy];
  };
  /** The one figure a grouping-sets row belongs to. */
  const target = (r: SetRow): Figures | undefined =>
    r.gs && r.gk ? set.whole : r.gk ? set.byStation.get(String(r.s)) : set.byDay.get(days[n(r.k) - 1]!);

  type Row = Record<string, unknown> & { s: string; k: number };
  const [
    patrols,
    sorties,
    visits,
    encounters,
    refusedSupplied,
    persons,
    walkIns,
    ended,
    ledger,
    cases,
    families,
    keyPoints,
    shelters,
  ] = await Promise.all([
    rawRows<Row>(
      db,
      sql`select p.station_id as s, d.k, count(*) as patrols,
        coalesce(sum((select coalesce(sum((f->>'count')::int), 0) from jsonb_array_elements(p.foot_staff) f)), 0) as foot
      from patrols p ${dayJoin(sql`p.started_at`)} where ${where(sql`p.started_at`, sql`p.station_id`)} group by 1, 2`,
    ),
    rawRows<Row>(
      db,
      sql`select x.station_id as s, d.k, count(*) as sorties, coalesce(sum(x.crew_count), 0) as crew
      from sorties x ${dayJoin(sql`x.started_at`)} where ${where(sql`x.started_at`, sql`x.station_id`)} group by 1, 2`,
    ),
    rawRows<Row>(
      db,
      sql`select v.station_id as s, d.k, count(*) as visits
      from key_point_visits v ${dayJoin(sql`v.visited_at`)} where ${where(sql`v.visited_at`, sql`v.station_id`)} group by 1, 2`,
    ),
    // One count per (station, day, outcome, found, identified): a single cheap aggregate per row;
    // the figures are folded from these few cells in JS.
    rawRows<Row>(
      db,
      sql`select e.station_id as s, d.k, e.outcome, e.found, e.person_id is null as anon, count(*) as c
      from encounters e ${dayJoin(sql`e.occurred_at`)} where ${where(sql`e.occurred_at`, sql`e.station_id`)} group by 1, 2, 3, 4, 5`,
    ),
    // Refused but left with supplies: a semi-join on the handed-out ledger lines that name an
    // encounter (partial index ledger_handed_out_encounter_idx), only over refused encounters.
    withWorkMem<Row>(
      db,
      sql`select e.station_id as s, d.k, count(*) as c
      from encounters e ${dayJoin(sql`e.occurred_at`)} where ${where(sql`e.occurred_at`, sql`e.station_id`)} and e.found and e.outcome = 'refused'
        and exists (select 1 from supply_ledger l where l.encounter_id = e.id and l.kind = 'handed_out' and l.encounter_id is not null)
      group by 1, 2`,
    ),
    // Distinct identified people (following a merge to the person kept); each unidentified found
    // encounter is its own person and is counted in the pass above, so no text key is built per row.
    // The same person is met many times a day: (station, day, person) is deduplicated by hash first
    // (index-only scan of encounters_found_person_idx), merges are resolved on that much smaller set
    // (joining only merged people), and only then counted distinct per grouping set.
    withWorkMem<SetRow>(
      db,
      sql`select s, k, grouping(s) as gs, grouping(k) as gk, count(distinct p) as persons
      from (select d.s, d.k, coalesce(pe.merged_into_id, d.person_id) as p
        from (select e.station_id as s, ${dayOf(sql`e.occurred_at`)} as k, e.person_id
          from encounters e
          where ${where(sql`e.occurred_at`, sql`e.station_id`)} and e.found and e.outcome <> 'not_found' and e.person_id is not null
          group by 1, 2, 3) d
        left join people pe on pe.id = d.person_id and pe.merged_into_id is not null) x
      group by grouping sets ((s), (k), ())`,
    ),
    rawRows<Row>(
      db,
      sql`select st.station_id as s, d.k, count(*) as walk_ins
      from stays st ${dayJoin(sql`st.arrived_at`)} where ${where(sql`st.arrived_at`, sql`st.station_id`)} and st.encounter_id is null group by 1, 2`,
    ),
    rawRows<Row>(
      db,
      sql`select st.station_id as s, d.k, st.end_reason, count(*) as c
      from stays st ${dayJoin(sql`st.ended_at`)} where ${where(sql`st.ended_at`, sql`st.station_id`)} group by 1, 2, 3`,
    ),
    rawRows<Row>(
      db,
      sql`select l.station_id as s, d.k, l.item_id,
        coalesce(sum(l.quantity), 0) as q, coalesce(sum(l.quantity::bigint * l.unit_value_fen), 0) as v
      from supply_ledger l ${dayJoin(sql`l.at`)} where ${where(sql`l.at`, sql`l.station_id`)} and l.kind = 'handed_out' group by 1, 2, 3`,
    ),
    rawRows<SetRow>(
      db,
      sql`select s, k, grouping(s) as gs, grouping(k) as gk,
        percentile_disc(0.5) within group (order by secs) as p50, percentile_disc(0.9) within group (order by secs) as p90, count(*) as c
      from (select station_id as s, ${dayOf(sql`received_at`)} as k,
              greatest(0, round(extract(epoch from (on_scene_at - received_at))))::int as secs
            from cases where ${where(sql`received_at`, sql`station_id`)} and on_scene_at is not null
              and status not in ('merged', 'cancelled')) x
      group by grouping sets ((s), (k), ())`,
    ),
    rawRows<SetRow>(
      db,
      sql`select s, k, grouping(s) as gs, grouping(k) as gk, count(distinct p) as found
      from (select f.station_id as s, ${dayOf(sql`f.at`)} as k, coalesce(pe.merged_into_id, f.person_id) as p
        from family_search_log f join people pe on pe.id = f.person_id
        where ${where(sql`f.at`, sql`f.station_id`)} and f.status = 'family_found') x
      group by grouping sets ((s), (k), ())`,
    ),
    rawRows<SetRow>(
      db,
      sql`select s, k, grouping(s) as gs, grouping(k) as gk, count(distinct kp) as covered
      from (select v.station_id as s, ${dayOf(sql`v.visited_at`)} as k, v.key_point_id as kp
        from key_point_visits v where ${where(sql`v.visited_at`, sql`v.station_id`)}) x
      group by grouping sets ((s), (k), ())`,
    ),
    rawRows<{ s: string; opened_at: Date | string; closed_at: Date | string | null }>(
      db,
      sql`select sh.station_id as s, sh.opened_at, sh.closed_at
      from shelters sh where ${inStations(sql`sh.station_id`)} and sh.opened_at < ${to}::timestamptz
        and (sh.closed_at is null or sh.closed_at > ${from}::timestamptz)`,
    ),
  ]);

  for (const r of patrols)
    for (const f of cell(r.s, r.k)) {
      f.patrols += n(r.patrols);
      f.staffPersonTimes += n(r.foot);
    }
  for (const r of sorties)
    for (const f of cell(r.s, r.k)) {
      f.sorties += n(r.sorties);
      f.staffPersonTimes += n(r.crew);
    }
  for (const r of visits) for (const f of cell(r.s, r.k)) f.keyPointVisits += n(r.visits);
  for (const r of encounters) {
    if (!r.found || r.outcome === "not_found") continue;
    const c = n(r.c);
    const outcome = String(r.outcome);
    for (const f of cell(r.s, r.k)) {
      f.foundPersonTimes += c;
      if (r.anon) f.foundPersons += c;
      if (outcome === "brought_in") f.aidedInStation += c;
      else if (outcome === "street_aid") f.aidedOnStreet += c;
      else if (outcome === "hospital") f.hospital += c;
      else if (outcome === "escorted_home") f.escortedHome += c;
      else if (outcome === "family_pickup") f.familyPickup += c;
      else if (REFERRALS.has(outcome)) f.referred += c;
    }
  }
  for (const r of refusedSupplied) for (const f of cell(r.s, r.k)) f.aidedOnStreet += n(r.c);
  for (const r of persons) {
    const f = target(r);
    if (f) f.foundPersons += n(r.persons);
  }
  for (const r of walkIns) for (const f of cell(r.s, r.k)) f.aidedInStation += n(r.walk_ins);
  for (const r of ended) {
    const c = n(r.c);
    for (const f of cell(r.s, r.k)) {
      if (r.end_reason === "escorted_home") f.escortedHome += c;
      else if (r.end_reason === "family_pickup") f.familyPickup += c;
      else if (r.end_reason === "hospital") f.hospital += c;
      else if (r.end_reason === "care_institution") {
        f.referred += c;
        f.settled += c;
      } else if (r.end_reason === "settled") f.settled += c;
    }
  }
  for (const r of keyPoints) {
    const f = target(r);
    if (f) f.keyPointsCovered = n(r.covered);
  }
  for (const r of shelters) {
    const period = {
      id: "",
      openedAt: new Date(r.opened_at),
      closedAt: r.closed_at === null ? null : new Date(r.closed_at),
    };
    set.whole.sheltersInService++;
    const st = set.byStation.get(String(r.s));
    if (st) st.sheltersInService++;
    days.forEach((d, i) => {
      if (inService(period, { from: bounds[i]!, to: bounds[i + 1]! })) set.byDay.get(d)!.sheltersInService++;
    });
  }
  // Supplies per item: accumulate per figure, then list.
  const perItem = new Map<Figures, Map<string, SupplyFigure>>();
  for (const r of ledger) {
    const q = n(r.q),
      v = n(r.v),
      itemId = String(r.item_id);
    for (const f of cell(r.s, r.k)) {
      let items = perItem.get(f);
      if (!items) perItem.set(f, (items = new Map()));
      const line = items.get(itemId) ?? { itemId, quantity: 0, valueFen: 0 };
      line.quantity += q;
      line.valueFen += v;
      items.set(itemId, line);
      f.suppliesQuantity += q;
      f.suppliesValueFen += v;
    }
  }
  for (const [f, items] of perItem) f.supplies = [...items.values()].sort((a, b) => a.itemId.localeCompare(b.itemId));
  for (const r of cases) {
    const f = target(r);
    if (!f) continue;
    f.responseP50Sec = r.p50 === null ? null : n(r.p50);
    f.responseP90Sec = r.p90 === null ? null : n(r.p90);
    f.responseCount = n(r.c);
  }
  for (const r of families) {
    const f = target(r);
    if (f) f.familiesFound = n(r.found);
  }
  await addDistributionRecipients(db, { dayJoin, where, cell });
  for (const f of [set.whole, ...set.byStation.values(), ...set.byDay.values()]) {
    f.aidedTotal = f.aidedInStation + f.aidedOnStreet;
    f.escorts = f.escortedHome + f.familyPickup;
  }
  return set;
}

/**
 * Recipients of distributions (shared/counting.ts distributionRecipients), per (station, day) like
 * the other additive figures; their supplies are already in the ledger pass (handed_out lines).
 */
async function addDistributionRecipients(
  db: DbOrTx,
  q: {
    dayJoin: (time: SQL) => SQL;
    where: (time: SQL, station: SQL) => SQL;
    cell: (s: unknown, k: unknown) => Figures[];
  },
): Promise<void> {
  const rows = await rawRows<Record<string, unknown> & { s: string; k: number }>(
    db,
    sql`select x.station_id as s, d.k, coalesce(sum(x.recipients), 0) as r
    from distributions x ${q.dayJoin(sql`x.occurred_at`)} where ${q.where(sql`x.occurred_at`, sql`x.station_id`)} group by 1, 2`,
  );
  for (const r of rows) for (const f of q.cell(r.s, r.k)) f.distributionRecipients += n(r.r);
}

/**
 * Event types whose transactions never touch a record the figures count (GPS fixes write only
 * positions and the vehicle's last position); they are frequent, so they must not end a cached answer.
 */
const IRRELEVANT_EVENT_TYPES = ["vehicle.position"];

/**
 * True when an event with an id above `afterId` is committed (visible now), other than the types
 * that cannot change the figures. Index range scan on the primary key from `afterId` on.
 */
export async function eventsCommittedAfter(db: DbOrTx, afterId: number): Promise<boolean> {
  const rows = await rawRows<{ one: number }>(
    db,
    sql`select 1 as one from events where id > ${afterId}
    and type not in (${sql.join(
      IRRELEVANT_EVENT_TYPES.map((t) => sql`${t}`),
      sql`, `,
    )}) limit 1`,
  );
  return rows.length > 0;
}

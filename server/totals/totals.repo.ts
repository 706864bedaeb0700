import { sql, type SQL } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import type { Figures, SupplyFigure } from "../../shared/counting.js";
import { REFERRAL_OUTCOMES } from "../../shared/counting.js";

/**
 * The campaign figures as SQL aggregates, one indexed range scan per table (station, time), so they
 * scale to millions of rows. Every definition mirrors shared/counting.ts computeFigures; the API tests
 * check both give the same numbers over the same records. Results can be grouped by local day or
 * by station in the same pass.
 */

/** How rows are grouped: one total, per local day (YYYY-MM-DD), or per station id. */
export type Grouping = "none" | "day" | "station";

/** Scope and range of one computation. */
export interface FigureScope { stationIds: string[]; from: Date; to: Date; timeZone: string; group: Grouping }

/** Figures with all zeros (a day or station with no records). */
export function emptyFigures(): Figures {
  return {
    patrols: 0, sorties: 0, staffPersonTimes: 0, keyPointVisits: 0, foundPersonTimes: 0, foundPersons: 0,
    aidedInStation: 0, aidedOnStreet: 0, aidedTotal: 0, hospital: 0, escortedHome: 0, familyPickup: 0, escorts: 0,
    referred: 0, familiesFound: 0, supplies: [], suppliesQuantity: 0, suppliesValueFen: 0,
    responseP50Sec: null, responseP90Sec: null, responseCount: 0,
  };
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Computes the figures for a scope, keyed by group ("" when not grouped). */
export async function computeFiguresSql(db: DbOrTx, s: FigureScope): Promise<Map<string, Figures>> {
  const out = new Map<string, Figures>();
  if (!s.stationIds.length) return out;
  const get = (k: string) => {
    let f = out.get(k);
    if (!f) out.set(k, (f = emptyFigures()));
    return f;
  };
  const inStations = (col: SQL) => sql`${col} in (${sql.join(s.stationIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
  const inRange = (col: SQL) => sql`${col} >= ${s.from.toISOString()}::timestamptz and ${col} < ${s.to.toISOString()}::timestamptz`;
  // Grouping key; queries "group by 1" because PostgreSQL treats each bound parameter as a new expression.
  const key = (time: SQL, station: SQL) =>
    s.group === "day" ? sql`to_char(${time} at time zone ${s.timeZone}, 'YYYY-MM-DD')`
      : s.group === "station" ? sql`${station}::text` : sql`''`;
  const where = (time: SQL, station: SQL) => sql`${inStations(station)} and ${inRange(time)}`;

  type Row = Record<string, unknown> & { k: string };
  const [patrols, sorties, visits, encounters, walkIns, ended, ledger, cases, families] = await Promise.all([
    rawRows<Row>(db, sql`select ${key(sql`p.started_at`, sql`p.station_id`)} as k, count(*) as patrols,
        coalesce(sum((select coalesce(sum((f->>'count')::int), 0) from jsonb_array_elements(p.foot_staff) f)), 0) as foot
      from patrols p where ${where(sql`p.started_at`, sql`p.station_id`)} group by 1`),
    rawRows<Row>(db, sql`select ${key(sql`started_at`, sql`station_id`)} as k, count(*) as sorties, coalesce(sum(crew_count), 0) as crew
      from sorties where ${where(sql`started_at`, sql`station_id`)} group by 1`),
    rawRows<Row>(db, sql`select ${key(sql`visited_at`, sql`station_id`)} as k, count(*) as visits
      from key_point_visits where ${where(sql`visited_at`, sql`station_id`)} group by 1`),
    rawRows<Row>(db, sql`select ${key(sql`e.occurred_at`, sql`e.station_id`)} as k,
        count(*) filter (where e.found and e.outcome <> 'not_found') as found_pt,
        count(distinct case when e.person_id is null then 'e:' || e.id::text else 'p:' || coalesce(pe.merged_into_id, e.person_id)::text end)
          filter (where e.found and e.outcome <> 'not_found') as found_persons,
        count(*) filter (where e.found and e.outcome = 'brought_in') as brought_in,
        count(*) filter (where e.found and e.outcome = 'street_aid') as street_aid,
        count(*) filter (where e.found and e.outcome = 'refused' and exists (
          select 1 from supply_ledger l where l.encounter_id = e.id and l.kind = 'handed_out')) as refused_supplied,
        count(*) filter (where e.found and e.outcome = 'hospital') as hospital,
        count(*) filter (where e.found and e.outcome = 'escorted_home') as escorted_home,
        count(*) filter (where e.found and e.outcome = 'family_pickup') as family_pickup,
        count(*) filter (where e.found and e.outcome in (${sql.join(REFERRAL_OUTCOMES.map((o) => sql`${o}`), sql`, `)})) as referred
      from encounters e left join people pe on pe.id = e.person_id
      where ${where(sql`e.occurred_at`, sql`e.station_id`)} group by 1`),
    rawRows<Row>(db, sql`select ${key(sql`arrived_at`, sql`station_id`)} as k, count(*) as walk_ins
      from stays where ${where(sql`arrived_at`, sql`station_id`)} and encounter_id is null group by 1`),
    rawRows<Row>(db, sql`select ${key(sql`ended_at`, sql`station_id`)} as k,
        count(*) filter (where end_reason = 'escorted_home') as escorted_home,
        count(*) filter (where end_reason = 'family_pickup') as family_pickup,
        count(*) filter (where end_reason = 'hospital') as hospital,
        count(*) filter (where end_reason = 'care_institution') as care
      from stays where ${where(sql`ended_at`, sql`station_id`)} group by 1`),
    rawRows<Row>(db, sql`select ${key(sql`at`, sql`station_id`)} as k, item_id::text as item_id,
        coalesce(sum(quantity), 0) as q, coalesce(sum(quantity::bigint * unit_value_fen), 0) as v
      from supply_ledger where ${where(sql`at`, sql`station_id`)} and kind = 'handed_out' group by 1, 2`),
    rawRows<Row>(db, sql`select k, percentile_disc(0.5) within group (order by secs) as p50,
        percentile_disc(0.9) within group (order by secs) as p90, count(*) as c
      from (select ${key(sql`received_at`, sql`station_id`)} as k,
              greatest(0, round(extract(epoch from (on_scene_at - received_at))))::int as secs
            from cases where ${where(sql`received_at`, sql`station_id`)} and on_scene_at is not null
              and status not in ('merged', 'cancelled')) x group by 1`),
    rawRows<Row>(db, sql`select ${key(sql`f.at`, sql`f.station_id`)} as k, count(distinct coalesce(pe.merged_into_id, f.person_id)) as found
      from family_search_log f join people pe on pe.id = f.person_id
      where ${where(sql`f.at`, sql`f.station_id`)} and f.status = 'family_found' group by 1`),
  ]);

  for (const r of patrols) { const f = get(r.k); f.patrols = n(r.patrols); f.staffPersonTimes += n(r.foot); }
  for (const r of sorties) { const f = get(r.k); f.sorties = n(r.sorties); f.staffPersonTimes += n(r.crew); }
  for (const r of visits) get(r.k).keyPointVisits = n(r.visits);
  for (const r of encounters) {
    const f = get(r.k);
    f.foundPersonTimes = n(r.found_pt);
    f.foundPersons = n(r.found_persons);
    f.aidedInStation += n(r.brought_in);
    f.aidedOnStreet = n(r.street_aid) + n(r.refused_supplied);
    f.hospital += n(r.hospital);
    f.escortedHome += n(r.escorted_home);
    f.familyPickup += n(r.family_pickup);
    f.referred += n(r.referred);
  }
  for (const r of walkIns) get(r.k).aidedInStation += n(r.walk_ins);
  for (const r of ended) {
    const f = get(r.k);
    f.escortedHome += n(r.escorted_home);
    f.familyPickup += n(r.family_pickup);
    f.hospital += n(r.hospital);
    f.referred += n(r.care);
  }
  for (const r of ledger) {
    const f = get(r.k);
    const line: SupplyFigure = { itemId: String(r.item_id), quantity: n(r.q), valueFen: n(r.v) };
    f.supplies.push(line);
    f.suppliesQuantity += line.quantity;
    f.suppliesValueFen += line.valueFen;
  }
  for (const r of cases) {
    const f = get(r.k);
    f.responseP50Sec = r.p50 === null ? null : n(r.p50);
    f.responseP90Sec = r.p90 === null ? null : n(r.p90);
    f.responseCount = n(r.c);
  }
  for (const r of families) get(r.k).familiesFound = n(r.found);
  for (const f of out.values()) {
    f.aidedTotal = f.aidedInStation + f.aidedOnStreet;
    f.escorts = f.escortedHome + f.familyPickup;
    f.supplies.sort((a, b) => a.itemId.localeCompare(b.itemId));
  }
  return out;
}

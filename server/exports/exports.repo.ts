import { sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { nextPageIds } from "./records.repo.js";

/** One encounter row of the records export. */
export interface EncounterExportRow {
  id: string;
  station_id: string;
  occurred_at: string | Date;
  found: boolean;
  outcome: string;
  person_id: string | null;
  merged_into_id: string | null;
  name: string | null;
  id_number: string | null;
  hometown: string | null;
  gender: string | null;
  approx_age: number | null;
  lat: number | null;
  lng: number | null;
  place: string | null;
  notes: string;
  supplies: string | null;
  value_fen: string | number | null;
}

const stationList = (ids: string[]) =>
  sql.join(
    ids.map((i) => sql`${i}::uuid`),
    sql`, `,
  );

/** How many encounters an export will hold (for the progress bar). */
export async function countEncounters(db: DbOrTx, stationIds: string[], from: Date, to: Date): Promise<number> {
  if (!stationIds.length) return 0;
  const [r] = await rawRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from encounters
    where station_id in (${stationList(stationIds)}) and occurred_at >= ${from.toISOString()}::timestamptz and occurred_at < ${to.toISOString()}::timestamptz`,
  );
  return Number(r?.n ?? 0);
}

/** A page of encounters after a keyset cursor (occurred_at, id), with the supplies handed out. */
export async function encounterPage(
  db: DbOrTx,
  o: { stationIds: string[]; from: Date; to: Date; after?: { at: string; id: string }; limit: number },
): Promise<EncounterExportRow[]> {
  if (!o.stationIds.length) return [];
  return rawRows<EncounterExportRow>(
    db,
    sql`
    select e.id, e.station_id, e.occurred_at, e.found, e.outcome, e.person_id, p.merged_into_id, p.name, p.id_number, p.hometown, p.gender, p.approx_age,
      e.lat, e.lng, coalesce(kp.name, c.place_text) as place, e.notes,
      (select string_agg(i.code || ' x' || l.quantity, '; ' order by i.code) from supply_ledger l join supply_items i on i.id = l.item_id
        where l.encounter_id = e.id and l.kind = 'handed_out') as supplies,
      (select sum(l.quantity::bigint * l.unit_value_fen) from supply_ledger l where l.encounter_id = e.id and l.kind = 'handed_out') as value_fen
    from ${nextPageIds({ table: "encounters", time: "occurred_at", s: o, after: o.after, limit: o.limit })} pg join encounters e on e.id = pg.id
    left join people p on p.id = e.person_id
    left join key_point_visits v on v.id = e.key_point_visit_id
    left join key_points kp on kp.id = v.key_point_id
    left join cases c on c.id = e.case_id
    order by e.occurred_at, e.id`,
  );
}

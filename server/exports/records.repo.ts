import { sql, type SQL } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";

/**
 * Reads of the records behind the totals, for exports: a count (the progress bar's total) and
 * keyset pages ordered by (time, id), so a 100k-row export never holds more than one page and
 * never re-scans with OFFSET. Each kind selects rows exactly as the totals count them (same
 * station scope and the same time column), so a file's rows are the figures' records.
 */

/** What every export query is over: stations and a time range [from, to). */
export interface RecordScope { stationIds: string[]; from: Date; to: Date }
/** Position after the last row of the previous page. */
export interface Cursor { at: string; id: string }

/** A patrol with its sorties and staff. */
export interface PatrolRecord {
  id: string; station_id: string; kind: string; started_at: string | Date; ended_at: string | Date | null;
  foot_staff: { agency: string; count: number }[] | string; sorties: string | number; crew: string | number; call_signs: string | null;
}
/** A sortie with its vehicle. */
export interface SortieRecord {
  id: string; station_id: string; patrol_id: string; call_sign: string; crew_count: number; crew_names: string[] | string;
  started_at: string | Date; ended_at: string | Date | null;
}
/** A key-point visit. */
export interface VisitRecord {
  id: string; station_id: string; key_point: string; kind: string; patrol_id: string | null; call_sign: string | null;
  people_found: number; notes: string; visited_at: string | Date;
}
/** A stay with its place and person. */
export interface StayRecord {
  id: string; station_id: string; shelter: string | null; person_id: string | null; merged_into_id: string | null; name: string | null;
  encounter_id: string | null; bed: string; needs: string[] | string; arrived_at: string | Date; ended_at: string | Date | null;
  end_reason: string | null; travel_voucher: boolean; destination: string;
}
/** A supply ledger line. */
export interface LedgerRecord {
  id: string; station_id: string; call_sign: string | null; code: string; name_zh: string; name_en: string; unit_zh: string; unit_en: string;
  kind: string; quantity: number; unit_value_fen: number; encounter_id: string | null; notes: string; at: string | Date;
}

const ids = (stationIds: string[]) => sql.join(stationIds.map((i) => sql`${i}::uuid`), sql`, `);
const range = (col: SQL, s: RecordScope) => sql`${col} >= ${s.from.toISOString()}::timestamptz and ${col} < ${s.to.toISOString()}::timestamptz`;
const after = (at: SQL, id: SQL, c?: Cursor) => (c ? sql`and (${at}, ${id}) > (${c.at}::timestamptz, ${c.id}::uuid)` : sql``);

/** A table's filter: station in scope and its time column in range (stays: arrived or ended in range, as totals count both). */
function where(kind: "patrols" | "sorties" | "visits" | "stays" | "ledger", s: RecordScope, alias: string): SQL {
  const a = sql.raw(alias);
  const inStations = sql`${a}.station_id in (${ids(s.stationIds)})`;
  switch (kind) {
    case "patrols": case "sorties": return sql`${inStations} and ${range(sql`${a}.started_at`, s)}`;
    case "visits": return sql`${inStations} and ${range(sql`${a}.visited_at`, s)}`;
    case "ledger": return sql`${inStations} and ${range(sql`${a}.at`, s)}`;
    case "stays": return sql`${inStations} and ((${range(sql`${a}.arrived_at`, s)}) or (${range(sql`${a}.ended_at`, s)}))`;
  }
}

const TABLE = { patrols: "patrols", sorties: "sorties", visits: "key_point_visits", stays: "stays", ledger: "supply_ledger" } as const;

/** How many rows an export of `kind` will hold. */
export async function countRecords(db: DbOrTx, kind: keyof typeof TABLE, s: RecordScope): Promise<number> {
  if (!s.stationIds.length) return 0;
  const [r] = await rawRows<{ n: string | number }>(db, sql`select count(*) as n from ${sql.raw(TABLE[kind])} x where ${where(kind, s, "x")}`);
  return Number(r?.n ?? 0);
}

/** A page of patrols, with sortie count, crew sum and call signs (staff person-times = crew + foot staff). */
export async function patrolPage(db: DbOrTx, s: RecordScope, c: Cursor | undefined, limit: number): Promise<PatrolRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<PatrolRecord>(db, sql`
    select p.id, p.station_id, p.kind, p.started_at, p.ended_at, p.foot_staff,
      (select count(*) from sorties so where so.patrol_id = p.id) as sorties,
      (select coalesce(sum(so.crew_count), 0) from sorties so where so.patrol_id = p.id) as crew,
      (select string_agg(v.call_sign, ' ' order by so.started_at, v.call_sign) from sorties so join vehicles v on v.id = so.vehicle_id where so.patrol_id = p.id) as call_signs
    from patrols p where ${where("patrols", s, "p")} ${after(sql`p.started_at`, sql`p.id`, c)}
    order by p.started_at, p.id limit ${limit}`);
}

/** A page of sorties with call signs. */
export async function sortiePage(db: DbOrTx, s: RecordScope, c: Cursor | undefined, limit: number): Promise<SortieRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<SortieRecord>(db, sql`
    select so.id, so.station_id, so.patrol_id, v.call_sign, so.crew_count, so.crew_names, so.started_at, so.ended_at
    from sorties so join vehicles v on v.id = so.vehicle_id
    where ${where("sorties", s, "so")} ${after(sql`so.started_at`, sql`so.id`, c)}
    order by so.started_at, so.id limit ${limit}`);
}

/** A page of key-point visits with the key point's name. */
export async function visitPage(db: DbOrTx, s: RecordScope, c: Cursor | undefined, limit: number): Promise<VisitRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<VisitRecord>(db, sql`
    select kv.id, kv.station_id, kp.name as key_point, kp.kind, kv.patrol_id, v.call_sign, kv.people_found, kv.notes, kv.visited_at
    from key_point_visits kv join key_points kp on kp.id = kv.key_point_id
    left join sorties so on so.id = kv.sortie_id left join vehicles v on v.id = so.vehicle_id
    where ${where("visits", s, "kv")} ${after(sql`kv.visited_at`, sql`kv.id`, c)}
    order by kv.visited_at, kv.id limit ${limit}`);
}

/** A page of stays with the shelter's name and the person (identity is dropped later by role). */
export async function stayPage(db: DbOrTx, s: RecordScope, c: Cursor | undefined, limit: number): Promise<StayRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<StayRecord>(db, sql`
    select st.id, st.station_id, sh.name as shelter, st.person_id, p.merged_into_id, p.name, st.encounter_id, st.bed, st.needs,
      st.arrived_at, st.ended_at, st.end_reason, st.travel_voucher, st.destination
    from stays st left join shelters sh on sh.id = st.shelter_id left join people p on p.id = st.person_id
    where ${where("stays", s, "st")} ${after(sql`st.arrived_at`, sql`st.id`, c)}
    order by st.arrived_at, st.id limit ${limit}`);
}

/** A page of supply ledger lines with the item and vehicle. */
export async function ledgerPage(db: DbOrTx, s: RecordScope, c: Cursor | undefined, limit: number): Promise<LedgerRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<LedgerRecord>(db, sql`
    select l.id, l.station_id, v.call_sign, i.code, i.name_zh, i.name_en, i.unit_zh, i.unit_en, l.kind, l.quantity, l.unit_value_fen,
      l.encounter_id, l.notes, l.at
    from supply_ledger l join supply_items i on i.id = l.item_id left join vehicles v on v.id = l.vehicle_id
    where ${where("ledger", s, "l")} ${after(sql`l.at`, sql`l.id`, c)}
    order by l.at, l.id limit ${limit}`);
}

import { sql, type SQL } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";

/**
 * Reads of the records behind the totals, for exports: a count (the progress bar's total) and
 * keyset pages ordered by (time, id), so a 100k-row export never holds more than one page and
 * never re-scans with OFFSET. Each kind selects rows exactly as the totals count them (same
 * station scope and the same time column), so a file's rows are the figures' records.
 */

/** What every export query is over: stations and a time range [from, to). */
export interface RecordScope {
  stationIds: string[];
  from: Date;
  to: Date;
}
/** Position after the last row of the previous page. */
export interface Cursor {
  at: string;
  id: string;
}

/** A patrol with its sorties and staff. */
export interface PatrolRecord {
  id: string;
  station_id: string;
  kind: string;
  started_at: string | Date;
  ended_at: string | Date | null;
  foot_staff: { agency: string; count: number }[] | string;
  sorties: string | number;
  crew: string | number;
  call_signs: string | null;
}
/** A sortie with its vehicle. */
export interface SortieRecord {
  id: string;
  station_id: string;
  patrol_id: string;
  call_sign: string;
  crew_count: number;
  crew_names: string[] | string;
  started_at: string | Date;
  ended_at: string | Date | null;
}
/** A key-point visit. */
export interface VisitRecord {
  id: string;
  station_id: string;
  key_point: string;
  kind: string;
  patrol_id: string | null;
  call_sign: string | null;
  people_found: number;
  notes: string;
  visited_at: string | Date;
}
/** A stay with its place and person. */
export interface StayRecord {
  id: string;
  station_id: string;
  shelter: string | null;
  person_id: string | null;
  merged_into_id: string | null;
  name: string | null;
  encounter_id: string | null;
  bed: string;
  needs: string[] | string;
  arrived_at: string | Date;
  ended_at: string | Date | null;
  end_reason: string | null;
  travel_voucher: boolean;
  destination: string;
}
/** A supply ledger line. */
export interface LedgerRecord {
  id: string;
  station_id: string;
  call_sign: string | null;
  code: string;
  name_zh: string;
  name_en: string;
  unit_zh: string;
  unit_en: string;
  kind: string;
  quantity: number;
  unit_value_fen: number;
  encounter_id: string | null;
  notes: string;
  at: string | Date;
}

const ids = (stationIds: string[]) =>
  sql.join(
    stationIds.map((i) => sql`${i}::uuid`),
    sql`, `,
  );
const range = (col: SQL, s: RecordScope) =>
  sql`${col} >= ${s.from.toISOString()}::timestamptz and ${col} < ${s.to.toISOString()}::timestamptz`;
const after = (at: SQL, id: SQL, c?: Cursor) =>
  c ? sql`and (${at}, ${id}) > (${c.at}::timestamptz, ${c.id}::uuid)` : sql``;

/** A table's filter: station in scope and its time column in range (stays: arrived or ended in range, as totals count both). */
function where(kind: "patrols" | "sorties" | "visits" | "stays" | "ledger", s: RecordScope, alias: string): SQL {
  const a = sql.raw(alias);
  const inStations = sql`${a}.station_id in (${ids(s.stationIds)})`;
  switch (kind) {
    case "patrols":
    case "sorties":
      return sql`${inStations} and ${range(sql`${a}.started_at`, s)}`;
    case "visits":
      return sql`${inStations} and ${range(sql`${a}.visited_at`, s)}`;
    case "ledger":
      return sql`${inStations} and ${range(sql`${a}.at`, s)}`;
    case "stays":
      return sql`${inStations} and ((${range(sql`${a}.arrived_at`, s)}) or (${range(sql`${a}.ended_at`, s)}))`;
  }
}

/** Movement kinds of the ledger: its time index leads with (station, kind), so pages are read per kind. */
const LEDGER_KINDS = ["received", "loaded", "handed_out", "returned", "written_off"] as const;

/**
 * Ids and times of the next page, read so that every part uses its (station[, kind], time) index:
 * one ordered, limited branch per station (and per ledger kind), merged. A single ordered query
 * over `station_id in (...)` would sort everything after the cursor again on every page, which
 * makes a 100k-row export quadratic.
 */
export function nextPageIds(o: {
  table: string;
  time: string;
  s: RecordScope;
  after?: Cursor;
  limit: number;
  kinds?: readonly string[];
}): SQL {
  const t = sql.raw(o.table),
    time = sql.raw(`x.${o.time}`);
  const branches: SQL[] = [];
  for (const station of o.s.stationIds) {
    for (const kind of o.kinds ?? [undefined]) {
      branches.push(sql`(select x.id, ${time} as t from ${t} x where x.station_id = ${station}::uuid
        ${kind ? sql`and x.kind = ${kind}` : sql``} and ${range(time, o.s)}
        ${o.after ? sql`and ${time} >= ${o.after.at}::timestamptz and (${time}, x.id) > (${o.after.at}::timestamptz, ${o.after.id}::uuid)` : sql``}
        order by ${time}, x.id limit ${o.limit})`);
    }
  }
  return sql`(select u.id, u.t from (${sql.join(branches, sql` union all `)}) u order by u.t, u.id limit ${o.limit})`;
}

const TABLE = {
  patrols: "patrols",
  sorties: "sorties",
  visits: "key_point_visits",
  stays: "stays",
  ledger: "supply_ledger",
} as const;

/** How many rows an export of `kind` will hold. */
export async function countRecords(db: DbOrTx, kind: keyof typeof TABLE, s: RecordScope): Promise<number> {
  if (!s.stationIds.length) return 0;
  const [r] = await rawRows<{ n: string | number }>(
    db,
    sql`select count(*) as n from ${sql.raw(TABLE[kind])} x where ${where(kind, s, "x")}`,
  );
  return Number(r?.n ?? 0);
}

/** A page of patrols, with sortie count, crew sum and call signs (staff person-times = crew + foot staff). */
export async function patrolPage(
  db: DbOrTx,
  s: RecordScope,
  c: Cursor | undefined,
  limit: number,
): Promise<PatrolRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<PatrolRecord>(
    db,
    sql`
    select p.id, p.station_id, p.kind, p.started_at, p.ended_at, p.foot_staff,
      (select count(*) from sorties so where so.patrol_id = p.id) as sorties,
      (select coalesce(sum(so.crew_count), 0) from sorties so where so.patrol_id = p.id) as crew,
      (select string_agg(v.call_sign, ' ' order by so.started_at, v.call_sign) from sorties so join vehicles v on v.id = so.vehicle_id where so.patrol_id = p.id) as call_signs
    from ${nextPageIds({ table: "patrols", time: "started_at", s, after: c, limit })} pg join patrols p on p.id = pg.id
    order by p.started_at, p.id`,
  );
}

/** A page of sorties with call signs. */
export async function sortiePage(
  db: DbOrTx,
  s: RecordScope,
  c: Cursor | undefined,
  limit: number,
): Promise<SortieRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<SortieRecord>(
    db,
    sql`
    select so.id, so.station_id, so.patrol_id, v.call_sign, so.crew_count, so.crew_names, so.started_at, so.ended_at
    from ${nextPageIds({ table: "sorties", time: "started_at", s, after: c, limit })} pg join sorties so on so.id = pg.id
    join vehicles v on v.id = so.vehicle_id
    order by so.started_at, so.id`,
  );
}

/** A page of key-point visits with the key point's name. */
export async function visitPage(
  db: DbOrTx,
  s: RecordScope,
  c: Cursor | undefined,
  limit: number,
): Promise<VisitRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<VisitRecord>(
    db,
    sql`
    select kv.id, kv.station_id, kp.name as key_point, kp.kind, kv.patrol_id, v.call_sign, kv.people_found, kv.notes, kv.visited_at
    from ${nextPageIds({ table: "key_point_visits", time: "visited_at", s, after: c, limit })} pg join key_point_visits kv on kv.id = pg.id
    join key_points kp on kp.id = kv.key_point_id
    left join sorties so on so.id = kv.sortie_id left join vehicles v on v.id = so.vehicle_id
    order by kv.visited_at, kv.id`,
  );
}

/**
 * A page of stays with the shelter's name and the person (identity is dropped later by role).
 * Stays count on arrival and on departure, so one that arrived before the range and left in it
 * is a record of the range too; stays are few, so one ordered query is enough here.
 */
export async function stayPage(
  db: DbOrTx,
  s: RecordScope,
  c: Cursor | undefined,
  limit: number,
): Promise<StayRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<StayRecord>(
    db,
    sql`
    select st.id, st.station_id, sh.name as shelter, st.person_id, p.merged_into_id, p.name, st.encounter_id, st.bed, st.needs,
      st.arrived_at, st.ended_at, st.end_reason, st.travel_voucher, st.destination
    from stays st left join shelters sh on sh.id = st.shelter_id left join people p on p.id = st.person_id
    where ${where("stays", s, "st")} ${after(sql`st.arrived_at`, sql`st.id`, c)}
    order by st.arrived_at, st.id limit ${limit}`,
  );
}

/** A page of supply ledger lines with the item and vehicle. */
export async function ledgerPage(
  db: DbOrTx,
  s: RecordScope,
  c: Cursor | undefined,
  limit: number,
): Promise<LedgerRecord[]> {
  if (!s.stationIds.length) return [];
  return rawRows<LedgerRecord>(
    db,
    sql`
    select l.id, l.station_id, v.call_sign, i.code, i.name_zh, i.name_en, i.unit_zh, i.unit_en, l.kind, l.quantity, l.unit_value_fen,
      l.encounter_id, l.notes, l.at
    from ${nextPageIds({ table: "supply_ledger", time: "at", s, after: c, limit, kinds: LEDGER_KINDS })} pg join supply_ledger l on l.id = pg.id
    join supply_items i on i.id = l.item_id left join vehicles v on v.id = l.vehicle_id
    order by l.at, l.id`,
  );
}

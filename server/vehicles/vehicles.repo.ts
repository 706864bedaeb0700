import { and, asc, desc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { rawRows } from "../db/client.js";
import { assignments, sorties, supplyItems, supplyLedger, vehicles } from "../db/schema/index.js";

export type VehicleRow = typeof vehicles.$inferSelect;
export type SortieRow = typeof sorties.$inferSelect;
export type AssignmentRow = typeof assignments.$inferSelect;

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** Vehicles of the given stations (all when `stationIds` is undefined), optionally filtered. */
export async function listVehicles(
  db: DbOrTx,
  opts: { stationIds?: string[]; stationId?: string; status?: string },
): Promise<VehicleRow[]> {
  const conds = [];
  if (opts.stationIds) conds.push(inArray(vehicles.stationId, opts.stationIds.length ? opts.stationIds : [NO_ID]));
  if (opts.stationId) conds.push(eq(vehicles.stationId, opts.stationId));
  if (opts.status) conds.push(eq(vehicles.status, opts.status));
  // A station has tens of vehicles, a city a few hundred: the bound is generous but real.
  return db
    .select()
    .from(vehicles)
    .where(and(...conds))
    .orderBy(asc(vehicles.callSign))
    .limit(1000);
}

const EARTH_RADIUS_M = 6_371_008.8;
/** Box half-widths tried in turn (metres); past the last, the whole fleet is ranked. */
const NEAREST_RADII_M = [1_000, 8_000, 64_000];

/**
 * The `limit` vehicles nearest to `at` (haversine, as shared/geo.ts), then those without a
 * position. Index-backed: each try reads only the bounding box of a circle of radius r
 * (`vehicles_status_position_idx`: a range on last_lat, last_lng checked in the index); the box's
 * answer is final once it holds `limit` vehicles and the farthest of them is within r, since every
 * vehicle outside the box is farther than r. Otherwise the box widens, and past the last radius
 * (a small or spread-out fleet) the whole selection is ranked as before.
 */
export async function nearestVehicles(
  db: DbOrTx,
  opts: { stationIds?: string[]; status: string; at: { lat: number; lng: number }; limit: number },
): Promise<VehicleRow[]> {
  const { lat, lng } = opts.at;
  const base = [eq(vehicles.status, opts.status)];
  if (opts.stationIds) base.push(inArray(vehicles.stationId, opts.stationIds.length ? opts.stationIds : [NO_ID]));
  const dist = sql<number>`2 * ${EARTH_RADIUS_M}::float8 * asin(least(1, sqrt(
        power(sin(radians(${vehicles.lastLat} - ${lat}::float8) / 2), 2)
        + cos(radians(${lat}::float8)) * cos(radians(${vehicles.lastLat}))
          * power(sin(radians(${vehicles.lastLng} - ${lng}::float8) / 2), 2))))`;
  for (const r of NEAREST_RADII_M) {
    const dLat = (r / EARTH_RADIUS_M) * (180 / Math.PI);
    const maxAbsLat = Math.abs(lat) + dLat;
    const dLng = maxAbsLat >= 89 ? 360 : dLat / Math.cos((maxAbsLat * Math.PI) / 180);
    const box = [sql`${vehicles.lastLat} between ${lat - dLat}::float8 and ${lat + dLat}::float8`];
    // Near a pole or across the antimeridian the longitude range is not one interval: latitude only.
    if (dLng < 180 && lng - dLng > -180 && lng + dLng < 180)
      box.push(sql`${vehicles.lastLng} between ${lng - dLng}::float8 and ${lng + dLng}::float8`);
    const rows = await db
      .select({ v: vehicles, d: dist })
      .from(vehicles)
      .where(and(...base, ...box))
      .orderBy(dist, asc(vehicles.callSign))
      .limit(opts.limit);
    if (rows.length === opts.limit && Number(rows[rows.length - 1]!.d) <= r) return rows.map((x) => x.v);
  }
  return db
    .select()
    .from(vehicles)
    .where(and(...base))
    .orderBy(sql`${vehicles.lastLat} is null`, dist, asc(vehicles.callSign))
    .limit(opts.limit);
}

/**
 * One vehicle. `forUpdate` locks the row until the transaction ends: used where concurrent
 * hand-outs, loads, returns and write-offs must not overdraw the vehicle's load. FOR NO KEY UPDATE
 * so that rows referencing the vehicle can still be inserted meanwhile (see the lock order in
 * server/supplies/supplies.repo.ts).
 */
export async function findVehicle(db: DbOrTx, id: string, forUpdate = false): Promise<VehicleRow | undefined> {
  const q = db.select().from(vehicles).where(eq(vehicles.id, id)).limit(1);
  const [row] = forUpdate ? await q.for("no key update") : await q;
  return row;
}

/** Inserts a vehicle unless its id or call sign exists. */
export async function insertVehicle(db: DbOrTx, values: typeof vehicles.$inferInsert): Promise<VehicleRow | undefined> {
  const [row] = await db.insert(vehicles).values(values).onConflictDoNothing().returning();
  return row;
}

/** Updates a vehicle if `version` still matches (and, when given, the status is still `fromStatus`). */
export async function updateVehicle(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<typeof vehicles.$inferInsert>,
  fromStatus?: string,
): Promise<VehicleRow | undefined> {
  const conds = [eq(vehicles.id, id), eq(vehicles.version, version)];
  if (fromStatus) conds.push(eq(vehicles.status, fromStatus));
  const [row] = await db
    .update(vehicles)
    .set({ ...patch, version: sql`${vehicles.version} + 1` })
    .where(and(...conds))
    .returning();
  return row;
}

/** True when another vehicle already has this call sign. */
export async function callSignTaken(db: DbOrTx, callSign: string, exceptId?: string): Promise<boolean> {
  const rows = await db.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.callSign, callSign)).limit(2);
  return rows.some((r) => r.id !== exceptId);
}

/** Open sorties of the given vehicles, by vehicle id. */
export async function openSortiesOf(db: DbOrTx, vehicleIds: string[]): Promise<Map<string, SortieRow>> {
  if (!vehicleIds.length) return new Map();
  const rows = await db
    .select()
    .from(sorties)
    .where(and(inArray(sorties.vehicleId, vehicleIds), isNull(sorties.endedAt)))
    .orderBy(desc(sorties.startedAt));
  const map = new Map<string, SortieRow>();
  for (const r of rows) if (!map.has(r.vehicleId)) map.set(r.vehicleId, r);
  return map;
}

/** Active (not cleared, not cancelled) tasks of the given vehicles, newest per vehicle. */
export async function activeTasksOf(db: DbOrTx, vehicleIds: string[]): Promise<Map<string, AssignmentRow>> {
  if (!vehicleIds.length) return new Map();
  const rows = await db
    .select()
    .from(assignments)
    .where(and(inArray(assignments.vehicleId, vehicleIds), notInArray(assignments.status, ["cleared", "cancelled"])))
    .orderBy(desc(assignments.dispatchedAt));
  const map = new Map<string, AssignmentRow>();
  for (const r of rows) if (!map.has(r.vehicleId)) map.set(r.vehicleId, r);
  return map;
}

/** One line of a vehicle's load, with catalog names. */
interface LoadLine {
  itemId: string;
  code: string;
  nameZh: string;
  nameEn: string;
  quantity: number;
}

/**
 * What is on board a vehicle: loaded − handed_out − returned − written_off per item, over the whole
 * ledger of that vehicle (what was not returned at the end of a sortie stays on board for the next
 * one). The same directions as shared/counting.ts stockFromLedger and the stock page: a write-off
 * from the vehicle (lost, soaked) leaves the load too, so it can be neither handed out nor returned.
 * Uses ledger_vehicle_item_idx. Items with zero balance are left out.
 */
export async function vehicleLoad(db: DbOrTx, vehicleId: string): Promise<LoadLine[]> {
  const rows = await rawRows<{
    item_id: string;
    code: string;
    name_zh: string;
    name_en: string;
    quantity: string | number;
  }>(
    db,
    sql`
    select l.item_id, i.code, i.name_zh, i.name_en,
           sum(case l.kind when 'loaded' then l.quantity else -l.quantity end) as quantity
    from ${supplyLedger} l join ${supplyItems} i on i.id = l.item_id
    where l.vehicle_id = ${vehicleId} and l.kind in ('loaded', 'handed_out', 'returned', 'written_off')
    group by l.item_id, i.code, i.name_zh, i.name_en
    order by i.code`,
  );
  return rows
    .map((r) => ({
      itemId: r.item_id,
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      quantity: Number(r.quantity),
    }))
    .filter((r) => r.quantity > 0);
}

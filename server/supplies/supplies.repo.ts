import { and, asc, eq, sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { stations, supplyItems, supplyLedger, vehicles } from "../db/schema/index.js";

export type SupplyItemRow = typeof supplyItems.$inferSelect;
export type LedgerRow = typeof supplyLedger.$inferSelect;

/** The catalog (a few dozen items). */
export async function listSupplyItems(db: DbOrTx): Promise<SupplyItemRow[]> {
  return db.select().from(supplyItems).orderBy(asc(supplyItems.code)).limit(1000);
}

/** One item. */
export async function findSupplyItem(db: DbOrTx, id: string): Promise<SupplyItemRow | undefined> {
  const [row] = await db.select().from(supplyItems).where(eq(supplyItems.id, id)).limit(1);
  return row;
}

/** Inserts an item unless its id or code exists. */
export async function insertSupplyItem(
  db: DbOrTx,
  v: typeof supplyItems.$inferInsert,
): Promise<SupplyItemRow | undefined> {
  const [row] = await db.insert(supplyItems).values(v).onConflictDoNothing().returning();
  return row;
}

/** Updates an item if the version matches. */
export async function updateSupplyItem(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<typeof supplyItems.$inferInsert>,
): Promise<SupplyItemRow | undefined> {
  const [row] = await db
    .update(supplyItems)
    .set({ ...patch, version: sql`${supplyItems.version} + 1` })
    .where(and(eq(supplyItems.id, id), eq(supplyItems.version, version)))
    .returning();
  return row;
}

/**
 * Stock of a station, per item: in the store and per vehicle, summed over the ledger with the
 * directions of shared/counting.ts stockFromLedger. Uses the (station_id, item_id) index.
 */
export async function stockOf(
  db: DbOrTx,
  stationId: string,
  itemId?: string,
): Promise<{ itemId: string; vehicleId: string | null; station: number; vehicle: number }[]> {
  const rows = await rawRows<{
    item_id: string;
    vehicle_id: string | null;
    station: string | number;
    vehicle: string | number;
  }>(
    db,
    sql`
    select item_id, vehicle_id,
      coalesce(sum(case kind
        when 'received' then quantity when 'loaded' then -quantity when 'returned' then quantity
        when 'handed_out' then case when vehicle_id is null then -quantity else 0 end
        when 'written_off' then case when vehicle_id is null then -quantity else 0 end
        else 0 end), 0) as station,
      coalesce(sum(case when vehicle_id is null then 0 else case kind
        when 'loaded' then quantity when 'returned' then -quantity when 'handed_out' then -quantity when 'written_off' then -quantity
        else 0 end end), 0) as vehicle
    from supply_ledger where station_id = ${stationId}::uuid ${itemId ? sql`and item_id = ${itemId}::uuid` : sql``}
    group by item_id, vehicle_id`,
  );
  return rows.map((r) => ({
    itemId: r.item_id,
    vehicleId: r.vehicle_id,
    station: Number(r.station),
    vehicle: Number(r.vehicle),
  }));
}

/*
 * LOCK ORDER. A write that takes more than one of these row locks takes them in this order, and
 * always before reading the balance it checks:
 *
 *   0. a task, then its case  dispatch.repo findAssignment / findCase(…, true)   dispatch steps
 *   1. the station's store    lockStationStock (station row)    loads, write-offs from the store
 *   2. a vehicle's load       vehicles.repo findVehicle(…, true) loads, hand-outs, returns, write-offs from it
 *                             (dispatch's plain UPDATE of the vehicle's status takes the same lock)
 *   3. a patrol               patrols.repo findPatrol(…, true)   joining / ending a joint patrol
 *   4. a sortie               patrols.repo findSortie(…, true)   ending it
 *
 * All of them are FOR NO KEY UPDATE, not FOR UPDATE. Inserting a row that references one of them
 * (a patrol, sortie or ledger row naming the station, the vehicle, the patrol) takes a FOR KEY SHARE
 * lock on it for the foreign key; FOR UPDATE conflicts with that, so "insert a child, then lock the
 * parent" in two transactions at once deadlocked (20 crews starting sorties at one station did,
 * each holding KEY SHARE on the station from its patrol insert and waiting for FOR UPDATE on it).
 * FOR NO KEY UPDATE still excludes every other lock of this list and every UPDATE of the row, so it
 * serialises what it must, but not foreign-key checks; none of these rows' keys ever change.
 * Balances are read after the lock, in a later statement, so under READ COMMITTED they see every
 * movement the previous holder committed.
 */

/** Locks a station's store (lock order 1): movements out of it queue up, so none can overdraw it. */
export async function lockStationStock(tx: DbOrTx, stationId: string): Promise<void> {
  await tx.select({ id: stations.id }).from(stations).where(eq(stations.id, stationId)).for("no key update");
}

/**
 * What is in a station's store per item: received + returned − loaded − written off or handed out
 * straight from the store (rows without a vehicle). Same directions as shared/counting.ts
 * stockFromLedger and the stock page (stockOf); uses ledger_station_item_idx.
 */
export async function storeStock(db: DbOrTx, stationId: string, itemIds: string[]): Promise<Map<string, number>> {
  if (!itemIds.length) return new Map();
  const rows = await rawRows<{ item_id: string; quantity: string | number }>(
    db,
    sql`
    select item_id, sum(case
      when kind in ('received', 'returned') then quantity
      when kind = 'loaded' then -quantity
      when kind in ('handed_out', 'written_off') and vehicle_id is null then -quantity
      else 0 end) as quantity
    from ${supplyLedger}
    where station_id = ${stationId} and item_id in (${sql.join(
      itemIds.map((i) => sql`${i}`),
      sql`, `,
    )})
    group by item_id`,
  );
  return new Map(rows.map((r) => [r.item_id, Number(r.quantity)]));
}

/** Appends a ledger row unless its id exists. */
export async function insertLedger(db: DbOrTx, v: typeof supplyLedger.$inferInsert): Promise<LedgerRow | undefined> {
  const [row] = await db.insert(supplyLedger).values(v).onConflictDoNothing().returning();
  return row;
}

/** One ledger row. */
export async function findLedger(db: DbOrTx, id: string): Promise<LedgerRow | undefined> {
  const [row] = await db.select().from(supplyLedger).where(eq(supplyLedger.id, id)).limit(1);
  return row;
}

/** Call signs of a station's vehicles. */
export async function vehicleCallSigns(
  db: DbOrTx,
  stationId: string,
): Promise<Map<string, { callSign: string; stationId: string }>> {
  const rows = await db
    .select({ id: vehicles.id, callSign: vehicles.callSign, stationId: vehicles.stationId })
    .from(vehicles)
    .where(eq(vehicles.stationId, stationId));
  return new Map(rows.map((r) => [r.id, r]));
}

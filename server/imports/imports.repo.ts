import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { keyPoints, stations, supplyItems, vehicles } from "../db/schema/index.js";

export type KeyPointRow = typeof keyPoints.$inferSelect;
export type VehicleRow = typeof vehicles.$inferSelect;
export type SupplyItemRow = typeof supplyItems.$inferSelect;

/** Station ids by code (every station: a city has tens, not thousands). */
export async function stationIdsByCode(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.select({ id: stations.id, code: stations.code }).from(stations);
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** Key points (active or not) of the given stations. */
export async function keyPointsOf(db: DbOrTx, stationIds: string[]): Promise<KeyPointRow[]> {
  if (!stationIds.length) return [];
  return db.select().from(keyPoints).where(inArray(keyPoints.stationId, stationIds));
}

/** Vehicles with the given call signs. */
export async function vehiclesByCallSign(db: DbOrTx, callSigns: string[]): Promise<VehicleRow[]> {
  if (!callSigns.length) return [];
  return db.select().from(vehicles).where(inArray(vehicles.callSign, callSigns));
}

/** Catalog items with the given codes. */
export async function supplyItemsByCode(db: DbOrTx, codes: string[]): Promise<SupplyItemRow[]> {
  if (!codes.length) return [];
  return db.select().from(supplyItems).where(inArray(supplyItems.code, codes));
}

/**
 * Holds off other writers of an imported table until the import commits, so two imports of the same
 * file cannot both find a row missing and both add it (key points have no unique name per station).
 * SHARE ROW EXCLUSIVE: reads and the key-share checks of rows referencing the table go on.
 */
export async function lockForImport(tx: DbOrTx, table: "key_points" | "vehicles" | "supply_items"): Promise<void> {
  await tx.execute(sql`LOCK TABLE ${sql.identifier(table)} IN SHARE ROW EXCLUSIVE MODE`);
}

import { inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import type { ImportTable } from "./import-kinds.js";
import { keyPoints, regions, shelters, stations, supplyItems, users, vehicles } from "../db/schema/index.js";

type KeyPointRow = typeof keyPoints.$inferSelect;
type VehicleRow = typeof vehicles.$inferSelect;
type SupplyItemRow = typeof supplyItems.$inferSelect;

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
export async function lockForImport(tx: DbOrTx, table: ImportTable): Promise<void> {
  await tx.execute(sql`LOCK TABLE ${sql.identifier(table)} IN SHARE ROW EXCLUSIVE MODE`);
}

type UserRow = typeof users.$inferSelect;
type ShelterRow = typeof shelters.$inferSelect;

/**
 * Region ids by name and by the path of names from the top ("黑龙江省/哈尔滨市/道里区"); a name
 * that two regions share maps to null (the file must then give a path).
 */
export async function regionIdsByName(db: DbOrTx): Promise<Map<string, string | null>> {
  const rows = await db.select({ id: regions.id, name: regions.name, path: regions.path }).from(regions);
  const nameOf = new Map(rows.map((r) => [r.id, r.name]));
  const out = new Map<string, string | null>();
  for (const r of rows) {
    out.set(r.name, out.has(r.name) ? null : r.id);
    const names = r.path
      .split("/")
      .filter(Boolean)
      .map((id) => nameOf.get(id) ?? "");
    // Every tail of the path names the region too ("哈尔滨市/道里区" as well as the full path).
    for (let i = 0; i < names.length - 1; i++) {
      const key = names.slice(i).join("/");
      out.set(key, out.has(key) ? null : r.id);
    }
  }
  return out;
}

/** Accounts with the given names. */
export async function usersByName(db: DbOrTx, usernames: string[]): Promise<UserRow[]> {
  if (!usernames.length) return [];
  return db.select().from(users).where(inArray(users.username, usernames));
}

/** Shelters of the given stations. */
export async function sheltersOf(db: DbOrTx, stationIds: string[]): Promise<ShelterRow[]> {
  if (!stationIds.length) return [];
  return db.select().from(shelters).where(inArray(shelters.stationId, stationIds));
}

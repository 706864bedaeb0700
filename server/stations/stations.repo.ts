import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { regions, stations } from "../db/schema/index.js";

export type StationRow = typeof stations.$inferSelect;
export type RegionRow = typeof regions.$inferSelect;

/** All stations, or those with the given ids. */
export async function listStations(db: DbOrTx, ids?: string[]): Promise<StationRow[]> {
  const q = db.select().from(stations);
  return (ids ? q.where(inArray(stations.id, ids.length ? ids : ["00000000-0000-0000-0000-000000000000"])) : q).orderBy(
    asc(stations.code),
  );
}

/** Ids of every station. */
export async function allStationIds(db: DbOrTx): Promise<string[]> {
  return (await db.select({ id: stations.id }).from(stations)).map((r) => r.id);
}

/** Ids of stations in a region's subtree. */
export async function stationIdsInRegion(db: DbOrTx, regionId: string): Promise<string[]> {
  const rows = await db
    .select({ id: stations.id })
    .from(stations)
    .innerJoin(regions, eq(regions.id, stations.regionId))
    .where(like(regions.path, `%/${regionId}/%`));
  return rows.map((r) => r.id);
}

/** One station. */
export async function findStation(db: DbOrTx, id: string): Promise<StationRow | undefined> {
  const [row] = await db.select().from(stations).where(eq(stations.id, id)).limit(1);
  return row;
}

/** Inserts a station unless its id or code exists; returns the new row or undefined. */
export async function insertStation(db: DbOrTx, values: typeof stations.$inferInsert): Promise<StationRow | undefined> {
  const [row] = await db.insert(stations).values(values).onConflictDoNothing().returning();
  return row;
}

/** Updates a station if `version` still matches; returns the new row or undefined when stale. */
export async function updateStation(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<typeof stations.$inferInsert>,
): Promise<StationRow | undefined> {
  const [row] = await db
    .update(stations)
    .set({ ...patch, version: sql`${stations.version} + 1` })
    .where(and(eq(stations.id, id), eq(stations.version, version)))
    .returning();
  return row;
}

/** The whole region hierarchy. */
export async function listRegions(db: DbOrTx): Promise<RegionRow[]> {
  return db.select().from(regions).orderBy(asc(regions.path));
}

/** One region. */
export async function findRegion(db: DbOrTx, id: string): Promise<RegionRow | undefined> {
  const [row] = await db.select().from(regions).where(eq(regions.id, id)).limit(1);
  return row;
}

/** Inserts a region under `parent` (or at the top), computing its path. */
export async function insertRegion(
  db: DbOrTx,
  values: { id: string; name: string; level: RegionRow["level"]; parent?: RegionRow },
): Promise<RegionRow> {
  const path = `${values.parent?.path ?? "/"}${values.id}/`;
  const [row] = await db
    .insert(regions)
    .values({ id: values.id, name: values.name, level: values.level, parentId: values.parent?.id ?? null, path })
    .returning();
  return row!;
}

/** Ids of the station's region and all regions above it, top first; empty if unknown. */
export async function stationRegionChain(db: DbOrTx, stationId: string): Promise<string[]> {
  const [row] = await db
    .select({ path: regions.path })
    .from(stations)
    .innerJoin(regions, eq(regions.id, stations.regionId))
    .where(eq(stations.id, stationId))
    .limit(1);
  return row ? row.path.split("/").filter(Boolean) : [];
}

import { and, eq, like, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { regions } from "../db/schema/index.js";
import type { RegionRow } from "../stations/stations.repo.js";

/**
 * Serialises changes to the hierarchy. A create reads its parent's path and a move rewrites a
 * subtree's paths; run side by side, a create could land under a path that no longer exists, and
 * two crossing moves could each pass the cycle check. Region changes are rare, so one table lock
 * (SHARE ROW EXCLUSIVE: readers and the key-share checks of station inserts go on) is cheap.
 */
export async function lockHierarchy(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`LOCK TABLE ${regions} IN SHARE ROW EXCLUSIVE MODE`);
}

/** Inserts a region unless its id exists; returns the new row or undefined. */
export async function insertRegionOnce(
  tx: DbOrTx,
  values: { id: string; name: string; level: RegionRow["level"]; parent: RegionRow | undefined },
): Promise<RegionRow | undefined> {
  const path = `${values.parent?.path ?? "/"}${values.id}/`;
  const [row] = await tx
    .insert(regions)
    .values({ id: values.id, name: values.name, level: values.level, parentId: values.parent?.id ?? null, path })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** Renames a region and/or sets its parent and path, bumping its version. */
export async function updateRegion(
  tx: DbOrTx,
  id: string,
  patch: { name?: string; parentId?: string | null; path?: string },
): Promise<RegionRow> {
  const [row] = await tx
    .update(regions)
    .set({ ...patch, version: sql`${regions.version} + 1` })
    .where(eq(regions.id, id))
    .returning();
  return row!;
}

/** Rewrites the paths of every region strictly below `oldPath` to lie below `newPath` instead. */
export async function movePathsBelow(tx: DbOrTx, oldPath: string, newPath: string): Promise<void> {
  await tx
    .update(regions)
    .set({ path: sql`${newPath} || substr(${regions.path}, ${oldPath.length + 1})` })
    .where(and(like(regions.path, `${oldPath}%`), sql`${regions.path} <> ${oldPath}`));
}

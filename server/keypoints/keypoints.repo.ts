import { and, asc, between, eq, gte, inArray, lte, max, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { keyPointVisits, keyPoints } from "../db/schema/index.js";

export type KeyPointRow = typeof keyPoints.$inferSelect;
type KeyPointInsert = typeof keyPoints.$inferInsert;

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** One key point. */
export async function findKeyPoint(db: DbOrTx, id: string): Promise<KeyPointRow | undefined> {
  const [row] = await db.select().from(keyPoints).where(eq(keyPoints.id, id)).limit(1);
  return row;
}

/**
 * Key points of the stations (all when undefined) with their latest visit, by name; only active
 * ones unless `includeInactive`. Key points are a few dozen per station; the limit is a safety
 * bound. The latest visit uses the (key_point_id, visited_at) index.
 */
export async function listKeyPointsWithLastVisit(
  db: DbOrTx,
  opts: {
    stationIds?: string[];
    ids?: string[];
    includeInactive?: boolean;
    /** Only those within this box (WGS-84). */
    view?: { south: number; west: number; north: number; east: number };
    limit: number;
  },
): Promise<(KeyPointRow & { lastVisitedAt: Date | null })[]> {
  const last = db
    .select({ keyPointId: keyPointVisits.keyPointId, at: max(keyPointVisits.visitedAt).as("last_at") })
    .from(keyPointVisits)
    .groupBy(keyPointVisits.keyPointId)
    .as("last_visit");
  const conds = [];
  if (!opts.includeInactive) conds.push(eq(keyPoints.active, true));
  if (opts.stationIds) conds.push(inArray(keyPoints.stationId, opts.stationIds.length ? opts.stationIds : [NO_ID]));
  if (opts.ids) conds.push(inArray(keyPoints.id, opts.ids.length ? opts.ids : [NO_ID]));
  if (opts.view) {
    const v = opts.view;
    conds.push(between(keyPoints.lat, v.south, v.north));
    // A view across the antimeridian has west > east: two ranges.
    conds.push(
      v.west <= v.east
        ? between(keyPoints.lng, v.west, v.east)
        : or(gte(keyPoints.lng, v.west), lte(keyPoints.lng, v.east))!,
    );
  }
  const rows = await db
    .select({ kp: keyPoints, lastAt: last.at })
    .from(keyPoints)
    .leftJoin(last, eq(last.keyPointId, keyPoints.id))
    .where(and(...conds))
    .orderBy(asc(keyPoints.stationId), asc(keyPoints.name))
    .limit(opts.limit);
  return rows.map((r) => ({ ...r.kp, lastVisitedAt: r.lastAt ? new Date(r.lastAt) : null }));
}

/** Inserts a key point; undefined when the id exists already (an idempotent retry). */
export async function insertKeyPoint(db: DbOrTx, values: KeyPointInsert): Promise<KeyPointRow | undefined> {
  const [row] = await db.insert(keyPoints).values(values).onConflictDoNothing().returning();
  return row;
}

/**
 * Changes a key point's fields and bumps its version if `version` still matches; undefined when it
 * does not exist or someone changed it since (the caller tells the two apart). The check and the
 * write are one statement, so of two edits naming the same version exactly one succeeds.
 */
export async function updateKeyPoint(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Omit<Partial<KeyPointInsert>, "id" | "version">,
): Promise<KeyPointRow | undefined> {
  const [row] = await db
    .update(keyPoints)
    .set({ ...patch, version: sql`${keyPoints.version} + 1` })
    .where(and(eq(keyPoints.id, id), eq(keyPoints.version, version)))
    .returning();
  return row;
}

/** Locks a key point's row for the rest of the transaction (edits of one key point queue up). */
export async function lockKeyPoint(db: DbOrTx, id: string): Promise<KeyPointRow | undefined> {
  const [row] = await db.select().from(keyPoints).where(eq(keyPoints.id, id)).for("update").limit(1);
  return row;
}

import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { shelters } from "../db/schema/index.js";

export type ShelterRow = typeof shelters.$inferSelect;
const NO_ID = "00000000-0000-0000-0000-000000000000";

/** Shelters of the stations. */
export async function listShelters(db: DbOrTx, stationIds: string[]): Promise<ShelterRow[]> {
  return db
    .select()
    .from(shelters)
    .where(inArray(shelters.stationId, stationIds.length ? stationIds : [NO_ID]))
    .orderBy(asc(shelters.stationId), asc(shelters.name))
    .limit(2000);
}

/** One shelter. */
export async function findShelter(db: DbOrTx, id: string): Promise<ShelterRow | undefined> {
  const [row] = await db.select().from(shelters).where(eq(shelters.id, id)).limit(1);
  return row;
}

/** Inserts a shelter unless its id exists. */
export async function insertShelter(db: DbOrTx, v: typeof shelters.$inferInsert): Promise<ShelterRow | undefined> {
  const [row] = await db.insert(shelters).values(v).onConflictDoNothing().returning();
  return row;
}

/**
 * Updates a shelter if the version matches. Switching it off ends its service period (closedAt, kept
 * if already closed); switching it back on reopens it (the period then runs on from openedAt).
 */
export async function updateShelter(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<typeof shelters.$inferInsert>,
): Promise<ShelterRow | undefined> {
  const period =
    patch.active === false
      ? { closedAt: sql`coalesce(${shelters.closedAt}, now())` }
      : patch.active === true
        ? { closedAt: null }
        : {};
  const [row] = await db
    .update(shelters)
    .set({ ...patch, ...period, version: sql`${shelters.version} + 1` })
    .where(and(eq(shelters.id, id), eq(shelters.version, version)))
    .returning();
  return row;
}

/** Open stays per place: key is the shelter id, or "station:<id>" for a station's own beds. */
export async function occupancy(db: DbOrTx, stationIds: string[]): Promise<Map<string, number>> {
  if (!stationIds.length) return new Map();
  const rows = await rawRows<{ k: string; n: string | number }>(
    db,
    sql`
    select coalesce(shelter_id::text, 'station:' || station_id::text) as k, count(*) as n from stays
    where ended_at is null and station_id in (${sql.join(
      stationIds.map((s) => sql`${s}::uuid`),
      sql`, `,
    )}) group by 1`,
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

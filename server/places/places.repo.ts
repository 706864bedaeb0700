import { and, desc, gt, inArray, isNull, ne, or, sql, type Column, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { cases, keyPoints, places, shelters } from "../db/schema/index.js";

type PlaceRow = typeof places.$inferSelect;

/** A named position from any source, before ranking. */
export interface NamedPosition {
  name: string;
  kind: string;
  stationId: string;
  lat: number;
  lng: number;
}

/** Stations in scope, or every station when undefined. */
type Scope = string[] | undefined;

const inScope = (col: Column, scope: Scope): SQL | undefined => (scope ? inArray(col, scope) : undefined);

/** `%text%` for LIKE with its wildcards escaped. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Gazetteer entries of the given stations. */
export async function placesOf(db: DbOrTx, stationIds: string[]): Promise<PlaceRow[]> {
  if (!stationIds.length) return [];
  return db.select().from(places).where(inArray(places.stationId, stationIds));
}

export async function insertPlace(tx: DbOrTx, row: typeof places.$inferInsert): Promise<PlaceRow | undefined> {
  const [created] = await tx.insert(places).values(row).onConflictDoNothing().returning();
  return created;
}

/** Gazetteer entries in scope whose search text contains `q` (already normalized); the index is the station. */
export async function gazetteerMatching(db: DbOrTx, scope: Scope, q: string, limit: number): Promise<PlaceRow[]> {
  if (scope && !scope.length) return [];
  return db
    .select()
    .from(places)
    .where(and(inScope(places.stationId, scope), sql`${places.search} LIKE ${contains(q)}`))
    .limit(limit);
}

/** Active key points in scope (a city has hundreds to a few thousand). */
export async function keyPointNames(db: DbOrTx, scope: Scope): Promise<NamedPosition[]> {
  if (scope && !scope.length) return [];
  return db
    .select({
      name: keyPoints.name,
      kind: keyPoints.kind,
      stationId: keyPoints.stationId,
      lat: keyPoints.lat,
      lng: keyPoints.lng,
    })
    .from(keyPoints)
    .where(and(inScope(keyPoints.stationId, scope), sql`${keyPoints.active}`));
}

/** Shelters in scope not closed before `now`. */
export async function shelterNames(db: DbOrTx, scope: Scope, now: Date): Promise<NamedPosition[]> {
  if (scope && !scope.length) return [];
  return db
    .select({
      name: shelters.name,
      kind: sql<string>`''`,
      stationId: shelters.stationId,
      lat: shelters.lat,
      lng: shelters.lng,
    })
    .from(shelters)
    .where(and(inScope(shelters.stationId, scope), or(isNull(shelters.closedAt), gt(shelters.closedAt, now))));
}

/**
 * The place texts of cases received since `since` in scope, each once per station with the position
 * of its latest case (callers name the same spots again and again).
 */
export async function casePlaces(db: DbOrTx, scope: Scope, since: Date, limit: number): Promise<NamedPosition[]> {
  if (scope && !scope.length) return [];
  return db
    .selectDistinctOn([cases.stationId, cases.placeText], {
      name: cases.placeText,
      kind: sql<string>`''`,
      stationId: cases.stationId,
      lat: cases.lat,
      lng: cases.lng,
    })
    .from(cases)
    .where(and(inScope(cases.stationId, scope), ne(cases.placeText, ""), gt(cases.receivedAt, since)))
    .orderBy(cases.stationId, cases.placeText, desc(cases.receivedAt))
    .limit(limit);
}

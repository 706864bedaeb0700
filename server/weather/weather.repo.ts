import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { coldRules, regions, stations, weatherProposals, weatherReadings } from "../db/schema/index.js";

export type ReadingRow = typeof weatherReadings.$inferSelect;
export type ProposalRow = typeof weatherProposals.$inferSelect;
type ColdRuleRow = typeof coldRules.$inferSelect;
export interface RegionRow {
  id: string;
  name: string;
  level: string;
  path: string;
}

/** The reading of a region's night from one source. */
export async function findReadingByKey(
  db: DbOrTx,
  regionId: string,
  night: string,
  sourceKey: string,
): Promise<ReadingRow | undefined> {
  const [row] = await db
    .select()
    .from(weatherReadings)
    .where(
      and(
        eq(weatherReadings.regionId, regionId),
        eq(weatherReadings.night, night),
        eq(weatherReadings.sourceKey, sourceKey),
      ),
    )
    .limit(1);
  return row;
}

/** One reading by id. */
export async function findReading(db: DbOrTx, id: string): Promise<ReadingRow | undefined> {
  const [row] = await db.select().from(weatherReadings).where(eq(weatherReadings.id, id)).limit(1);
  return row;
}

/** Inserts a reading unless its id or its (region, night, source) exists. */
export async function insertReading(
  db: DbOrTx,
  v: typeof weatherReadings.$inferInsert,
): Promise<ReadingRow | undefined> {
  const [row] = await db.insert(weatherReadings).values(v).onConflictDoNothing().returning();
  return row;
}

/** A source's revised values for a night it sent before. */
export async function reviseReading(
  db: DbOrTx,
  id: string,
  v: Pick<ReadingRow, "minTempC" | "windForce" | "feelsLikeC" | "officialSignal" | "recordedBy">,
): Promise<ReadingRow> {
  const [row] = await db
    .update(weatherReadings)
    .set({ ...v, recordedAt: new Date(), version: sql`${weatherReadings.version} + 1` })
    .where(eq(weatherReadings.id, id))
    .returning();
  return row!;
}

/** The last-written reading per region and night (every source), in the regions and nights given. */
export async function latestReadings(db: DbOrTx, regionIds: string[], from: string, to: string): Promise<ReadingRow[]> {
  if (!regionIds.length) return [];
  const rows = await db
    .select()
    .from(weatherReadings)
    .where(
      and(
        inArray(weatherReadings.regionId, regionIds),
        gte(weatherReadings.night, from),
        lte(weatherReadings.night, to),
      ),
    )
    .orderBy(asc(weatherReadings.night), desc(weatherReadings.recordedAt), desc(weatherReadings.id))
    .limit(20_000);
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.regionId}|${r.night}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Regions by id. */
export async function regionsByIds(db: DbOrTx, ids: string[]): Promise<RegionRow[]> {
  if (!ids.length) return [];
  return db
    .select({ id: regions.id, name: regions.name, level: regions.level, path: regions.path })
    .from(regions)
    .where(inArray(regions.id, ids));
}

/** Every station with its region's path (stations are tens per city). */
export async function stationPaths(db: DbOrTx): Promise<{ id: string; path: string }[]> {
  return db
    .select({ id: stations.id, path: regions.path })
    .from(stations)
    .innerJoin(regions, eq(regions.id, stations.regionId))
    .orderBy(asc(stations.code));
}

/** The proposal in force for a station's night: the latest recorded. */
export async function latestProposal(db: DbOrTx, stationId: string, night: string): Promise<ProposalRow | undefined> {
  const [row] = await db
    .select()
    .from(weatherProposals)
    .where(and(eq(weatherProposals.stationId, stationId), eq(weatherProposals.night, night)))
    .orderBy(desc(weatherProposals.createdAt), desc(weatherProposals.id))
    .limit(1);
  return row;
}

/** One proposal. */
export async function findProposal(db: DbOrTx, id: string): Promise<ProposalRow | undefined> {
  const [row] = await db.select().from(weatherProposals).where(eq(weatherProposals.id, id)).limit(1);
  return row;
}

/** Appends a proposal. */
export async function insertProposal(db: DbOrTx, v: typeof weatherProposals.$inferInsert): Promise<ProposalRow> {
  const [row] = await db.insert(weatherProposals).values(v).returning();
  return row!;
}

/** A city's configured rule. */
export async function findColdRule(db: DbOrTx, regionId: string): Promise<ColdRuleRow | undefined> {
  const [row] = await db.select().from(coldRules).where(eq(coldRules.regionId, regionId)).limit(1);
  return row;
}

/**
 * Writes a city's rule if `version` is the one stored (0: none stored yet); undefined when someone
 * changed it first.
 */
export async function saveColdRule(
  db: DbOrTx,
  regionId: string,
  version: number,
  rule: Record<string, unknown>,
  updatedBy: string,
): Promise<ColdRuleRow | undefined> {
  if (version === 0) {
    const [row] = await db
      .insert(coldRules)
      .values({ regionId, rule, version: 1, updatedBy })
      .onConflictDoNothing()
      .returning();
    return row;
  }
  const [row] = await db
    .update(coldRules)
    .set({ rule, version: version + 1, updatedBy, updatedAt: new Date() })
    .where(and(eq(coldRules.regionId, regionId), eq(coldRules.version, version)))
    .returning();
  return row;
}

/** Serialises writes of weather (and the proposals they cause) across the cluster. */
export async function lockWeather(db: DbOrTx): Promise<void> {
  await rawRows(db, sql`select pg_advisory_xact_lock(hashtext('weather_readings'))`);
}

import { and, asc, eq, inArray, isNull, or, sql, gte, lt } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import {
  encounters,
  identificationClues,
  identificationDeadlines,
  identificationFiles,
  identificationSteps,
  matchDecisions,
  people,
  regions,
  stations,
  stays,
} from "../db/schema/index.js";
import { DEFAULT_DEADLINES, type DeadlineRules } from "../../shared/identification.js";

export type FileRow = typeof identificationFiles.$inferSelect;
export type ClueRow = typeof identificationClues.$inferSelect;
export type StepRow = typeof identificationSteps.$inferSelect;

/** A file. */
export async function findFile(db: DbOrTx, personId: string): Promise<FileRow | undefined> {
  const [row] = await db.select().from(identificationFiles).where(eq(identificationFiles.personId, personId)).limit(1);
  return row;
}

/** Opens a file unless one exists; answers the new row or undefined. */
export async function insertFile(db: DbOrTx, v: typeof identificationFiles.$inferInsert): Promise<FileRow | undefined> {
  const [row] = await db.insert(identificationFiles).values(v).onConflictDoNothing().returning();
  return row;
}

/** Updates a file if the version matches. */
export async function updateFile(
  db: DbOrTx,
  personId: string,
  version: number,
  patch: Partial<typeof identificationFiles.$inferInsert>,
): Promise<FileRow | undefined> {
  const [row] = await db
    .update(identificationFiles)
    .set({ ...patch, version: sql`${identificationFiles.version} + 1` })
    .where(and(eq(identificationFiles.personId, personId), eq(identificationFiles.version, version)))
    .returning();
  return row;
}

/** Bumps a file's version (a clue or step was added), answering the new version. */
export async function touchFile(db: DbOrTx, personId: string): Promise<number> {
  const [row] = await db
    .update(identificationFiles)
    .set({ version: sql`${identificationFiles.version} + 1` })
    .where(eq(identificationFiles.personId, personId))
    .returning({ version: identificationFiles.version });
  return row!.version;
}

/** When the person came into the station's care: first stay, else first encounter, else registration. */
export async function defaultArrival(db: DbOrTx, personId: string, createdAt: Date): Promise<Date> {
  const [s] = await db
    .select({ at: sql<string | Date | null>`min(${stays.arrivedAt})` })
    .from(stays)
    .where(eq(stays.personId, personId));
  if (s?.at) return new Date(s.at);
  const [e] = await db
    .select({ at: sql<string | Date | null>`min(${encounters.occurredAt})` })
    .from(encounters)
    .where(eq(encounters.personId, personId));
  return e?.at ? new Date(e.at) : createdAt;
}

/** Clues of a file, oldest first. */
export async function cluesOf(db: DbOrTx, personId: string): Promise<ClueRow[]> {
  return db
    .select()
    .from(identificationClues)
    .where(eq(identificationClues.personId, personId))
    .orderBy(asc(identificationClues.at), asc(identificationClues.id))
    .limit(2000);
}

/** Steps of files, oldest first. */
export async function stepsOf(db: DbOrTx, personIds: string[]): Promise<StepRow[]> {
  if (!personIds.length) return [];
  return db
    .select()
    .from(identificationSteps)
    .where(inArray(identificationSteps.personId, personIds))
    .orderBy(asc(identificationSteps.at), asc(identificationSteps.id));
}

/** A clue by id (idempotent retries). */
export async function findClue(db: DbOrTx, id: string): Promise<ClueRow | undefined> {
  const [row] = await db.select().from(identificationClues).where(eq(identificationClues.id, id)).limit(1);
  return row;
}

/** A step by id (idempotent retries). */
export async function findStep(db: DbOrTx, id: string): Promise<StepRow | undefined> {
  const [row] = await db.select().from(identificationSteps).where(eq(identificationSteps.id, id)).limit(1);
  return row;
}

/** Inserts a clue unless its id exists. */
export async function insertClue(db: DbOrTx, v: typeof identificationClues.$inferInsert): Promise<boolean> {
  return (
    (await db.insert(identificationClues).values(v).onConflictDoNothing().returning({ id: identificationClues.id }))
      .length > 0
  );
}

/** Inserts a step unless its id exists. */
export async function insertStep(db: DbOrTx, v: typeof identificationSteps.$inferInsert): Promise<boolean> {
  return (
    (await db.insert(identificationSteps).values(v).onConflictDoNothing().returning({ id: identificationSteps.id }))
      .length > 0
  );
}

/** Files of the stations: open ones, and those closed since `closedSince` (figures). */
export async function filesOf(db: DbOrTx, stationIds: string[], closedSince?: Date): Promise<FileRow[]> {
  if (!stationIds.length) return [];
  return db
    .select()
    .from(identificationFiles)
    .where(
      and(
        inArray(identificationFiles.stationId, stationIds),
        closedSince
          ? or(isNull(identificationFiles.closedAt), gte(identificationFiles.closedAt, closedSince))
          : isNull(identificationFiles.closedAt),
      ),
    )
    .orderBy(asc(identificationFiles.arrivedAt))
    .limit(20_000);
}

/**
 * The deadlines in force for each station: those its province (or a deeper region of its path) set,
 * the deepest first; the national rules otherwise.
 */
export async function rulesOfStations(db: DbOrTx, stationIds: string[]): Promise<Map<string, DeadlineRules>> {
  const out = new Map<string, DeadlineRules>(stationIds.map((s) => [s, DEFAULT_DEADLINES]));
  if (!stationIds.length) return out;
  const configured = await db.select().from(identificationDeadlines).limit(1000);
  if (!configured.length) return out;
  const paths = await db
    .select({ id: stations.id, path: regions.path })
    .from(stations)
    .innerJoin(regions, eq(regions.id, stations.regionId))
    .where(inArray(stations.id, stationIds));
  for (const { id, path } of paths) {
    const chain = path.split("/").filter(Boolean).reverse();
    const hit = chain.map((r) => configured.find((c) => c.regionId === r)).find(Boolean);
    if (hit)
      out.set(id, {
        fingerprintHours: hit.fingerprintHours,
        noticeHours: hit.noticeHours,
        dnaRequestMonths: hit.dnaRequestMonths,
        settleReviewMonths: hit.settleReviewMonths,
      });
  }
  return out;
}

/** The registry a partner list is matched against: the station's people (merged records left out). */
export async function registryOf(db: DbOrTx, stationId: string) {
  return db
    .select({
      id: people.id,
      name: people.name,
      idNumber: people.idNumber,
      gender: people.gender,
      approxAge: people.approxAge,
      hometown: people.hometown,
      createdAt: people.createdAt,
    })
    .from(people)
    .where(and(eq(people.stationId, stationId), isNull(people.mergedIntoId)))
    .limit(100_000);
}

/** Decisions already recorded on a list, keyed "row:personId". */
export async function decisionsOf(db: DbOrTx, stationId: string, listName: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ row: matchDecisions.row, personId: matchDecisions.personId, decision: matchDecisions.decision })
    .from(matchDecisions)
    .where(and(eq(matchDecisions.stationId, stationId), eq(matchDecisions.listName, listName)));
  return new Map(rows.map((r) => [`${r.row}:${r.personId}`, r.decision]));
}

/** Records a decision (a later decision on the same row and person replaces it; the event log keeps both). */
export async function upsertDecision(db: DbOrTx, v: typeof matchDecisions.$inferInsert): Promise<void> {
  await db
    .insert(matchDecisions)
    .values(v)
    .onConflictDoUpdate({
      target: [matchDecisions.stationId, matchDecisions.listName, matchDecisions.row, matchDecisions.personId],
      set: { decision: v.decision, note: v.note, decidedBy: v.decidedBy, decidedAt: sql`now()` },
    });
}

/** The station's contact for a notice. */
export async function stationContact(db: DbOrTx, stationId: string) {
  const [s] = await db
    .select({ name: stations.name, hotline: stations.hotline, address: stations.address })
    .from(stations)
    .where(eq(stations.id, stationId));
  return s!;
}

/** Sets a region's deadlines. */
export async function upsertRules(db: DbOrTx, regionId: string, r: DeadlineRules): Promise<void> {
  await db
    .insert(identificationDeadlines)
    .values({ regionId, ...r })
    .onConflictDoUpdate({ target: identificationDeadlines.regionId, set: { ...r, updatedAt: sql`now()` } });
}

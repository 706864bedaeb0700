import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { cases, encounters, keyPoints, keyPointVisits } from "../db/schema/index.js";

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** People met with no record: someone was found, nobody was linked. */
const unidentified = (stationIds: string[]) =>
  and(
    inArray(encounters.stationId, stationIds.length ? stationIds : [NO_ID]),
    eq(encounters.found, true),
    isNull(encounters.personId),
  );

/** A page of unidentified encounters of the stations, newest first, with where they happened. */
export async function listUnidentified(db: DbOrTx, stationIds: string[], limit: number, offset: number) {
  const where = unidentified(stationIds);
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: encounters.id,
        stationId: encounters.stationId,
        caseId: encounters.caseId,
        occurredAt: encounters.occurredAt,
        outcome: encounters.outcome,
        flags: encounters.flags,
        lat: encounters.lat,
        lng: encounters.lng,
        keyPoint: keyPoints.name,
        placeText: cases.placeText,
      })
      .from(encounters)
      .leftJoin(keyPointVisits, eq(keyPointVisits.id, encounters.keyPointVisitId))
      .leftJoin(keyPoints, eq(keyPoints.id, keyPointVisits.keyPointId))
      .leftJoin(cases, eq(cases.id, encounters.caseId))
      .where(where)
      .orderBy(desc(encounters.occurredAt), desc(encounters.id))
      .limit(limit)
      .offset(offset),
    db
      .select({ n: sql<number>`count(*)` })
      .from(encounters)
      .where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** Links an encounter that has no person yet; undefined when it was linked meanwhile. */
export async function linkEncounter(db: DbOrTx, encounterId: string, personId: string) {
  const [row] = await db
    .update(encounters)
    .set({ personId })
    .where(and(eq(encounters.id, encounterId), isNull(encounters.personId)))
    .returning({ id: encounters.id });
  return row;
}

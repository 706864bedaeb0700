import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { encounters, stays } from "../db/schema/index.js";

export type StayRow = typeof stays.$inferSelect;

/** Inserts a stay unless its id exists. */
export async function insertStay(db: DbOrTx, v: typeof stays.$inferInsert): Promise<StayRow | undefined> {
  const [row] = await db.insert(stays).values(v).onConflictDoNothing().returning();
  return row;
}

/** One stay. */
export async function findStay(db: DbOrTx, id: string): Promise<StayRow | undefined> {
  const [row] = await db.select().from(stays).where(eq(stays.id, id)).limit(1);
  return row;
}

/** An open stay linked to an encounter (one encounter brings someone in once). */
export async function stayOfEncounter(db: DbOrTx, encounterId: string): Promise<StayRow | undefined> {
  const [row] = await db.select().from(stays).where(eq(stays.encounterId, encounterId)).limit(1);
  return row;
}

/** Ends an open stay if the version matches. */
export async function endStay(
  db: DbOrTx,
  id: string,
  version: number,
  v: Pick<StayRow, "endedAt" | "endReason" | "travelVoucher" | "destination">,
): Promise<StayRow | undefined> {
  const [row] = await db
    .update(stays)
    .set({ ...v, version: sql`${stays.version} + 1` })
    .where(and(eq(stays.id, id), eq(stays.version, version), isNull(stays.endedAt)))
    .returning();
  return row;
}

/** Stays of a station, open ones or the latest. */
export async function listStays(db: DbOrTx, stationId: string, open: boolean, limit: number): Promise<StayRow[]> {
  return db
    .select()
    .from(stays)
    .where(and(eq(stays.stationId, stationId), open ? isNull(stays.endedAt) : undefined))
    .orderBy(open ? asc(stays.arrivedAt) : desc(stays.arrivedAt))
    .limit(limit);
}

/** Station and outcome of an encounter (to check a stay's link). */
export async function encounterBrief(
  db: DbOrTx,
  id: string,
): Promise<{ stationId: string; outcome: string } | undefined> {
  const [row] = await db
    .select({ stationId: encounters.stationId, outcome: encounters.outcome })
    .from(encounters)
    .where(eq(encounters.id, id))
    .limit(1);
  return row;
}

/** A "brought_in" encounter not yet followed by a stay: someone on the way in. */
interface PendingArrival {
  id: string;
  person_id: string | null;
  occurred_at: string | Date;
  place: string | null;
}

/** Brought-in encounters of the station since `since` that no stay links to yet, oldest first. */
export async function pendingArrivals(
  db: DbOrTx,
  stationId: string,
  since: Date,
  personIds?: string[],
): Promise<PendingArrival[]> {
  return rawRows<PendingArrival>(
    db,
    sql`
    select e.id, e.person_id, e.occurred_at, coalesce(kp.name, c.place_text) as place
    from encounters e
    left join key_point_visits v on v.id = e.key_point_visit_id
    left join key_points kp on kp.id = v.key_point_id
    left join cases c on c.id = e.case_id
    where e.station_id = ${stationId}::uuid and e.outcome = 'brought_in' and e.occurred_at >= ${since.toISOString()}::timestamptz
      and not exists (select 1 from stays s where s.encounter_id = e.id)
      ${
        personIds
          ? sql`and e.person_id in (${sql.join(
              personIds.map((p) => sql`${p}::uuid`),
              sql`, `,
            )})`
          : sql``
      }
    order by e.occurred_at asc limit 200`,
  );
}

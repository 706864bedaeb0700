import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import {
  campaigns,
  checkInPolicies,
  checkIns,
  crewAlerts,
  sortieCheckIns,
  sorties,
  users,
  vehicles,
} from "../db/schema/index.js";

export type PolicyRow = typeof checkInPolicies.$inferSelect;
export type WatchRow = typeof sortieCheckIns.$inferSelect;
export type CheckInRow = typeof checkIns.$inferSelect;
export type AlertRow = typeof crewAlerts.$inferSelect;
export type SortieRow = typeof sorties.$inferSelect;
export type VehicleRow = typeof vehicles.$inferSelect;
/** An alert with what the duty room needs to read it. */
export interface AlertView {
  alert: AlertRow;
  sortie: SortieRow;
  vehicle: VehicleRow;
  acknowledgedByName: string | null;
}

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** A campaign's own policy, if set. */
export async function findPolicy(db: DbOrTx, campaignId: string): Promise<PolicyRow | undefined> {
  const [row] = await db.select().from(checkInPolicies).where(eq(checkInPolicies.campaignId, campaignId)).limit(1);
  return row;
}

/** Policies of several campaigns. */
export async function policiesOf(db: DbOrTx, campaignIds: string[]): Promise<Map<string, PolicyRow>> {
  if (!campaignIds.length) return new Map();
  const rows = await db.select().from(checkInPolicies).where(inArray(checkInPolicies.campaignId, campaignIds));
  return new Map(rows.map((r) => [r.campaignId, r]));
}

/**
 * Writes a campaign's policy if `version` is the one stored (0: none yet); undefined when stale.
 * The first write races on the primary key, a later one on the version.
 */
export async function writePolicy(
  db: DbOrTx,
  v: { campaignId: string; levels: string[]; intervalMinutes: number; version: number; userId: string; at: Date },
): Promise<PolicyRow | undefined> {
  const set = { levels: v.levels, intervalMinutes: v.intervalMinutes, updatedBy: v.userId, updatedAt: v.at };
  if (v.version === 0) {
    const [row] = await db
      .insert(checkInPolicies)
      .values({ campaignId: v.campaignId, ...set, version: 1 })
      .onConflictDoNothing()
      .returning();
    return row;
  }
  const [row] = await db
    .update(checkInPolicies)
    .set({ ...set, version: v.version + 1 })
    .where(and(eq(checkInPolicies.campaignId, v.campaignId), eq(checkInPolicies.version, v.version)))
    .returning();
  return row;
}

/** Campaigns running on `day` (YYYY-MM-DD) over any of the regions. */
export async function runningCampaigns(db: DbOrTx, regionIds: string[], day: string) {
  if (!regionIds.length) return [];
  return db
    .select()
    .from(campaigns)
    .where(and(inArray(campaigns.regionId, regionIds), lte(campaigns.startsOn, day), gte(campaigns.endsOn, day)))
    .limit(50);
}

/** One sortie. */
export async function findSortie(db: DbOrTx, id: string): Promise<SortieRow | undefined> {
  const [row] = await db.select().from(sorties).where(eq(sorties.id, id)).limit(1);
  return row;
}

/** One vehicle. */
export async function findVehicle(db: DbOrTx, id: string): Promise<VehicleRow | undefined> {
  const [row] = await db.select().from(vehicles).where(eq(vehicles.id, id)).limit(1);
  return row;
}

/** Open sorties with their watch (if any), for the job's sync; a few hundred at most on a night. */
export async function openSortiesWithWatch(db: DbOrTx, limit = 2000) {
  return db
    .select({ sortie: sorties, watch: sortieCheckIns })
    .from(sorties)
    .leftJoin(sortieCheckIns, eq(sortieCheckIns.sortieId, sorties.id))
    .where(isNull(sorties.endedAt))
    .orderBy(asc(sorties.startedAt))
    .limit(limit);
}

/** Watches still required whose sortie has ended. */
export async function requiredWatchesOfEndedSorties(db: DbOrTx, limit = 500): Promise<WatchRow[]> {
  const rows = await db
    .select({ w: sortieCheckIns })
    .from(sortieCheckIns)
    .innerJoin(sorties, eq(sorties.id, sortieCheckIns.sortieId))
    .where(and(eq(sortieCheckIns.required, true), isNotNull(sorties.endedAt)))
    .limit(limit);
  return rows.map((r) => r.w);
}

/** The watch of a sortie; `lock` takes its row lock (a check-in and the job serialise on it). */
export async function findWatch(db: DbOrTx, sortieId: string, lock = false): Promise<WatchRow | undefined> {
  const q = db.select().from(sortieCheckIns).where(eq(sortieCheckIns.sortieId, sortieId)).limit(1);
  const [row] = lock ? await q.for("update") : await q;
  return row;
}

/** Creates the watch of a sortie unless one exists; undefined when another node created it first. */
export async function insertWatch(db: DbOrTx, v: typeof sortieCheckIns.$inferInsert): Promise<WatchRow | undefined> {
  const [row] = await db.insert(sortieCheckIns).values(v).onConflictDoNothing().returning();
  return row;
}

/** Updates a watch. */
export async function updateWatch(
  db: DbOrTx,
  sortieId: string,
  set: Partial<typeof sortieCheckIns.$inferInsert>,
): Promise<WatchRow> {
  const [row] = await db
    .update(sortieCheckIns)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(sortieCheckIns.sortieId, sortieId))
    .returning();
  return row!;
}

/**
 * Marks every required watch of an open sortie whose deadline passed before `now` and was not yet
 * alerted, returning those this call marked. The conditional update is what makes a missed deadline
 * alert once across all nodes; a check-in committed meanwhile moved the deadline, so it is skipped.
 */
export async function markMissed(db: DbOrTx, now: Date, limit = 500): Promise<WatchRow[]> {
  const openSortie = sql`exists (select 1 from ${sorties} s where s.id = ${sortieCheckIns.sortieId} and s.ended_at is null)`;
  const due = db
    .select({ id: sortieCheckIns.sortieId })
    .from(sortieCheckIns)
    .where(
      and(
        eq(sortieCheckIns.required, true),
        lt(sortieCheckIns.nextDueAt, now),
        sql`${sortieCheckIns.alertedDueAt} is distinct from ${sortieCheckIns.nextDueAt}`,
      ),
    )
    .limit(limit);
  return db
    .update(sortieCheckIns)
    .set({ alertedDueAt: sql`${sortieCheckIns.nextDueAt}` })
    .where(
      and(
        inArray(sortieCheckIns.sortieId, due),
        eq(sortieCheckIns.required, true),
        lt(sortieCheckIns.nextDueAt, now),
        sql`${sortieCheckIns.alertedDueAt} is distinct from ${sortieCheckIns.nextDueAt}`,
        openSortie,
      ),
    )
    .returning();
}

/** One check-in. */
export async function findCheckIn(db: DbOrTx, id: string): Promise<CheckInRow | undefined> {
  const [row] = await db.select().from(checkIns).where(eq(checkIns.id, id)).limit(1);
  return row;
}

/** Inserts a check-in unless its id exists. */
export async function insertCheckIn(db: DbOrTx, v: typeof checkIns.$inferInsert): Promise<CheckInRow | undefined> {
  const [row] = await db.insert(checkIns).values(v).onConflictDoNothing().returning();
  return row;
}

/** Inserts an alert unless its id (or, for a missed check-in, its sortie and deadline) exists. */
export async function insertAlert(db: DbOrTx, v: typeof crewAlerts.$inferInsert): Promise<AlertRow | undefined> {
  const [row] = await db.insert(crewAlerts).values(v).onConflictDoNothing().returning();
  return row;
}

/** Clears the open missed-check-in alerts of a sortie (a late check-in came), returning them. */
export async function clearMissed(db: DbOrTx, sortieId: string, checkInId: string, at: Date): Promise<AlertRow[]> {
  return db
    .update(crewAlerts)
    .set({ clearedAt: at, clearedByCheckIn: checkInId, version: sql`${crewAlerts.version} + 1` })
    .where(
      and(
        eq(crewAlerts.sortieId, sortieId),
        eq(crewAlerts.kind, "missed_check_in"),
        isNull(crewAlerts.clearedAt),
        isNull(crewAlerts.acknowledgedAt),
      ),
    )
    .returning();
}

/** Acknowledges an open alert at `version`; undefined when stale or no longer open. */
export async function acknowledgeAlert(
  db: DbOrTx,
  id: string,
  version: number,
  userId: string,
  at: Date,
): Promise<AlertRow | undefined> {
  const [row] = await db
    .update(crewAlerts)
    .set({ acknowledgedAt: at, acknowledgedBy: userId, version: version + 1 })
    .where(and(eq(crewAlerts.id, id), eq(crewAlerts.version, version), isNull(crewAlerts.acknowledgedAt)))
    .returning();
  return row;
}

/** Alerts with sortie, vehicle and acknowledging user; panics first, then oldest first. */
export async function listAlerts(
  db: DbOrTx,
  q: { ids?: string[]; stationIds?: string[]; open?: boolean; limit: number },
): Promise<AlertView[]> {
  const conds = [];
  if (q.ids) conds.push(inArray(crewAlerts.id, q.ids.length ? q.ids : [NO_ID]));
  if (q.stationIds) conds.push(inArray(crewAlerts.stationId, q.stationIds.length ? q.stationIds : [NO_ID]));
  if (q.open) conds.push(isNull(crewAlerts.acknowledgedAt), isNull(crewAlerts.clearedAt));
  const rows = await db
    .select({ alert: crewAlerts, sortie: sorties, vehicle: vehicles, acknowledgedByName: users.displayName })
    .from(crewAlerts)
    .innerJoin(sorties, eq(sorties.id, crewAlerts.sortieId))
    .innerJoin(vehicles, eq(vehicles.id, crewAlerts.vehicleId))
    .leftJoin(users, eq(users.id, crewAlerts.acknowledgedBy))
    .where(and(...conds))
    .orderBy(desc(sql`${crewAlerts.kind} = 'panic'`), asc(crewAlerts.raisedAt))
    .limit(q.limit);
  return rows;
}

import { and, asc, desc, eq, inArray, isNull, lt, ne, notInArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { assignments, cases, vehicles } from "../db/schema/index.js";

export type AssignmentRow = typeof assignments.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;
/** A task with its case and vehicle call sign. */
export interface TaskRow {
  a: AssignmentRow;
  c: CaseRow;
  callSign: string;
}

const NO_ID = "00000000-0000-0000-0000-000000000000";
const CLOSED = ["cleared", "cancelled"];

/**
 * One case; `forUpdate` locks it (always before the vehicle, so lock order is the same everywhere).
 * FOR NO KEY UPDATE, not FOR UPDATE: an encounter on this case holds its vehicle's lock while it
 * inserts rows referencing the case (a foreign-key KEY SHARE lock), and FOR UPDATE would make that
 * wait for a dispatcher who in turn waits for the vehicle: a deadlock. Dispatch writes still queue
 * on it (see the lock order in server/supplies/supplies.repo.ts).
 */
export async function findCase(db: DbOrTx, id: string, forUpdate = false): Promise<CaseRow | undefined> {
  const q = db.select().from(cases).where(eq(cases.id, id)).limit(1);
  const [row] = forUpdate ? await q.for("no key update") : await q;
  return row;
}

/** Updates the dispatch fields of a case if its version still matches. */
export async function updateCaseDispatch(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<Pick<typeof cases.$inferInsert, "status" | "dispatchedAt" | "onSceneAt" | "clearedAt">>,
): Promise<CaseRow | undefined> {
  const [row] = await db
    .update(cases)
    .set({ ...patch, updatedAt: new Date(), version: sql`${cases.version} + 1` })
    .where(and(eq(cases.id, id), eq(cases.version, version)))
    .returning();
  return row;
}

/** One assignment; `forUpdate` locks it (FOR NO KEY UPDATE, as findCase: encounters reference it). */
export async function findAssignment(db: DbOrTx, id: string, forUpdate = false): Promise<AssignmentRow | undefined> {
  const q = db.select().from(assignments).where(eq(assignments.id, id)).limit(1);
  const [row] = forUpdate ? await q.for("no key update") : await q;
  return row;
}

/** Inserts an assignment unless its id exists. */
export async function insertAssignment(
  db: DbOrTx,
  values: typeof assignments.$inferInsert,
): Promise<AssignmentRow | undefined> {
  const [row] = await db.insert(assignments).values(values).onConflictDoNothing().returning();
  return row;
}

/** Updates an assignment if its version still matches. */
export async function updateAssignment(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<typeof assignments.$inferInsert>,
): Promise<AssignmentRow | undefined> {
  const [row] = await db
    .update(assignments)
    .set({ ...patch, version: sql`${assignments.version} + 1` })
    .where(and(eq(assignments.id, id), eq(assignments.version, version)))
    .returning();
  return row;
}

/** Number of active tasks on a case other than `exceptId`. */
export async function otherActiveTasks(db: DbOrTx, caseId: string, exceptId: string): Promise<number> {
  const rows = await db
    .select({ id: assignments.id })
    .from(assignments)
    .where(and(eq(assignments.caseId, caseId), ne(assignments.id, exceptId), notInArray(assignments.status, CLOSED)))
    .limit(50);
  return rows.length;
}

/** Tasks with case and call sign, newest first, filtered and bounded. */
export async function listTasks(
  db: DbOrTx,
  opts: {
    stationIds?: string[];
    caseId?: string;
    vehicleId?: string;
    active?: boolean;
    ids?: string[];
    limit: number;
  },
): Promise<TaskRow[]> {
  const conds = [];
  if (opts.stationIds) conds.push(inArray(assignments.stationId, opts.stationIds.length ? opts.stationIds : [NO_ID]));
  if (opts.caseId) conds.push(eq(assignments.caseId, opts.caseId));
  if (opts.vehicleId) conds.push(eq(assignments.vehicleId, opts.vehicleId));
  if (opts.active) conds.push(notInArray(assignments.status, CLOSED));
  if (opts.ids) conds.push(inArray(assignments.id, opts.ids.length ? opts.ids : [NO_ID]));
  const rows = await db
    .select({ a: assignments, c: cases, callSign: vehicles.callSign })
    .from(assignments)
    .innerJoin(cases, eq(cases.id, assignments.caseId))
    .innerJoin(vehicles, eq(vehicles.id, assignments.vehicleId))
    .where(and(...conds))
    .orderBy(desc(assignments.dispatchedAt))
    .limit(opts.limit);
  return rows;
}

/** One task with case and call sign. */
export async function getTask(db: DbOrTx, id: string): Promise<TaskRow | undefined> {
  return (await listTasks(db, { ids: [id], limit: 1 }))[0];
}

/** Tasks still "assigned" (not acknowledged) that were dispatched before `cutoff`; uses assignments_status_dispatched_idx. */
export async function unacknowledgedBefore(
  db: DbOrTx,
  cutoff: Date,
  stationIds: string[] | undefined,
  limit: number,
): Promise<(AssignmentRow & { callSign: string })[]> {
  const conds = [eq(assignments.status, "assigned"), lt(assignments.dispatchedAt, cutoff)];
  if (stationIds) conds.push(inArray(assignments.stationId, stationIds.length ? stationIds : [NO_ID]));
  const rows = await db
    .select({ a: assignments, callSign: vehicles.callSign })
    .from(assignments)
    .innerJoin(vehicles, eq(vehicles.id, assignments.vehicleId))
    .where(and(...conds))
    .orderBy(asc(assignments.dispatchedAt))
    .limit(limit);
  return rows.map((r) => ({ ...r.a, callSign: r.callSign }));
}

/**
 * Marks overdue unacknowledged tasks as alerted, returning those this call marked. The conditional
 * update is what makes the alert fire once per task even with several processes running the job.
 */
export async function markUnackAlerted(db: DbOrTx, cutoff: Date, now: Date, limit = 500): Promise<AssignmentRow[]> {
  const due = db
    .select({ id: assignments.id })
    .from(assignments)
    .where(
      and(eq(assignments.status, "assigned"), lt(assignments.dispatchedAt, cutoff), isNull(assignments.ackAlertedAt)),
    )
    .limit(limit);
  return db
    .update(assignments)
    .set({ ackAlertedAt: now })
    .where(and(inArray(assignments.id, due), isNull(assignments.ackAlertedAt), eq(assignments.status, "assigned")))
    .returning();
}

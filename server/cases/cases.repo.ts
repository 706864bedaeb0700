import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.js";
import { calls, cases } from "../db/schema/index.js";
import { ACTIVE_CASE_STATUSES } from "../../shared/status.js";
import { DUPLICATE_WINDOW_MS, type boundingBox } from "../../shared/duplicates.js";

export type CaseRow = typeof cases.$inferSelect;
export type CallRow = typeof calls.$inferSelect;
export type NewCase = typeof cases.$inferInsert;
type NewCall = typeof calls.$inferInsert;

const NO_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Serialises intake, merge and un-merge per station for the rest of the transaction, so two
 * operators taking calls about the same person at the same moment see each other's case (the
 * duplicate rule reads, then writes) and caller counts never race. Intake volume per station is
 * a few calls a minute, so the lock costs nothing noticeable.
 */
export async function lockStationIntake(tx: Tx, stationId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(727100, hashtext(${stationId}))`);
}

/** Serialises one partner's Open311 reports (taken before the station's intake lock). */
export async function lockPartnerIntake(tx: Tx, partnerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(727101, hashtext(${partnerId}))`);
}

/** A partner's calls since a time inside a box, oldest first (the first of a resent report wins). */
export async function partnerCallsNear(
  db: DbOrTx,
  partnerId: string,
  since: Date,
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number },
): Promise<CallRow[]> {
  return db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.partnerId, partnerId),
        gte(calls.receivedAt, since),
        gte(calls.lat, box.minLat),
        lte(calls.lat, box.maxLat),
        gte(calls.lng, box.minLng),
        lte(calls.lng, box.maxLng),
      ),
    )
    .orderBy(asc(calls.receivedAt))
    .limit(50);
}

/** One case. */
export async function findCase(db: DbOrTx, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}

/** One call. */
export async function findCall(db: DbOrTx, id: string): Promise<CallRow | undefined> {
  const [row] = await db.select().from(calls).where(eq(calls.id, id)).limit(1);
  return row;
}

/** Calls of a case, oldest first (a case has a handful; bounded anyway). */
export async function listCalls(db: DbOrTx, caseId: string): Promise<CallRow[]> {
  return db
    .select()
    .from(calls)
    .where(eq(calls.caseId, caseId))
    .orderBy(asc(calls.receivedAt), asc(calls.id))
    .limit(1000);
}

/** Inserts a case unless its id exists; returns it or undefined. */
export async function insertCase(db: DbOrTx, values: NewCase): Promise<CaseRow | undefined> {
  const [row] = await db.insert(cases).values(values).onConflictDoNothing().returning();
  return row;
}

/** Inserts a call unless its id exists (client UUID); returns it or undefined. */
export async function insertCall(db: DbOrTx, values: NewCall): Promise<CallRow | undefined> {
  const [row] = await db.insert(calls).values(values).onConflictDoNothing().returning();
  return row;
}

/**
 * Updates a case, bumping version and updatedAt. With `version`, only if it still matches
 * (undefined when stale or missing).
 */
export async function updateCase(
  db: DbOrTx,
  id: string,
  patch: Partial<NewCase>,
  version?: number,
): Promise<CaseRow | undefined> {
  const where = version === undefined ? eq(cases.id, id) : and(eq(cases.id, id), eq(cases.version, version));
  const [row] = await db
    .update(cases)
    .set({ ...patch, version: sql`${cases.version} + 1`, updatedAt: new Date() })
    .where(where)
    .returning();
  return row;
}

/** Moves every call of one case to another (a merge). Returns the moved call ids. */
export async function moveAllCalls(db: DbOrTx, fromCaseId: string, toCaseId: string): Promise<string[]> {
  const rows = await db
    .update(calls)
    .set({ caseId: toCaseId })
    .where(eq(calls.caseId, fromCaseId))
    .returning({ id: calls.id });
  return rows.map((r) => r.id);
}

/** Moves one call to a case (an un-merge). */
export async function moveCall(db: DbOrTx, callId: string, toCaseId: string): Promise<void> {
  await db.update(calls).set({ caseId: toCaseId }).where(eq(calls.id, callId));
}

/**
 * Active cases of the given stations inside the box whose calls are within the duplicate window
 * of `at`: the indexed pre-filter; shared/duplicates.ts then applies the exact rule.
 */
export async function duplicatePrefilter(
  db: DbOrTx,
  opts: { stationIds?: string[]; box: ReturnType<typeof boundingBox>; at: Date; limit: number },
): Promise<CaseRow[]> {
  const conds = [
    inArray(cases.status, [...ACTIVE_CASE_STATUSES]),
    gte(cases.lastCallAt, new Date(opts.at.getTime() - DUPLICATE_WINDOW_MS)),
    lte(cases.receivedAt, new Date(opts.at.getTime() + DUPLICATE_WINDOW_MS)),
    gte(cases.lat, opts.box.minLat),
    lte(cases.lat, opts.box.maxLat),
    gte(cases.lng, opts.box.minLng),
    lte(cases.lng, opts.box.maxLng),
  ];
  if (opts.stationIds) conds.push(inArray(cases.stationId, opts.stationIds.length ? opts.stationIds : [NO_ID]));
  return db
    .select()
    .from(cases)
    .where(and(...conds))
    .orderBy(desc(cases.lastCallAt))
    .limit(opts.limit);
}

const URGENCY_ORDER = sql`case ${cases.urgency} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

/** Which cases a queue page shows; `after` is a decoded shared/queue.ts cursor. */
interface QueueQuery {
  stationIds?: string[];
  statuses: readonly string[];
  urgency?: string;
  receivedBefore?: Date;
  after?: { order: number; receivedAt: Date; id: string };
  limit: number;
}

function queueConditions(opts: Omit<QueueQuery, "after" | "limit">) {
  const conds = [inArray(cases.status, [...opts.statuses])];
  if (opts.stationIds) conds.push(inArray(cases.stationId, opts.stationIds.length ? opts.stationIds : [NO_ID]));
  if (opts.urgency) conds.push(eq(cases.urgency, opts.urgency));
  if (opts.receivedBefore) conds.push(lte(cases.receivedAt, opts.receivedBefore));
  return conds;
}

/**
 * One page of the queue: most urgent, then oldest, then id. Keyset paging: a page starts after the
 * cursor's case, so live inserts and closes between pages neither repeat nor skip a case the way an
 * offset would.
 */
export async function listQueue(db: DbOrTx, opts: QueueQuery): Promise<CaseRow[]> {
  const conds = queueConditions(opts);
  if (opts.after) {
    const a = opts.after;
    conds.push(
      sql`(${URGENCY_ORDER}, ${cases.receivedAt}, ${cases.id}) > (${a.order}, ${a.receivedAt.toISOString()}::timestamptz, ${a.id}::uuid)`,
    );
  }
  return db
    .select()
    .from(cases)
    .where(and(...conds))
    .orderBy(URGENCY_ORDER, asc(cases.receivedAt), asc(cases.id))
    .limit(opts.limit);
}

/** How many cases the queue's filters match in all pages. */
export async function countQueue(db: DbOrTx, opts: Omit<QueueQuery, "after" | "limit">): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(and(...queueConditions(opts)));
  return Number(row?.n ?? 0);
}

/** Calls filed by partner systems (Open311), newest first, with their case. */
export async function listPartnerCalls(
  db: DbOrTx,
  opts: { ids?: string[]; from?: Date; to?: Date; limit: number },
): Promise<{ call: CallRow; case: CaseRow }[]> {
  const conds = [sql`${calls.partnerId} is not null`];
  if (opts.ids) conds.push(inArray(calls.id, opts.ids.length ? opts.ids : [NO_ID]));
  if (opts.from) conds.push(gte(calls.receivedAt, opts.from));
  if (opts.to) conds.push(lte(calls.receivedAt, opts.to));
  const rows = await db
    .select({ call: calls, case: cases })
    .from(calls)
    .innerJoin(cases, eq(cases.id, calls.caseId))
    .where(and(...conds))
    .orderBy(desc(calls.receivedAt))
    .limit(opts.limit);
  return rows;
}

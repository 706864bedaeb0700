import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.js";
import { calls, cases, encounters, outboundMessages, partners, reporterConsents } from "../db/schema/index.js";

export type OutboundRow = typeof outboundMessages.$inferSelect;
export type NewOutbound = typeof outboundMessages.$inferInsert;

const NO_ID = "00000000-0000-0000-0000-000000000000";
const ids = (list: readonly string[]) => (list.length ? [...list] : [NO_ID]);

/** A caller's consent to be told the outcome, written by intake in the call's transaction. */
export async function insertReporterConsent(tx: Tx, callId: string, recordedBy: string | null): Promise<void> {
  await tx.insert(reporterConsents).values({ callId, recordedBy }).onConflictDoNothing();
}

/** A report someone is waiting to hear about: a consenting caller with a number, or a partner's. */
interface ReporterRow {
  callId: string;
  caseId: string;
  stationId: string;
  intake: string;
  partnerId: string | null;
  /** The caller consented and left a number. */
  callerConsents: boolean;
  caseStatus: string;
}

/** The calls of these cases that someone is to be told about (most cases have none). */
export async function reportersOfCases(tx: DbOrTx, caseIds: readonly string[]): Promise<ReporterRow[]> {
  const rows = await tx
    .select({
      callId: calls.id,
      caseId: calls.caseId,
      stationId: cases.stationId,
      intake: calls.intake,
      partnerId: calls.partnerId,
      consent: reporterConsents.callId,
      phone: calls.callerPhone,
      caseStatus: cases.status,
    })
    .from(calls)
    .innerJoin(cases, eq(cases.id, calls.caseId))
    .leftJoin(reporterConsents, eq(reporterConsents.callId, calls.id))
    .where(
      and(
        inArray(calls.caseId, ids(caseIds)),
        or(sql`${calls.partnerId} is not null`, sql`${reporterConsents.callId} is not null`),
      ),
    );
  return rows.map(({ consent, phone, ...r }) => ({ ...r, callerConsents: consent !== null && !!phone?.trim() }));
}

/** What the encounters of these cases ended in (found, outcome), by case. */
export async function encounterOutcomes(
  db: DbOrTx,
  caseIds: readonly string[],
): Promise<Map<string, { found: boolean; outcome: string }[]>> {
  const rows = await db
    .select({ caseId: encounters.caseId, found: encounters.found, outcome: encounters.outcome })
    .from(encounters)
    .where(inArray(encounters.caseId, ids(caseIds)));
  const out = new Map<string, { found: boolean; outcome: string }[]>();
  for (const r of rows) {
    const list = out.get(r.caseId!) ?? [];
    list.push({ found: r.found, outcome: r.outcome });
    out.set(r.caseId!, list);
  }
  return out;
}

/** Categories already queued per (call, channel). */
export async function queuedCategories(tx: DbOrTx, callIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await tx
    .select({ callId: outboundMessages.callId, channel: outboundMessages.channel, category: outboundMessages.category })
    .from(outboundMessages)
    .where(inArray(outboundMessages.callId, ids(callIds)));
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const k = `${r.callId}:${r.channel}`;
    out.set(k, [...(out.get(k) ?? []), r.category]);
  }
  return out;
}

/** Queues messages; one already queued under the same idempotency key is left as it is. */
export async function enqueue(tx: Tx, rows: NewOutbound[]): Promise<number> {
  if (!rows.length) return 0;
  const done = await tx
    .insert(outboundMessages)
    .values(rows)
    .onConflictDoNothing({ target: outboundMessages.idempotencyKey })
    .returning({ id: outboundMessages.id });
  return done.length;
}

/**
 * Claims up to `limit` due messages for this node: pending ones whose time has come, and ones a
 * node claimed and did not finish before its claim lapsed (it died mid-send: at least once).
 * SKIP LOCKED and the status change make two claims never take the same message.
 */
export async function claimDue(db: DbOrTx, nodeId: string, limit: number, leaseMs: number): Promise<OutboundRow[]> {
  const due = db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(
      or(
        and(eq(outboundMessages.status, "pending"), sql`${outboundMessages.nextAttemptAt} <= now()`),
        and(eq(outboundMessages.status, "sending"), lt(outboundMessages.lockedUntil, sql`now()`)),
      ),
    )
    .orderBy(outboundMessages.nextAttemptAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(outboundMessages)
    .set({
      status: "sending",
      lockedBy: nodeId,
      lockedUntil: sql`now() + ${leaseMs}::int * interval '1 millisecond'`,
      updatedAt: sql`now()`,
    })
    .where(inArray(outboundMessages.id, due))
    .returning();
}

/** Where claimed messages go: the caller's number (from the call) and the partner's name. */
export async function recipients(
  db: DbOrTx,
  callIds: readonly string[],
): Promise<Map<string, { phone: string | null; partnerName: string | null }>> {
  const rows = await db
    .select({ id: calls.id, phone: calls.callerPhone, partnerName: partners.name })
    .from(calls)
    .leftJoin(partners, eq(partners.id, calls.partnerId))
    .where(inArray(calls.id, ids(callIds)));
  return new Map(rows.map((r) => [r.id, { phone: r.phone, partnerName: r.partnerName }]));
}

/** Ends this node's claim of a message: sent, back to pending for a later attempt, or failed. */
export async function finishAttempt(
  db: DbOrTx,
  id: string,
  nodeId: string,
  result: { status: "sent" | "pending" | "failed"; error: string | null; retryInMs?: number },
): Promise<void> {
  await db
    .update(outboundMessages)
    .set({
      status: result.status,
      attempts: sql`${outboundMessages.attempts} + 1`,
      lastError: result.error,
      lockedBy: null,
      lockedUntil: null,
      sentAt: result.status === "sent" ? sql`now()` : undefined,
      nextAttemptAt:
        result.status === "pending" ? sql`now() + ${result.retryInMs ?? 0}::int * interval '1 millisecond'` : undefined,
      updatedAt: sql`now()`,
    })
    .where(
      and(eq(outboundMessages.id, id), eq(outboundMessages.lockedBy, nodeId), eq(outboundMessages.status, "sending")),
    );
}

/** A message with what its list row shows of the recipient (masked by the presenter). */
export interface OutboundListRow {
  message: OutboundRow;
  phone: string | null;
  partnerName: string | null;
}

/** Messages of the given stations (all when undefined), newest first. */
export async function listMessages(
  db: DbOrTx,
  q: { stationIds?: readonly string[]; status?: string; limit: number; id?: string },
): Promise<OutboundListRow[]> {
  const conds = [];
  if (q.stationIds) conds.push(inArray(outboundMessages.stationId, ids(q.stationIds)));
  if (q.status) conds.push(eq(outboundMessages.status, q.status));
  if (q.id) conds.push(eq(outboundMessages.id, q.id));
  return db
    .select({ message: outboundMessages, phone: calls.callerPhone, partnerName: partners.name })
    .from(outboundMessages)
    .innerJoin(calls, eq(calls.id, outboundMessages.callId))
    .leftJoin(partners, eq(partners.id, outboundMessages.partnerId))
    .where(and(...conds))
    .orderBy(desc(outboundMessages.createdAt), desc(outboundMessages.id))
    .limit(q.limit);
}

/** The message, locked for a manual retry. */
export async function lockMessage(tx: Tx, id: string): Promise<OutboundRow | undefined> {
  const [row] = await tx.select().from(outboundMessages).where(eq(outboundMessages.id, id)).for("update");
  return row;
}

/** Sends a message again now, with a fresh attempt budget (attempts keep counting). */
export async function requeue(tx: Tx, id: string): Promise<void> {
  await tx
    .update(outboundMessages)
    .set({
      status: "pending",
      nextAttemptAt: sql`now()`,
      retryFrom: sql`${outboundMessages.attempts}`,
      updatedAt: sql`now()`,
    })
    .where(eq(outboundMessages.id, id));
}

import { and, asc, gt, inArray, isNull, lte, max, or, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../db/client.js";
import { events } from "../db/schema/index.js";

export type EventRow = typeof events.$inferSelect;
export type NewEvent = Omit<typeof events.$inferInsert, "id" | "at">;

/** Lock key serialising event-id allocation, so ids commit in order (see schema/events.ts). */
const EVENT_ORDER_LOCK = 727002;

/** NOTIFY channel announcing committed events to every server process. */
export const EVENTS_CHANNEL = "wl_events";

/**
 * Appends events inside the caller's transaction. The advisory lock is held to commit, so a later
 * id can never become visible before an earlier one. Call it last in the transaction to keep the
 * lock short.
 */
export async function appendEvents(tx: Tx, rows: NewEvent[]): Promise<EventRow[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`);
  const inserted = await tx.insert(events).values(rows).returning();
  // Delivered by PostgreSQL only if and when this transaction commits: wakes every node's pump.
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${String(inserted.at(-1)!.id)})`);
  return inserted;
}

/** Events after `afterId` up to `upToId` inclusive, oldest first, optionally limited to stations. */
export async function listEventsAfter(
  db: DbOrTx,
  opts: { afterId: number; upToId?: number; stationIds?: string[]; limit: number },
): Promise<EventRow[]> {
  const conds = [gt(events.id, opts.afterId)];
  if (opts.upToId !== undefined) conds.push(lte(events.id, opts.upToId));
  if (opts.stationIds) {
    conds.push(opts.stationIds.length
      ? or(isNull(events.stationId), inArray(events.stationId, opts.stationIds))!
      : isNull(events.stationId));
  }
  return db.select().from(events).where(and(...conds)).orderBy(asc(events.id)).limit(opts.limit);
}

/** Highest committed event id, 0 when the log is empty. */
export async function latestEventId(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ id: max(events.id) }).from(events);
  return Number(row?.id ?? 0);
}

import { and, asc, gt, gte, inArray, isNull, lte, max, or, sql } from "drizzle-orm";
import { rawRows, type DbOrTx, type Tx } from "../db/client.js";
import { events } from "../db/schema/index.js";

export type EventRow = typeof events.$inferSelect;
export type NewEvent = Omit<typeof events.$inferInsert, "id" | "at">;

/** NOTIFY channel announcing committed events to every server process. */
export const EVENTS_CHANNEL = "wl_events";

/**
 * Appends events inside the caller's transaction. Ids come from the sequence, so concurrent
 * transactions may commit them out of order; readers deliver only the gap-free prefix (see
 * realtime's pump), which lets writers commit in parallel (group commit) instead of queueing on a
 * lock. Call it last in the transaction so an id is allocated as late as possible.
 */
export async function appendEvents(tx: Tx, rows: NewEvent[]): Promise<EventRow[]> {
  return tx.insert(events).values(rows).returning();
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

/** The current transaction snapshot, to tell later whether every transaction running now has ended. */
export async function currentSnapshot(db: DbOrTx): Promise<string> {
  const rows = await rawRows<{ s: string }>(db, sql`select pg_current_snapshot()::text as s`);
  return rows[0]!.s;
}

/** True when every transaction that was running (or not yet started) at `snapshot` has ended. */
export async function snapshotFinished(db: DbOrTx, snapshot: string): Promise<boolean> {
  const rows = await rawRows<{ done: boolean }>(
    db, sql`select pg_snapshot_xmin(pg_current_snapshot()) >= pg_snapshot_xmax(${snapshot}::pg_snapshot) as done`,
  );
  return rows[0]!.done === true;
}

/** Whether any event with an id in from..to (inclusive) is visible (committed) now. */
export async function eventsExistBetween(db: DbOrTx, from: number, to: number): Promise<boolean> {
  const [row] = await db.select({ id: events.id }).from(events)
    .where(and(gte(events.id, from), lte(events.id, to))).limit(1);
  return !!row;
}

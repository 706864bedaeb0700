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
    conds.push(
      opts.stationIds.length
        ? or(isNull(events.stationId), inArray(events.stationId, opts.stationIds))!
        : isNull(events.stationId),
    );
  }
  return db
    .select()
    .from(events)
    .where(and(...conds))
    .orderBy(asc(events.id))
    .limit(opts.limit);
}

/** Highest committed event id, 0 when the log is empty. */
export async function latestEventId(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ id: max(events.id) }).from(events);
  return Number(row?.id ?? 0);
}

/**
 * Transactions (virtual transaction ids) that may still commit event ids: those holding a write
 * lock on this database's events table. An event id is drawn from the sequence inside the INSERT,
 * after the INSERT has taken that lock, and the lock is held until the transaction ends; so a
 * missing id belongs to one of these transactions, or to one that has ended already. Unrelated
 * transactions (other tables, other databases of the same server) are not in the list, so a long
 * one never holds delivery back.
 */
export async function eventWriters(db: DbOrTx): Promise<string[]> {
  const rows = await rawRows<{ v: string }>(
    db,
    sql`
    select distinct l.virtualtransaction as v from pg_locks l
    where l.locktype = 'relation' and l.mode = 'RowExclusiveLock'
      and l.database = (select oid from pg_database where datname = current_database())
      and l.relation = to_regclass('events')`,
  );
  return rows.map((r) => r.v);
}

/** Those of `writers` (from eventWriters) that are still running. */
export async function writersStillRunning(db: DbOrTx, writers: string[]): Promise<string[]> {
  if (!writers.length) return [];
  const now = new Set(await eventWriters(db));
  return writers.filter((w) => now.has(w));
}

/** Whether any event with an id in from..to (inclusive) is visible (committed) now. */
export async function eventsExistBetween(db: DbOrTx, from: number, to: number): Promise<boolean> {
  const [row] = await db
    .select({ id: events.id })
    .from(events)
    .where(and(gte(events.id, from), lte(events.id, to)))
    .limit(1);
  return !!row;
}

import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { sqlState, type Db, type Tx } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { EventPayloads, EventType } from "../../shared/events/contract.js";
import { appendEvents, type EventRow, type NewEvent } from "./events.repo.js";

/** What a service records about a change of type `T`; the log adds id and time. */
export interface EventInputOf<T extends EventType> {
  type: T;
  stationId: string | null;
  actorId: string | null;
  payload: EventPayloads[T];
}

/**
 * What a service may record: a type declared in shared/events/contract.ts with a payload of that
 * type's schema (a discriminated union, so `type` and `payload` must agree).
 */
export type DomainEventInput = { [K in EventType]: EventInputOf<K> }[EventType];

/** The `record` function services get inside a transaction. */
export type RecordEvent = (e: DomainEventInput) => void;

/**
 * Work that follows from a transaction's events and must commit with them (the outgoing message
 * queue: server/outbound). Runs inside the transaction after the service's work, before the events
 * are appended; it may write rows but records no events. Re-run with the work on a retry.
 */
type BeforeCommit = (tx: Tx, events: readonly DomainEventInput[]) => Promise<void>;

/** Callback for committed events (the realtime pump). */
type CommitListener = (committed: EventRow[]) => void;

/**
 * SQLSTATEs after which the whole transaction is run again: PostgreSQL rolled it back to break a
 * deadlock (40P01) or because it could not be serialised (40001). Neither says anything about the
 * request, so the caller must never see them as a 500.
 */
const RETRYABLE = new Set(["40P01", "40001"]);

/** Retry tuning: attempts in all, and the back-off before attempt n (jittered, growing). */
interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}
const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 10 };

/**
 * Runs state changes and their events in one transaction. Listeners hear about the events only
 * after commit, so nothing is pushed that could still roll back.
 */
export class EventLog {
  private listeners: CommitListener[] = [];
  private readonly beforeCommitHooks: BeforeCommit[] = [];

  private readonly retry: RetryPolicy;
  private readonly log: Logger | undefined;

  constructor(
    private readonly db: Db,
    opts: { log?: Logger; retry?: Partial<RetryPolicy>; lockTimeoutMs?: number } = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.log = opts.log;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 0;
  }

  /** lock_timeout of every transaction (DB_LOCK_TIMEOUT_MS); 0 = the server's own (none). */
  private readonly lockTimeoutMs: number;

  /** Subscribe to committed events of this process. */
  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** Adds work run inside every transaction that records events, after the service's own work. */
  beforeCommit(hook: BeforeCommit): void {
    this.beforeCommitHooks.push(hook);
  }

  /**
   * Runs `work` in a transaction; everything passed to `record` is appended to the event log in
   * the same transaction. Returns what `work` returns.
   *
   * A deadlock or serialisation failure rolls the whole attempt back and runs `work` again from
   * the start in a fresh transaction (up to `attempts` times, with a short jittered back-off so
   * the colliding transactions do not meet again in step). `work` must therefore keep all its
   * effects inside `tx` (and `record`): whatever it builds outside is rebuilt on the next attempt.
   * Events of a failed attempt are dropped with it; listeners hear only the attempt that committed.
   */
  async transact<T>(work: (tx: Tx, record: RecordEvent) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const pending: DomainEventInput[] = [];
      let committed: EventRow[] = [];
      let result: T;
      try {
        result = await this.db.transaction(async (tx) => {
          // Per transaction (SET LOCAL), not per connection: a startup parameter would not pass a
          // transaction-mode pooler. Past it PostgreSQL raises 55P03, which answers 503.
          if (this.lockTimeoutMs > 0)
            await tx.execute(sql`select set_config('lock_timeout', ${`${this.lockTimeoutMs}ms`}, true)`);
          const value = await work(tx, (e) => pending.push(e));
          if (pending.length) for (const hook of this.beforeCommitHooks) await hook(tx, pending);
          if (pending.length) committed = await appendEvents(tx, pending);
          return value;
        });
      } catch (err) {
        const state = sqlState(err);
        if (!state || !RETRYABLE.has(state) || attempt >= this.retry.attempts) throw err;
        // A warning, not silence: a deadlock that needs this retry points at two writes taking
        // locks in different orders, which the lock order (server/supplies/supplies.repo.ts) is meant to prevent.
        this.log?.warn("transaction rolled back by the database; retrying", { sqlState: state, attempt });
        const base = this.retry.baseDelayMs * 2 ** (attempt - 1);
        await sleep(base / 2 + Math.random() * base);
        continue;
      }
      // Outside the try: a listener's failure is not the database's and must not re-run the work.
      if (committed.length) for (const l of this.listeners) l(committed);
      return result;
    }
  }
}

import type { Db, Tx } from "../db/client.js";
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

/** Callback for committed events (the realtime pump). */
export type CommitListener = (committed: EventRow[]) => void;

/**
 * Runs state changes and their events in one transaction. Listeners hear about the events only
 * after commit, so nothing is pushed that could still roll back.
 */
export class EventLog {
  private listeners: CommitListener[] = [];

  constructor(private readonly db: Db) {}

  /** Subscribe to committed events of this process. */
  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /**
   * Runs `work` in a transaction; everything passed to `record` is appended to the event log in
   * the same transaction. Returns what `work` returns.
   */
  async transact<T>(work: (tx: Tx, record: RecordEvent) => Promise<T>): Promise<T> {
    const pending: NewEvent[] = [];
    let committed: EventRow[] = [];
    const result = await this.db.transaction(async (tx) => {
      const value = await work(tx, (e) => pending.push(e));
      if (pending.length) committed = await appendEvents(tx, pending);
      return value;
    });
    if (committed.length) for (const l of this.listeners) l(committed);
    return result;
  }
}

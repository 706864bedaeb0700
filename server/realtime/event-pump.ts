import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import {
  eventsExistBetween,
  eventWriters,
  latestEventId,
  listEventsAfter,
  writersStillRunning,
  type EventRow,
} from "../events/events.repo.js";
import type { SerialQueue } from "./serial-queue.js";

const PAGE = 1000;
/** How soon to look again while a gap in the ids waits for its transaction to end. */
const GAP_RECHECK_MS = 10;
/** A gap held longer than this is logged: some transaction that wrote events is staying open. */
const SLOW_GAP_MS = 5000;
/** Handed-over rows kept while they wait behind a gap; past this the pump reads them back instead. */
const MAX_HANDED = 10_000;

/**
 * Follows the events table in id order and hands each committed event to `deliver` exactly once.
 *
 * Event ids come from a sequence, so a transaction holding a lower id may commit after one holding a
 * higher id. The pump therefore only advances over a gap-free prefix: at a missing id it records the
 * transactions then writing to the events table, and skips the id only once all of them have ended
 * and the id is still absent (its transaction rolled back). Writers never wait for each other, no
 * event is ever delivered out of order or skipped while it could still commit, and a transaction
 * that wrote no event (a long report, a migration in another database of the same server) never
 * holds delivery back.
 *
 * This process's own commits hand their rows over (`offer`): committed rows that continue the
 * watermark without a gap are delivered as they are, with no read back. Only past a gap (another
 * node's or a concurrent transaction's ids not handed over yet) or when woken by NOTIFY or the poll
 * (`kick`) does the pump read the table, so the guarantees above do not depend on the hand-over.
 */
export class EventPump {
  private last = 0;
  private queued = false;
  private closed = false;
  /** Rows this process committed, by id, not delivered yet. */
  private handed = new Map<number, EventRow>();
  /** Whether the next run must read the table (woken by NOTIFY, the poll, a gap or an overflow). */
  private readWanted = false;
  private gap: { from: number; to: number; writers: string[]; since: number; warned: boolean } | undefined;
  private recheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly queue: SerialQueue,
    private readonly deliver: (row: EventRow) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /**
   * Starts after the newest event: history is for replay, not for broadcast. Transactions still
   * running at start (another node's, or a killed process's COMMIT still in flight) may yet commit
   * ids below the newest one, so the watermark is only read once they have all ended.
   */
  async start(maxWaitMs = 30_000): Promise<void> {
    let writers = await eventWriters(this.db);
    const until = Date.now() + maxWaitMs;
    while (writers.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
      writers = await writersStillRunning(this.db, writers);
    }
    if (writers.length) this.log.warn("event pump started while event writers were still open", { writers });
    this.last = await latestEventId(this.db);
  }

  /** Highest id delivered; everything at or below it is final. */
  get watermark(): number {
    return this.last;
  }

  /** How long delivery has been waiting at a gap in the ids (0 when it is not waiting): the pump's lag. */
  get waitingMs(): number {
    return this.gap ? Date.now() - this.gap.since : 0;
  }

  /** Asks for a run that reads the table (coalesced: at most one waits in the queue). */
  kick = (): void => {
    this.readWanted = true;
    this.schedule();
  };

  /** Hands over rows this process has just committed; they are delivered without a read back when no id is missing before them. */
  offer = (rows: EventRow[]): void => {
    if (this.closed) return;
    for (const row of rows) if (row.id > this.last) this.handed.set(row.id, row);
    if (this.handed.size > MAX_HANDED) {
      this.handed.clear();
      this.readWanted = true;
    }
    this.schedule();
  };

  private schedule(): void {
    if (this.closed || this.queued) return;
    this.queued = true;
    void this.queue.push(() => this.run());
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.recheck);
  }

  private async run(): Promise<void> {
    this.queued = false;
    for (let row = this.handed.get(this.last + 1); row; row = this.handed.get(this.last + 1)) {
      await this.deliver(row); // a failure leaves the row for the next run (or the poll's read)
      this.handed.delete(row.id);
      this.last = row.id;
      this.gap = undefined;
    }
    // Handed rows left are past a gap: the missing ids are read (or waited for) from the table.
    if (!this.readWanted && this.handed.size === 0) return;
    this.readWanted = false;
    try {
      await this.readTable();
    } finally {
      for (const id of this.handed.keys()) if (id <= this.last) this.handed.delete(id);
    }
  }

  private async readTable(): Promise<void> {
    for (;;) {
      const rows = await listEventsAfter(this.db, { afterId: this.last, limit: PAGE });
      let i = 0;
      while (i < rows.length) {
        const row = rows[i]!;
        if (row.id === this.last + 1) {
          await this.deliver(row);
          this.last = row.id;
          this.gap = undefined;
          i++;
          continue;
        }
        if (await this.gapResolved(this.last + 1, row.id - 1)) continue; // ids skipped; deliver this row next
        this.recheckSoon();
        return;
      }
      if (rows.length < PAGE) return;
    }
  }

  /**
   * True (and the ids skipped) when the missing ids from..to can no longer appear. They were all
   * allocated before the row after them was read, by transactions holding a write lock on the events
   * table at that time or ended since; once every such transaction has ended, an id still absent
   * belongs to a rolled-back one.
   */
  private async gapResolved(from: number, to: number): Promise<boolean> {
    if (this.gap?.from !== from || this.gap.to !== to) {
      this.gap = {
        from,
        to,
        writers: await eventWriters(this.db),
        since: this.gap?.since ?? Date.now(),
        warned: this.gap?.warned ?? false,
      };
    }
    const gap = this.gap;
    gap.writers = await writersStillRunning(this.db, gap.writers);
    if (gap.writers.length) {
      this.warnIfSlow(gap);
      return false;
    }
    if (await eventsExistBetween(this.db, from, to)) return false; // committed meanwhile: next run delivers
    this.log.debug("event ids skipped (transactions rolled back)", { from, to });
    this.last = to;
    this.gap = undefined;
    return true;
  }

  private warnIfSlow(gap: NonNullable<EventPump["gap"]>): void {
    if (gap.warned || Date.now() - gap.since < SLOW_GAP_MS) return;
    gap.warned = true;
    this.log.warn("event delivery waiting on an open transaction that wrote events", {
      afterId: this.last,
      waitingMs: Date.now() - gap.since,
      writers: gap.writers,
    });
  }

  private recheckSoon(): void {
    clearTimeout(this.recheck);
    this.recheck = setTimeout(this.kick, GAP_RECHECK_MS);
    this.recheck.unref();
  }
}

import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import {
  currentSnapshot, eventsExistBetween, latestEventId, listEventsAfter, snapshotFinished, type EventRow,
} from "../events/events.repo.js";
import type { SerialQueue } from "./serial-queue.js";

const PAGE = 1000;
/** How soon to look again while a gap in the ids waits for its transaction to end. */
const GAP_RECHECK_MS = 10;

/**
 * Follows the events table in id order and hands each committed event to `deliver` exactly once.
 *
 * Event ids come from a sequence, so a transaction holding a lower id may commit after one holding a
 * higher id. The pump therefore only advances over a gap-free prefix: at a missing id it records the
 * database snapshot, and skips the id only once every transaction that was running then has ended
 * and the id is still absent (its transaction rolled back). Writers never wait for each other, and
 * no event is ever delivered out of order or skipped while it could still commit.
 */
export class EventPump {
  private last = 0;
  private queued = false;
  private closed = false;
  private gap: { from: number; to: number; snapshot: string } | undefined;
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
    const snapshot = await currentSnapshot(this.db);
    const until = Date.now() + maxWaitMs;
    while (!(await snapshotFinished(this.db, snapshot)) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    this.last = await latestEventId(this.db);
  }

  /** Highest id delivered; everything at or below it is final. */
  get watermark(): number {
    return this.last;
  }

  /** Asks for a run (coalesced: at most one waits in the queue). */
  kick = (): void => {
    if (this.closed || this.queued) return;
    this.queued = true;
    void this.queue.push(() => this.run());
  };

  stop(): void {
    this.closed = true;
    clearTimeout(this.recheck);
  }

  private async run(): Promise<void> {
    this.queued = false;
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
   * allocated before the row after them was read, hence before the recorded snapshot; once every
   * transaction of that snapshot has ended, an id still absent belongs to a rolled-back one.
   */
  private async gapResolved(from: number, to: number): Promise<boolean> {
    if (this.gap?.from !== from || this.gap.to !== to) {
      this.gap = { from, to, snapshot: await currentSnapshot(this.db) };
      return false;
    }
    if (!(await snapshotFinished(this.db, this.gap.snapshot))) return false;
    if (await eventsExistBetween(this.db, from, to)) return false; // committed meanwhile: next run delivers
    this.log.debug("event ids skipped (transactions rolled back)", { from, to });
    this.last = to;
    this.gap = undefined;
    return true;
  }

  private recheckSoon(): void {
    clearTimeout(this.recheck);
    this.recheck = setTimeout(this.kick, GAP_RECHECK_MS);
    this.recheck.unref();
  }
}

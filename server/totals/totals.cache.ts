/**
 * A short in-process cache with single flight for figures that must never be stale.
 *
 * Every write that can change a figure commits, in its own transaction, at least one row in the
 * event log (ARCHITECTURE.md), and the realtime pump's watermark is the highest event id below which
 * every id is final (committed, or rolled back for good). So an answer computed after reading the
 * watermark `w` includes every committed write with an event id <= w, and it is still exact for as
 * long as no event with an id above `w` is visible: that is checked (one index probe) before every
 * reuse, including joining a computation still running. A reader who has seen a write (its HTTP
 * response, or its event on the socket) reads after that write's event became visible, so the probe
 * finds it and the answer is recomputed: a reader is never served figures older than a write it saw.
 *
 * Only events relevant to an answer's scope count (for the totals: events of its stations, city-wide
 * ones, and the few types whose transaction can change another station's figures): a write at one
 * station no longer ends the cached answers of the others.
 *
 * Several server nodes each keep their own cache; the check reads the shared event log, so a write
 * on one node ends the cached answers of every node.
 */
interface FreshCacheOptions<S> {
  /** How long an answer may be reused at most, even when nothing was written (bounds memory, and a write that skipped the log). */
  ttlMs: number;
  /** Most keys kept; the oldest go first. */
  maxEntries: number;
  /** The watermark of committed events, or undefined when it is not known yet (then nothing is cached). */
  mark: () => number | undefined;
  /** True when an event that can change an answer over `scope` committed after `mark`. */
  changedSince: (mark: number, scope: S) => Promise<boolean>;
  now?: () => number;
}

interface Entry<V, S> {
  mark: number;
  scope: S;
  value: Promise<V>;
  /** When the computation finished: its time to live counts from then, not from its start (a
   * computation longer than the TTL would otherwise never be reused). */
  settledAt: number;
  settled: boolean;
}

/**
 * Keyed cache of promises, valid only while no event relevant to their scope committed after their
 * watermark. `S` says what an answer depends on (for the totals: its stations), so an event
 * elsewhere leaves it cached.
 */
export class FreshCache<V, S = undefined> {
  private readonly entries = new Map<string, Entry<V, S>>();
  private readonly now: () => number;
  /** Answers served from the cache or a computation already running (for tests and logs). */
  hits = 0;
  /** Answers computed. */
  misses = 0;

  constructor(private readonly opts: FreshCacheOptions<S>) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * The answer for `key`: a reusable one (finished or still being computed) when no relevant event
   * committed since its watermark, otherwise a new computation that concurrent callers can join.
   */
  async get(key: string, compute: () => Promise<V>, scope?: S): Promise<V> {
    // Two rounds: if our check fails but someone else started a newer computation meanwhile, try that one.
    for (let round = 0; round < 2; round++) {
      const e = this.entries.get(key);
      if (!e || !this.usable(e)) break;
      if (!(await this.opts.changedSince(e.mark, e.scope))) {
        this.hits++;
        return e.value;
      }
      if (this.entries.get(key) === e) break;
    }
    const mark = this.opts.mark();
    this.misses++;
    if (mark === undefined) return compute();
    // The watermark is read before the computation starts, so its queries see every event up to it.
    const entry: Entry<V, S> = { mark, scope: scope as S, value: compute(), settledAt: 0, settled: false };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    entry.value.then(
      () => {
        entry.settledAt = this.now();
        entry.settled = true;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.value;
  }

  /** Forgets every answer. */
  clear(): void {
    this.entries.clear();
  }

  /** A running computation can always be joined; a finished one only within its time to live. */
  private usable(e: Entry<V, S>): boolean {
    return !e.settled || this.now() - e.settledAt < this.opts.ttlMs;
  }
}

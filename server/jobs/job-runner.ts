import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { rawRows, type Db } from "../db/client.js";
import type { Logger } from "../logger.js";

/** What a job body receives. */
export interface JobContext {
  /** The interval slot being run: floor(epoch ms / everyMs) on the database clock. */
  slot: number;
  /** The node running it, for logs. */
  nodeId: string;
  log: Logger;
}

/** A scheduled job: `run` is called at most once per `everyMs` slot across the whole cluster. */
export interface JobDefinition {
  /** Stable, unique name; it is the key of the job's row in `scheduled_jobs`. */
  name: string;
  /** Interval; slots are aligned to the epoch (60_000 runs at :00 of every minute, cluster-wide). */
  everyMs: number;
  /**
   * The work. It should check current state ("which tasks are unacknowledged now") rather than
   * "do the work of slot N", because a slot whose node died mid-run is not repeated: the next
   * slot covers it.
   */
  run(ctx: JobContext): Promise<void>;
  /**
   * How long a silent node keeps the job locked. The runner renews the lease every third of it
   * while the body runs, so it only bounds how long a dead node blocks the job. Default 30 s.
   */
  leaseMs?: number;
}

/** Options of a runner; tests use a short tick. */
interface JobRunnerOptions {
  db: Db;
  log: Logger;
  /** How often this node looks for due slots. Default 1 s; it bounds the lateness of a run. */
  tickMs?: number;
  /** Identifies this node in `scheduled_jobs.locked_by`. Default host:pid:random. */
  nodeId?: string;
  /** Told of every run this node finishes (metrics). */
  onRun?: (job: string, failed: boolean) => void;
}

const DEFAULT_LEASE_MS = 30_000;
/** Assumed bound on how far a node's clock may lag the database's. */
const SKEW_MS = 1000;

/**
 * Runs scheduled work once across the cluster, not once per node.
 *
 * Every node ticks; for each job whose slot may be due it tries to claim the slot with one
 * INSERT .. ON CONFLICT DO UPDATE .. WHERE last_slot < slot AND the lease is free. PostgreSQL's row
 * lock makes the claim atomic, so exactly one node wins a slot and the others update nothing.
 * The slot is computed from the database clock, so skewed node clocks cannot make two nodes
 * disagree about which slot is current. A lease (renewed while running) keeps runs of one job
 * from overlapping, and lapses when the node holding it dies.
 *
 * Why a table, not only pg_try_advisory_xact_lock: an advisory lock says "nobody is running
 * this right now", not "this slot has already run", so a node ticking just after another finished
 * would run the slot again. The row also shows operators when each job last ran and failed.
 * On PGlite (one process) the same statement runs unchanged; it simply never loses a race.
 */
export class JobRunner {
  readonly nodeId: string;
  private readonly jobs = new Map<string, JobDefinition>();
  /** Highest slot this node has claimed, to skip the claim query until the next slot may be due. */
  private readonly seenSlot = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly opts: JobRunnerOptions) {
    this.nodeId = opts.nodeId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  }

  /** Registers a job. Services do it while being built; a job added after `start()` joins the next tick. */
  register(job: JobDefinition): void {
    if (this.jobs.has(job.name)) throw new Error(`job "${job.name}" is already registered`);
    if (!(job.everyMs >= 100)) throw new Error(`job "${job.name}": everyMs must be at least 100`);
    this.jobs.set(job.name, job);
  }

  /** Names of the registered jobs. */
  get names(): string[] {
    return [...this.jobs.keys()];
  }

  /** Starts ticking. Idempotent. */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs ?? 1000);
    this.timer.unref();
    void this.tick();
  }

  /**
   * One pass over the jobs: claims each due slot and starts its body. Ticks do not overlap;
   * a tick called while one is in progress waits for it. Resolves when the claims are done and
   * the bodies started (not finished); returns the names started.
   */
  async tick(): Promise<string[]> {
    while (this.ticking) await this.ticking;
    if (this.closed) return [];
    const started: string[] = [];
    const pass = (async () => {
      for (const job of this.jobs.values()) {
        if (this.closed) return;
        // Cheap local pre-check: skip while even a clock SKEW_MS ahead of ours would still be
        // inside the slot we claimed; the database clock decides the rest.
        const seen = this.seenSlot.get(job.name);
        if (seen !== undefined && Math.floor((Date.now() + SKEW_MS) / job.everyMs) <= seen) continue;
        try {
          const slot = await this.claim(job);
          if (slot === null) continue;
          this.seenSlot.set(job.name, slot);
          started.push(job.name);
          this.launch(job, slot);
        } catch (err) {
          if (!this.closed) this.opts.log.error("job claim failed", { job: job.name, err: String(err) });
        }
      }
    })();
    this.ticking = pass;
    try {
      await pass;
    } finally {
      this.ticking = undefined;
    }
    return started;
  }

  /** Stops ticking and waits for running bodies, so the database can close under nothing. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }

  /** Resolves once every body started so far has finished (tests). */
  async idle(): Promise<void> {
    await this.ticking;
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Tries to take the current slot of `job`; returns it, or null when not due or taken. */
  private async claim(job: JobDefinition): Promise<number | null> {
    const lease = job.leaseMs ?? DEFAULT_LEASE_MS;
    const rows = await rawRows<{ last_slot: string | number }>(
      this.opts.db,
      sql`
      insert into scheduled_jobs as j (name, last_slot, locked_by, locked_until, last_started_at, runs)
      select ${job.name}, s.slot, ${this.nodeId}, now() + ${lease}::int * interval '1 millisecond', now(), 1
        from (select floor(extract(epoch from now()) * 1000 / ${job.everyMs}::bigint)::bigint as slot) s
      on conflict (name) do update
        set last_slot = excluded.last_slot, locked_by = excluded.locked_by,
            locked_until = excluded.locked_until, last_started_at = excluded.last_started_at,
            runs = j.runs + 1
        where j.last_slot < excluded.last_slot
          and (j.locked_until is null or j.locked_until < now())
      returning last_slot`,
    );
    return rows.length ? Number(rows[0]!.last_slot) : null;
  }

  /** Runs a claimed slot in the background, renewing the lease until it ends. */
  private launch(job: JobDefinition, slot: number): void {
    const lease = job.leaseMs ?? DEFAULT_LEASE_MS;
    const log = this.opts.log.child({ job: job.name });
    const db = this.opts.db;
    const renew = setInterval(
      () => {
        void db
          .execute(
            sql`
        update scheduled_jobs set locked_until = now() + ${lease}::int * interval '1 millisecond'
         where name = ${job.name} and locked_by = ${this.nodeId} and last_slot = ${slot}`,
          )
          .catch((err) => log.warn("job lease renewal failed", { err: String(err) }));
      },
      Math.max(50, Math.floor(lease / 3)),
    );
    renew.unref();
    const run = (async () => {
      let error: string | null = null;
      const t0 = Date.now();
      try {
        await job.run({ slot, nodeId: this.nodeId, log });
      } catch (err) {
        error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        log.error("job failed", { slot, err: error });
      } finally {
        clearInterval(renew);
      }
      log.debug("job ran", { slot, ms: Date.now() - t0 });
      this.opts.onRun?.(job.name, error !== null);
      // Release the lease so the next slot can start on any node.
      await db
        .execute(
          sql`
        update scheduled_jobs
           set locked_by = null, locked_until = null, last_finished_at = now(), last_error = ${error}
         where name = ${job.name} and locked_by = ${this.nodeId} and last_slot = ${slot}`,
        )
        .catch((err) => log.warn("job release failed", { err: String(err) }));
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }
}

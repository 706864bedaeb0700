import { sql } from "drizzle-orm";
import { setTimeout as sleep } from "node:timers/promises";
import { rawRows, type Db } from "./client.js";
import type { Logger } from "../logger.js";

/** Where the replica stands against the primary (health, metrics). */
interface ReplicaStatus {
  /** The replica answers and is still a standby. */
  streaming: boolean;
  /** Replay lag in ms: 0 when the replica has replayed all the primary has written, else the age of its last replayed commit. */
  lagMs: number | null;
  /** WAL bytes the replica has not replayed yet. */
  lagBytes: number | null;
}

/** Reads routed so far: to the replica, and to the primary because the replica was behind, lagging or down. */
interface ReplicaReadCounts {
  replica: number;
  primary: number;
}

/** "16/B374D848" → a number comparable across LSNs. */
export function lsnValue(lsn: string | null | undefined): bigint | null {
  const m = lsn ? /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn) : null;
  return m ? (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`) : null;
}

/** How long a read waits for the replica to replay what the primary had committed when it arrived. */
const CATCH_UP_WAIT_MS = 250;
const CATCH_UP_POLL_MS = 5;
/** How long a lag measurement is reused before asking again. */
const STATUS_TTL_MS = 1000;

/**
 * Routes reads that may lag (campaign totals, exports, reports, comparisons) to a streaming replica,
 * without ever answering older than what a reader could have seen. A read first takes the primary's
 * current WAL position: every write committed before the read arrived (the reader's own, and every
 * event already on their dashboard) lies at or below it. The replica is used only once it has
 * replayed that far, waited for briefly; otherwise, when the replica lags more than maxLagMs, or is
 * unreachable or promoted, the read goes to the primary. One small primary query per read buys
 * read-your-writes across all nodes without tracking sessions.
 *
 * Without a replica (PGlite, or PostgreSQL without DATABASE_REPLICA_URL) every read is the primary's.
 */
export class ReplicaReads {
  readonly counts: ReplicaReadCounts = { replica: 0, primary: 0 };
  private cached: { at: number; status: ReplicaStatus } | undefined;

  constructor(
    private readonly primary: Db,
    private readonly replica: Db | undefined,
    private readonly opts: { maxLagMs: number; log?: Logger },
  ) {}

  get enabled(): boolean {
    return this.replica !== undefined;
  }

  /** The database for one lagging read: the replica when it is current enough for this moment, else the primary. */
  async forRead(): Promise<Db> {
    const replica = this.replica;
    if (!replica) return this.primary;
    try {
      const lag = (await this.status()).lagMs;
      if (lag !== null && lag <= this.opts.maxLagMs) {
        const need = lsnValue(
          (await rawRows<{ lsn: string }>(this.primary, sql`select pg_current_wal_lsn()::text as lsn`))[0]?.lsn,
        );
        const until = Date.now() + Math.min(CATCH_UP_WAIT_MS, this.opts.maxLagMs);
        for (;;) {
          const [row] = await rawRows<{ r: boolean; lsn: string | null }>(
            replica,
            sql`select pg_is_in_recovery() as r, pg_last_wal_replay_lsn()::text as lsn`,
          );
          const have = lsnValue(row?.lsn);
          if (!row?.r || need === null || have === null) break;
          if (have >= need) {
            this.counts.replica++;
            return replica;
          }
          if (Date.now() >= until) break;
          await sleep(CATCH_UP_POLL_MS);
        }
      }
    } catch (err) {
      this.opts.log?.warn("replica unusable; reading the primary", { err: String(err) });
    }
    this.counts.primary++;
    return this.primary;
  }

  /** The replica's lag, measured at most once a second (undefined without a replica). */
  async status(): Promise<ReplicaStatus> {
    if (this.cached && Date.now() - this.cached.at < STATUS_TTL_MS) return this.cached.status;
    const status = await this.measure();
    this.cached = { at: Date.now(), status };
    return status;
  }

  private async measure(): Promise<ReplicaStatus> {
    const down: ReplicaStatus = { streaming: false, lagMs: null, lagBytes: null };
    if (!this.replica) return down;
    try {
      const [p] = await rawRows<{ lsn: string }>(this.primary, sql`select pg_current_wal_lsn()::text as lsn`);
      const [r] = await rawRows<{ r: boolean; lsn: string | null; ms: number | null }>(
        this.replica,
        sql`select pg_is_in_recovery() as r, pg_last_wal_replay_lsn()::text as lsn,
          (extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000)::float8 as ms`,
      );
      const need = lsnValue(p?.lsn);
      const have = lsnValue(r?.lsn);
      if (!r?.r || need === null || have === null) return down;
      const behind = need > have ? need - have : 0n;
      return {
        streaming: true,
        lagBytes: Number(behind),
        lagMs: behind === 0n ? 0 : Math.max(0, Math.round(Number(r.ms ?? 0))),
      };
    } catch {
      return down;
    }
  }
}

import type { PositionFix } from "../../shared/api/patrols.js";
import type { Db, Tx } from "../db/client.js";
import { DATABASE_RETRY_AFTER_SECONDS } from "../db/unavailable.js";
import type { EventLog, RecordEvent } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole } from "../auth/policy.js";
import { AppError, fieldError, forbidden } from "../http/errors.js";
import * as repo from "./positions.repo.js";

/** Most points written by one flush: 6 parameters a row stays far below PostgreSQL's 65,535. */
const FLUSH_MAX_POINTS = 5000;

/**
 * Flushes running at once. Two let the next group be read and written while the previous one
 * waits for its COMMIT (the disk flush), without piling transactions on the pool. Two flushes
 * holding the same vehicle cannot deadlock: each locks its vehicles in id order.
 */
const FLUSH_CONCURRENCY = 2;

/** One request waiting for the next flush. */
interface Pending {
  user: SessionUser;
  points: PositionFix[];
  resolve: (r: { stored: number; broadcast: number }) => void;
  reject: (err: unknown) => void;
}

/** 503 DATABASE_UNAVAILABLE with Retry-After: more points are waiting for the database than it is allowed to owe. */
const queueFull = () =>
  new AppError(
    503,
    "DATABASE_UNAVAILABLE",
    "Too many positions are waiting to be stored; send them again shortly",
    undefined,
    {
      "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS),
    },
  );

/**
 * GPS tracks from patrol phones.
 *
 * Every fix is stored (the track is evidence of where patrols went), but dashboards only need to
 * see a marker move: a vehicle.position event is recorded at most once per vehicle per
 * POSITION_BROADCAST_SECONDS (default 5 s), carrying the newest fix. The throttle is a conditional
 * column update on vehicles.position_broadcast_at, so it holds across every server process.
 *
 * Group commit: requests are not written one by one. While flushes are running (up to
 * FLUSH_CONCURRENCY), new requests queue; the next flush writes all of them together in one
 * transaction: one query for the vehicles (scope, open sortie and the sorties of the batch's time
 * span), one multi-row INSERT of every point, one UPDATE of every vehicle's last position and
 * broadcast claim, one multi-row INSERT of the events, COMMIT. At low load a flush holds one
 * request and adds no delay; at a thousand phones it holds hundreds and the database sees a few
 * statements instead of ten per fix. A request is answered only after the flush holding it
 * committed, so a 2xx still means "stored". The queue is bounded (POSITIONS_QUEUE_MAX_POINTS):
 * past it a request is refused at once with 503 and Retry-After, which the phone treats like any
 * failed send (it keeps its fixes and sends them again), instead of waiting until its connection
 * is reset.
 */
export class PositionsService {
  private queue: Pending[] = [];
  private queuedPoints = 0;
  private running = 0;

  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly intervalS: number,
    private readonly maxQueuedPoints = 20_000,
  ) {}

  /** Stores a batch of fixes (any vehicles in the crew's scope) and broadcasts within the throttle. */
  async record(user: SessionUser, points: PositionFix[]): Promise<{ stored: number; broadcast: number }> {
    requireRole(user, ["patrol", "head", "admin"]);
    const limit = Date.now() + 60_000;
    points.forEach((p, i) => {
      if (new Date(p.recordedAt).getTime() > limit) throw fieldError(`body.points.${i}.recordedAt`, "in the future");
    });
    // An empty queue always takes one request, however large, so a bound below one request's size cannot refuse everything.
    if (this.queue.length && this.queuedPoints + points.length > this.maxQueuedPoints) throw queueFull();
    return new Promise((resolve, reject) => {
      this.queue.push({ user, points, resolve, reject });
      this.queuedPoints += points.length;
      this.pump();
    });
  }

  /** Starts flushes while fewer than FLUSH_CONCURRENCY run and requests wait; each one restarts this when done. */
  private pump(): void {
    while (this.running < FLUSH_CONCURRENCY && this.queue.length) {
      const group: Pending[] = [];
      let n = 0;
      while (this.queue.length && (n === 0 || n + this.queue[0]!.points.length <= FLUSH_MAX_POINTS)) {
        const p = this.queue.shift()!;
        n += p.points.length;
        group.push(p);
      }
      this.queuedPoints -= n;
      this.running++;
      void this.flush(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async flush(group: Pending[]): Promise<void> {
    try {
      const ids = [...new Set(group.flatMap((p) => p.points.map((f) => f.vehicleId)))];
      const times = group.flatMap((p) => p.points.map((f) => new Date(f.recordedAt).getTime()));
      const [from, to] = [new Date(Math.min(...times)), new Date(Math.max(...times))];
      const outcome = await this.log.transact(async (tx, record) => {
        // Read inside the transaction: no round trips before BEGIN, and the rows seen are the ones written against.
        const known = await repo.trackVehicles(tx, ids, from, to);
        // Scope is checked per request: one crew's refusal does not fail the others in the group.
        const refusals = group.map((p) => this.refusal(p, known));
        const accepted = group.filter((_, i) => !refusals[i]);
        const results = accepted.length ? await this.write(tx, record, accepted, known) : [];
        return { refusals, accepted, results };
      });
      group.forEach((p, i) => {
        const err = outcome.refusals[i];
        if (err) p.reject(err);
      });
      outcome.accepted.forEach((p, i) => p.resolve(outcome.results[i]!));
    } catch (err) {
      for (const p of group) p.reject(err);
    }
  }

  /** Why a request may not store its points, or null. */
  private refusal(p: Pending, known: Map<string, repo.TrackVehicle>): Error | null {
    for (const [i, f] of p.points.entries()) {
      const v = known.get(f.vehicleId);
      if (!v) return fieldError(`body.points.${i}.vehicleId`, `no such vehicle ${f.vehicleId}`);
      if (!canSeeStation(p.user, v.stationId)) return forbidden("That vehicle belongs to another station");
    }
    return null;
  }

  /** Writes a group inside the flush's transaction; returns each request's counts, in order. */
  private async write(
    tx: Tx,
    record: RecordEvent,
    group: Pending[],
    known: Map<string, repo.TrackVehicle>,
  ): Promise<{ stored: number; broadcast: number }[]> {
    const now = new Date();
    const sortieAt = (vehicleId: string, at: Date) =>
      known.get(vehicleId)?.spans.find((s) => s.startedAt <= at && (s.endedAt === null || at < s.endedAt))?.id ?? null;
    // Each point once (the first request holding it gets the credit), and each vehicle's newest fix with the request it came from.
    const rows: { owner: number; row: Parameters<typeof repo.insertPositions>[1][number] }[] = [];
    const seen = new Set<string>();
    const newest = new Map<string, { owner: number; fix: PositionFix; at: Date }>();
    group.forEach((p, owner) => {
      for (const f of p.points) {
        const at = new Date(f.recordedAt);
        const key = repo.positionKey(f.vehicleId, at);
        const cur = newest.get(f.vehicleId);
        if (!cur || at > cur.at) newest.set(f.vehicleId, { owner, fix: f, at });
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({
          owner,
          row: {
            vehicleId: f.vehicleId,
            sortieId: sortieAt(f.vehicleId, at),
            lat: f.lat,
            lng: f.lng,
            accuracyM: f.accuracy ?? null,
            recordedAt: at,
          },
        });
      }
    });
    // Counted inside the work: a transaction re-run after a deadlock starts again from zero.
    const out = group.map(() => ({ stored: 0, broadcast: 0 }));
    const fresh = await repo.insertPositions(
      tx,
      rows.map((r) => r.row),
    );
    for (const r of rows) if (fresh.has(repo.positionKey(r.row.vehicleId, r.row.recordedAt!))) out[r.owner]!.stored++;
    const moved = await repo.advanceAndClaim(
      tx,
      [...newest.values()].map((n) => ({ vehicleId: n.fix.vehicleId, lat: n.fix.lat, lng: n.fix.lng, at: n.at })),
      now,
      this.intervalS,
    );
    for (const m of moved) {
      if (!m.claimed) continue;
      const n = newest.get(m.vehicleId)!;
      const v = known.get(m.vehicleId)!;
      out[n.owner]!.broadcast++;
      record({
        type: "vehicle.position",
        stationId: v.stationId,
        actorId: group[n.owner]!.user.id,
        payload: {
          vehicleId: v.id,
          callSign: v.callSign,
          stationId: v.stationId,
          sortieId: v.sortieId,
          lat: n.fix.lat,
          lng: n.fix.lng,
          accuracy: n.fix.accuracy ?? null,
          recordedAt: n.at.toISOString(),
        },
      });
    }
    return out;
  }
}

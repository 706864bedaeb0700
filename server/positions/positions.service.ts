import type { PositionFix } from "../../shared/api/patrols.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole } from "../auth/policy.js";
import { fieldError, forbidden } from "../http/errors.js";
import * as repo from "./positions.repo.js";

/** Most points written by one flush: 6 parameters a row stays far below PostgreSQL's 65,535. */
const FLUSH_MAX_POINTS = 5000;

/** One request waiting for the next flush. */
interface Pending {
  user: SessionUser;
  points: PositionFix[];
  resolve: (r: { stored: number; broadcast: number }) => void;
  reject: (err: unknown) => void;
}

/**
 * GPS tracks from patrol phones.
 *
 * Every fix is stored (the track is evidence of where patrols went), but dashboards only need to
 * see a marker move: a vehicle.position event is recorded at most once per vehicle per
 * POSITION_BROADCAST_SECONDS (default 5 s), carrying the newest fix. The throttle is a conditional
 * column update on vehicles.position_broadcast_at, so it holds across every server process.
 *
 * Group commit: requests are not written one by one. While a flush is running, new requests
 * queue; the next flush writes all of them together: one query for the vehicles (scope and open
 * sortie), one multi-row INSERT of every point, one UPDATE of every vehicle's last position and
 * broadcast claim, one multi-row INSERT of the events, one COMMIT. At low load a flush holds one
 * request and adds no delay; at a thousand phones it holds hundreds and the database sees a few
 * statements instead of ten per fix. A request is answered only after the flush holding it
 * committed, so a 2xx still means "stored".
 */
export class PositionsService {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly intervalS: number,
  ) {}

  /** Stores a batch of fixes (any vehicles in the crew's scope) and broadcasts within the throttle. */
  async record(user: SessionUser, points: PositionFix[]): Promise<{ stored: number; broadcast: number }> {
    requireRole(user, ["patrol", "head", "admin"]);
    const limit = Date.now() + 60_000;
    points.forEach((p, i) => {
      if (new Date(p.recordedAt).getTime() > limit) throw fieldError(`body.points.${i}.recordedAt`, "in the future");
    });
    return new Promise((resolve, reject) => {
      this.queue.push({ user, points, resolve, reject });
      void this.pump();
    });
  }

  /** Flushes queued requests one group at a time until the queue is empty. */
  private async pump(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const group: Pending[] = [];
        let n = 0;
        while (this.queue.length && (n === 0 || n + this.queue[0]!.points.length <= FLUSH_MAX_POINTS)) {
          const p = this.queue.shift()!;
          n += p.points.length;
          group.push(p);
        }
        await this.flush(group);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async flush(group: Pending[]): Promise<void> {
    try {
      const ids = [...new Set(group.flatMap((p) => p.points.map((f) => f.vehicleId)))];
      const known = await repo.trackVehicles(this.db, ids);
      // Scope is checked per request: one crew's refusal does not fail the others in the group.
      const accepted: Pending[] = [];
      for (const p of group) {
        const err = this.refusal(p, known);
        if (err) p.reject(err);
        else accepted.push(p);
      }
      if (!accepted.length) return;
      const times = accepted.flatMap((p) => p.points.map((f) => new Date(f.recordedAt).getTime()));
      const spans = await repo.sortiesOverlapping(
        this.db,
        ids,
        new Date(Math.min(...times)),
        new Date(Math.max(...times)),
      );
      const byVehicle = new Map<string, repo.SortieSpan[]>();
      for (const s of spans) byVehicle.set(s.vehicleId, [...(byVehicle.get(s.vehicleId) ?? []), s]);
      const sortieAt = (vehicleId: string, at: Date) =>
        byVehicle.get(vehicleId)?.find((s) => s.startedAt <= at && (s.endedAt === null || at < s.endedAt))?.id ?? null;
      const results = await this.write(accepted, known, sortieAt);
      accepted.forEach((p, i) => p.resolve(results[i]!));
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

  /** Writes a group in one transaction; returns each request's counts, in order. */
  private async write(
    group: Pending[],
    known: Map<string, repo.TrackVehicle>,
    sortieAt: (vehicleId: string, at: Date) => string | null,
  ): Promise<{ stored: number; broadcast: number }[]> {
    const now = new Date();
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
    return this.log.transact(async (tx, record) => {
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
    });
  }
}

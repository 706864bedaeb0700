import type { PositionFix } from "../../shared/api/patrols.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole } from "../auth/policy.js";
import { fieldError, forbidden } from "../http/errors.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import * as repo from "./positions.repo.js";

/**
 * GPS tracks from patrol phones.
 *
 * Every fix is stored (the track is evidence of where patrols went), but dashboards only need to
 * see a marker move: a vehicle.position event is recorded at most once per vehicle per
 * POSITION_BROADCAST_SECONDS (default 5 s), carrying the newest fix of the batch. The throttle is
 * a conditional UPDATE on vehicles.position_broadcast_at, so it holds across every server process;
 * a thousand phones reporting every 2 s give at most 200 events/s, not 500, and raising the
 * interval scales that down linearly. Fixes that arrive inside the interval are not lost to
 * dashboards: the next event carries the then-newest position, and GET /api/vehicles has it too.
 */
export class PositionsService {
  constructor(private readonly db: Db, private readonly log: EventLog, private readonly intervalS: number) {}

  /** Stores a batch of fixes (any vehicles in the crew's scope) and broadcasts within the throttle. */
  async record(user: SessionUser, points: PositionFix[]): Promise<{ stored: number; broadcast: number }> {
    requireRole(user, ["patrol", "head", "admin"]);
    const now = new Date();
    const byVehicle = new Map<string, PositionFix[]>();
    points.forEach((p, i) => {
      if (new Date(p.recordedAt).getTime() > now.getTime() + 60_000) throw fieldError(`body.points.${i}.recordedAt`, "in the future");
      byVehicle.set(p.vehicleId, [...(byVehicle.get(p.vehicleId) ?? []), p]);
    });
    const vehicles = new Map<string, vrepo.VehicleRow>();
    for (const id of byVehicle.keys()) {
      const v = await vrepo.findVehicle(this.db, id);
      if (!v) throw fieldError("body.points", `no such vehicle ${id}`);
      if (!canSeeStation(user, v.stationId)) throw forbidden("That vehicle belongs to another station");
      vehicles.set(id, v);
    }
    const sorties = await vrepo.openSortiesOf(this.db, [...vehicles.keys()]);
    return this.log.transact(async (tx, record) => {
      let stored = 0;
      let broadcast = 0;
      for (const [vehicleId, fixes] of byVehicle) {
        const v = vehicles.get(vehicleId)!;
        const sortieId = sorties.get(vehicleId)?.id ?? null;
        stored += await repo.insertPositions(tx, fixes.map((f) => ({
          vehicleId, sortieId, lat: f.lat, lng: f.lng, accuracyM: f.accuracy ?? null, recordedAt: new Date(f.recordedAt),
        })));
        const newest = fixes.reduce((a, b) => (new Date(b.recordedAt) > new Date(a.recordedAt) ? b : a));
        const moved = await repo.advanceLastPosition(tx, vehicleId, newest.lat, newest.lng, new Date(newest.recordedAt));
        if (moved && (await repo.claimBroadcast(tx, vehicleId, now, this.intervalS))) {
          broadcast++;
          record({
            type: "vehicle.position", stationId: v.stationId, actorId: user.id,
            payload: {
              vehicleId, callSign: v.callSign, stationId: v.stationId, sortieId, lat: newest.lat, lng: newest.lng,
              accuracy: newest.accuracy ?? null, recordedAt: new Date(newest.recordedAt).toISOString(),
            },
          });
        }
      }
      return { stored, broadcast };
    });
  }
}

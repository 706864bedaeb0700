import type { Distribution, DistributionCreate } from "../../shared/api/distributions.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError } from "../http/errors.js";
import { assertSameRequest } from "../http/idempotency.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import { findShelter } from "../shelters/shelters.repo.js";
import { lockStationStock } from "../supplies/supplies.repo.js";
import { handOutFromStock } from "../supplies/stock-out.js";
import * as repo from "./distributions.repo.js";
import { presentDistribution } from "./distributions.presenter.js";

class LostIdempotentRace extends Error {}

/**
 * Distributions (发放): supplies handed out at a shelter, a distribution point or from a vehicle to
 * a number of recipients, without a record per person. The supplies leave a vehicle's load or the
 * station's store under that stock's lock (never below zero: 409 INSUFFICIENT_STOCK, nothing
 * written); they count in supplies handed out, the recipients in their own figure.
 */
export class DistributionsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Records a distribution in one transaction. Idempotent by id. */
  async create(user: SessionUser, input: DistributionCreate): Promise<Distribution> {
    requireRole(user, ["patrol", "head", "admin"]);
    requireStation(user, input.stationId);
    const existing = await repo.findDistribution(this.db, input.id);
    if (existing) return this.repeated(user, existing, input);
    const now = new Date();
    const occurredAt = input.occurredAt ? new Date(input.occurredAt) : now;
    if (occurredAt > now) throw fieldError("body.occurredAt", "must not lie in the future");
    if (input.shelterId) {
      const shelter = await findShelter(this.db, input.shelterId);
      if (!shelter || shelter.stationId !== input.stationId)
        throw fieldError("body.shelterId", "no such shelter at this station");
    }
    try {
      await this.log.transact(async (tx, record) => {
        // Lock order (supplies.repo.ts): the station's store, or the vehicle, before the balance is read.
        let callSign: string | undefined;
        if (input.vehicleId) {
          const v = await vrepo.findVehicle(tx, input.vehicleId, true);
          if (!v || v.stationId !== input.stationId)
            throw fieldError("body.vehicleId", "not a vehicle of this station");
          callSign = v.callSign;
        } else {
          await lockStationStock(tx, input.stationId);
        }
        const d = await repo.insertDistribution(tx, {
          id: input.id,
          stationId: input.stationId,
          placeKind: input.placeKind,
          shelterId: input.shelterId ?? null,
          vehicleId: input.vehicleId ?? null,
          placeText: input.placeText,
          recipients: input.recipients ?? null,
          notes: input.notes,
          occurredAt,
          recordedBy: user.id,
        });
        if (!d) throw new LostIdempotentRace();
        const lines = await handOutFromStock(tx, {
          stationId: input.stationId,
          vehicleId: input.vehicleId ?? null,
          callSign,
          lines: input.supplies,
          path: "body.supplies",
          at: occurredAt,
          recordedBy: user.id,
          distributionId: d.id,
        });
        record({
          type: "distribution.recorded",
          stationId: d.stationId,
          actorId: user.id,
          payload: presentDistribution(d, lines),
        });
      });
    } catch (err) {
      // The same request sent twice at once: the twin that lost answers with the winner's record.
      if (!(err instanceof LostIdempotentRace)) throw err;
    }
    const saved = await repo.findDistribution(this.db, input.id);
    if (!saved) throw new AppError(409, "CONFLICT", "body.id: the distribution could not be recorded; try again");
    return saved === existing ? this.present(saved) : this.repeated(user, saved, input);
  }

  /** A station's distributions, newest first. */
  async list(user: SessionUser, stationId: string, limit: number): Promise<Distribution[]> {
    requireStation(user, stationId);
    const rows = await repo.listDistributions(this.db, stationId, limit);
    const lines = await repo.linesOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) =>
      presentDistribution(
        r,
        lines.filter((l) => l.distributionId === r.id),
      ),
    );
  }

  /** A repeated id: the first distribution if it said the same, else 409 IDEMPOTENCY_MISMATCH. */
  private async repeated(user: SessionUser, d: repo.DistributionRow, input: DistributionCreate): Promise<Distribution> {
    if (!canSeeStation(user, d.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
    const out = await this.present(d);
    const byItem = (a: { itemId: string }, b: { itemId: string }) => a.itemId.localeCompare(b.itemId);
    const stored = { ...d, supplies: out.supplies.map(({ itemId, quantity }) => ({ itemId, quantity })).sort(byItem) };
    assertSameRequest("distribution", input.id, stored, { ...input, supplies: [...input.supplies].sort(byItem) });
    return out;
  }

  private async present(d: repo.DistributionRow): Promise<Distribution> {
    return presentDistribution(d, await repo.linesOf(this.db, [d.id]));
  }
}

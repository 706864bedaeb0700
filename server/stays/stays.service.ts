import type { z } from "zod";
import type { Stay, StayCreate, StayEnd } from "../../shared/api/shelters.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import { findPerson } from "../people/people.repo.js";
import { findShelter } from "../shelters/shelters.repo.js";
import * as repo from "./stays.repo.js";
import { presentStay } from "./stays.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";

/** How long after a pick-up an arrival is still matched to it. */
const PENDING_WINDOW_MS = 48 * 3600_000;

/**
 * Stays in the station or a shelter (站内救助). A stay that follows a "brought_in" encounter links to
 * it so the person counts once under in-station aid; how the stay ends (escorted home, family
 * pick-up …) is counted again under its own heading, as the published figures do.
 */
export class StaysService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Stays of a station. */
  async list(user: SessionUser, stationId: string, open: boolean, limit: number): Promise<Stay[]> {
    requireRole(user, ["operator", "patrol", "head", "admin"]);
    requireStation(user, stationId);
    return (await repo.listStays(this.db, stationId, open, limit)).map(presentStay);
  }

  /** Brought-in encounters still waiting for their stay. */
  async pending(user: SessionUser, stationId: string) {
    requireRole(user, ["operator", "patrol", "head", "admin"]);
    requireStation(user, stationId);
    const rows = await repo.pendingArrivals(this.db, stationId, new Date(Date.now() - PENDING_WINDOW_MS));
    return rows.map((r) => ({
      encounterId: r.id,
      personId: r.person_id,
      occurredAt: new Date(r.occurred_at).toISOString(),
      place: r.place ?? "",
    }));
  }

  /**
   * Someone arrives. A retry with the same id returns the first result. A known person brought in
   * by a patrol in the last 48 h is linked to that encounter even when the desk did not say so,
   * so they count once under in-station aid, not twice.
   */
  async start(user: SessionUser, input: z.infer<typeof StayCreate>): Promise<Stay> {
    requireRole(user, ["operator", "patrol", "head"]);
    requireStation(user, input.stationId);
    const existing = await repo.findStay(this.db, input.id);
    if (existing) {
      const first = this.same(existing, input.stationId);
      assertSameRequest("stay", input.id, existing, input, { fixed: ["stationId"] });
      return first;
    }
    if (input.shelterId) {
      const sh = await findShelter(this.db, input.shelterId);
      if (!sh || sh.stationId !== input.stationId) throw fieldError("body.shelterId", "not a shelter of this station");
    }
    if (input.personId) {
      const p = await findPerson(this.db, input.personId);
      if (!p || p.stationId !== input.stationId) throw fieldError("body.personId", "not a person of this station");
    }
    if (input.encounterId) {
      const e = await repo.encounterBrief(this.db, input.encounterId);
      if (!e || e.stationId !== input.stationId)
        throw fieldError("body.encounterId", "not an encounter of this station");
      if (e.outcome !== "brought_in") throw fieldError("body.encounterId", "only a brought_in encounter starts a stay");
      if (await repo.stayOfEncounter(this.db, input.encounterId))
        throw new AppError(409, "CONFLICT", "body.encounterId: that encounter already has a stay");
    }
    let encounterId = input.encounterId ?? null;
    if (!encounterId && input.personId) {
      const [latest] = (
        await repo.pendingArrivals(this.db, input.stationId, new Date(Date.now() - PENDING_WINDOW_MS), [input.personId])
      ).slice(-1);
      encounterId = latest?.id ?? null;
    }
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertStay(tx, {
        id: input.id,
        stationId: input.stationId,
        shelterId: input.shelterId ?? null,
        personId: input.personId ?? null,
        encounterId,
        bed: input.bed,
        needs: input.needs,
        notes: input.notes,
        arrivedAt: input.arrivedAt ? new Date(input.arrivedAt) : new Date(),
        createdBy: user.id,
      });
      if (created)
        record({ type: "stay.started", stationId: created.stationId, actorId: user.id, payload: presentStay(created) });
      return created;
    });
    return this.same(row ?? (await repo.findStay(this.db, input.id))!, input.stationId);
  }

  private same(s: repo.StayRow, stationId: string): Stay {
    if (s.stationId !== stationId) throw new AppError(409, "CONFLICT", "body.id: already used");
    return presentStay(s);
  }

  /** Ends a stay. Ending it again with the same outcome returns it unchanged (retries are safe). */
  async end(user: SessionUser, id: string, input: z.infer<typeof StayEnd>): Promise<Stay> {
    requireRole(user, ["operator", "patrol", "head"]);
    const s = await repo.findStay(this.db, id);
    if (!s) throw notFound("Stay");
    requireStation(user, s.stationId);
    if (s.endedAt) {
      if (s.endReason === input.reason && s.version === input.version + 1) return presentStay(s);
      throw new AppError(409, "INVALID_TRANSITION", "This stay has already ended");
    }
    const at = input.at ? new Date(input.at) : new Date();
    if (at < s.arrivedAt) throw fieldError("body.at", "before the arrival");
    const row = await this.log.transact(async (tx, record) => {
      const ended = await repo.endStay(tx, id, input.version, {
        endedAt: at,
        endReason: input.reason,
        travelVoucher: input.travelVoucher,
        destination: input.destination,
      });
      if (ended)
        record({ type: "stay.ended", stationId: ended.stationId, actorId: user.id, payload: presentStay(ended) });
      return ended;
    });
    if (!row) throw versionConflict("Stay");
    return presentStay(row);
  }
}

import type { Encounter, EncounterCreate } from "../../shared/api/encounters.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole } from "../auth/policy.js";
import { AppError, fieldError, forbidden } from "../http/errors.js";
import * as prepo from "../patrols/patrols.repo.js";
import * as drepo from "../dispatch/dispatch.repo.js";
import * as repo from "./encounters.repo.js";
import { encounterIdentityFor, presentEncounter } from "./encounters.presenter.js";
import { auditIdentityReads } from "../people/identity.js";
import { assertSameRequest } from "../http/idempotency.js";
import { recordEncounterIn } from "./encounter-steps.js";

class LostIdempotentRace extends Error {}

/**
 * Encounters (人次): one person met once, found or not, with the outcome, optional identity,
 * condition flags and the supplies handed out from the vehicle's load.
 */
export class EncountersService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /**
   * Records an encounter in one transaction. Supplies come off the sortie's vehicle: its row is
   * locked first, before any insert (lock order 2 in server/supplies/supplies.repo.ts), so hand-outs,
   * returns and write-offs from one vehicle are serialised and the balance check (loaded − handed
   * out − returned − written off) cannot be overtaken (409 INSUFFICIENT_STOCK, nothing written). With no case it
   * also creates the case ("found someone here", source patrol_found). Identity creates a person,
   * or links the one with the same ID number. Idempotent by id.
   */
  async create(user: SessionUser, input: EncounterCreate): Promise<Encounter> {
    requireRole(user, ["patrol", "head", "admin"]);
    const existing = await repo.findEncounter(this.db, input.id);
    if (existing) return this.present(user, this.sameRequest(user, existing, input));

    const sortie = input.sortieId ? await prepo.findSortie(this.db, input.sortieId) : undefined;
    if (input.sortieId && !sortie) throw fieldError("body.sortieId", "no such sortie");
    const task = input.assignmentId ? await drepo.findAssignment(this.db, input.assignmentId) : undefined;
    if (input.assignmentId && !task) throw fieldError("body.assignmentId", "no such task");
    const caseId = input.caseId ?? task?.caseId;
    const kase = caseId ? await drepo.findCase(this.db, caseId) : undefined;
    if (caseId && !kase) throw fieldError("body.caseId", "no such case");
    const visit = input.keyPointVisitId ? await prepo.findVisit(this.db, input.keyPointVisitId) : undefined;
    if (input.keyPointVisitId && !visit) throw fieldError("body.keyPointVisitId", "no such key-point visit");
    const stationId = kase?.stationId ?? sortie?.stationId ?? visit?.stationId ?? user.stationId;
    if (!stationId)
      throw fieldError("body.sortieId", "required when neither case nor your station says where it belongs");
    for (const s of [stationId, sortie?.stationId, task?.stationId, visit?.stationId]) {
      if (s && !canSeeStation(user, s)) throw forbidden("That case, task or sortie belongs to another station");
    }
    if (input.personId) {
      const p = (await repo.peopleById(this.db, [input.personId])).get(input.personId);
      if (!p) throw fieldError("body.personId", "no such person");
      if (!canSeeStation(user, p.stationId)) throw forbidden("That person is registered at another station");
    }
    if (input.lat === undefined && !kase) throw fieldError("body.lat", "required when no case is given");
    const now = new Date();
    const occurredAt = input.occurredAt && new Date(input.occurredAt) < now ? new Date(input.occurredAt) : now;

    try {
      await this.log.transact(async (tx, record) => {
        const e = await recordEncounterIn(
          tx,
          record,
          user,
          input,
          { stationId, sortie, visit, kase, taskId: task?.id },
          occurredAt,
        );
        if (!e) throw new LostIdempotentRace();
      });
    } catch (err) {
      if (!(err instanceof LostIdempotentRace) && !(await repo.findEncounter(this.db, input.id))) throw err;
    }
    return this.present(user, (await repo.findEncounter(this.db, input.id))!);
  }

  /** A repeated id: the first encounter if it was the same report, else 409 (after the station check). */
  private sameRequest(user: SessionUser, e: repo.EncounterRow, input: EncounterCreate): repo.EncounterRow {
    if (!canSeeStation(user, e.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
    assertSameRequest("encounter", input.id, e, input, { clamped: ["occurredAt"] });
    return e;
  }

  /** Encounters in scope, newest first, identity only for roles that may see it (audited). */
  async list(user: SessionUser, q: { caseId?: string; sortieId?: string; limit: number }): Promise<Encounter[]> {
    const rows = await repo.listEncounters(this.db, {
      ...q,
      stationIds: user.allStations ? undefined : user.stationIds,
    });
    const supplies = await repo.handedOutOf(
      this.db,
      rows.map((r) => r.id),
    );
    const people = await repo.peopleById(
      this.db,
      rows.flatMap((r) => (r.personId ? [r.personId] : [])),
    );
    await auditIdentityReads(
      this.db,
      user,
      rows.filter((r) => encounterIdentityFor(user, r.stationId)).map((r) => r.personId),
      "encounter-list",
    );
    return rows.map((r) =>
      presentEncounter(
        r,
        supplies.filter((s) => s.encounterId === r.id),
        r.personId ? people.get(r.personId) : undefined,
        user,
      ),
    );
  }

  private async present(user: SessionUser, e: repo.EncounterRow): Promise<Encounter> {
    if (!canSeeStation(user, e.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
    const supplies = await repo.handedOutOf(this.db, [e.id]);
    const person = e.personId ? (await repo.peopleById(this.db, [e.personId])).get(e.personId) : undefined;
    if (encounterIdentityFor(user, e.stationId))
      await auditIdentityReads(this.db, user, [e.personId], "encounter-detail");
    return presentEncounter(e, supplies, person, user);
  }
}

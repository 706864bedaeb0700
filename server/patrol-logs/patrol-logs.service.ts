import type { EncounterCreate } from "../../shared/api/encounters.js";
import {
  sortieStartOf,
  type PatrolLog,
  type PatrolLogCreate,
  type PatrolLogEncounter,
} from "../../shared/api/patrol-logs.js";
import type { Db, Tx } from "../db/client.js";
import type { EventLog, RecordEvent } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole } from "../auth/policy.js";
import { AppError, fieldError, forbidden } from "../http/errors.js";
import { assertSameRequest } from "../http/idempotency.js";
import * as prepo from "../patrols/patrols.repo.js";
import * as erepo from "../encounters/encounters.repo.js";
import * as drepo from "../dispatch/dispatch.repo.js";
import { presentSortie, presentVisit } from "../patrols/patrols.presenter.js";
import {
  endSortieIn,
  LostIdempotentRace,
  recordVisitIn,
  startSortieIn,
  visibleVehicle,
} from "../patrols/sortie-steps.js";
import { recordEncounterIn } from "../encounters/encounter-steps.js";

type KeyPointRow = NonNullable<Awaited<ReturnType<typeof prepo.findKeyPoint>>>;
/** One step of the replay: a check or an encounter, in time order (a check before an encounter at the same time). */
type Step = { at: number; order: number; run: () => Promise<void> };

/**
 * The patrol log (补录): a whole sortie recorded after the fact in one transaction, by the same steps
 * live entry takes (server/patrols/sortie-steps.ts, server/encounters/encounter-steps.ts): start
 * with the load, the checks and encounters replayed in time order (so hand-outs are checked against
 * the load as it stood then), end with the returns. Locks follow the documented order: the store
 * and the vehicle at the start, the vehicle again (held) for hand-outs, then patrol and sortie at
 * the end. Any problem rolls everything back and is named by its path.
 */
export class PatrolLogsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  async record(user: SessionUser, input: PatrolLogCreate): Promise<PatrolLog> {
    requireRole(user, ["patrol", "head", "admin"]);
    const existing = await prepo.findSortie(this.db, input.id);
    if (existing) return this.repeated(user, existing, input);
    const keyPoints = await this.keyPoints(user, input);
    const cases = await this.cases(user, input);
    for (const [i, e] of input.encounters.entries()) {
      if (!e.personId) continue;
      const p = (await erepo.peopleById(this.db, [e.personId])).get(e.personId);
      if (!p) throw fieldError(`body.encounters.${i}.personId`, "no such person");
      if (!canSeeStation(user, p.stationId)) throw forbidden("That person is registered at another station");
    }
    try {
      await this.log.transact(async (tx, record) => {
        const sortie = await startSortieIn(tx, record, user, sortieStartOf(input), new Date(input.startedAt));
        await this.replay(tx, record, user, input, sortie, keyPoints, cases);
        await endSortieIn(tx, record, user, sortie.id, input.returned, new Date(input.endedAt));
      });
    } catch (err) {
      // The same log sent twice at once: the twin that lost answers with the winner's records.
      if (!(err instanceof LostIdempotentRace) && !(await prepo.findSortie(this.db, input.id))) throw err;
    }
    return this.present(user, (await prepo.findSortie(this.db, input.id))!, input);
  }

  /** Checks and encounters in time order, each checked against what is already stored under its id. */
  private async replay(
    tx: Tx,
    record: RecordEvent,
    user: SessionUser,
    input: PatrolLogCreate,
    sortie: prepo.SortieRow,
    keyPoints: Map<string, KeyPointRow>,
    cases: Map<string, { id: string; stationId: string; lat: number; lng: number }>,
  ): Promise<void> {
    const visits = new Map<string, prepo.VisitRow>();
    const steps: Step[] = [
      ...input.keyPoints.map((k, i): Step => ({
        at: Date.parse(k.visitedAt),
        order: 0,
        run: async () => {
          const before = await prepo.findVisit(tx, k.id);
          if (before) {
            assertSameRequest("key-point visit", k.id, before, k);
            visits.set(k.id, before);
            return;
          }
          const v = await recordVisitIn(tx, record, user, {
            id: k.id,
            keyPoint: keyPoints.get(k.keyPointId)!,
            sortie,
            peopleFound: k.peopleFound,
            notes: k.notes,
            visitedAt: new Date(k.visitedAt),
          });
          if (!v) throw fieldError(`body.keyPoints.${i}.id`, "recorded meanwhile; send the log again");
          visits.set(k.id, v);
        },
      })),
      ...input.encounters.map((e, i): Step => ({
        at: Date.parse(e.occurredAt),
        order: 1,
        run: async () => {
          const live = liveEncounter(e, sortie.id);
          const before = await erepo.findEncounter(tx, e.id);
          if (before) return assertSameRequest("encounter", e.id, before, live);
          const kase = e.caseId ? cases.get(e.caseId) : undefined;
          const visit = e.keyPointVisitId ? visits.get(e.keyPointVisitId) : undefined;
          const made = await recordEncounterIn(
            tx,
            record,
            user,
            live,
            { stationId: sortie.stationId, sortie, visit, kase },
            new Date(e.occurredAt),
            `body.encounters.${i}`,
          );
          if (!made) throw fieldError(`body.encounters.${i}.id`, "recorded meanwhile; send the log again");
        },
      })),
    ];
    steps.sort((a, b) => a.at - b.at || a.order - b.order);
    for (const s of steps) await s.run();
  }

  /** The key points named, each visible and of the vehicle's station. */
  private async keyPoints(user: SessionUser, input: PatrolLogCreate): Promise<Map<string, KeyPointRow>> {
    const vehicle = await visibleVehicle(this.db, user, input.vehicleId);
    const out = new Map<string, KeyPointRow>();
    for (const [i, k] of input.keyPoints.entries()) {
      const kp = out.get(k.keyPointId) ?? (await prepo.findKeyPoint(this.db, k.keyPointId));
      if (!kp) throw fieldError(`body.keyPoints.${i}.keyPointId`, "no such key point");
      if (kp.stationId !== vehicle.stationId)
        throw fieldError(`body.keyPoints.${i}.keyPointId`, "a key point of another station");
      out.set(kp.id, kp);
    }
    return out;
  }

  /** The cases named by encounters, each visible. */
  private async cases(
    user: SessionUser,
    input: PatrolLogCreate,
  ): Promise<Map<string, { id: string; stationId: string; lat: number; lng: number }>> {
    const out = new Map<string, { id: string; stationId: string; lat: number; lng: number }>();
    for (const [i, e] of input.encounters.entries()) {
      if (!e.caseId) continue;
      const c = await drepo.findCase(this.db, e.caseId);
      if (!c) throw fieldError(`body.encounters.${i}.caseId`, "no such case");
      if (!canSeeStation(user, c.stationId)) throw forbidden("That case belongs to another station");
      out.set(c.id, c);
    }
    return out;
  }

  /** A log sent again: the first result if it said the same (sortie and every nested record), else 409. */
  private async repeated(user: SessionUser, s: prepo.SortieRow, input: PatrolLogCreate): Promise<PatrolLog> {
    if (!canSeeStation(user, s.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
    const { load: _load, ...sortieFields } = sortieStartOf(input);
    assertSameRequest("patrol log", input.id, s, { ...sortieFields, endedAt: input.endedAt });
    for (const k of input.keyPoints) {
      const v = await prepo.findVisit(this.db, k.id);
      if (!v || v.sortieId !== s.id)
        throw new AppError(
          409,
          "IDEMPOTENCY_MISMATCH",
          `body.id: ${input.id} was already used for a patrol log without key-point visit ${k.id}`,
        );
      assertSameRequest("key-point visit", k.id, v, k);
    }
    for (const e of input.encounters) {
      const row = await erepo.findEncounter(this.db, e.id);
      if (!row || row.sortieId !== s.id)
        throw new AppError(
          409,
          "IDEMPOTENCY_MISMATCH",
          `body.id: ${input.id} was already used for a patrol log without encounter ${e.id}`,
        );
      assertSameRequest("encounter", e.id, row, liveEncounter(e, s.id));
    }
    return this.present(user, s, input);
  }

  private async present(user: SessionUser, s: prepo.SortieRow, input: PatrolLogCreate): Promise<PatrolLog> {
    if (!canSeeStation(user, s.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
    const info = (await prepo.patrolInfo(this.db, [s.patrolId])).get(s.patrolId)!;
    const visits = await Promise.all(input.keyPoints.map((k) => prepo.findVisit(this.db, k.id)));
    return {
      sortie: presentSortie(s, info),
      keyPointVisits: visits.flatMap((v) => (v ? [presentVisit(v)] : [])),
      encounterIds: input.encounters.map((e) => e.id),
    };
  }
}

/** A nested encounter as POST /api/encounters would have taken it during the sortie. */
function liveEncounter(e: PatrolLogEncounter, sortieId: string): EncounterCreate {
  return { ...e, sortieId };
}

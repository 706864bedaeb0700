import type {
  KeyPointVisit,
  KeyPointVisitCreate,
  Patrol,
  Sortie,
  SortieEnd,
  SortieStart,
} from "../../shared/api/patrols.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole } from "../auth/policy.js";
import { AppError, fieldError, forbidden } from "../http/errors.js";
import * as repo from "./patrols.repo.js";
import { presentPatrol, presentSortie, presentVisit } from "./patrols.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";
import { openWatchIn } from "../check-ins/watches.js";
import { endSortieIn, LostIdempotentRace, noDuplicateItems, recordVisitIn, startSortieIn } from "./sortie-steps.js";

const CREW = ["patrol", "head", "admin"] as const;

/** Clamps a client-reported time (offline replay) to "not in the future". */
const clientTime = (at: string | undefined, now: Date) => (at && new Date(at) < now ? new Date(at) : now);

/**
 * Patrols and sorties (出车/收车) with supplies moving between station stock and vehicle load,
 * and key-point checks. Counting: a patrol is 巡查 次, a sortie 台次, crews + foot staff 人次.
 */
export class PatrolsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /**
   * Starts a sortie: joins an open patrol of the station (joint patrol) or opens a new one, puts an
   * off-duty vehicle on duty, and loads supplies from station stock ("loaded" ledger rows; 409
   * INSUFFICIENT_STOCK when the station has too little, nothing written). Idempotent by sortie id.
   */
  async start(user: SessionUser, input: SortieStart): Promise<Sortie> {
    requireRole(user, [...CREW]);
    const existing = await repo.findSortie(this.db, input.id);
    if (existing) return this.sortieFor(user, existing, input);
    const now = new Date();
    const startedAt = clientTime(input.startedAt, now);
    noDuplicateItems(input.load, "body.load");
    try {
      await this.log.transact(async (tx, record) => {
        const s = await startSortieIn(tx, record, user, input, startedAt);
        // A live start on a night that requires check-ins stores the first deadline with the sortie.
        await openWatchIn(tx, record, s, now);
      });
    } catch (err) {
      // The same start sent twice at once: the twin that lost answers with the winner's sortie.
      if (!(err instanceof LostIdempotentRace) && !(await repo.findSortie(this.db, input.id))) throw err;
    }
    return this.sortieFor(user, (await repo.findSortie(this.db, input.id))!);
  }

  /**
   * Ends a sortie: returns supplies to station stock ("returned" rows, never more than on board:
   * 409 INSUFFICIENT_STOCK), takes the vehicle off duty, and ends the patrol with its last
   * sortie. Ending an ended sortie returns it unchanged (outbox replay).
   */
  async end(user: SessionUser, id: string, input: SortieEnd): Promise<Sortie> {
    requireRole(user, [...CREW]);
    noDuplicateItems(input.returned, "body.returned");
    const now = new Date();
    await this.log.transact((tx, record) =>
      endSortieIn(tx, record, user, id, input.returned, clientTime(input.endedAt, now)),
    );
    return this.sortieFor(user, (await repo.findSortie(this.db, id))!);
  }

  /** Sorties in scope. */
  async list(user: SessionUser, q: { open?: boolean; vehicleId?: string; limit: number }): Promise<Sortie[]> {
    const rows = await repo.listSorties(this.db, { ...q, stationIds: user.allStations ? undefined : user.stationIds });
    const infos = await repo.patrolInfo(this.db, [...new Set(rows.map((r) => r.patrolId))]);
    return rows.map((r) => presentSortie(r, infos.get(r.patrolId)!));
  }

  /** Open patrols in scope (a crew joins one to make a joint patrol). */
  async openPatrols(user: SessionUser): Promise<Patrol[]> {
    const rows = await repo.openPatrols(this.db, user.allStations ? undefined : user.stationIds, 100);
    const infos = await repo.patrolInfo(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => presentPatrol(infos.get(r.id)!));
  }

  /** Records a key-point check (巡查点位 个次), found someone or not. Idempotent by id. */
  async visitKeyPoint(user: SessionUser, input: KeyPointVisitCreate): Promise<KeyPointVisit> {
    requireRole(user, [...CREW]);
    const existing = await repo.findVisit(this.db, input.id);
    if (existing) {
      if (!canSeeStation(user, existing.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
      assertSameRequest("key-point visit", input.id, existing, input, { clamped: ["visitedAt"] });
      return presentVisit(existing);
    }
    const kp = await repo.findKeyPoint(this.db, input.keyPointId);
    if (!kp) throw fieldError("body.keyPointId", "no such key point");
    if (!canSeeStation(user, kp.stationId)) throw forbidden("That key point belongs to another station");
    const sortie = input.sortieId ? await repo.findSortie(this.db, input.sortieId) : undefined;
    if (input.sortieId && !sortie) throw fieldError("body.sortieId", "no such sortie");
    if (sortie && !canSeeStation(user, sortie.stationId)) throw forbidden("That sortie belongs to another station");
    await this.log.transact((tx, record) =>
      recordVisitIn(tx, record, user, {
        id: input.id,
        keyPoint: kp,
        sortie,
        peopleFound: input.peopleFound,
        notes: input.notes,
        visitedAt: clientTime(input.visitedAt, new Date()),
      }),
    );
    return presentVisit((await repo.findVisit(this.db, input.id))!);
  }

  // ---- internals -------------------------------------------------------------------------

  /** A sortie as the user gets it; with `sent`, a repeated start that must say the same as the first (else 409). */
  private async sortieFor(user: SessionUser, s: repo.SortieRow, sent?: SortieStart): Promise<Sortie> {
    if (!canSeeStation(user, s.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
    if (sent) assertSameRequest("sortie", sent.id, s, sent, { clamped: ["startedAt"] });
    const info = (await repo.patrolInfo(this.db, [s.patrolId])).get(s.patrolId)!;
    return presentSortie(s, info);
  }
}

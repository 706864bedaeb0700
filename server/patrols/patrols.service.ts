import { randomUUID } from "node:crypto";
import type { KeyPointVisit, KeyPointVisitCreate, Patrol, Sortie, SortieEnd, SortieStart } from "../../shared/api/patrols.js";
import type { VehicleSupplyLine } from "../../shared/api/vehicles.js";
import type { Db, Tx } from "../db/client.js";
import type { DomainEventInput, EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole } from "../auth/policy.js";
import { AppError, fieldError, forbidden, insufficientStock, notFound } from "../http/errors.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import * as srepo from "../supplies/supplies.repo.js";
import { followVehicleStatus, applyVehicleStatus } from "../vehicles/vehicle-status.js";
import { vehicleOnSortieEnd, vehicleOnSortieStart, type VehicleStatus } from "../../shared/status.js";
import * as repo from "./patrols.repo.js";
import { presentPatrol, presentSortie, presentVisit } from "./patrols.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";

type Record_ = (e: DomainEventInput) => void;
const CREW = ["patrol", "head", "admin"] as const;
class LostIdempotentRace extends Error {}

/** Clamps a client-reported time (offline replay) to "not in the future". */
const clientTime = (at: string | undefined, now: Date) => (at && new Date(at) < now ? new Date(at) : now);

/**
 * Patrols and sorties (出车/收车) with supplies moving between station stock and vehicle load,
 * and key-point checks. Counting: a patrol is 巡查 次, a sortie 台次, crews + foot staff 人次.
 */
export class PatrolsService {
  constructor(private readonly db: Db, private readonly log: EventLog) {}

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
    this.noDuplicates(input.load, "body.load");
    try {
      await this.log.transact(async (tx, record) => {
        // Locks in the one order of server/supplies/supplies.repo.ts: the station's store, then the
        // vehicle, then the patrol joined, all before any insert. (Once the store was
        // locked last, FOR UPDATE, after the patrol and sortie inserts had taken a foreign-key lock
        // on the same station row: two crews starting at once deadlocked.) The vehicle is read
        // once unlocked only to learn which station's store to lock.
        const seen = await this.visibleVehicle(tx, user, input.vehicleId);
        if (input.load.length) await srepo.lockStationStock(tx, seen.stationId);
        const v = await this.lockVehicle(tx, user, input.vehicleId);
        if (v.stationId !== seen.stationId) throw new AppError(409, "CONFLICT", `Vehicle ${v.callSign} was moved to another station meanwhile; try again`);
        const open = (await vrepo.openSortiesOf(tx, [v.id])).get(v.id);
        if (open) throw new AppError(409, "CONFLICT", `Vehicle ${v.callSign} is already out on a sortie; end it first`);
        if (v.status === "out_of_service") throw new AppError(409, "INVALID_TRANSITION", `Vehicle ${v.callSign} is out of service`);
        let patrolId = input.patrolId;
        if (patrolId) {
          const p = await repo.findPatrol(tx, patrolId, true);
          if (!p) throw fieldError("body.patrolId", "no such patrol");
          if (p.stationId !== v.stationId) throw fieldError("body.patrolId", "patrol belongs to another station");
          if (p.endedAt) throw new AppError(409, "CONFLICT", "body.patrolId: that patrol has ended");
        } else {
          patrolId = randomUUID();
          const p = await repo.insertPatrol(tx, {
            id: patrolId, stationId: v.stationId, kind: input.kind, footStaff: input.footStaff, startedAt, createdBy: user.id,
          });
          record({ type: "patrol.started", stationId: p.stationId, actorId: user.id, payload: presentPatrol({ patrol: p, callSigns: [v.callSign] }) });
        }
        const s = await repo.insertSortie(tx, {
          id: input.id, patrolId, vehicleId: v.id, stationId: v.stationId, crewCount: input.crewCount,
          crewNames: input.crewNames, startedAt, createdBy: user.id,
        });
        if (!s) throw new LostIdempotentRace();
        const onDuty = vehicleOnSortieStart(v.status as VehicleStatus);
        if (onDuty !== v.status) await applyVehicleStatus(tx, record, user.id, v, onDuty);
        const loaded = await this.load(tx, user, v.stationId, v.id, s.id, input.load, startedAt);
        const info = (await repo.patrolInfo(tx, [patrolId])).get(patrolId)!;
        record({ type: "sortie.started", stationId: v.stationId, actorId: user.id, payload: { ...presentSortie(s, info), load: loaded } });
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
    this.noDuplicates(input.returned, "body.returned");
    const now = new Date();
    await this.log.transact(async (tx, record) => {
      const seen = await repo.findSortie(tx, id);
      if (!seen) throw notFound("Sortie");
      if (!canSeeStation(user, seen.stationId)) throw forbidden("That sortie belongs to another station");
      if (seen.endedAt) return;
      // Lock order (server/supplies/supplies.repo.ts): vehicle, patrol, sortie. The vehicle
      // serialises this return against hand-outs and write-offs from its load; the patrol against
      // a crew joining it while its last sortie ends (else the patrol could end with a sortie open).
      let v = await this.lockVehicle(tx, user, seen.vehicleId);
      await repo.findPatrol(tx, seen.patrolId, true);
      const s = (await repo.findSortie(tx, id, true))!;
      if (s.endedAt) return; // ended by a twin request while this one waited
      const endedAt = clientTime(input.endedAt, now) < s.startedAt ? s.startedAt : clientTime(input.endedAt, now);
      const task = (await vrepo.activeTasksOf(tx, [v.id])).get(v.id);
      if (task) throw new AppError(409, "CONFLICT", `Vehicle ${v.callSign} still has an active task (${task.status}); clear it before ending the sortie`);
      const onBoard = new Map((await vrepo.vehicleLoad(tx, v.id)).map((l) => [l.itemId, l.quantity]));
      const items = await repo.itemsById(tx, input.returned.map((r) => r.itemId));
      input.returned.forEach((r, i) => {
        if (!items.has(r.itemId)) throw fieldError(`body.returned.${i}.itemId`, "no such supply item");
        const have = onBoard.get(r.itemId) ?? 0;
        if (r.quantity > have) {
          throw insufficientStock(`body.returned.${i}.quantity`, `${r.quantity} ${items.get(r.itemId)!.code} returned but only ${have} on board`);
        }
      });
      await repo.insertLedger(tx, input.returned.map((r) => ({
        id: randomUUID(), stationId: s.stationId, vehicleId: v.id, sortieId: s.id, itemId: r.itemId, kind: "returned",
        quantity: r.quantity, unitValueFen: items.get(r.itemId)!.unitValueFen, at: endedAt, recordedBy: user.id,
      })));
      const ended = (await repo.endSortie(tx, s.id, endedAt))!;
      v = await followVehicleStatus(tx, record, user.id, v, vehicleOnSortieEnd(v.status as VehicleStatus));
      if ((await repo.otherOpenSorties(tx, s.patrolId, s.id)) === 0) await repo.endPatrol(tx, s.patrolId, endedAt);
      const info = (await repo.patrolInfo(tx, [s.patrolId])).get(s.patrolId)!;
      record({ type: "sortie.ended", stationId: s.stationId, actorId: user.id, payload: { ...presentSortie(ended, info), returned: input.returned } });
    });
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
    const infos = await repo.patrolInfo(this.db, rows.map((r) => r.id));
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
    let patrolId: string | null = null;
    if (input.sortieId) {
      const s = await repo.findSortie(this.db, input.sortieId);
      if (!s) throw fieldError("body.sortieId", "no such sortie");
      if (!canSeeStation(user, s.stationId)) throw forbidden("That sortie belongs to another station");
      patrolId = s.patrolId;
    }
    await this.log.transact(async (tx, record) => {
      const v = await repo.insertVisit(tx, {
        id: input.id, keyPointId: kp.id, stationId: kp.stationId, patrolId, sortieId: input.sortieId ?? null,
        peopleFound: input.peopleFound, notes: input.notes, visitedAt: clientTime(input.visitedAt, new Date()), recordedBy: user.id,
      });
      if (v) record({ type: "keypoint.visited", stationId: v.stationId, actorId: user.id, payload: { ...presentVisit(v), keyPointName: kp.name } });
    });
    return presentVisit((await repo.findVisit(this.db, input.id))!);
  }

  // ---- internals -------------------------------------------------------------------------

  private async load(
    tx: Tx, user: SessionUser, stationId: string, vehicleId: string, sortieId: string, lines: VehicleSupplyLine[], at: Date,
  ): Promise<VehicleSupplyLine[]> {
    if (!lines.length) return [];
    const items = await repo.itemsById(tx, lines.map((l) => l.itemId));
    lines.forEach((l, i) => { if (!items.get(l.itemId)?.active) throw fieldError(`body.load.${i}.itemId`, "no such active supply item"); });
    // The caller holds the station's store lock (taken first, see start), so this balance stands
    // until commit.
    const stock = await srepo.storeStock(tx, stationId, lines.map((l) => l.itemId));
    lines.forEach((l, i) => {
      const have = stock.get(l.itemId) ?? 0;
      if (l.quantity > have) {
        throw insufficientStock(`body.load.${i}.quantity`, `${l.quantity} ${items.get(l.itemId)!.code} wanted but the station has ${have}`);
      }
    });
    await repo.insertLedger(tx, lines.map((l) => ({
      id: randomUUID(), stationId, vehicleId, sortieId, itemId: l.itemId, kind: "loaded", quantity: l.quantity,
      unitValueFen: items.get(l.itemId)!.unitValueFen, at, recordedBy: user.id,
    })));
    return lines;
  }

  private async lockVehicle(tx: Tx, user: SessionUser, id: string): Promise<vrepo.VehicleRow> {
    return this.visibleVehicle(tx, user, id, true);
  }

  private async visibleVehicle(tx: Tx, user: SessionUser, id: string, lock = false): Promise<vrepo.VehicleRow> {
    const v = await vrepo.findVehicle(tx, id, lock);
    if (!v) throw fieldError("body.vehicleId", "no such vehicle");
    if (!canSeeStation(user, v.stationId)) throw forbidden("That vehicle belongs to another station");
    return v;
  }

  private noDuplicates(lines: VehicleSupplyLine[], path: string): void {
    const seen = new Set<string>();
    lines.forEach((l, i) => {
      if (seen.has(l.itemId)) throw fieldError(`${path}.${i}.itemId`, "listed twice");
      seen.add(l.itemId);
    });
  }

  /** A sortie as the user gets it; with `sent`, a repeated start that must say the same as the first (else 409). */
  private async sortieFor(user: SessionUser, s: repo.SortieRow, sent?: SortieStart): Promise<Sortie> {
    if (!canSeeStation(user, s.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
    if (sent) assertSameRequest("sortie", sent.id, s, sent, { clamped: ["startedAt"] });
    const info = (await repo.patrolInfo(this.db, [s.patrolId])).get(s.patrolId)!;
    return presentSortie(s, info);
  }
}

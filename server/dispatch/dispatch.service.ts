import type {
  AssignInput,
  AssignmentStatusInput,
  CancelInput,
  ReassignInput,
  Recommendation,
  Task,
  UnackedTask,
} from "../../shared/api/dispatch.js";
import { ASSUMED_SPEED_KMH, etaMinutes } from "../../shared/api/dispatch.js";
import { haversineMeters } from "../../shared/geo.js";
import {
  ASSIGNMENT_MACHINE,
  ASSIGNMENT_STEP_ORDER,
  CASE_MACHINE,
  canTransition,
  vehiclePathForTask,
  type AssignmentStatus,
  type CaseStatus,
  type VehicleStatus,
} from "../../shared/status.js";
import type { Db, Tx } from "../db/client.js";
import type { DomainEventInput, EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { AppError, forbidden, notFound, versionConflict } from "../http/errors.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import { applyVehicleStatus, invalidVehicleTransition } from "../vehicles/vehicle-status.js";
import { vehicleEventPayload } from "../vehicles/vehicles.presenter.js";
import * as repo from "./dispatch.repo.js";
import { caseDispatchPayload, presentTask } from "./dispatch.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";
import { visitCaseKeyPoint } from "./case-visit.js";

type Record_ = (e: DomainEventInput) => void;
const DISPATCHERS = ["operator", "head", "admin"] as const;
/** How many vehicles a recommendation lists: the nearest ones (the panel shows a screenful). */
const RECOMMENDATIONS = 20;

/** Thrown inside a transaction to roll it back when a concurrent request with the same id won. */
class LostIdempotentRace extends Error {}

/**
 * Dispatch: recommending vehicles, assigning, reassigning and cancelling tasks, the crew's status
 * steps with CAD timestamps, and the unacknowledged-task alert.
 */
export class DispatchService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly ackTimeoutSeconds: number,
  ) {}

  /** The nearest available vehicles in the user's scope by haversine distance to the case, with ETA. */
  async recommendations(user: SessionUser, caseId: string): Promise<{ items: Recommendation[]; speedKmh: number }> {
    requireRole(user, [...DISPATCHERS]);
    const c = await repo.findCase(this.db, caseId);
    if (!c) throw notFound("Case");
    requireStation(user, c.stationId);
    const rows = await vrepo.nearestVehicles(this.db, {
      stationIds: user.allStations ? undefined : user.stationIds,
      status: "available",
      at: { lat: c.lat, lng: c.lng },
      limit: RECOMMENDATIONS,
    });
    const sorties = await vrepo.openSortiesOf(
      this.db,
      rows.map((r) => r.id),
    );
    const items = rows.map((v): Recommendation => {
      const d =
        v.lastLat !== null && v.lastLng !== null ? haversineMeters({ lat: v.lastLat, lng: v.lastLng }, c) : null;
      return {
        vehicleId: v.id,
        callSign: v.callSign,
        stationId: v.stationId,
        status: v.status as VehicleStatus,
        vehicleVersion: v.version,
        distanceM: d === null ? null : Math.round(d),
        etaMinutes: d === null ? null : etaMinutes(d),
        onSortie: sorties.has(v.id),
        crewCount: sorties.get(v.id)?.crewCount ?? 0,
        crewNames: sorties.get(v.id)?.crewNames ?? [],
        lastPositionAt: v.lastPositionAt?.toISOString() ?? null,
      };
    });
    // Nearest first; vehicles without a position last; a crewed vehicle wins a tie.
    items.sort(
      (a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity) || Number(b.onSortie) - Number(a.onSortie),
    );
    return { items, speedKmh: ASSUMED_SPEED_KMH };
  }

  /**
   * Sends a vehicle to a case in one transaction: vehicle available -> dispatched guarded by its
   * version (of concurrent assigns exactly one matches; the rest get 409 and nothing is left
   * locked, since each request's transaction simply ends), the task row, the case to dispatched
   * with its first-dispatch time. A retry with the same id returns the first result.
   */
  async assign(user: SessionUser, input: AssignInput, at?: Date): Promise<Task> {
    requireRole(user, [...DISPATCHERS]);
    const done = await this.idempotent(
      user,
      input.id,
      async (tx, record) => {
        await this.assignInTx(tx, record, user, input, at);
      },
      input,
    );
    return done;
  }

  /** Replaces the vehicle of an active task: the old task is kept, cancelled as "reassigned". */
  async reassign(user: SessionUser, oldId: string, input: ReassignInput): Promise<Task> {
    requireRole(user, [...DISPATCHERS]);
    return this.idempotent(
      user,
      input.id,
      async (tx, record) => {
        const old = await this.lockAssignment(tx, user, oldId);
        if (old.status === "cleared" || old.status === "cancelled") {
          throw new AppError(409, "INVALID_TRANSITION", `Task is already ${old.status}; assign a vehicle instead`);
        }
        if (old.version !== input.version) throw versionConflict("Task");
        if (old.vehicleId === input.vehicleId)
          throw new AppError(409, "CONFLICT", "body.vehicleId: that vehicle already has this task");
        await repo.findCase(tx, old.caseId, true);
        await this.closeTask(tx, record, user, old, "cancelled", new Date(), "reassigned", true);
        await this.assignInTx(tx, record, user, {
          id: input.id,
          caseId: old.caseId,
          vehicleId: input.vehicleId,
          vehicleVersion: input.vehicleVersion,
        });
      },
      { vehicleId: input.vehicleId },
    );
  }

  /** Cancels a task; the vehicle becomes available, and a case with no other active task reopens. */
  async cancel(user: SessionUser, id: string, input: CancelInput): Promise<Task> {
    requireRole(user, [...DISPATCHERS]);
    await this.log.transact(async (tx, record) => {
      const a = await this.lockAssignment(tx, user, id);
      if (a.status === "cancelled") return; // a repeated cancel is a no-op
      if (a.status === "cleared") throw new AppError(409, "INVALID_TRANSITION", "Task is already cleared");
      if (a.version !== input.version) throw versionConflict("Task");
      await repo.findCase(tx, a.caseId, true);
      await this.closeTask(tx, record, user, a, "cancelled", new Date(), input.reason || "cancelled", false);
    });
    return this.task(id);
  }

  /**
   * A crew's status step. Sets the CAD timestamp (at the time the crew tapped, for offline
   * replays), moves the vehicle along (VEHICLE_MACHINE) and the case (on scene, closed when its
   * last task clears). Replaying a step already taken returns the task unchanged: outbox replays
   * are safe. Only crews of the vehicle's station (or heads/admins in scope) may do it.
   */
  async setStatus(user: SessionUser, id: string, input: AssignmentStatusInput): Promise<Task> {
    requireRole(user, ["patrol", "head", "admin"]);
    const now = new Date();
    await this.log.transact(async (tx, record) => {
      const a = await this.lockAssignment(tx, user, id);
      const from = a.status as AssignmentStatus;
      if (from === "cancelled") throw new AppError(409, "INVALID_TRANSITION", "Task was cancelled by the duty room");
      if (ASSIGNMENT_STEP_ORDER[input.status] <= ASSIGNMENT_STEP_ORDER[from]) return; // replay of a step already passed
      if (a.version !== input.version && input.from !== from) throw versionConflict("Task");
      if (!canTransition(ASSIGNMENT_MACHINE, from, input.status)) {
        throw new AppError(
          409,
          "INVALID_TRANSITION",
          `Task cannot go from ${from} to ${input.status}; allowed next: ${ASSIGNMENT_MACHINE[from].join(", ")}`,
        );
      }
      let at = input.at ? new Date(input.at) : now;
      if (at > now) at = now;
      if (at < a.dispatchedAt) at = a.dispatchedAt;
      const c = (await repo.findCase(tx, a.caseId, true))!;
      if (input.status === "cleared") {
        await this.closeTask(tx, record, user, a, "cleared", at, null, false);
        return;
      }
      const patch: Partial<repo.AssignmentRow> = { status: input.status, acknowledgedAt: a.acknowledgedAt ?? at };
      if (input.status === "en_route") patch.enRouteAt = at;
      if (input.status === "on_scene") patch.onSceneAt = at;
      const updated = await repo.updateAssignment(tx, a.id, a.version, patch);
      if (!updated) throw versionConflict("Task");
      await this.moveVehicle(tx, record, user, a.vehicleId, input.status);
      if (input.status === "on_scene" && canTransition(CASE_MACHINE, c.status as CaseStatus, "on_scene")) {
        await this.updateCase(tx, record, user, c, { status: "on_scene", onSceneAt: c.onSceneAt ?? at });
      }
      if (input.status === "on_scene" && c.keyPointId) await visitCaseKeyPoint(tx, record, user, a, c.keyPointId, at);
      record({
        type: "assignment.status_changed",
        stationId: a.stationId,
        actorId: user.id,
        payload: await this.taskPayload(tx, a.id),
      });
    });
    return this.task(id);
  }

  /** Tasks in scope (phone: its vehicle's active task; duty room: a case's history). */
  async list(
    user: SessionUser,
    q: { caseId?: string; vehicleId?: string; active?: boolean; limit: number },
  ): Promise<Task[]> {
    const rows = await repo.listTasks(this.db, { ...q, stationIds: user.allStations ? undefined : user.stationIds });
    return rows.map(presentTask);
  }

  /** Tasks in the user's scope not acknowledged within ACK_TIMEOUT_SECONDS of dispatch, oldest first. */
  async findUnacknowledged(user: SessionUser | null, now = new Date()): Promise<UnackedTask[]> {
    const cutoff = new Date(now.getTime() - this.ackTimeoutSeconds * 1000);
    const scope = !user || user.allStations ? undefined : user.stationIds;
    const rows = await repo.unacknowledgedBefore(this.db, cutoff, scope, 200);
    return rows.map((a) => ({
      assignmentId: a.id,
      caseId: a.caseId,
      vehicleId: a.vehicleId,
      callSign: a.callSign,
      stationId: a.stationId,
      dispatchedAt: a.dispatchedAt.toISOString(),
      waitingSeconds: Math.floor((now.getTime() - a.dispatchedAt.getTime()) / 1000),
    }));
  }

  /** The configured acknowledgement timeout. */
  get timeoutSeconds(): number {
    return this.ackTimeoutSeconds;
  }

  /**
   * Records one assignment.unacknowledged event per overdue task, once per task across all
   * processes (see markUnackAlerted). Meant to run every few seconds from the job runner.
   * Returns how many alerts were raised.
   */
  async raiseUnacknowledgedAlerts(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.ackTimeoutSeconds * 1000);
    return this.log.transact(async (tx, record) => {
      const marked = await repo.markUnackAlerted(tx, cutoff, now);
      for (const a of marked) {
        const t = (await repo.getTask(tx, a.id))!;
        record({
          type: "assignment.unacknowledged",
          stationId: a.stationId,
          actorId: null,
          payload: { ...presentTask(t), waitingSeconds: Math.floor((now.getTime() - a.dispatchedAt.getTime()) / 1000) },
        });
      }
      return marked.length;
    });
  }

  // ---- internals -------------------------------------------------------------------------

  /** `at`: the dispatch time, now unless given (the demo history replays past nights through here). */
  private async assignInTx(tx: Tx, record: Record_, user: SessionUser, input: AssignInput, at?: Date): Promise<void> {
    const c = await repo.findCase(tx, input.caseId, true);
    if (!c) throw notFound("Case");
    requireStation(user, c.stationId);
    const v = await vrepo.findVehicle(tx, input.vehicleId);
    if (!v) throw notFound("Vehicle");
    if (!canSeeStation(user, v.stationId)) throw forbidden("That vehicle belongs to a station outside your scope");
    if (!canTransition(CASE_MACHINE, c.status as CaseStatus, "dispatched") && c.status !== "dispatched") {
      throw new AppError(409, "INVALID_TRANSITION", `Case is ${c.status}; only open or active cases can be dispatched`);
    }
    if (v.version !== input.vehicleVersion) throw this.staleVehicle(v);
    if (v.status !== "available") throw invalidVehicleTransition(v, "dispatched");
    // The race is decided here: the row lock serialises concurrent updates and the version/status
    // condition lets only the first through; losers see no row and roll back.
    const moved = await vrepo.updateVehicle(tx, v.id, input.vehicleVersion, { status: "dispatched" }, "available");
    if (!moved) throw this.staleVehicle((await vrepo.findVehicle(tx, v.id))!);
    record({
      type: "vehicle.status_changed",
      stationId: v.stationId,
      actorId: user.id,
      payload: vehicleEventPayload(moved, v.status),
    });
    const now = at && at.getTime() < Date.now() ? at : new Date();
    const sortie = (await vrepo.openSortiesOf(tx, [v.id])).get(v.id);
    const a = await repo.insertAssignment(tx, {
      id: input.id,
      caseId: c.id,
      vehicleId: v.id,
      stationId: v.stationId,
      sortieId: sortie?.id ?? null,
      status: "assigned",
      assignedBy: user.id,
      dispatchedAt: now,
    });
    if (!a) throw new LostIdempotentRace();
    if (c.status === "open")
      await this.updateCase(tx, record, user, c, { status: "dispatched", dispatchedAt: c.dispatchedAt ?? now });
    record({
      type: "assignment.created",
      stationId: v.stationId,
      actorId: user.id,
      payload: await this.taskPayload(tx, a.id),
    });
  }

  /**
   * Ends a task as cleared or cancelled: timestamps, vehicle back to available, and the case
   * closed (cleared, no other active task) or reopened (cancelled, no other active task, unless a
   * reassignment follows at once).
   */
  private async closeTask(
    tx: Tx,
    record: Record_,
    user: SessionUser,
    a: repo.AssignmentRow,
    to: "cleared" | "cancelled",
    at: Date,
    reason: string | null,
    replacing: boolean,
  ): Promise<void> {
    const patch: Partial<repo.AssignmentRow> =
      to === "cleared"
        ? { status: "cleared", clearedAt: at, acknowledgedAt: a.acknowledgedAt ?? at }
        : { status: "cancelled", cancelledAt: at, cancelReason: reason };
    const updated = await repo.updateAssignment(tx, a.id, a.version, patch);
    if (!updated) throw versionConflict("Task");
    await this.moveVehicle(tx, record, user, a.vehicleId, to);
    const c = (await repo.findCase(tx, a.caseId))!;
    if (!replacing && (await repo.otherActiveTasks(tx, a.caseId, a.id)) === 0) {
      if (to === "cleared" && canTransition(CASE_MACHINE, c.status as CaseStatus, "closed")) {
        await this.updateCase(tx, record, user, c, { status: "closed", clearedAt: c.clearedAt ?? at });
      } else if (to === "cancelled" && (c.status === "dispatched" || c.status === "on_scene")) {
        await this.updateCase(tx, record, user, c, { status: "open" });
      }
    }
    const type = to === "cleared" ? "assignment.status_changed" : "assignment.cancelled";
    record({ type, stationId: a.stationId, actorId: user.id, payload: await this.taskPayload(tx, a.id) });
  }

  private async moveVehicle(
    tx: Tx,
    record: Record_,
    user: SessionUser,
    vehicleId: string,
    task: AssignmentStatus,
  ): Promise<void> {
    let v = (await vrepo.findVehicle(tx, vehicleId))!;
    for (const step of vehiclePathForTask(v.status as VehicleStatus, task))
      v = await applyVehicleStatus(tx, record, user.id, v, step);
  }

  private async updateCase(
    tx: Tx,
    record: Record_,
    user: SessionUser,
    c: repo.CaseRow,
    patch: Parameters<typeof repo.updateCaseDispatch>[3],
  ): Promise<void> {
    const updated = await repo.updateCaseDispatch(tx, c.id, c.version, patch);
    if (!updated) throw versionConflict("Case");
    record({
      type: "case.updated",
      stationId: updated.stationId,
      actorId: user.id,
      payload: caseDispatchPayload(updated),
    });
  }

  /** Locks a task in the user's scope: a crew cannot act on another station's vehicle (403). */
  private async lockAssignment(tx: Tx, user: SessionUser, id: string): Promise<repo.AssignmentRow> {
    const a = await repo.findAssignment(tx, id, true);
    if (!a) throw notFound("Task");
    if (!canSeeStation(user, a.stationId)) throw forbidden("That task belongs to another station's vehicle");
    return a;
  }

  private staleVehicle(v: vrepo.VehicleRow): AppError {
    return new AppError(
      409,
      "VERSION_CONFLICT",
      `Vehicle ${v.callSign} was changed by someone else (now ${v.status}); reload the recommendations and choose again`,
    );
  }

  private async taskPayload(tx: Tx, id: string): Promise<Task> {
    return presentTask((await repo.getTask(tx, id))!);
  }

  private async task(id: string): Promise<Task> {
    const t = await repo.getTask(this.db, id);
    if (!t) throw notFound("Task");
    return presentTask(t);
  }

  /** Runs a create keyed by a client id: an existing id returns the stored task, a lost race too. */
  private async idempotent(
    user: SessionUser,
    id: string,
    work: (tx: Tx, record: Record_) => Promise<void>,
    sent?: { caseId?: string; vehicleId: string },
  ): Promise<Task> {
    const existing = async () => {
      const a = await repo.findAssignment(this.db, id);
      if (a && !canSeeStation(user, a.stationId)) throw new AppError(409, "CONFLICT", "body.id: already used");
      // A task's version and status move on; the case and the vehicle it was created with do not.
      if (a && sent)
        assertSameRequest(
          "task",
          id,
          a,
          { caseId: sent.caseId, vehicleId: sent.vehicleId },
          { fixed: ["caseId", "vehicleId"] },
        );
      return a;
    };
    if (await existing()) return this.task(id);
    try {
      await this.log.transact(work);
    } catch (err) {
      // The same request sent twice at once: the twin that lost (on the id, or on the vehicle
      // version the winner just bumped) answers with the winner's result.
      if (!(err instanceof LostIdempotentRace) && !(await existing())) throw err;
    }
    return this.task(id);
  }
}

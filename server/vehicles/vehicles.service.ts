import { randomUUID } from "node:crypto";
import type {
  Vehicle,
  VehicleCreate,
  VehicleLoad,
  VehicleStatusChange,
  VehicleUpdate,
} from "../../shared/api/vehicles.js";
import type { VehicleStatus } from "../../shared/status.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import { findStation } from "../stations/stations.repo.js";
import * as repo from "./vehicles.repo.js";
import { presentVehicle, vehicleEventPayload } from "./vehicles.presenter.js";
import { applyVehicleStatus } from "./vehicle-status.js";
import { assertSameRequest } from "../http/idempotency.js";

/** Vehicles: the fleet list, admin edits, and status changes checked against the machine. */
export class VehiclesService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Vehicles within the user's scope, with open sortie and active task. */
  async list(user: SessionUser, q: { stationId?: string; status?: VehicleStatus }): Promise<Vehicle[]> {
    if (q.stationId) requireStation(user, q.stationId);
    const rows = await repo.listVehicles(this.db, { stationIds: user.allStations ? undefined : user.stationIds, ...q });
    return this.withRefs(rows);
  }

  /** One vehicle in scope. */
  async get(user: SessionUser, id: string): Promise<Vehicle> {
    const row = await this.visible(user, id);
    return (await this.withRefs([row]))[0]!;
  }

  /** Supplies on board a vehicle in scope. */
  async load(user: SessionUser, id: string): Promise<VehicleLoad> {
    await this.visible(user, id);
    return { vehicleId: id, items: await repo.vehicleLoad(this.db, id) };
  }

  /** Creates a vehicle (admin); a retry with the same id returns the first result. */
  async create(user: SessionUser, input: VehicleCreate): Promise<Vehicle> {
    requireRole(user, ["admin"]);
    if (!(await findStation(this.db, input.stationId))) throw fieldError("body.stationId", "no such station");
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertVehicle(tx, { ...input, id, status: "off_duty" });
      if (created)
        record({
          type: "vehicle.created",
          stationId: created.stationId,
          actorId: user.id,
          payload: vehicleEventPayload(created),
        });
      return created;
    });
    if (row) return presentVehicle(row);
    const existing = await repo.findVehicle(this.db, id);
    if (existing) {
      assertSameRequest("vehicle", id, existing, input);
      return presentVehicle(existing);
    }
    throw new AppError(409, "CONFLICT", `body.callSign: a vehicle with call sign ${input.callSign} already exists`);
  }

  /** Updates a vehicle's details (admin) if the version still matches. */
  async update(user: SessionUser, id: string, input: VehicleUpdate): Promise<Vehicle> {
    requireRole(user, ["admin"]);
    const { version, ...patch } = input;
    if (patch.stationId && !(await findStation(this.db, patch.stationId)))
      throw fieldError("body.stationId", "no such station");
    if (patch.callSign && (await repo.callSignTaken(this.db, patch.callSign, id))) {
      throw new AppError(409, "CONFLICT", `body.callSign: a vehicle with call sign ${patch.callSign} already exists`);
    }
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updateVehicle(tx, id, version, patch);
      if (updated)
        record({
          type: "vehicle.updated",
          stationId: updated.stationId,
          actorId: user.id,
          payload: vehicleEventPayload(updated),
        });
      return updated;
    });
    if (row) return this.get(user, row.id);
    if (!(await repo.findVehicle(this.db, id))) throw notFound("Vehicle");
    throw versionConflict("Vehicle");
  }

  /**
   * Changes a vehicle's status as VEHICLE_MACHINE allows. "dispatched" only comes from an
   * assignment (so a task always exists for it), and a vehicle with an active task cannot be
   * stood down to available/off duty behind the dispatcher's back: cancel or clear the task.
   */
  async setStatus(user: SessionUser, id: string, input: VehicleStatusChange): Promise<Vehicle> {
    requireRole(user, ["operator", "patrol", "head", "admin"]);
    const v = await this.visible(user, id);
    if (input.status === "dispatched")
      throw fieldError("body.status", "dispatched is set by assigning the vehicle to a case");
    await this.log.transact(async (tx, record) => {
      const current = await repo.findVehicle(tx, id, true);
      if (!current) throw notFound("Vehicle");
      if (current.version !== input.version) throw versionConflict(`Vehicle ${v.callSign}`);
      if (input.status === "available" || input.status === "off_duty") {
        const task = (await repo.activeTasksOf(tx, [id])).get(id);
        if (task)
          throw new AppError(
            409,
            "CONFLICT",
            `Vehicle ${v.callSign} has an active task (${task.status}); cancel or clear it first`,
          );
      }
      if (input.status === "off_duty" && (await repo.openSortiesOf(tx, [id])).get(id)) {
        throw new AppError(409, "CONFLICT", `Vehicle ${v.callSign} is out on a sortie; end the sortie to go off duty`);
      }
      await applyVehicleStatus(tx, record, user.id, current, input.status);
    });
    return this.get(user, id);
  }

  /** The vehicle if it exists and is in the user's scope (404 / 403 otherwise). */
  private async visible(user: SessionUser, id: string): Promise<repo.VehicleRow> {
    const row = await repo.findVehicle(this.db, id);
    if (!row) throw notFound("Vehicle");
    if (!canSeeStation(user, row.stationId))
      throw new AppError(403, "FORBIDDEN", "That vehicle belongs to a station outside your scope");
    return row;
  }

  private async withRefs(rows: repo.VehicleRow[]): Promise<Vehicle[]> {
    const ids = rows.map((r) => r.id);
    const [sorties, tasks] = await Promise.all([repo.openSortiesOf(this.db, ids), repo.activeTasksOf(this.db, ids)]);
    return rows.map((r) => presentVehicle(r, sorties.get(r.id), tasks.get(r.id)));
  }
}

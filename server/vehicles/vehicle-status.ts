import { canTransition, VEHICLE_MACHINE, type VehicleStatus } from "../../shared/status.js";
import type { Tx } from "../db/client.js";
import type { DomainEventInput } from "../events/event-log.js";
import { AppError, versionConflict } from "../http/errors.js";
import { updateVehicle, type VehicleRow } from "./vehicles.repo.js";
import { vehicleEventPayload } from "./vehicles.presenter.js";

/** 409 INVALID_TRANSITION naming both statuses and what may follow. */
export function invalidVehicleTransition(v: VehicleRow, to: string): AppError {
  const allowed = VEHICLE_MACHINE[v.status as VehicleStatus] ?? [];
  return new AppError(
    409,
    "INVALID_TRANSITION",
    `Vehicle ${v.callSign} cannot go from ${v.status} to ${to}; allowed next: ${allowed.join(", ") || "none"}`,
  );
}

/**
 * Moves a vehicle to `to` inside a transaction, checked against VEHICLE_MACHINE and the row's
 * version (so a concurrent change makes this one fail rather than overwrite), and records
 * vehicle.status_changed. A no-op when the vehicle already has that status.
 */
export async function applyVehicleStatus(
  tx: Tx,
  record: (e: DomainEventInput) => void,
  actorId: string | null,
  v: VehicleRow,
  to: VehicleStatus,
): Promise<VehicleRow> {
  if (v.status === to) return v;
  if (!canTransition(VEHICLE_MACHINE, v.status as VehicleStatus, to)) throw invalidVehicleTransition(v, to);
  const updated = await updateVehicle(tx, v.id, v.version, { status: to }, v.status);
  if (!updated) throw versionConflict(`Vehicle ${v.callSign}`);
  record({
    type: "vehicle.status_changed",
    stationId: v.stationId,
    actorId,
    payload: vehicleEventPayload(updated, v.status),
  });
  return updated;
}

/**
 * Like {@link applyVehicleStatus} but skips a change the machine does not allow (e.g. the crew
 * clears a task while the dispatcher has put the vehicle out of service): the task's own step must
 * still succeed, and the vehicle keeps the status someone deliberately gave it.
 */
export async function followVehicleStatus(
  tx: Tx,
  record: (e: DomainEventInput) => void,
  actorId: string | null,
  v: VehicleRow,
  to: VehicleStatus,
): Promise<VehicleRow> {
  if (v.status === to || !canTransition(VEHICLE_MACHINE, v.status as VehicleStatus, to)) return v;
  return applyVehicleStatus(tx, record, actorId, v, to);
}

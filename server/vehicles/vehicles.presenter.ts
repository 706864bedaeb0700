import type { Vehicle } from "../../shared/api/vehicles.js";
import type { VehicleStatus } from "../../shared/status.js";
import type { AssignmentStatus } from "../../shared/status.js";
import type { EventPayloads } from "../../shared/events/contract.js";
import type { AssignmentRow, SortieRow, VehicleRow } from "./vehicles.repo.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Vehicle as the API shows it (no personal data on vehicles; every signed-in role in scope may see it). */
export function presentVehicle(v: VehicleRow, sortie?: SortieRow, task?: AssignmentRow): Vehicle {
  return {
    id: v.id,
    stationId: v.stationId,
    callSign: v.callSign,
    plate: v.plate,
    seats: v.seats,
    status: v.status as VehicleStatus,
    version: v.version,
    lastLat: v.lastLat,
    lastLng: v.lastLng,
    lastPositionAt: iso(v.lastPositionAt),
    currentSortie: sortie
      ? {
          id: sortie.id,
          patrolId: sortie.patrolId,
          startedAt: sortie.startedAt.toISOString(),
          crewCount: sortie.crewCount,
        }
      : null,
    currentTask: task ? { assignmentId: task.id, caseId: task.caseId, status: task.status as AssignmentStatus } : null,
  };
}

/** Payload of vehicle.* events: the vehicle's own fields (dashboards merge it into what they hold). */
export function vehicleEventPayload(v: VehicleRow, previousStatus?: string): EventPayloads["vehicle.updated"] {
  return {
    id: v.id,
    stationId: v.stationId,
    callSign: v.callSign,
    plate: v.plate,
    seats: v.seats,
    status: v.status as VehicleStatus,
    version: v.version,
    lastLat: v.lastLat,
    lastLng: v.lastLng,
    lastPositionAt: iso(v.lastPositionAt),
    ...(previousStatus ? { previousStatus: previousStatus as VehicleStatus } : {}),
  };
}

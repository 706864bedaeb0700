import { isRequestTo, type OutboxEntry } from "./outbox-request.js";
import { outboxWrites } from "./fleet-api.js";
import {
  vehicleOnSortieEnd,
  vehicleOnSortieStart,
  vehiclePathForTask,
  type VehicleStatus,
} from "../../../shared/machines.js";

/**
 * The vehicle status the crew's queued actions imply, so a phone that is offline shows where the
 * vehicle is in its work (marked as waiting) instead of the last status the server confirmed.
 * Uses the server's own rules (shared/machines.ts, which is zod-free so it stays out of the way
 * of the phone's bundle); the server stays the judge, and its answer replaces this one once the
 * queue is sent.
 */

/** The status implied by `waiting` (in queue order) for `vehicleId`, or null when nothing queued changes it. */
export function impliedVehicleStatus(
  confirmed: VehicleStatus,
  vehicleId: string,
  waiting: readonly OutboxEntry[],
): VehicleStatus | null {
  let status = confirmed;
  for (const e of waiting) {
    if (isRequestTo(outboxWrites.startSortie, e)) {
      if (e.body.vehicleId === vehicleId) status = vehicleOnSortieStart(status);
    } else if (isRequestTo(outboxWrites.endSortie, e)) status = vehicleOnSortieEnd(status);
    else if (isRequestTo(outboxWrites.taskStatus, e))
      status = vehiclePathForTask(status, e.body.status).at(-1) ?? status;
  }
  return status !== confirmed ? status : null;
}

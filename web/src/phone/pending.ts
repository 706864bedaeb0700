import { isRequestTo, type OutboxEntry } from "./outbox-request.js";
import { outboxWrites } from "./fleet-api.js";
import {
  ASSIGNMENT_STEP_ORDER,
  type AssignmentStatus,
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

/**
 * The task's status once the crew's queued steps for it are applied: a queued step is never
 * rolled back on screen by an older server answer or event arriving meanwhile.
 */
export function impliedTaskStatus(
  confirmed: AssignmentStatus,
  taskId: string,
  waiting: readonly OutboxEntry[],
): AssignmentStatus {
  let status = confirmed;
  for (const e of waiting) {
    if (!isRequestTo(outboxWrites.taskStatus, e) || !e.path.includes(taskId)) continue;
    if (ASSIGNMENT_STEP_ORDER[e.body.status] > ASSIGNMENT_STEP_ORDER[status]) status = e.body.status;
  }
  return status;
}

/** Whether anyone was recorded for the task on this phone (queued or confirmed). */
export function recordedForTask(taskId: string, entries: readonly OutboxEntry[]): boolean {
  return entries.some(
    (e) => isRequestTo(outboxWrites.encounter, e) && (e.body as { assignmentId?: string }).assignmentId === taskId,
  );
}

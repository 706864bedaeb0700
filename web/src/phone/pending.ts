import type { OutboxEntry } from "./outbox.js";
import type { VehicleStatus } from "../../../shared/status.js";

/**
 * The vehicle status the crew's queued actions imply, so a phone that is offline shows where the
 * vehicle is in its work (marked as waiting) instead of the last status the server confirmed.
 *
 * Mirrors the server's rules (shared/status.ts vehiclePathForTask, the sortie service): a sortie
 * start puts an off-duty vehicle on duty, a sortie end takes it off duty, a task's en route / on
 * scene move the vehicle with it, clearing frees it. Kept as this small table instead of importing
 * shared/status.ts because that module builds zod schemas at load, which would put zod in the
 * phone's bundle; the server stays the judge, and its answer replaces this one once the queue is sent.
 */
const TASK_TO_VEHICLE: Partial<Record<string, VehicleStatus>> = {
  en_route: "en_route", on_scene: "on_scene", cleared: "available", cancelled: "available",
};

/** The status implied by `waiting` (in queue order) for `vehicleId`, or null when nothing queued changes it. */
export function impliedVehicleStatus(confirmed: VehicleStatus, vehicleId: string, waiting: readonly OutboxEntry[]): VehicleStatus | null {
  let status = confirmed;
  let changed = false;
  for (const e of waiting) {
    const body = (e.body ?? {}) as { vehicleId?: string; status?: string };
    let next: VehicleStatus | undefined;
    if (e.path === "/api/sorties/start" && body.vehicleId === vehicleId && status === "off_duty") next = "available";
    else if (/^\/api\/sorties\/[^/]+\/end$/.test(e.path)) next = "off_duty";
    else if (/^\/api\/assignments\/[^/]+\/status$/.test(e.path)) next = TASK_TO_VEHICLE[body.status ?? ""];
    if (next && next !== status) { status = next; changed = true; }
  }
  return changed && status !== confirmed ? status : null;
}

/**
 * State machines, declared once: which status may follow which. The server refuses any other
 * transition with 409 INVALID_TRANSITION; the browser uses the same tables to show only the
 * buttons that can work. This module has no imports (no zod), so the phone page can use it
 * without carrying the schema library; shared/status.ts adds the zod enums on top.
 */

/** A transition table: for each status, the statuses that may follow it. */
export type Machine<S extends string> = Readonly<Record<S, readonly S[]>>;

/** True when `to` may follow `from` in `machine`. */
export function canTransition<S extends string>(machine: Machine<S>, from: S, to: S): boolean {
  return machine[from]?.includes(to) ?? false;
}

/** Vehicle statuses (车辆状态). */
export const VEHICLE_STATUSES = [
  "off_duty",
  "available",
  "dispatched",
  "en_route",
  "on_scene",
  "transporting",
  "out_of_service",
] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

/**
 * off duty -> available -> dispatched -> en route -> on scene -> transporting -> available;
 * out of service from any, and back to off duty or available when repaired.
 * A crew may clear from on scene straight to available (nobody to transport), and a dispatch can be
 * cancelled (dispatched/en route -> available).
 */
export const VEHICLE_MACHINE: Machine<VehicleStatus> = {
  off_duty: ["available", "out_of_service"],
  available: ["dispatched", "off_duty", "out_of_service"],
  dispatched: ["en_route", "available", "out_of_service"],
  en_route: ["on_scene", "available", "out_of_service"],
  on_scene: ["transporting", "available", "out_of_service"],
  transporting: ["available", "out_of_service"],
  out_of_service: ["off_duty", "available"],
};

/** Case statuses. */
export const CASE_STATUSES = ["open", "dispatched", "on_scene", "closed", "merged", "cancelled"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A case is open until a vehicle is sent, on scene when one arrives, closed when cleared; merged into another case; cancelled (e.g. a hoax). Unmerge reopens. */
export const CASE_MACHINE: Machine<CaseStatus> = {
  open: ["dispatched", "on_scene", "closed", "merged", "cancelled"],
  dispatched: ["open", "on_scene", "closed", "merged", "cancelled"],
  on_scene: ["closed", "dispatched", "open"],
  closed: ["open"],
  merged: ["open"],
  cancelled: ["open"],
};

/** Statuses in which a case waits in the duty room's queue. */
export const ACTIVE_CASE_STATUSES: readonly CaseStatus[] = ["open", "dispatched", "on_scene"];

/** Assignment (task) statuses: one vehicle's response to one case, as in CAD. */
export const ASSIGNMENT_STATUSES = [
  "assigned",
  "acknowledged",
  "en_route",
  "on_scene",
  "cleared",
  "cancelled",
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * assigned -> acknowledged -> en route -> on scene -> cleared; cancelled (or reassigned) before clearing.
 * A crew may skip steps forward (a gloved tap on "on scene" when the place was round the corner):
 * any later step implies the acknowledgement, and the server fills the skipped CAD timestamps' order.
 */
export const ASSIGNMENT_MACHINE: Machine<AssignmentStatus> = {
  assigned: ["acknowledged", "en_route", "on_scene", "cancelled"],
  acknowledged: ["en_route", "on_scene", "cancelled"],
  en_route: ["on_scene", "cancelled"],
  on_scene: ["cleared", "cancelled"],
  cleared: [],
  cancelled: [],
};

/** Order of the crew's steps, to tell a replayed (already passed) step from a new one. */
export const ASSIGNMENT_STEP_ORDER: Readonly<Record<AssignmentStatus, number>> = {
  assigned: 0,
  acknowledged: 1,
  en_route: 2,
  on_scene: 3,
  cleared: 4,
  cancelled: 5,
};

/**
 * The vehicle statuses to walk through so a vehicle follows its task's step, each allowed by
 * VEHICLE_MACHINE (a task that skips en route still moves the vehicle dispatched -> en route -> on scene).
 */
export function vehiclePathForTask(vehicle: VehicleStatus, task: AssignmentStatus): VehicleStatus[] {
  const target: VehicleStatus | null =
    task === "en_route"
      ? "en_route"
      : task === "on_scene"
        ? "on_scene"
        : task === "cleared" || task === "cancelled"
          ? "available"
          : null;
  if (!target || vehicle === target) return [];
  if (target === "on_scene" && vehicle === "dispatched") return ["en_route", "on_scene"];
  return canTransition(VEHICLE_MACHINE, vehicle, target) ? [target] : [];
}

/** The vehicle's status once its crew starts a sortie (出车): an off-duty vehicle comes on duty. */
export function vehicleOnSortieStart(vehicle: VehicleStatus): VehicleStatus {
  return vehicle === "off_duty" ? "available" : vehicle;
}

/** The vehicle's status once its sortie ends (收车): off duty, where the machine allows it. */
export function vehicleOnSortieEnd(vehicle: VehicleStatus): VehicleStatus {
  return canTransition(VEHICLE_MACHINE, vehicle, "off_duty") ? "off_duty" : vehicle;
}

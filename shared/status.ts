import { z } from "zod";
import { ASSIGNMENT_STATUSES, CASE_STATUSES, VEHICLE_STATUSES } from "./machines.js";

/**
 * Status enums as zod schemas for the API contract. The machines themselves (which status may
 * follow which) live in shared/machines.ts, which has no dependencies, and are re-exported here.
 */
export * from "./machines.js";

/** One of {@link VEHICLE_STATUSES}. */
export const VehicleStatus = z.enum(VEHICLE_STATUSES).describe("Vehicle status");
export type VehicleStatus = z.infer<typeof VehicleStatus>;

/** One of {@link CASE_STATUSES}. */
export const CaseStatus = z.enum(CASE_STATUSES).describe("Case status");
export type CaseStatus = z.infer<typeof CaseStatus>;

/** One of {@link ASSIGNMENT_STATUSES}. */
export const AssignmentStatus = z.enum(ASSIGNMENT_STATUSES).describe("Task status");
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng } from "./common.js";
import { AssignmentStatus, CaseStatus, VehicleStatus } from "../status.js";
import { ConditionFlag, Urgency } from "../vocab.js";

/**
 * Assumed average urban driving speed for arrival estimates. Straight-line (haversine) distance
 * underestimates road distance by ~30% in a grid city, and night traffic in winter is slow on snow:
 * 25 km/h over the straight line is a deliberately plain, explainable figure for ranking vehicles.
 */
export const ASSUMED_SPEED_KMH = 25;

/** Minutes to cover `meters` at {@link ASSUMED_SPEED_KMH}, rounded up (at least 1). */
export function etaMinutes(meters: number): number {
  return Math.max(1, Math.ceil((meters / 1000 / ASSUMED_SPEED_KMH) * 60));
}

/** A vehicle recommended for a case. */
export const Recommendation = z.object({
  vehicleId: Id.describe("Vehicle id"),
  callSign: z.string().describe("Call sign"),
  stationId: Id.describe("Station of the vehicle"),
  /** Vehicle status (always available here). */
  status: VehicleStatus,
  vehicleVersion: z.number().int().positive().describe("Vehicle version to send when assigning"),
  distanceM: z
    .number()
    .nullable()
    .describe("Straight-line distance to the case in metres; null when the vehicle has no position"),
  etaMinutes: z
    .number()
    .int()
    .nullable()
    .describe("Estimated minutes to arrive at the assumed urban speed; null without a position"),
  onSortie: z.boolean().describe("Whether the vehicle is out on a sortie (crew on board)"),
  crewCount: z
    .number()
    .int()
    .min(0)
    .describe("Crew on board per the open sortie (0 when none: nobody would see the task)"),
  crewNames: z
    .array(z.string())
    .describe("Names of the crew on board, as entered at 出车 (may be fewer than crewCount)"),
  lastPositionAt: z
    .string()
    .nullable()
    .describe("When the vehicle's last position fix was taken; null when it never reported one"),
});
export type Recommendation = z.infer<typeof Recommendation>;

/** A task: one vehicle sent to one case, with its CAD timestamps. */
export const Assignment = z.object({
  id: Id.describe("Assignment id (client-generated at assignment)"),
  caseId: Id.describe("Case"),
  vehicleId: Id.describe("Vehicle sent"),
  callSign: z.string().describe("Call sign of the vehicle"),
  stationId: Id.describe("Station of the vehicle"),
  sortieId: Id.nullable().describe("Sortie the vehicle was on when sent, if any"),
  /** Task status. */
  status: AssignmentStatus,
  dispatchedAt: z.string().describe("ISO time dispatched"),
  acknowledgedAt: z.string().nullable().describe("When the crew acknowledged"),
  enRouteAt: z.string().nullable().describe("When the crew set off"),
  onSceneAt: z.string().nullable().describe("When the crew arrived"),
  clearedAt: z.string().nullable().describe("When the crew cleared"),
  cancelledAt: z.string().nullable().describe("When cancelled (or replaced by a reassignment)"),
  cancelReason: z.string().nullable().describe('Why cancelled; "reassigned" when replaced by another vehicle'),
  version: z.number().int().positive().describe("Version for optimistic locking"),
});
export type Assignment = z.infer<typeof Assignment>;

/** What a crew needs to know about the case it is sent to (no caller data). */
const TaskCase = z.object({
  id: Id.describe("Case id"),
  /** Case status. */
  status: CaseStatus,
  /** Urgency. */
  urgency: Urgency,
  /** Where, WGS-84. */
  lat: Lat,
  lng: Lng,
  placeText: z.string().describe("Place description"),
  description: z.string().describe("What was reported about the person"),
  peopleCount: z.number().int().describe("People at the place"),
  flags: z.array(ConditionFlag).describe("Condition flags reported"),
});

/** An assignment with the case it concerns (the phone's task card, the duty room's list). */
export const Task = Assignment.extend({
  case: TaskCase.describe("The case"),
});
export type Task = z.infer<typeof Task>;

/** Assigning a vehicle to a case. */
export const AssignInput = z.object({
  id: Id.describe("Client-generated assignment id: a retry returns the first result"),
  caseId: Id.describe("Case to send the vehicle to"),
  vehicleId: Id.describe("Vehicle to send"),
  vehicleVersion: z
    .number()
    .int()
    .positive()
    .describe("Vehicle version the dispatcher saw: a concurrent dispatch makes it stale (409)"),
});
export type AssignInput = z.infer<typeof AssignInput>;

/** Replacing the vehicle of a task: the old task is cancelled ("reassigned"), a new one created. */
export const ReassignInput = z.object({
  id: Id.describe("Client-generated UUID of the new assignment"),
  version: z.number().int().positive().describe("Version of the assignment being replaced"),
  vehicleId: Id.describe("New vehicle"),
  vehicleVersion: z.number().int().positive().describe("New vehicle version last seen"),
});
export type ReassignInput = z.infer<typeof ReassignInput>;

/** Cancelling a task. */
export const CancelInput = z.object({
  version: z.number().int().positive().describe("Version of the assignment"),
  reason: z.string().trim().max(200).default("").describe("Why the task is cancelled"),
});
export type CancelInput = z.infer<typeof CancelInput>;

/** Statuses a crew may set on its task. */
export const CrewTaskStatus = z
  .enum(["acknowledged", "en_route", "on_scene", "cleared"])
  .describe("Status the crew reports");
export type CrewTaskStatus = z.infer<typeof CrewTaskStatus>;

/** A status step reported by the crew. */
export const AssignmentStatusInput = z.object({
  /** New status. */
  status: CrewTaskStatus,
  version: z
    .number()
    .int()
    .positive()
    .describe("Version the phone last saw (replaying a step already taken is a no-op, not a conflict)"),
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When the crew tapped it (offline replays keep the real time); defaults to now, never later than now"),
  /**
   * The status the crew saw when tapping. A step whose `from` is the task's current status is the
   * crew's own next step, accepted even if the version moved on meanwhile (the crew's own earlier
   * step, queued or in flight): fast taps and queued steps never conflict with each other. A duty
   * room change (cancel, reassign) moves the status too, so it is still refused.
   */
  from: AssignmentStatus.optional().describe("Status the crew saw when tapping"),
});
export type AssignmentStatusInput = z.infer<typeof AssignmentStatusInput>;

/** Filters for the task list. */
const TaskListQuery = z.object({
  caseId: Id.optional().describe("Tasks of this case"),
  vehicleId: Id.optional().describe("Tasks of this vehicle"),
  /** Only tasks not yet cleared or cancelled. */
  active: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("Only active tasks"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)"),
});

/** A task the crew has not acknowledged in time. */
export const UnackedTask = z.object({
  assignmentId: Id.describe("Assignment id"),
  caseId: Id.describe("Case"),
  vehicleId: Id.describe("Vehicle"),
  callSign: z.string().describe("Call sign"),
  stationId: Id.describe("Station"),
  dispatchedAt: z.string().describe("ISO time dispatched"),
  waitingSeconds: z.number().int().describe("Seconds since dispatch"),
});
export type UnackedTask = z.infer<typeof UnackedTask>;

/** Dispatch endpoints. */
export const dispatchApi = {
  recommendations: endpoint({
    method: "GET",
    path: "/api/cases/:id/recommendations",
    tag: "dispatch",
    access: ["operator", "head", "admin"],
    params: IdParams,
    summary: "Available vehicles in scope ranked by distance to the case, with ETA",
    response: z.object({ items: z.array(Recommendation), speedKmh: z.number().describe("Assumed speed for ETA") }),
  }),
  assign: endpoint({
    method: "POST",
    path: "/api/dispatch/assign",
    tag: "dispatch",
    access: ["operator", "head", "admin"],
    status: 201,
    summary: "Send a vehicle to a case (409 VERSION_CONFLICT when someone else dispatched it first)",
    body: AssignInput,
    response: Task,
  }),
  reassign: endpoint({
    method: "POST",
    path: "/api/assignments/:id/reassign",
    tag: "dispatch",
    access: ["operator", "head", "admin"],
    status: 201,
    params: IdParams,
    body: ReassignInput,
    response: Task,
    summary: "Replace the vehicle of a task; the old task stays in history as cancelled (reassigned)",
  }),
  cancel: endpoint({
    method: "POST",
    path: "/api/assignments/:id/cancel",
    tag: "dispatch",
    access: ["operator", "head", "admin"],
    params: IdParams,
    body: CancelInput,
    response: Task,
    summary: "Cancel a task; the vehicle becomes available",
  }),
  setStatus: endpoint({
    method: "POST",
    path: "/api/assignments/:id/status",
    tag: "dispatch",
    access: ["patrol", "head", "admin"],
    params: IdParams,
    body: AssignmentStatusInput,
    response: Task,
    summary: "Crew status step: acknowledged, en route, on scene, cleared (CAD timestamps)",
  }),
  list: endpoint({
    method: "GET",
    path: "/api/assignments",
    tag: "dispatch",
    access: "any",
    query: TaskListQuery,
    summary: "Tasks in scope, newest first",
    response: z.object({ items: z.array(Task) }),
  }),
  unacknowledged: endpoint({
    method: "GET",
    path: "/api/dispatch/unacknowledged",
    tag: "dispatch",
    access: "any",
    summary: "Tasks not acknowledged within ACK_TIMEOUT_SECONDS",
    response: z.object({
      items: z.array(UnackedTask),
      timeoutSeconds: z.number().int().describe("The configured timeout"),
    }),
  }),
};

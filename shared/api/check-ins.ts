import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng, refuseNullIsland } from "./common.js";
import { AlertLevel } from "../vocab.js";
import { CHECK_IN_MINUTES } from "../check-ins.js";

/** A campaign's check-in policy: on which levels sorties check in, and how often. */
export const CheckInPolicy = z.object({
  campaignId: Id.describe("Campaign"),
  levels: z.array(AlertLevel).describe("Levels on which every open sortie must check in"),
  intervalMinutes: z.number().int().describe("Minutes between check-ins"),
  isDefault: z.boolean().describe("True while the campaign has no policy of its own (orange and red, every 30 min)"),
  version: z.number().int().describe("Version for optimistic locking (0 while the default applies)"),
});
export type CheckInPolicy = z.infer<typeof CheckInPolicy>;

/** Setting a campaign's check-in policy. */
export const CheckInPolicyInput = z.object({
  levels: z
    .array(AlertLevel)
    .max(4)
    .describe("Levels requiring check-ins; empty: never")
    .transform((l) => [...new Set(l)]),
  intervalMinutes: z
    .number()
    .int()
    .min(CHECK_IN_MINUTES.min)
    .max(CHECK_IN_MINUTES.max)
    .describe(`Minutes between check-ins (${CHECK_IN_MINUTES.min}..${CHECK_IN_MINUTES.max})`),
  version: z.number().int().min(0).describe("Version last seen (0 to replace the default)"),
});
export type CheckInPolicyInput = z.infer<typeof CheckInPolicyInput>;

/** Where the phone was, sent with a check-in or a panic. */
const PhoneFix = z
  .object({
    lat: Lat,
    lng: Lng,
    accuracy: z.number().min(0).max(100000).nullable().optional().describe("Accuracy radius in metres"),
  })
  .superRefine(refuseNullIsland());

/** A sortie's check-in state, as the phone and the duty room see it. */
export const CheckInStatus = z.object({
  sortieId: Id.describe("Sortie"),
  stationId: Id.describe("Station"),
  vehicleId: Id.describe("Vehicle"),
  callSign: z.string().describe("Call sign"),
  required: z.boolean().describe("Whether the sortie must check in now (the level in force requires it)"),
  level: AlertLevel.nullable().describe("The level that requires check-ins; null when none is required"),
  intervalMinutes: z.number().int().nullable().describe("Minutes between check-ins; null when none is required"),
  lastCheckInAt: z.string().nullable().describe("When the crew last checked in"),
  nextDueAt: z.string().nullable().describe("The deadline of the next check-in; null when none is required"),
  overdueSeconds: z.number().int().describe("Seconds past the deadline (0 when not overdue)"),
});
export type CheckInStatus = z.infer<typeof CheckInStatus>;

/** One tap of "we are fine". */
export const CheckInCreate = z.object({
  id: Id.describe("Client-generated UUID: a retry (outbox replay) returns the first result"),
  sortieId: Id.describe("The sortie checking in"),
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When the crew tapped (offline replays keep the real time); never later than now"),
  position: PhoneFix.optional().describe("Where the phone was, if it had a fix"),
});
export type CheckInCreate = z.infer<typeof CheckInCreate>;

/** A recorded check-in. */
export const CheckIn = z.object({
  id: Id.describe("Check-in id"),
  sortieId: Id.describe("Sortie"),
  stationId: Id.describe("Station"),
  at: z.string().describe("When the crew tapped"),
  receivedAt: z.string().describe("When the server received it"),
  late: z.boolean().describe("Whether it came after a deadline the server had already alerted"),
});
export type CheckIn = z.infer<typeof CheckIn>;

/** The panic action: the crew needs help now. */
export const PanicCreate = z.object({
  id: Id.describe("Client-generated UUID: a retry returns the first alert"),
  sortieId: Id.describe("The sortie in trouble"),
  at: z.iso.datetime({ offset: true }).optional().describe("When it was pressed; never later than now"),
  position: PhoneFix.optional().describe("Where the phone was, if it had a fix"),
});
export type PanicCreate = z.infer<typeof PanicCreate>;

const CrewAlertKind = z.enum(["missed_check_in", "panic"]).describe("Missed check-in or panic");

/** A duty-room alert about a crew. */
export const CrewAlert = z.object({
  id: Id.describe("Alert id (a panic's is the phone's)"),
  kind: CrewAlertKind,
  sortieId: Id.describe("Sortie"),
  stationId: Id.describe("Station"),
  vehicleId: Id.describe("Vehicle"),
  callSign: z.string().describe("Call sign"),
  plate: z.string().describe("Plate"),
  crewCount: z.number().int().describe("Crew on board"),
  crewNames: z.array(z.string()).describe("Crew names (staff)"),
  dueAt: z.string().nullable().describe("The missed deadline (missed check-ins)"),
  raisedAt: z.string().describe("When the server raised it (a panic: when it was pressed)"),
  overdueSeconds: z
    .number()
    .int()
    .describe("Missed check-ins: seconds past the deadline, now or until cleared; 0 for a panic"),
  position: z
    .object({
      lat: Lat,
      lng: Lng,
      at: z.string().describe("When the fix was taken"),
      source: z.enum(["phone", "vehicle"]).describe("Sent with the alert, or the vehicle's last known position"),
    })
    .nullable()
    .describe("Last known position; null when the vehicle never reported one"),
  clearedAt: z.string().nullable().describe("When a late check-in cleared it"),
  acknowledgedAt: z.string().nullable().describe("When the duty room acknowledged it"),
  acknowledgedBy: z.string().nullable().describe("Who acknowledged it (display name)"),
  open: z.boolean().describe("Neither cleared nor acknowledged"),
  version: z.number().int().describe("Version for optimistic locking"),
});
export type CrewAlert = z.infer<typeof CrewAlert>;

/** Acknowledging a crew alert. */
const CrewAlertAck = z.object({ version: z.number().int().positive().describe("Version last seen") });

/** Check-in and panic endpoints. */
export const checkInsApi = {
  policy: endpoint({
    method: "GET",
    path: "/api/campaigns/:id/check-in-policy",
    tag: "check-ins",
    access: "any",
    params: IdParams,
    summary: "The campaign's check-in policy (levels and interval; the default until set)",
    response: CheckInPolicy,
  }),
  setPolicy: endpoint({
    method: "PUT",
    path: "/api/campaigns/:id/check-in-policy",
    tag: "check-ins",
    access: ["supervisor", "admin"],
    params: IdParams,
    body: CheckInPolicyInput,
    summary: "Set on which levels sorties check in and how often (stale version: 409 VERSION_CONFLICT)",
    response: CheckInPolicy,
  }),
  status: endpoint({
    method: "GET",
    path: "/api/sorties/:id/check-in",
    tag: "check-ins",
    access: "any",
    params: IdParams,
    summary: "The sortie's check-in state: required or not, last check-in, next deadline",
    response: CheckInStatus,
  }),
  checkIn: endpoint({
    method: "POST",
    path: "/api/check-ins",
    tag: "check-ins",
    access: ["patrol", "head", "admin"],
    status: 201,
    body: CheckInCreate,
    summary: "One tap: the crew is fine. Moves the deadline and clears a missed check-in alert",
    response: z.object({ checkIn: CheckIn, status: CheckInStatus }),
  }),
  panic: endpoint({
    method: "POST",
    path: "/api/panics",
    tag: "check-ins",
    access: ["patrol", "head", "admin"],
    status: 201,
    body: PanicCreate,
    summary: "The crew needs help now: a panic alert to the duty room with the last position",
    response: CrewAlert,
  }),
  alerts: endpoint({
    method: "GET",
    path: "/api/crew-alerts",
    tag: "check-ins",
    access: "any",
    query: z.object({
      open: z
        .enum(["true", "false"])
        .optional()
        .transform((v) => v !== "false")
        .describe("Only open alerts (default true)"),
      limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)"),
    }),
    summary: "Crew alerts in scope: panics first, then missed check-ins, oldest first",
    response: z.object({ items: z.array(CrewAlert) }),
  }),
  acknowledge: endpoint({
    method: "POST",
    path: "/api/crew-alerts/:id/acknowledge",
    tag: "check-ins",
    access: ["operator", "head", "admin"],
    params: IdParams,
    body: CrewAlertAck,
    summary: "The duty room has seen it and acts (who and when recorded)",
    response: CrewAlert,
  }),
};

import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng, refuseNullIsland } from "./common.js";
import { PartnerAgency } from "../vocab.js";
import { VehicleSupplyLine } from "./vehicles.js";

export const PatrolKind = z
  .enum(["planned", "dispatched", "proactive"])
  .describe("Kinds of patrol: planned round, sent to a call, or proactive street search");
export type PatrolKind = z.infer<typeof PatrolKind>;

/** Partner staff on foot joining a patrol (counted in 出动人员人次). */
export const FootStaff = z.object({
  /** Agency. */
  agency: PartnerAgency,
  count: z.number().int().min(1).max(1000).describe("Number of people"),
});

/** A patrol (巡查): one outing; a joint patrol has several sorties. */
export const Patrol = z.object({
  id: Id.describe("Patrol id"),
  stationId: Id.describe("Station"),
  /** Kind. */
  kind: PatrolKind,
  footStaff: z.array(FootStaff).describe("Partner staff on foot"),
  startedAt: z.string().describe("ISO start time"),
  endedAt: z.string().nullable().describe("End, when every sortie has ended"),
  sortieCount: z.number().int().describe("Open and ended sorties of the patrol"),
  callSigns: z.array(z.string()).describe("Call signs of the vehicles on the patrol"),
});
export type Patrol = z.infer<typeof Patrol>;

/** A sortie (出车): one vehicle going out on a patrol. */
export const Sortie = z.object({
  id: Id.describe("Sortie id (client-generated)"),
  patrolId: Id.describe("Patrol"),
  vehicleId: Id.describe("Vehicle"),
  stationId: Id.describe("Station"),
  crewCount: z.number().int().describe("Crew on board"),
  crewNames: z.array(z.string()).describe("Crew names (staff, not clients: no redaction needed)"),
  startedAt: z.string().describe("ISO start time"),
  endedAt: z.string().nullable().describe("ISO end time"),
  patrol: Patrol.describe("The patrol it belongs to"),
});
export type Sortie = z.infer<typeof Sortie>;

/** Starting a sortie: join an open patrol, or open a new one. */
export const SortieStart = z.object({
  id: Id.describe("Client-generated sortie id: a retry returns the first result"),
  vehicleId: Id.describe("Vehicle going out"),
  patrolId: Id.optional().describe("Join this open patrol (joint patrol); omit to open a new patrol"),
  /** Kind of a new patrol. */
  kind: PatrolKind.default("planned"),
  footStaff: z.array(FootStaff).max(20).default([]).describe("Partner staff on foot (new patrol only)"),
  crewCount: z.number().int().min(1).max(60).describe("Crew on board"),
  crewNames: z.array(z.string().trim().min(1).max(40)).max(60).default([]).describe("Crew names"),
  load: z.array(VehicleSupplyLine).max(50).default([]).describe("Supplies loaded from the station's stock"),
  startedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When the vehicle went out (offline replays keep the real time)"),
});
export type SortieStart = z.infer<typeof SortieStart>;

/** Ending a sortie (收车). */
export const SortieEnd = z.object({
  returned: z
    .array(VehicleSupplyLine)
    .max(50)
    .default([])
    .describe("Supplies returned to the station's stock; cannot exceed what is on board"),
  endedAt: z.iso.datetime({ offset: true }).optional().describe("ISO end time; defaults to now"),
});
export type SortieEnd = z.infer<typeof SortieEnd>;

/** Filters for sorties. */
const SortieListQuery = z.object({
  /** Only open sorties. */
  open: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("Only open sorties"),
  vehicleId: Id.optional().describe("Only this vehicle"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)"),
});

/** A key-point check (巡查点位 个次). */
export const KeyPointVisitCreate = z.object({
  id: Id.describe("Client-generated UUID of the visit"),
  keyPointId: Id.describe("Key point checked"),
  sortieId: Id.optional().describe("Sortie during which it was checked"),
  peopleFound: z.number().int().min(0).max(500).describe("People found there (0 = nobody)"),
  notes: z.string().trim().max(1000).default("").describe("Notes"),
  visitedAt: z.iso.datetime({ offset: true }).optional().describe("When (offline replays keep the real time)"),
});
export type KeyPointVisitCreate = z.infer<typeof KeyPointVisitCreate>;

/** A recorded key-point visit. */
export const KeyPointVisit = z.object({
  id: Id.describe("Visit id"),
  keyPointId: Id.describe("Key point"),
  stationId: Id.describe("Station"),
  patrolId: Id.nullable().describe("Patrol"),
  sortieId: Id.nullable().describe("Sortie"),
  peopleFound: z.number().int().describe("People found"),
  notes: z.string().describe("Notes"),
  visitedAt: z.string().describe("ISO time of the visit"),
});
export type KeyPointVisit = z.infer<typeof KeyPointVisit>;

/** One GPS fix from a patrol phone. */
export const PositionFix = z
  .object({
    vehicleId: Id.describe("Vehicle the phone is in"),
    lat: Lat,
    lng: Lng,
    accuracy: z.number().min(0).max(100000).nullable().optional().describe("Accuracy radius in metres"),
    recordedAt: z.iso.datetime({ offset: true }).describe("When the phone took the fix"),
  })
  .superRefine(refuseNullIsland());
export type PositionFix = z.infer<typeof PositionFix>;

/** Patrol, sortie, key-point visit and position endpoints. */
export const patrolsApi = {
  startSortie: endpoint({
    method: "POST",
    path: "/api/sorties/start",
    tag: "patrols",
    access: ["patrol", "head", "admin"],
    status: 201,
    summary: "Start a sortie (出车): new or joint patrol, crew, supplies loaded from station stock",
    body: SortieStart,
    response: Sortie,
  }),
  endSortie: endpoint({
    method: "POST",
    path: "/api/sorties/:id/end",
    tag: "patrols",
    access: ["patrol", "head", "admin"],
    params: IdParams,
    body: SortieEnd,
    response: Sortie,
    summary: "End a sortie (收车), returning supplies to station stock",
  }),
  sorties: endpoint({
    method: "GET",
    path: "/api/sorties",
    tag: "patrols",
    access: "any",
    query: SortieListQuery,
    summary: "Sorties in scope, newest first",
    response: z.object({ items: z.array(Sortie) }),
  }),
  openPatrols: endpoint({
    method: "GET",
    path: "/api/patrols/open",
    tag: "patrols",
    access: "any",
    summary: "Open patrols in scope (to join as a joint patrol)",
    response: z.object({ items: z.array(Patrol) }),
  }),
  visitKeyPoint: endpoint({
    method: "POST",
    path: "/api/keypoint-visits",
    tag: "patrols",
    access: ["patrol", "head", "admin"],
    status: 201,
    summary: "Record a key-point check (nobody or N people)",
    body: KeyPointVisitCreate,
    response: KeyPointVisit,
  }),
  positions: endpoint({
    method: "POST",
    path: "/api/positions",
    tag: "patrols",
    access: ["patrol", "head", "admin"],
    summary: "Store a batch of GPS fixes; broadcasts at most one vehicle.position per vehicle per interval",
    body: z.object({ points: z.array(PositionFix).min(1).max(500).describe("GPS fixes, any order") }),
    response: z.object({
      stored: z.number().int().describe("New fixes stored (resent ones are skipped)"),
      broadcast: z.number().int().describe("vehicle.position events recorded"),
    }),
  }),
};

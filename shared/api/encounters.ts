import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, Lat, Lng, refuseNullIsland } from "./common.js";
import { ConditionFlag, EncounterOutcome } from "../vocab.js";
import { VehicleSupplyLine } from "./vehicles.js";

/** Optional identity of a person met. Personal data: only crews and heads of the station see it. */
const EncounterIdentity = z.object({
  name: z.string().trim().min(1).max(60).optional().describe("Name as given"),
  gender: z.enum(["male", "female", "unknown"]).optional().describe("Gender"),
  approxAge: z.number().int().min(0).max(120).optional().describe("Approximate age in years"),
  /** ID card number. */
  idNumber: z
    .string()
    .trim()
    .regex(/^[0-9]{17}[0-9Xx]$|^[A-Za-z0-9-]{4,30}$/, "not an ID number")
    .optional()
    .describe("ID card number"),
  hometown: z.string().trim().min(1).max(100).optional().describe("Hometown"),
});
type EncounterIdentity = z.infer<typeof EncounterIdentity>;

/** The fields of recording one person met (人次), before the rules that tie them together. */
export const EncounterFields = z.object({
  id: Id.describe("Client-generated id: a retry returns the first result and records nothing twice"),
  caseId: Id.optional().describe(
    'Case worked on; omit for "found someone here" (a patrol_found case is created with it)',
  ),
  assignmentId: Id.optional().describe("Task during which the person was met"),
  sortieId: Id.optional().describe("Sortie (needed to hand out supplies from the vehicle's load)"),
  keyPointVisitId: Id.optional().describe("Key-point visit during which the person was met"),
  personId: Id.optional().describe("Link to a known person instead of (or as well as) identity fields"),
  found: z.boolean().describe("Whether someone was found"),
  /** What it ended in; not_found when nobody was found. */
  outcome: EncounterOutcome,
  identity: EncounterIdentity.optional().describe("Optional identity; creates or links a person"),
  flags: z.array(ConditionFlag).max(20).default([]).describe("Condition flags"),
  supplies: z.array(VehicleSupplyLine).max(30).default([]).describe("Supplies handed out from the vehicle's load"),
  notes: z.string().trim().max(2000).default("").describe("Notes (may hold personal details: treated like identity)"),
  /** Where, WGS-84 (needed when no case is given). */
  lat: Lat.optional(),
  lng: Lng.optional(),
  placeText: z.string().trim().max(200).default("").describe("Place description for a new patrol-found case"),
  occurredAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When it happened (offline replays keep the real time)"),
});

/** Recording one person met (人次). Works with no identity at all: aid first, paperwork later. */
export const EncounterCreate = EncounterFields.superRefine((v, ctx) => {
  if (!v.found && v.outcome !== "not_found")
    ctx.addIssue({ code: "custom", path: ["outcome"], message: "must be not_found when nobody was found" });
  if (v.found && v.outcome === "not_found")
    ctx.addIssue({ code: "custom", path: ["found"], message: "must be false for outcome not_found" });
  if (!v.found && v.supplies.length)
    ctx.addIssue({ code: "custom", path: ["supplies"], message: "nothing can be handed out when nobody was found" });
  if (!v.caseId && (v.lat === undefined || v.lng === undefined))
    ctx.addIssue({ code: "custom", path: ["lat"], message: "required when no case is given" });
  if (v.supplies.length && !v.sortieId)
    ctx.addIssue({ code: "custom", path: ["sortieId"], message: "required to hand out supplies" });
  const seen = new Set<string>();
  v.supplies.forEach((s, i) => {
    if (seen.has(s.itemId)) ctx.addIssue({ code: "custom", path: ["supplies", i, "itemId"], message: "listed twice" });
    seen.add(s.itemId);
  });
}).superRefine(refuseNullIsland());
export type EncounterCreate = z.infer<typeof EncounterCreate>;

/** A supply line handed out, with the unit value at the time (fen). */
const HandedOut = VehicleSupplyLine.extend({
  unitValueFen: z.number().int().describe("Unit value at the time, in fen (1/100 yuan)"),
});

/** An encounter as it leaves the server. `identity`, `notes` and `personId` only reach roles that may see them. */
export const Encounter = z.object({
  id: Id.describe("Encounter id"),
  stationId: Id.describe("Station"),
  caseId: Id.nullable().describe("Case"),
  assignmentId: Id.nullable().describe("Task"),
  sortieId: Id.nullable().describe("Sortie"),
  patrolId: Id.nullable().describe("Patrol"),
  keyPointVisitId: Id.nullable().describe("Key-point visit"),
  found: z.boolean().describe("Whether someone was found"),
  /** Outcome. */
  outcome: EncounterOutcome,
  flags: z.array(ConditionFlag).describe("Condition flags"),
  /** Where. */
  lat: Lat.nullable(),
  lng: Lng.nullable(),
  occurredAt: z.string().describe("ISO time it happened"),
  recordedBy: Id.nullable().describe("User who recorded it"),
  supplies: z.array(HandedOut).describe("Supplies handed out"),
  personId: Id.nullable().optional().describe("Linked person (personal: crews and heads only)"),
  identity: EncounterIdentity.nullable().optional().describe("Identity (personal: crews and heads only)"),
  notes: z.string().optional().describe("Notes (personal: crews and heads only)"),
});
export type Encounter = z.infer<typeof Encounter>;

/** Filters for encounters. */
const EncounterListQuery = z.object({
  caseId: Id.optional().describe("Encounters of this case"),
  sortieId: Id.optional().describe("Encounters of this sortie"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)"),
});

/** Encounter endpoints. */
export const encountersApi = {
  create: endpoint({
    method: "POST",
    path: "/api/encounters",
    tag: "encounters",
    access: ["patrol", "head", "admin"],
    status: 201,
    summary: "Record a person met (with supplies from the vehicle's load; 409 INSUFFICIENT_STOCK beyond it)",
    body: EncounterCreate,
    response: Encounter,
  }),
  list: endpoint({
    method: "GET",
    path: "/api/encounters",
    tag: "encounters",
    access: "any",
    query: EncounterListQuery,
    summary: "Encounters in scope, newest first (identity only for crews and heads)",
    response: z.object({ items: z.array(Encounter) }),
  }),
};

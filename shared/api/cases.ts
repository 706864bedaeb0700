import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng, refuseNullIsland } from "./common.js";
import { AlertLevel, ConditionFlag, SourceChannel, Urgency } from "../vocab.js";
import { CaseStatus } from "../status.js";
import { UrgencyReason } from "../urgency.js";
import { QUEUE_CURSOR_PATTERN } from "../queue.js";

const IsoTime = z.string().describe("ISO 8601 time");

/**
 * A case: one person (or group) at one place needing help; several calls about the same person are
 * one case. Personal data of callers is never here (see {@link Call}).
 */
export const Case = z.object({
  /** Case id. */
  id: Id,
  stationId: Id.describe("Station responsible for the case"),
  /** Where the case is in its life (state machine in shared/status.ts). */
  status: CaseStatus,
  /** Urgency in force: the rule's, or the operator's override. */
  urgency: Urgency,
  urgencyReasons: z
    .array(UrgencyReason)
    .describe("Why the rule chose its urgency; the UI translates the codes (shared/urgency.ts describes them)."),
  computedUrgency: Urgency.describe("Urgency the rule computed (differs from `urgency` when overridden)"),
  urgencyAlertLevel: AlertLevel.nullable().describe("Alert level the rule used; null when no campaign was running"),
  urgencyOverridden: z.boolean().describe("True when an operator overrode the urgency"),
  urgencyOverrideReason: z.string().nullable().describe("The operator's reason for the override"),
  /** Position, WGS-84. */
  lat: Lat,
  lng: Lng,
  placeText: z.string().describe("Place as told by the caller or a key point's name"),
  keyPointId: Id.nullable().describe("Key point the case is at, if any"),
  peopleCount: z.number().int().describe("Number of people reported (the largest any call reported)"),
  description: z.string().describe("Description of the first call"),
  flags: z.array(ConditionFlag).describe("Condition flags: union over all calls"),
  temperatureC: z.number().nullable().describe("Temperature at the place, if known"),
  notes: z.string().describe("Notes"),
  /** Channel of the first call. */
  source: SourceChannel,
  callerCount: z.number().int().describe("Number of calls in the case (every call is kept)"),
  mergedIntoId: Id.nullable().describe("Case this one was merged into (status merged)"),
  receivedAt: IsoTime.describe("First call received"),
  lastCallAt: IsoTime.describe("Latest call received"),
  createdAt: IsoTime.describe("Case created"),
  updatedAt: IsoTime.describe("Last change"),
  dispatchedAt: IsoTime.nullable().describe("First vehicle dispatched"),
  onSceneAt: IsoTime.nullable().describe("First arrival on scene"),
  clearedAt: IsoTime.nullable().describe("Cleared"),
  version: z.number().int().positive().describe("Optimistic-lock version; updates must send it"),
});
export type Case = z.infer<typeof Case>;

/**
 * One call about a case. Caller name and phone are personal data: present only for operators,
 * station heads and admins, absent for everyone else.
 */
export const Call = z.object({
  /** Call id (the client UUID of the sighting). */
  id: Id,
  caseId: Id.describe("Case the call belongs to now"),
  originalCaseId: Id.describe("Case the call was first filed under (an un-merge moves it back there)"),
  /** Channel. */
  source: SourceChannel,
  callerName: z.string().nullable().optional().describe("Caller's name; absent for roles that may not see it"),
  callerPhone: z.string().nullable().optional().describe("Caller's phone; absent for roles that may not see it"),
  /** Position reported, WGS-84. */
  lat: Lat,
  lng: Lng,
  placeText: z.string().describe("Place as described"),
  keyPointId: Id.nullable().describe("Key point, if any"),
  peopleCount: z.number().int().describe("Number of people reported"),
  description: z.string().describe("Description"),
  flags: z.array(ConditionFlag).describe("Condition flags reported"),
  temperatureC: z.number().nullable().describe("Temperature reported, °C"),
  notes: z.string().describe("Notes"),
  intake: z
    .enum(["created", "merged_by_rule", "merged_by_operator"])
    .describe("What intake did: a new case, or merged by the duplicate rule or by the operator"),
  fromPartner: z.boolean().describe("True when a partner system filed it through Open311"),
  receivedAt: IsoTime.describe("When the call was received"),
});
export type Call = z.infer<typeof Call>;

/** A case with all its calls, oldest first. */
export const CaseDetail = Case.extend({
  calls: z.array(Call).describe("Every call of the case, oldest first"),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

/** Logging a call or sighting (intake). */
export const SightingCreate = z
  .object({
    id: Id.describe("Client-generated UUID; becomes the call id. A retry with the same id returns the first result."),
    stationId: Id.optional().describe("Station the case belongs to; defaults to the operator's station"),
    /** Where the report came from. Partner systems use Open311 instead of this endpoint. */
    source: SourceChannel.refine((s) => s !== "partner_system", "partner systems report through Open311"),
    callerName: z.string().trim().max(64).nullable().optional().describe("Caller name; omit for anonymous"),
    callerPhone: z
      .string()
      .trim()
      .max(32)
      .regex(/^[0-9+\-() ]*$/, "digits, spaces, + - ( ) only")
      .nullable()
      .optional()
      .describe("Caller phone; omit for anonymous"),
    callerWantsOutcome: z
      .boolean()
      .default(false)
      .describe(
        "The caller agreed to be told what came of the report (received, crew sent, helped / not found) at callerPhone",
      ),
    /** Position, WGS-84; may be omitted when keyPointId is given (the key point fills it). */
    lat: Lat.optional(),
    lng: Lng.optional(),
    placeText: z.string().trim().max(200).default("").describe("Place as described (address, landmark)"),
    keyPointId: Id.nullable()
      .optional()
      .describe("Key point picked by name; fills the position when lat/lng are omitted"),
    peopleCount: z.number().int().min(1).max(100).default(1).describe("Number of people"),
    description: z.string().trim().max(2000).default("").describe("What the caller saw"),
    flags: z.array(ConditionFlag).max(20).default([]).describe("Condition flags"),
    temperatureC: z.number().min(-70).max(50).nullable().optional().describe("Temperature at the place, °C, if known"),
    notes: z.string().trim().max(2000).default("").describe("Notes"),
    receivedAt: z.iso.datetime({ offset: true }).optional().describe("When the call came in; defaults to now"),
    mergeInto: Id.nullable()
      .optional()
      .describe('The operator said "same person": file the call under this case (it must match the duplicate rule)'),
    newCase: z.boolean().default(false).describe('The operator said "not the same person": always a new case'),
  })
  .refine((b) => b.keyPointId || (b.lat !== undefined && b.lng !== undefined), {
    message: "lat and lng are required unless keyPointId is given",
    path: ["lat"],
  })
  .refine((b) => !b.callerWantsOutcome || !!b.callerPhone, {
    message: "needs callerPhone: the outcome is told to the caller's number",
    path: ["callerWantsOutcome"],
  })
  .refine((b) => !(b.mergeInto && b.newCase), {
    message: "mergeInto and newCase exclude each other",
    path: ["mergeInto"],
  })
  .superRefine(refuseNullIsland());
export type SightingCreate = z.infer<typeof SightingCreate>;

/** What intake did. */
export const SightingResult = z.object({
  outcome: z
    .enum(["created", "merged"])
    .describe("created: a new case; merged: the call was added to an existing case"),
  mergedBy: z
    .enum(["operator", "rule"])
    .nullable()
    .describe("Who decided the merge (operator's choice or the unambiguous duplicate rule)"),
  callId: Id.describe("The call id (= the client id)"),
  /** The case, with its calls. */
  case: CaseDetail,
});
export type SightingResult = z.infer<typeof SightingResult>;

/** Duplicate candidates while the operator types. */
const DuplicateQuery = z.object({
  lat: z.coerce.number().min(-90).max(90).describe("Latitude of the report"),
  lng: z.coerce.number().min(-180).max(180).describe("Longitude of the report"),
  at: z.iso.datetime({ offset: true }).optional().describe("When the call came in; defaults to now"),
  stationId: Id.optional().describe("Station; defaults to the caller's home station"),
});

/** A case that may be the same person. */
export const DuplicateCandidate = z.object({
  case: Case,
  distanceM: z.number().describe("Metres between report and case"),
  minutesApart: z.number().describe("Minutes between the report and the nearest call of the case"),
});
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;

/** Which cases the queue shows. */
const CaseListQuery = z.object({
  /** "active" (open, dispatched, on scene: the duty-room queue), or one status. */
  status: z
    .union([z.literal("active"), CaseStatus])
    .default("active")
    .describe("active (default) or one status"),
  stationId: Id.optional().describe("Only this station (within scope)"),
  urgency: Urgency.optional().describe("Only cases of this urgency"),
  minWaitMin: z.coerce
    .number()
    .int()
    .min(0)
    .max(10080)
    .optional()
    .describe("Only cases waiting at least this many minutes since their first call"),
  after: z
    .string()
    .regex(QUEUE_CURSOR_PATTERN, "a nextCursor from a previous page")
    .optional()
    .describe("Page cursor: the previous page's nextCursor (the queue after that case)"),
  limit: z.coerce.number().int().min(1).max(500).default(200).describe("Max rows (1..500)"),
});

/** One page of the queue with the number of cases matching the filters in all pages. */
const CasePage = z.object({
  items: z.array(Case),
  total: z.number().int().describe("Cases matching the filters (every page, not only this one)"),
  nextCursor: z.string().nullable().describe("Pass as `after` for the next page; null on the last page"),
});

/** Merging a case into another ("same person"). */
const CaseMerge = z.object({
  intoId: Id.describe("Case that absorbs this one's calls"),
  version: z.number().int().positive().describe("Version of the case being merged, as last seen"),
});

/** Overriding the rule's urgency. */
const UrgencyOverride = z.object({
  urgency: Urgency,
  reason: z.string().trim().min(1).max(500).describe("Why; kept on the case and shown in the queue"),
  version: z.number().int().positive().describe("Version last seen"),
});

/** Case endpoints (intake, queue, duplicates, merge, un-merge, urgency). */
export const casesApi = {
  createSighting: endpoint({
    method: "POST",
    path: "/api/sightings",
    tag: "cases",
    access: ["operator", "head"],
    status: 201,
    summary: "Log a call or sighting: a new case, or a call added to a duplicate case",
    body: SightingCreate,
    response: SightingResult,
  }),
  duplicates: endpoint({
    method: "GET",
    path: "/api/cases/duplicates",
    tag: "cases",
    access: ["operator", "head", "admin"],
    summary: "Active cases that may be the same person (within a few hundred metres and a few hours)",
    query: DuplicateQuery,
    response: z.object({ items: z.array(DuplicateCandidate) }),
  }),
  list: endpoint({
    method: "GET",
    path: "/api/cases",
    tag: "cases",
    access: "any",
    summary: "The queue: cases in scope, most urgent then longest waiting first, a page at a time with the total",
    query: CaseListQuery,
    response: CasePage,
  }),
  get: endpoint({
    method: "GET",
    path: "/api/cases/:id",
    tag: "cases",
    access: "any",
    summary: "One case with its calls (caller details for operator/head/admin only)",
    params: IdParams,
    response: CaseDetail,
  }),
  merge: endpoint({
    method: "POST",
    path: "/api/cases/:id/merge",
    tag: "cases",
    access: ["operator", "head"],
    summary: "Merge a case into another (same person); every call is kept",
    params: IdParams,
    body: CaseMerge,
    response: z.object({ from: Case, into: CaseDetail }),
  }),
  unmerge: endpoint({
    method: "POST",
    path: "/api/calls/:id/unmerge",
    tag: "cases",
    access: ["operator", "head"],
    summary: "Move a call back out to its own case",
    params: IdParams,
    response: z.object({ from: CaseDetail, to: CaseDetail }),
  }),
  overrideUrgency: endpoint({
    method: "PATCH",
    path: "/api/cases/:id/urgency",
    tag: "cases",
    access: ["operator", "head"],
    summary: "Override the rule's urgency with a reason",
    params: IdParams,
    body: UrgencyOverride,
    response: Case,
  }),
};

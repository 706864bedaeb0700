import { z } from "zod";
import { DEADLINE_KINDS } from "../identification.js";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { AlertLevel, EncounterOutcome } from "../vocab.js";
import { Day } from "./totals.js";

/** A relief campaign (e.g. 寒冬送温暖专项救助行动). */
export const Campaign = z.object({
  id: Id.describe("Campaign id"),
  name: z.string().describe("Campaign name"),
  regionId: Id.describe("Region the campaign covers (and every region below it)"),
  startsOn: Day.describe("First day"),
  endsOn: Day.describe("Last day, inclusive"),
  alertLevel: AlertLevel.describe("Campaign-wide cold-alert level (stations may set their own)"),
  stationLevels: z
    .array(
      z.object({
        stationId: Id.describe("Station"),
        level: AlertLevel.describe("Level in force at that station"),
      }),
    )
    .describe("Level in force at each station in the caller's scope"),
});
export type Campaign = z.infer<typeof Campaign>;

/** Creating a campaign (admin, supervisor). */
export const CampaignCreate = z
  .object({
    id: Id.optional().describe("Client-generated UUID for idempotent retries"),
    name: z.string().trim().min(1).max(200).describe("Campaign name"),
    regionId: Id.describe("Region covered"),
    startsOn: Day.describe("First day"),
    endsOn: Day.describe("Last day, inclusive"),
    alertLevel: AlertLevel.default("blue").describe("Starting cold-alert level"),
  })
  .refine((c) => c.startsOn <= c.endsOn, { message: "must not be after endsOn", path: ["startsOn"] });
export type CampaignCreate = z.infer<typeof CampaignCreate>;

/** Raising or lowering the cold-alert level. */
export const AlertChange = z.object({
  id: Id.optional().describe("Client-generated UUID for idempotent retries"),
  stationId: Id.nullable().describe(
    "Station whose level changes; null for the campaign-wide level (supervisor, admin)",
  ),
  level: AlertLevel.describe("New level"),
  reason: z.string().trim().max(500).default("").describe("Why, e.g. the forecast low"),
});
export type AlertChange = z.infer<typeof AlertChange>;

/** One change of a cold-alert level (history is kept). */
export const AlertRecord = z.object({
  id: Id.describe("Change id"),
  campaignId: Id.describe("Campaign"),
  stationId: Id.nullable().describe("Station, null for campaign-wide"),
  level: AlertLevel.describe("Level set"),
  previousLevel: AlertLevel.describe("Level before"),
  reason: z.string().describe("Why"),
  setBy: Id.nullable().describe("User who set it"),
  setAt: z.string().describe("ISO time"),
});
export type AlertRecord = z.infer<typeof AlertRecord>;

/** A key point whose visit is due or overdue. */
const DueKeyPoint = z.object({
  keyPointId: Id.describe("Key point"),
  stationId: Id.describe("Station"),
  name: z.string().describe("Key point name"),
  kind: z.string().describe("Kind of place"),
  lat: z.number().describe("Latitude WGS-84"),
  lng: z.number().describe("Longitude WGS-84"),
  lastVisitedAt: z.string().nullable().describe("ISO time of the last visit, null if never"),
  state: z.enum(["due", "overdue"]).describe("due: in the last quarter of its interval; overdue: past it"),
});

/** A person (or an unidentified encounter) whose welfare re-check is due. */
const DueRecheck = z.object({
  encounterId: Id.describe("The last encounter"),
  personId: Id.nullable().describe("Person, null when unidentified"),
  stationId: Id.describe("Station"),
  outcome: EncounterOutcome.describe("What the last encounter ended in (refused or street_aid)"),
  occurredAt: z.string().describe("ISO time of the last encounter"),
  lat: z.number().nullable().describe("Where they were, WGS-84"),
  lng: z.number().nullable().describe("Where they were, WGS-84"),
  dueSince: z.string().describe("ISO time the re-check fell due"),
});

/** A statutory identification deadline due or overdue (shared/identification.ts); no identity. */
const DueIdentification = z.object({
  personId: Id.describe("Person"),
  stationId: Id.describe("Station"),
  label: z.string().describe("Masked label"),
  kind: z.enum(DEADLINE_KINDS).describe("Deadline: fingerprint check, notice, DNA request, settlement review"),
  dueAt: z.string().describe("ISO deadline"),
  state: z.enum(["due", "overdue"]).describe("Due within hours, or overdue"),
});

/** What the duty room must do now. */
export const DueNow = z.object({
  generatedAt: z.string().describe("ISO time computed"),
  stations: z
    .array(z.object({ stationId: Id.describe("Station"), level: AlertLevel.describe("Level in force") }))
    .describe("Level per station"),
  keyPoints: z.array(DueKeyPoint).describe("Key points due or overdue, most overdue first"),
  rechecks: z.array(DueRecheck).describe("Welfare re-checks due, longest waiting first"),
  identification: z
    .array(DueIdentification)
    .describe("Identification deadlines due or overdue (heads and crews of the station), earliest first"),
});
export type DueNow = z.infer<typeof DueNow>;

/** Campaign endpoints. */
export const campaignsApi = {
  list: endpoint({
    method: "GET",
    path: "/api/campaigns",
    tag: "campaigns",
    access: "any",
    summary: "Campaigns covering the caller's stations, with the alert level in force",
    response: z.object({
      items: z.array(Campaign),
      today: Day.describe("The current report day (REPORT_DAY_START): which campaigns run today"),
    }),
  }),
  create: endpoint({
    method: "POST",
    path: "/api/campaigns",
    tag: "campaigns",
    access: ["supervisor", "admin"],
    status: 201,
    summary: "Create a campaign",
    body: CampaignCreate,
    response: Campaign,
  }),
  setAlert: endpoint({
    method: "POST",
    path: "/api/campaigns/:id/alert",
    tag: "campaigns",
    access: ["head", "supervisor", "admin"],
    summary: "Raise or lower the cold-alert level (history kept; event campaign.alert_changed)",
    params: IdParams,
    body: AlertChange,
    response: AlertRecord,
  }),
  alerts: endpoint({
    method: "GET",
    path: "/api/campaigns/:id/alerts",
    tag: "campaigns",
    access: "any",
    summary: "History of alert-level changes",
    params: IdParams,
    query: z.object({ stationId: Id.optional().describe("Only this station (and campaign-wide changes)") }),
    response: z.object({ items: z.array(AlertRecord) }),
  }),
  dueNow: endpoint({
    method: "GET",
    path: "/api/due-now",
    tag: "campaigns",
    access: ["operator", "patrol", "head", "supervisor", "admin"],
    summary: "Key points overdue for a visit and welfare re-checks due",
    query: z.object({ stationId: Id.optional().describe("One station (default: all in scope)") }),
    response: DueNow,
  }),
};

import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng, refuseNullIsland } from "./common.js";
import { AlertLevel, KeyPointKind } from "../vocab.js";

/** How overdue a key point's patrol is (shared/cadence.ts keyPointDueState). */
export const KeyPointDueState = z.enum(["ok", "due", "overdue"]).describe("Patrol due state of a key point");
export type KeyPointDueState = z.infer<typeof KeyPointDueState>;

/** A key point (重点点位) with when it was last visited and whether a visit is due. */
export const KeyPointStatus = z.object({
  /** Key point id. */
  id: Id,
  /** Station that patrols it. */
  stationId: Id.describe("Station that patrols it"),
  /** Name, e.g. "新华桥桥洞". */
  name: z.string().describe("Name"),
  /** Kind of place. */
  kind: KeyPointKind,
  /** Position, WGS-84. */
  lat: Lat,
  /** Longitude, WGS-84. */
  lng: Lng,
  /** Street address. */
  address: z.string().describe("Address"),
  /** Notes for patrols. */
  notes: z.string().describe("Notes for patrols"),
  /** False when taken off the rounds (only listed when asked for). */
  active: z.boolean().describe("On the rounds; false when taken off"),
  /** Optimistic-lock version: edits and taking off/putting back must send it. */
  version: z.number().int().positive().describe("Version for optimistic locking"),
  /** Last check of the key point (巡查点位), null if never. */
  lastVisitedAt: z.string().nullable().describe("Last visit, ISO time; null if never"),
  /** ok, due (last quarter of the interval) or overdue. */
  dueState: KeyPointDueState,
  /** Cadence in hours at the alert level used. */
  intervalHours: z.number().describe("Patrol interval at the current alert level, hours"),
  /** Alert level of the running campaign over the station; null when none (cadence of blue). */
  alertLevel: AlertLevel.nullable().describe("Alert level used; null when no campaign runs"),
});
export type KeyPointStatus = z.infer<typeof KeyPointStatus>;

/** Editable fields of a key point, checked once here for the server and the browser's form. */
export const KeyPointFields = z.object({
  /** Station that patrols it; a head may only use their own. */
  stationId: Id.describe("Station that patrols it"),
  /** Name as patrols say it, e.g. "新华桥桥洞". */
  name: z.string().trim().min(1).max(60).describe("Name, e.g. 新华桥桥洞"),
  /** Kind of place. */
  kind: KeyPointKind,
  /** Latitude, WGS-84 (the map converts from GCJ-02 tiles before sending). */
  lat: Lat,
  /** Longitude, WGS-84. */
  lng: Lng,
  /** Street address or directions. */
  address: z.string().trim().max(200).default("").describe("Street address or directions"),
  /** Notes for patrols (which side of the bridge, access at night …). */
  notes: z.string().trim().max(500).default("").describe("Notes for patrols"),
});

/** Creating a key point (admin for any station, a head for their own). */
export const KeyPointCreate = KeyPointFields.extend({
  /** Client-generated id; a retry with the same id returns the first result. */
  id: Id.optional().describe("Client-generated UUID for idempotent retries"),
}).superRefine(refuseNullIsland());
export type KeyPointCreate = z.infer<typeof KeyPointCreate>;

/**
 * Changing a key point; only the fields sent change. `version` is the one the editor loaded: if
 * someone changed the key point since, the edit is refused (409 VERSION_CONFLICT) rather than
 * silently overwriting theirs.
 */
export const KeyPointUpdate = z
  .object({
    /** Version last seen. */
    version: z.number().int().positive().describe("Version last seen"),
    /** Move it to another station (both must be in the editor's scope). */
    stationId: KeyPointFields.shape.stationId.optional(),
    /** New name. */
    name: KeyPointFields.shape.name.optional(),
    /** New kind of place. */
    kind: KeyPointKind.optional(),
    /** New latitude, WGS-84. */
    lat: Lat.optional(),
    /** New longitude, WGS-84. */
    lng: Lng.optional(),
    /** New address or directions. */
    address: z.string().trim().max(200).optional().describe("Street address or directions"),
    /** New notes for patrols. */
    notes: z.string().trim().max(500).optional().describe("Notes for patrols"),
  })
  .superRefine(refuseNullIsland());
export type KeyPointUpdate = z.infer<typeof KeyPointUpdate>;

/** Taking a key point off the rounds (or back on): inactive ones leave the due-now list and the maps. */
export const KeyPointActiveChange = z.object({
  /** False takes it off the rounds; true puts it back. Visits already recorded stay counted. */
  active: z.boolean().describe("False takes the key point off the rounds; true puts it back"),
  /** Version last seen; a stale one is refused (409 VERSION_CONFLICT). */
  version: z.number().int().positive().describe("Version last seen"),
});
export type KeyPointActiveChange = z.infer<typeof KeyPointActiveChange>;

/** Key point list filters. */
export const KeyPointListQuery = z.object({
  /** Only this station (within scope). */
  stationId: Id.optional().describe("Only this station (within scope)"),
  /** Also list key points taken off the rounds (for the admin and station head screens). */
  includeInactive: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("Also list inactive key points"),
});

/** Key point endpoints. */
export const keypointsApi = {
  list: endpoint({
    method: "GET",
    path: "/api/keypoints",
    tag: "keypoints",
    access: "any",
    summary: "Key points in scope (active unless asked) with last visit and due state",
    query: KeyPointListQuery,
    response: z.object({ items: z.array(KeyPointStatus) }),
  }),
  create: endpoint({
    method: "POST",
    path: "/api/keypoints",
    tag: "keypoints",
    access: ["admin", "head"],
    status: 201,
    summary: "Add a key point (admin: any station; head: own station); idempotent by id",
    body: KeyPointCreate,
    response: KeyPointStatus,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/keypoints/:id",
    tag: "keypoints",
    access: ["admin", "head"],
    params: IdParams,
    summary: "Change a key point (admin: any station; head: own station)",
    body: KeyPointUpdate,
    response: KeyPointStatus,
  }),
  setActive: endpoint({
    method: "PUT",
    path: "/api/keypoints/:id/active",
    tag: "keypoints",
    access: ["admin", "head"],
    params: IdParams,
    summary: "Take a key point off the rounds or put it back",
    body: KeyPointActiveChange,
    response: KeyPointStatus,
  }),
};

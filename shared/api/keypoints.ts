import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng, refuseNullIsland } from "./common.js";
import { AlertLevel, KeyPointKind } from "../vocab.js";

export const KeyPointDueState = z
  .enum(["ok", "due", "overdue"])
  .describe("How overdue a key point's patrol is (shared/cadence.ts keyPointDueState).");
export type KeyPointDueState = z.infer<typeof KeyPointDueState>;

/** A key point (重点点位) with when it was last visited and whether a visit is due. */
export const KeyPointStatus = z.object({
  /** Key point id. */
  id: Id,
  stationId: Id.describe("Station that patrols it"),
  name: z.string().describe('Name, e.g. "新华桥桥洞".'),
  /** Kind of place. */
  kind: KeyPointKind,
  /** Position, WGS-84. */
  lat: Lat,
  /** Longitude, WGS-84. */
  lng: Lng,
  address: z.string().describe("Street address"),
  notes: z.string().describe("Notes for patrols"),
  active: z.boolean().describe("False when taken off the rounds (only listed when asked for)"),
  version: z
    .number()
    .int()
    .positive()
    .describe("Optimistic-lock version: edits and taking off/putting back must send it"),
  lastVisitedAt: z.string().nullable().describe("Last check of the key point (巡查点位), null if never"),
  /** ok, due (last quarter of the interval) or overdue. */
  dueState: KeyPointDueState,
  intervalHours: z.number().describe("Patrol interval at the current alert level, hours"),
  alertLevel: AlertLevel.nullable().describe(
    "Alert level of the running campaign over the station; null when none (cadence of blue)",
  ),
});
export type KeyPointStatus = z.infer<typeof KeyPointStatus>;

/** Editable fields of a key point, checked once here for the server and the browser's form. */
const KeyPointFields = z.object({
  stationId: Id.describe("Station that patrols it; a head may only use their own"),
  name: z.string().trim().min(1).max(60).describe('Name as patrols say it, e.g. "新华桥桥洞".'),
  /** Kind of place. */
  kind: KeyPointKind,
  /** Latitude, WGS-84 (the map converts from GCJ-02 tiles before sending). */
  lat: Lat,
  /** Longitude, WGS-84. */
  lng: Lng,
  address: z.string().trim().max(200).default("").describe("Street address or directions"),
  notes: z
    .string()
    .trim()
    .max(500)
    .default("")
    .describe("Notes for patrols (which side of the bridge, access at night …)"),
});

/** Creating a key point (admin for any station, a head for their own). */
export const KeyPointCreate = KeyPointFields.extend({
  id: Id.optional().describe("Client-generated id; a retry with the same id returns the first result"),
}).superRefine(refuseNullIsland());
export type KeyPointCreate = z.infer<typeof KeyPointCreate>;

/**
 * Changing a key point; only the fields sent change. `version` is the one the editor loaded: if
 * someone changed the key point since, the edit is refused (409 VERSION_CONFLICT) rather than
 * silently overwriting theirs.
 */
export const KeyPointUpdate = z
  .object({
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
    address: z.string().trim().max(200).optional().describe("Street address or directions"),
    notes: z.string().trim().max(500).optional().describe("New notes for patrols"),
  })
  .superRefine(refuseNullIsland());
export type KeyPointUpdate = z.infer<typeof KeyPointUpdate>;

/** Taking a key point off the rounds (or back on): inactive ones leave the due-now list and the maps. */
export const KeyPointActiveChange = z.object({
  active: z
    .boolean()
    .describe("False takes it off the rounds; true puts it back. Visits already recorded stay counted."),
  version: z.number().int().positive().describe("Version last seen; a stale one is refused (409 VERSION_CONFLICT)"),
});
export type KeyPointActiveChange = z.infer<typeof KeyPointActiveChange>;

/** Key point list filters. */
const KeyPointListQuery = z.object({
  stationId: Id.optional().describe("Only this station (within scope)"),
  /** Also list key points taken off the rounds (for the admin and station head screens). */
  includeInactive: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("Also list inactive key points"),
});

/**
 * What the duty-room map draws of a key point: place, name, last visit and due state (and what it
 * needs to keep the due state current and apply events in place). No address, notes, kind or
 * cadence: about a third of the full entry, for thousands of points.
 */
export const KeyPointMapItem = KeyPointStatus.pick({
  id: true,
  stationId: true,
  name: true,
  lat: true,
  lng: true,
  version: true,
  lastVisitedAt: true,
  dueState: true,
  alertLevel: true,
});
export type KeyPointMapItem = z.infer<typeof KeyPointMapItem>;

const coord = (schema: typeof Lat | typeof Lng, what: string) =>
  z.coerce.number().pipe(schema).optional().describe(what);

/** The map's key point query: scope, and optionally the view (a bounding box, WGS-84). */
const KeyPointMapQuery = z
  .object({
    stationId: Id.optional().describe("Only this station (within scope)"),
    south: coord(Lat, "View's southern edge (with west, north, east)"),
    west: coord(Lng, "View's western edge"),
    north: coord(Lat, "View's northern edge"),
    east: coord(Lng, "View's eastern edge"),
  })
  .superRefine((q, ctx) => {
    const edges = [q.south, q.west, q.north, q.east].filter((v) => v !== undefined).length;
    if (edges !== 0 && edges !== 4)
      ctx.addIssue({ code: "custom", path: ["south"], message: "A view needs all four edges or none" });
    else if (edges === 4 && q.south! > q.north!)
      ctx.addIssue({ code: "custom", path: ["south"], message: "south must not be above north" });
  });

/** Key point endpoints. */
export const keypointsApi = {
  map: endpoint({
    method: "GET",
    path: "/api/keypoints/map",
    tag: "keypoints",
    access: "any",
    summary: "Active key points in scope for the map: only the fields it shows, optionally within a view",
    query: KeyPointMapQuery,
    response: z.object({ items: z.array(KeyPointMapItem) }),
  }),
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

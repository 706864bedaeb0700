import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng, refuseNullIsland } from "./common.js";

/** A relief station (救助管理站) as every signed-in role may see it. */
export const Station = z.object({
  /** Station id. */
  id: Id,
  code: z.string().describe('Short code, unique, e.g. "BL".'),
  name: z.string().describe('Name, e.g. "北林区救助管理站".'),
  regionId: Id.describe("Region (any level) the station belongs to"),
  /** Position, WGS-84. */
  lat: Lat,
  lng: Lng,
  address: z.string().describe("Street address"),
  hotline: z.string().describe("Public help hotline (求助热线)"),
  beds: z.number().int().nonnegative().describe("Beds in the station"),
  version: z.number().int().positive().describe("Optimistic-lock version; updates must send it"),
});
export type Station = z.infer<typeof Station>;

/** Editable fields of a station, without defaults (so a partial update never resets a field). */
const StationFields = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(16)
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only")
    .describe("Short unique code"),
  name: z.string().trim().min(1).max(100).describe("Station name"),
  regionId: Id.describe("Region of the station"),
  lat: Lat,
  lng: Lng,
  address: z.string().trim().max(200).describe("Street address"),
  hotline: z.string().trim().max(32).describe("Public help hotline"),
  beds: z.number().int().min(0).max(10000).describe("Beds in the station"),
});

/** Creating a station (admin). */
export const StationCreate = StationFields.extend({
  id: Id.optional().describe("Client-generated id; a retry with the same id is a no-op"),
  address: StationFields.shape.address.default(""),
  hotline: StationFields.shape.hotline.default(""),
  beds: StationFields.shape.beds.default(0),
}).superRefine(refuseNullIsland());
export type StationCreate = z.infer<typeof StationCreate>;

/** Updating a station (admin); only the fields sent change. */
export const StationUpdate = StationFields.omit({ code: true })
  .partial()
  .extend({
    version: z.number().int().positive().describe("Version the client last saw; a stale one gets 409 VERSION_CONFLICT"),
  })
  .superRefine(refuseNullIsland());
export type StationUpdate = z.infer<typeof StationUpdate>;

/** Levels of the administrative hierarchy, top first (省 > 市 > 区县 > 街道乡镇 > 社区村). */
export const REGION_LEVELS = ["province", "city", "district", "street", "community"] as const;
export const RegionLevel = z.enum(REGION_LEVELS).describe("Level in the hierarchy");
export type RegionLevel = z.infer<typeof RegionLevel>;

/** A region of the administrative hierarchy (省 > 市 > 区县 > 街道乡镇 > 社区村). */
export const Region = z.object({
  /** Region id. */
  id: Id,
  name: z.string().describe("Region name"),
  /** Level in the hierarchy. */
  level: RegionLevel,
  parentId: Id.nullable().describe("Parent region; null for the top"),
  version: z.number().int().positive().describe("Optimistic-lock version; renames and moves must send it"),
});
export type Region = z.infer<typeof Region>;

/** Station endpoints. */
export const stationsApi = {
  list: endpoint({
    method: "GET",
    path: "/api/stations",
    tag: "stations",
    access: "any",
    summary: "Stations within the caller's scope",
    response: z.object({ items: z.array(Station) }),
  }),
  regions: endpoint({
    method: "GET",
    path: "/api/regions",
    tag: "stations",
    access: "any",
    summary: "The region hierarchy",
    response: z.object({ items: z.array(Region) }),
  }),
  create: endpoint({
    method: "POST",
    path: "/api/stations",
    tag: "stations",
    access: ["admin"],
    status: 201,
    summary: "Create a station",
    body: StationCreate,
    response: Station,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/stations/:id",
    tag: "stations",
    access: ["admin"],
    summary: "Update a station (optimistic version check)",
    params: IdParams,
    body: StationUpdate,
    response: Station,
  }),
};

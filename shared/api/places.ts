import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, Lat, Lng, refuseNullIsland } from "./common.js";
import { PlaceKind } from "../vocab.js";

/** A gazetteer entry as an import row gives it (station code resolved to its id). */
export const PlaceCreate = z
  .object({
    /** Station whose area it lies in (searches are scoped by station). */
    stationId: Id.describe("Station whose area the place lies in"),
    /** Name as callers say it, e.g. "人民广场". */
    name: z.string().trim().min(1).max(60).describe("Name, e.g. 人民广场"),
    /** Street, landmark … */
    kind: PlaceKind,
    /** Latitude, WGS-84. */
    lat: Lat,
    /** Longitude, WGS-84. */
    lng: Lng,
  })
  .superRefine(refuseNullIsland());
export type PlaceCreate = z.infer<typeof PlaceCreate>;

/** Where a search hit comes from. */
export const PlaceSource = z
  .enum(["keypoint", "shelter", "case", "gazetteer"])
  .describe("Where the hit comes from: key point, shelter, a past case's place, or the gazetteer");
export type PlaceSource = z.infer<typeof PlaceSource>;

/** One place found by name. */
export const PlaceHit = z.object({
  source: PlaceSource,
  /** Name to put in the case's place text. */
  name: z.string().describe("Name"),
  /** Gazetteer or key point kind; empty for shelters and case places. */
  kind: z.string().describe("Kind (gazetteer or key point kind); empty when none"),
  /** Station it belongs to. */
  stationId: Id.describe("Station it belongs to"),
  /** Latitude, WGS-84. */
  lat: Lat,
  /** Longitude, WGS-84. */
  lng: Lng,
});
export type PlaceHit = z.infer<typeof PlaceHit>;

/** Search text: Chinese, full pinyin or pinyin initials (spaces ignored). */
const PlaceSearchQuery = z.object({
  q: z.string().trim().min(1).max(40).describe("Chinese name, full pinyin or pinyin initials, e.g. rmgc"),
  /** Only this station (within scope). */
  stationId: Id.optional().describe("Only this station (within scope)"),
});

/** Place search endpoints. */
export const placesApi = {
  search: endpoint({
    method: "GET",
    path: "/api/places/search",
    tag: "places",
    access: ["admin", "head", "operator"],
    summary:
      "Find a place by name with no map tiles: key points, shelters, recent case places and the gazetteer, ranked Chinese prefix, pinyin initials, full pinyin, then substring",
    query: PlaceSearchQuery,
    response: z.object({ items: z.array(PlaceHit) }),
  }),
};

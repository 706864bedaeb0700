import { z } from "zod";
import { endpoint } from "./endpoint.js";

const MapCrs = z
  .enum(["wgs84", "gcj02"])
  .describe("Coordinate system of the tiles: WGS-84 (OpenStreetMap, Tianditu) or GCJ-02 (AMap/Gaode, Tencent)");
type MapCrs = z.infer<typeof MapCrs>;

/** Tile configuration, set at run time by the deployment (MAP_* variables). */
export const MapConfig = z.object({
  tileUrl: z
    .string()
    .describe('Leaflet URL template, e.g. "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"; empty: no tiles.'),
  attribution: z.string().describe("Attribution text (HTML allowed by Leaflet)"),
  /** Coordinate system of the tiles; positions are stored in WGS-84 and converted for display. */
  crs: MapCrs,
  subdomains: z.array(z.string()).describe("Values for {s} in the URL template"),
  maxZoom: z.number().int().describe("Highest zoom the tiles offer"),
});
export type MapConfig = z.infer<typeof MapConfig>;

/** Map endpoints. */
export const mapApi = {
  config: endpoint({
    method: "GET",
    path: "/api/map/config",
    tag: "map",
    access: "any",
    summary: "Tile URL template, attribution and coordinate system",
    response: MapConfig,
  }),
};

import type { Hono } from "hono";
import { mapApi, type MapConfig } from "../../shared/api/map.js";
import type { Env } from "../env.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/**
 * Tile configuration from the environment. "none" (or any value without {z}) means no tiles: the
 * map draws on a plain background, which is also what the browser falls back to when the tile
 * server cannot be reached (a duty room on an isolated network still has a working map).
 */
function mapConfigFromEnv(env: Env): MapConfig {
  const url = env.MAP_TILE_URL.trim();
  return {
    tileUrl: url.toLowerCase() === "none" || !url.includes("{z}") ? "" : url,
    attribution: env.MAP_ATTRIBUTION,
    crs: env.MAP_CRS,
    subdomains: env.MAP_SUBDOMAINS.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    maxZoom: env.MAP_MAX_ZOOM,
  };
}

/** Wires GET /api/map/config. */
export function mapRoutes(app: Hono<AppEnv>, s: Services): void {
  const config = mapConfigFromEnv(s.env);
  mount(app, mapApi.config, async () => config);
}

import { authApi } from "./auth.js";
import { healthApi } from "./health.js";
import { stationsApi } from "./stations.js";
import type { Endpoint } from "./endpoint.js";

export * from "./endpoint.js";
export * from "./common.js";
export * from "./auth.js";
export * from "./health.js";
export * from "./stations.js";

/** Every endpoint, grouped by domain noun; the OpenAPI document is generated from this. */
export const api = {
  auth: authApi,
  health: healthApi,
  stations: stationsApi,
} satisfies Record<string, Record<string, Endpoint>>;

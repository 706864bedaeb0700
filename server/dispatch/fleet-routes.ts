import type { Hono } from "hono";
import type { AppEnv } from "../http/context.js";
import type { Services } from "../services.js";
import { vehiclesRoutes } from "../vehicles/vehicles.routes.js";
import { patrolsRoutes } from "../patrols/patrols.routes.js";
import { patrolLogsRoutes } from "../patrol-logs/patrol-logs.routes.js";
import { encountersRoutes } from "../encounters/encounters.routes.js";
import { dispatchRoutes } from "./dispatch.routes.js";

/** Wires every fleet endpoint (one line in app.ts). */
export function fleetRoutes(app: Hono<AppEnv>, s: Services): void {
  vehiclesRoutes(app, s);
  dispatchRoutes(app, s);
  patrolsRoutes(app, s);
  patrolLogsRoutes(app, s);
  encountersRoutes(app, s);
}

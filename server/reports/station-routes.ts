import type { Hono } from "hono";
import type { AppEnv } from "../http/context.js";
import type { Services } from "../services.js";
import { peopleRoutes } from "../people/people.routes.js";
import { sheltersRoutes } from "../shelters/shelters.routes.js";
import { suppliesRoutes } from "../supplies/supplies.routes.js";
import { campaignsRoutes } from "../campaigns/campaigns.routes.js";
import { totalsRoutes } from "../totals/totals.routes.js";
import { reportsRoutes } from "./reports.routes.js";
import { exportsRoutes } from "../exports/exports.routes.js";
import { distributionsRoutes } from "../distributions/distributions.routes.js";

/** Wires every station-head route (issue 5). */
export function stationHeadRoutes(app: Hono<AppEnv>, s: Services): void {
  peopleRoutes(app, s);
  sheltersRoutes(app, s);
  suppliesRoutes(app, s);
  campaignsRoutes(app, s);
  totalsRoutes(app, s);
  reportsRoutes(app, s);
  exportsRoutes(app, s);
  distributionsRoutes(app, s);
}

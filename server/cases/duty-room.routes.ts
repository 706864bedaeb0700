import type { Hono } from "hono";
import type { AppEnv } from "../http/context.js";
import type { Services } from "../services.js";
import { casesRoutes } from "./cases.routes.js";
import { keypointsRoutes } from "../keypoints/keypoints.routes.js";
import { mapRoutes } from "../map/map.routes.js";
import { open311Routes } from "../open311/open311.routes.js";

/** Everything the duty room (issue 3) serves: intake and cases, key points, map config and Open311. */
export function dutyRoomRoutes(app: Hono<AppEnv>, s: Services): void {
  casesRoutes(app, s);
  keypointsRoutes(app, s);
  mapRoutes(app, s);
  open311Routes(app, s);
}

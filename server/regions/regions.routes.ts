import type { Hono } from "hono";
import { regionsApi } from "../../shared/api/regions.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the region endpoints (the list stays GET /api/regions in stations). */
export function regionsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, regionsApi.create, async ({ body }, { user }) => s.regions.create(user, body));
  mount(app, regionsApi.update, async ({ params, body }, { user }) => s.regions.update(user, params.id, body));
}

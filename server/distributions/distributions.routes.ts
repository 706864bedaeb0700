import type { Hono } from "hono";
import { distributionsApi } from "../../shared/api/distributions.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the distribution endpoints. */
export function distributionsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, distributionsApi.create, async ({ body }, { user }) => s.distributions.create(user, body));
  mount(app, distributionsApi.list, async ({ query }, { user }) => ({
    items: await s.distributions.list(user, query.stationId, query.limit),
  }));
}

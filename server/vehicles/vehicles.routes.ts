import type { Hono } from "hono";
import { vehiclesApi } from "../../shared/api/vehicles.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the vehicle endpoints. */
export function vehiclesRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, vehiclesApi.list, async ({ query }, { user }) => ({ items: await s.vehicles.list(user, query) }));
  mount(app, vehiclesApi.get, async ({ params }, { user }) => s.vehicles.get(user, params.id));
  mount(app, vehiclesApi.load, async ({ params }, { user }) => s.vehicles.load(user, params.id));
  mount(app, vehiclesApi.create, async ({ body }, { user }) => s.vehicles.create(user, body));
  mount(app, vehiclesApi.update, async ({ params, body }, { user }) => s.vehicles.update(user, params.id, body));
  mount(app, vehiclesApi.setStatus, async ({ params, body }, { user }) => s.vehicles.setStatus(user, params.id, body));
}

import type { Hono } from "hono";
import { stationsApi } from "../../shared/api/stations.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the station endpoints. */
export function stationsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, stationsApi.list, async (_, { user }) => ({ items: await s.stations.list(user) }));
  mount(app, stationsApi.regions, async () => ({ items: await s.stations.regions() }));
  mount(app, stationsApi.create, async ({ body }, { user }) => s.stations.create(user, body));
  mount(app, stationsApi.update, async ({ params, body }, { user }) => s.stations.update(user, params.id, body));
}

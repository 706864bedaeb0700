import type { Hono } from "hono";
import { placesApi } from "../../shared/api/places.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the place search endpoint. */
export function placesRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, placesApi.search, async ({ query }, { user }) => ({ items: await s.places.search(user, query) }));
}

import type { Hono } from "hono";
import { encountersApi } from "../../shared/api/encounters.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the encounter endpoints. */
export function encountersRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, encountersApi.create, async ({ body }, { user }) => s.encounters.create(user, body));
  mount(app, encountersApi.list, async ({ query }, { user }) => ({ items: await s.encounters.list(user, query) }));
}

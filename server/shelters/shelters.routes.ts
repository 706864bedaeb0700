import type { Hono } from "hono";
import { sheltersApi } from "../../shared/api/shelters.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires shelters and stays. */
export function sheltersRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, sheltersApi.list, async ({ query }, { user }) => ({
    items: await s.shelters.list(user, query.stationId),
  }));
  mount(app, sheltersApi.create, async ({ body }, { user }) => s.shelters.create(user, body));
  mount(app, sheltersApi.update, async ({ params, body }, { user }) => s.shelters.update(user, params.id, body));
  mount(app, sheltersApi.stays, async ({ query }, { user }) => ({
    items: await s.stays.list(user, query.stationId, query.open, query.limit),
  }));
  mount(app, sheltersApi.pending, async ({ query }, { user }) => ({
    items: await s.stays.pending(user, query.stationId),
  }));
  mount(app, sheltersApi.startStay, async ({ body }, { user }) => s.stays.start(user, body));
  mount(app, sheltersApi.endStay, async ({ params, body }, { user }) => s.stays.end(user, params.id, body));
}

import type { Hono } from "hono";
import { suppliesApi } from "../../shared/api/supplies.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the supply catalog and stock endpoints. */
export function suppliesRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, suppliesApi.items, async () => ({ items: await s.supplies.items() }));
  mount(app, suppliesApi.createItem, async ({ body }, { user }) => s.supplies.createItem(user, body));
  mount(app, suppliesApi.updateItem, async ({ params, body }, { user }) =>
    s.supplies.updateItem(user, params.id, body),
  );
  mount(app, suppliesApi.stock, async ({ query }, { user }) => ({
    items: await s.supplies.stock(user, query.stationId),
  }));
  mount(app, suppliesApi.receive, async ({ body }, { user }) => s.supplies.receive(user, body));
  mount(app, suppliesApi.writeOff, async ({ body }, { user }) => s.supplies.writeOff(user, body));
}

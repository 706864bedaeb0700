import type { Hono } from "hono";
import { totalsApi } from "../../shared/api/totals.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the totals endpoint. */
export function totalsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, totalsApi.get, async ({ params, query }, { user }) => s.totals.totals(user, params.id, query));
}

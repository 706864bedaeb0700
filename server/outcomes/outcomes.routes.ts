import type { Hono } from "hono";
import { outcomesApi } from "../../shared/api/outcomes.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the outcome measures endpoint. */
export function outcomesRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, outcomesApi.get, async ({ params, query }, { user }) => s.outcomes.outcomes(user, params.id, query));
}

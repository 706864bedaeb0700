import type { Hono } from "hono";
import { casesApi } from "../../shared/api/cases.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the case endpoints. /api/cases/duplicates is mounted before /api/cases/:id. */
export function casesRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, casesApi.createSighting, async ({ body }, { user }) => s.cases.createSighting(user, body));
  mount(app, casesApi.duplicates, async ({ query }, { user }) => ({ items: await s.cases.duplicates(user, query) }));
  mount(app, casesApi.list, async ({ query }, { user }) => s.cases.list(user, query));
  mount(app, casesApi.get, async ({ params }, { user }) => s.cases.get(user, params.id));
  mount(app, casesApi.merge, async ({ params, body }, { user }) => s.cases.merge(user, params.id, body));
  mount(app, casesApi.unmerge, async ({ params }, { user }) => s.cases.unmerge(user, params.id));
  mount(app, casesApi.overrideUrgency, async ({ params, body }, { user }) =>
    s.cases.overrideUrgency(user, params.id, body),
  );
}

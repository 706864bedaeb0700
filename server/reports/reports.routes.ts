import type { Hono } from "hono";
import { reportsApi } from "../../shared/api/reports.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the daily-report endpoints. */
export function reportsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, reportsApi.form, async ({ params, query }, { user }) =>
    s.reports.form(user, params.id, query.stationId, query.day),
  );
  mount(app, reportsApi.submit, async ({ params, body }, { user }) => s.reports.submit(user, params.id, body));
  mount(app, reportsApi.list, async ({ params, query }, { user }) => ({
    items: await s.reports.list(user, params.id, query),
  }));
  mount(app, reportsApi.update, async ({ params }, { user }) => s.reports.update(user, params.id));
  mount(app, reportsApi.amend, async ({ params, body }, { user }) => s.reports.amend(user, params.id, body));
  mount(app, reportsApi.text, async ({ query }, { user }) => s.reports.text(user, query));
  mount(app, reportsApi.missing, async ({ params }, { user }) => s.reports.missing(user, params.id));
}

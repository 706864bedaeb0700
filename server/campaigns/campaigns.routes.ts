import type { Hono } from "hono";
import { campaignsApi } from "../../shared/api/campaigns.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires campaigns, alert levels and the due-now list. */
export function campaignsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, campaignsApi.list, async (_, { user }) => ({
    items: await s.campaigns.list(user),
    today: s.campaigns.today(),
  }));
  mount(app, campaignsApi.create, async ({ body }, { user }) => s.campaigns.create(user, body));
  mount(app, campaignsApi.setAlert, async ({ params, body }, { user }) => s.campaigns.setAlert(user, params.id, body));
  mount(app, campaignsApi.alerts, async ({ params, query }, { user }) => ({
    items: await s.campaigns.alerts(user, params.id, query.stationId),
  }));
  mount(app, campaignsApi.dueNow, async ({ query }, { user }) => s.campaigns.dueNow(user, query.stationId));
}

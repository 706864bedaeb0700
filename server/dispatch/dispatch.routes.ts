import type { Hono } from "hono";
import { dispatchApi } from "../../shared/api/dispatch.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the dispatch endpoints. */
export function dispatchRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, dispatchApi.recommendations, async ({ params }, { user }) => s.dispatch.recommendations(user, params.id));
  mount(app, dispatchApi.assign, async ({ body }, { user }) => s.dispatch.assign(user, body));
  mount(app, dispatchApi.reassign, async ({ params, body }, { user }) => s.dispatch.reassign(user, params.id, body));
  mount(app, dispatchApi.cancel, async ({ params, body }, { user }) => s.dispatch.cancel(user, params.id, body));
  mount(app, dispatchApi.setStatus, async ({ params, body }, { user }) => s.dispatch.setStatus(user, params.id, body));
  mount(app, dispatchApi.list, async ({ query }, { user }) => ({ items: await s.dispatch.list(user, query) }));
  mount(app, dispatchApi.unacknowledged, async (_, { user }) => ({
    items: await s.dispatch.findUnacknowledged(user),
    timeoutSeconds: s.dispatch.timeoutSeconds,
  }));
}

import type { Hono } from "hono";
import { checkInsApi } from "../../shared/api/check-ins.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the check-in, panic and crew-alert endpoints. */
export function checkInsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, checkInsApi.policy, async ({ params }) => s.checkIns.policy(params.id));
  mount(app, checkInsApi.setPolicy, async ({ params, body }, { user }) => s.checkIns.setPolicy(user, params.id, body));
  mount(app, checkInsApi.status, async ({ params }, { user }) => s.checkIns.status(user, params.id));
  mount(app, checkInsApi.checkIn, async ({ body }, { user }) => s.checkIns.checkIn(user, body));
  mount(app, checkInsApi.panic, async ({ body }, { user }) => s.checkIns.panic(user, body));
  mount(app, checkInsApi.alerts, async ({ query }, { user }) => ({ items: await s.checkIns.alerts(user, query) }));
  mount(app, checkInsApi.acknowledge, async ({ params, body }, { user }) =>
    s.checkIns.acknowledge(user, params.id, body.version),
  );
}

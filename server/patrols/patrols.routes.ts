import type { Hono } from "hono";
import { patrolsApi } from "../../shared/api/patrols.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the patrol, sortie, key-point visit and position endpoints. */
export function patrolsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, patrolsApi.startSortie, async ({ body }, { user }) => s.patrols.start(user, body));
  mount(app, patrolsApi.endSortie, async ({ params, body }, { user }) => s.patrols.end(user, params.id, body));
  mount(app, patrolsApi.sorties, async ({ query }, { user }) => ({ items: await s.patrols.list(user, query) }));
  mount(app, patrolsApi.openPatrols, async (_, { user }) => ({ items: await s.patrols.openPatrols(user) }));
  mount(app, patrolsApi.visitKeyPoint, async ({ body }, { user }) => s.patrols.visitKeyPoint(user, body));
  mount(app, patrolsApi.positions, async ({ body }, { user }) => s.positions.record(user, body.points));
}

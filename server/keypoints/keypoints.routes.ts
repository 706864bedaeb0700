import type { Hono } from "hono";
import { keypointsApi } from "../../shared/api/keypoints.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the key point endpoints. */
export function keypointsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, keypointsApi.map, async ({ query }, { user }) => ({ items: await s.keypoints.forMap(user, query) }));
  mount(app, keypointsApi.list, async ({ query }, { user }) => ({ items: await s.keypoints.list(user, query) }));
  mount(app, keypointsApi.create, async ({ body }, { user }) => s.keypoints.create(user, body));
  mount(app, keypointsApi.update, async ({ params, body }, { user }) => s.keypoints.update(user, params.id, body));
  mount(app, keypointsApi.setActive, async ({ params, body }, { user }) =>
    s.keypoints.setActive(user, params.id, body),
  );
}

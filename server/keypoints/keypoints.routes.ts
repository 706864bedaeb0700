import type { Hono } from "hono";
import { keypointsApi } from "../../shared/api/keypoints.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the key point endpoints. */
export function keypointsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, keypointsApi.list, async ({ query }, { user }) => ({ items: await s.keypoints.list(user, query) }));
}

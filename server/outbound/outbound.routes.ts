import type { Hono } from "hono";
import { outboundApi } from "../../shared/api/outbound.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the outgoing message list and retry. */
export function outboundRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, outboundApi.list, async ({ query }, { user }) => s.outbound.list(user, query));
  mount(app, outboundApi.retry, async ({ params }, { user }) => s.outbound.retry(user, params.id));
}

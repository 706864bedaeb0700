import type { Hono } from "hono";
import { patrolLogsApi } from "../../shared/api/patrol-logs.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the patrol log (补录) endpoint. */
export function patrolLogsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, patrolLogsApi.create, async ({ body }, { user }) => s.patrolLogs.record(user, body));
}

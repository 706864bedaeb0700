import type { Hono } from "hono";
import { sql } from "drizzle-orm";
import { healthApi } from "../../shared/api/health.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the health endpoint. */
export function healthRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, healthApi.health, async () => {
    const ok = await s.database.db.execute(sql`select 1`).then(
      () => true,
      () => false,
    );
    const liveFeed = { delivered: s.liveFeed.delivered(), waitingMs: Math.round(s.liveFeed.waitingMs()) };
    const replica = s.reads.enabled ? { ...(await s.reads.status()), reads: { ...s.reads.counts } } : undefined;
    return { ok, db: s.database.engine, version: s.env.VERSION, liveFeed, ...(replica ? { replica } : {}) };
  });
}

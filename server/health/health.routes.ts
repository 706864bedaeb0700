import type { Hono } from "hono";
import { sql } from "drizzle-orm";
import { healthApi } from "../../shared/api/health.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";
import { AppError, databaseUnavailable } from "../http/errors.js";
import { migrationStatus } from "../db/readiness.js";

/** Wires liveness (/api/health) and readiness (/api/ready). */
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
  mount(app, healthApi.ready, async () => {
    const migrations = await migrationStatus(s.database.db).catch(() => {
      throw databaseUnavailable();
    });
    if (migrations.applied < migrations.expected)
      throw new AppError(
        503,
        "NOT_READY",
        `Database schema is behind: ${migrations.applied} of ${migrations.expected} migrations applied`,
        undefined,
        { "Retry-After": "10" },
      );
    return { ready: true as const, db: s.database.engine, migrations };
  });
}

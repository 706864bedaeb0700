import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { loadEnv, testDatabaseUrl } from "../../server/env.js";
import { createLogger, type Logger } from "../../server/logger.js";
import { startServer, type RunningServer } from "../../server/server.js";
import { TEMPLATE_SEED } from "./template-db.js";

/** Engine under test, chosen by the vitest project. */
export const ENGINE: "pglite" | "postgres" = process.env.TEST_ENGINE === "postgres" ? "postgres" : "pglite";

/**
 * A throwaway database for one test file: a PostgreSQL database (dropped afterwards) or a PGlite
 * folder in /tmp, holding a copy of the run's migrated and seeded template (template-db.ts) unless
 * asked for empty. `start()` can be called again after `close()` to restart on the same data.
 */
export interface TestDatabase {
  engine: "pglite" | "postgres";
  start(overrides?: Record<string, string>, log?: Logger): Promise<RunningServer>;
  destroy(): Promise<void>;
  /** URL of the PostgreSQL test database (postgres engine only). */
  url?: string;
  /** Folder of the PGlite database (pglite engine only). */
  dir?: string;
}

/**
 * Settings every test server starts with (overridden per test). Existing tests reason in calendar
 * days ("today" as a local date): they pin the midnight cut; the report-day tests start their own
 * server with REPORT_DAY_START=08:00.
 */
export const TEST_ENV_BASE: Record<string, string> = {
  REPORT_DAY_START: "00:00",
  PORT: "0",
  HOST: "127.0.0.1",
  SEED: "demo",
  SEED_STOCK: String(TEMPLATE_SEED.openingStock),
  DEMO_PASSWORD: TEMPLATE_SEED.password,
  LOG_LEVEL: "error",
  NODE_ENV: "test",
};

/** Settings the seed depends on: a copied template was seeded with TEST_ENV_BASE's. */
const SEED_SETTINGS = ["SEED", "SEED_STOCK", "DEMO_PASSWORD"] as const;

/**
 * Creates a throwaway database for the engine under test: a copy of the template (migrated, demo
 * city seeded as TEST_ENV_BASE says), or with `empty` a database nothing has touched, for tests of
 * first starts, of other seeds, or of nodes migrating and seeding together.
 */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = opts.empty ? undefined : inject("templateDb");
  const base = TEST_ENV_BASE;
  const log = createLogger("error");
  const checked = (o: Record<string, string>) => {
    if (template && SEED_SETTINGS.some((k) => k in o && o[k] !== base[k]))
      throw new Error(`a copied template is already seeded: pass { empty: true } to start with other ${SEED_SETTINGS}`);
    return o;
  };
  if (ENGINE === "postgres") {
    const adminUrl = testDatabaseUrl();
    if (!adminUrl) throw new Error("TEST_ENGINE=postgres needs TEST_DATABASE_URL");
    const name = `wl_t_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ""}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      engine: "postgres",
      url: url.toString(),
      start: (o = {}, l = log) =>
        startServer(loadEnv({ ...base, DATABASE_URL: url.toString(), DB_POOL_SIZE: "10", ...checked(o) }), l),
      destroy: async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "wl-pglite-"));
  if (template) cpSync(template, dir, { recursive: true });
  return {
    engine: "pglite",
    dir,
    start: (o = {}, l = log) =>
      startServer(loadEnv({ ...base, DATABASE_URL: undefined, DATA_DIR: dir, ...checked(o) }), l),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

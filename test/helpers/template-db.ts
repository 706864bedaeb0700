import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../server/db/client.js";
import { hashPassword } from "../../server/auth/password.js";
import { users } from "../../server/db/schema/index.js";
import { seedDemo } from "../../server/db/seed.js";
import { testDatabaseUrl } from "../../server/env.js";

/**
 * Global setup of the API test projects: migrates and seeds one template database per run, which
 * every test file then copies instead of running the migrations and the demo seed itself (on a busy
 * two-core machine that was seconds per file, most of the API tier's setup). The seed is the one
 * TEST_ENV_BASE describes (SEED=demo, SEED_STOCK=0, DEMO_PASSWORD=demo); files that need another
 * seed, or none, ask createTestDatabase for an empty database.
 *
 * PostgreSQL copies with CREATE DATABASE … TEMPLATE; PGlite copies the closed template's folder.
 */
export const TEMPLATE_SEED = { password: "demo", openingStock: 0 };

/**
 * scrypt N of the template's demo users: the suite signs them in hundreds of times, and at the
 * server's N (16384, 16 MiB a hash) that alone took minutes of the two cores. Sign-in still runs the
 * real verification; users made through the API are hashed at the server's cost as always.
 */
const DEMO_USERS_SCRYPT_N = 1024;

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL database name, or PGlite folder, of the migrated and seeded template. */
    templateDb: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = project.config.env?.TEST_ENGINE === "postgres" ? "postgres" : "pglite";
  if (engine === "postgres") {
    const adminUrl = testDatabaseUrl();
    if (!adminUrl) throw new Error("TEST_ENGINE=postgres needs TEST_DATABASE_URL");
    const name = `wl_tpl_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await fill(await openDatabase({ databaseUrl: url.toString(), dataDir: "", poolSize: 2 }));
    project.provide("templateDb", name);
    return async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "wl-pglite-tpl-"));
  await fill(await openDatabase({ dataDir: dir }));
  project.provide("templateDb", dir);
  return async () => rmSync(dir, { recursive: true, force: true });
}

/** Migrates and seeds, then closes: a template must have no open connection when it is copied. */
async function fill(database: Awaited<ReturnType<typeof openDatabase>>): Promise<void> {
  try {
    await migrateDatabase(database);
    await seedDemo(database.db, TEMPLATE_SEED.password, TEMPLATE_SEED.openingStock);
    const passwordHash = await hashPassword(TEMPLATE_SEED.password, DEMO_USERS_SCRYPT_N);
    await database.db.update(users).set({ passwordHash });
  } finally {
    await database.close();
  }
}

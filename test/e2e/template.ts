import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { loadEnv } from "../../server/env.js";
import { createLogger } from "../../server/logger.js";
import { startServer } from "../../server/server.js";
import { E2E_ENV_BASE, reportDay } from "./template-env.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite folder migrated and seeded as a browser test's server would be (SEED=demo). */
    e2eTemplateDir: string;
    /** The report day the template was seeded on (its campaign dates are relative to it). */
    e2eTemplateDay: string;
  }
}

/**
 * Global setup of the browser tests: one server start on an empty PGlite folder with the demo seed,
 * closed, whose folder every browser test file copies instead of migrating and seeding its own
 * (seven of a file's ten seconds of set-up on two cores). A file that asks for other settings that
 * shape the data (SEED, SEED_STOCK…) still starts from an empty folder.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "wl-e2e-tpl-"));
  const srv = await startServer(loadEnv({ ...E2E_ENV_BASE, DATA_DIR: dir }), createLogger("error"));
  await srv.close();
  project.provide("e2eTemplateDir", dir);
  project.provide("e2eTemplateDay", reportDay());
  return () => rmSync(dir, { recursive: true, force: true });
}

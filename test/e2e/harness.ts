import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { execSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { inject } from "vitest";
import { loadEnv } from "../../server/env.js";
import { createLogger } from "../../server/logger.js";
import { startServer, type RunningServer } from "../../server/server.js";
import { WEB_DIST } from "../../server/app.js";
import { DATA_NEUTRAL_ENV, E2E_ENV_BASE, reportDay } from "./template-env.js";

/** Where Chromium is, if anywhere: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    Boolean,
  ) as string[];
  return candidates.find((p) => existsSync(p));
}

/** True when the browser tests must run (CI); otherwise they are skipped, saying why. */
const E2E_REQUIRED = process.env.E2E_REQUIRED === "1";
export const HAVE_CHROMIUM = !!chromiumPath();
if (!HAVE_CHROMIUM) {
  const msg = "Browser tests: no Chromium found (set CHROMIUM_PATH or apt-get install chromium)";
  if (E2E_REQUIRED) throw new Error(`${msg}; E2E_REQUIRED=1 makes this a failure`);
  console.warn(`${msg}: SKIPPED.`);
}

export const SCREENSHOTS = new URL("./screenshots/", import.meta.url).pathname;

/** Builds the web app once if it is missing (npm test on a fresh clone). */
function ensureWebBuilt(): void {
  if (existsSync(join(WEB_DIST, "index.html"))) return;
  execSync("npm run build", { cwd: new URL("../..", import.meta.url).pathname, stdio: "inherit" });
}

/** A server on a fresh PGlite folder with demo data (unless `env` says otherwise), and a headless Chromium. */
export async function startE2E(
  env: Record<string, string> = {},
): Promise<{ srv: RunningServer; browser: Browser; close: () => Promise<void> }> {
  ensureWebBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "wl-e2e-"));
  // The seeded template (test/e2e/template.ts) when this file's settings leave the data as it seeds it.
  const template = inject("e2eTemplateDir");
  if (template && inject("e2eTemplateDay") === reportDay() && Object.keys(env).every((k) => DATA_NEUTRAL_ENV.has(k)))
    cpSync(template, dir, { recursive: true });
  const srv = await startServer(loadEnv({ ...E2E_ENV_BASE, DATA_DIR: dir, ...env }), createLogger("error"));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  return {
    srv,
    browser,
    close: async () => {
      await browser.close().catch(() => {});
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

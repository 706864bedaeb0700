import { loadEnv } from "./env.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server.js";
import { DEMO_USERS, HISTORY_HEAD } from "./db/seed.js";

/** Entry point: start, print where and how to sign in, stop cleanly on SIGINT/SIGTERM. */
async function main() {
  let env;
  try {
    env = loadEnv();
  } catch (err) {
    console.error(String(err instanceof Error ? err.message : err));
    process.exit(1);
  }
  const log = createLogger(env.LOG_LEVEL);
  const server = await startServer(env, log);
  const shown = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const lines = [
    "",
    `  Warmline is running on http://${shown}:${server.port}  (database: ${server.database.engine}${server.database.engine === "pglite" ? ` in ${env.DATA_DIR}` : ""})`,
    `  Phone page for patrols: http://${shown}:${server.port}/m/`,
    `  API document: http://${shown}:${server.port}/api/openapi.json`,
  ];
  if (env.SEED !== "none") {
    const logins = env.SEED === "demo-history" ? [...DEMO_USERS, HISTORY_HEAD] : DEMO_USERS;
    lines.push(
      `  Demo logins (password "${env.DEMO_PASSWORD === "demo" ? "demo" : "<DEMO_PASSWORD>"}"): ${logins.join(", ")}`,
    );
  }
  console.log(lines.join("\n") + "\n");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await server.close().catch((err) => log.error("shutdown failed", { err: String(err) }));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

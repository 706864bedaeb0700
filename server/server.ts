import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Env } from "./env.js";
import { createLogger, type Logger } from "./logger.js";
import { migrateDatabase, openDatabase, type Database } from "./db/client.js";
import { seedDemo } from "./db/seed.js";
import { seedDemoHistory } from "./db/demo-history.js";
import { HISTORY_DAYS } from "./db/demo-history-plan.js";
import { addDays, reportDayOf } from "../shared/report-day.js";
import { ensureFirstAdmin } from "./users/first-admin.js";
import { createServices, type Services } from "./services.js";
import { buildApp } from "./app.js";
import { startRealtime, type Realtime } from "./realtime/realtime.js";
import { installEventContract } from "./realtime/events.presenter.js";
import { latestEventId } from "./events/events.repo.js";

/** A running server: HTTP API, Socket.IO and web app on one port. */
export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  realtime: Realtime;
  database: Database;
  /** True when the demo data was seeded by this start. */
  seeded: boolean;
  /** Stops accepting, drains the event pump, closes sockets and the database. */
  close(): Promise<void>;
}

/** env -> db -> migrate -> seed -> http + io -> listen. Used by index.ts and by the tests. */
export async function startServer(
  env: Env,
  log: Logger = createLogger(env.LOG_LEVEL),
  opts: { eventContract?: Parameters<typeof installEventContract>[1] } = {},
): Promise<RunningServer> {
  // Fail closed before anything opens: an event type without an audience rule for every role
  // stops the server here (EventContractError names the type and role).
  installEventContract(log.child({ module: "event-presenter" }), opts.eventContract);
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolSize: env.DB_POOL_SIZE,
    connectTimeoutSeconds: env.DB_CONNECT_TIMEOUT_SECONDS,
    directUrl: env.DATABASE_DIRECT_URL,
    prepare: env.DB_PREPARE,
  });
  let replica: Database | undefined;
  try {
    await migrateDatabase(database);
    const history = env.SEED === "demo-history";
    const seeded =
      env.SEED === "none"
        ? false
        : await seedDemo(
            database.db,
            env.DEMO_PASSWORD,
            env.SEED_STOCK,
            new Date(),
            history ? historyStart(env) : undefined,
          );
    await ensureFirstAdmin(database.db, { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD }, log);
    // Reads that may lag (totals, exports, reports) go to the replica when it is current enough.
    replica =
      env.DATABASE_URL && env.DATABASE_REPLICA_URL
        ? await openDatabase({
            databaseUrl: env.DATABASE_REPLICA_URL,
            dataDir: env.DATA_DIR,
            poolSize: env.DB_POOL_SIZE,
            connectTimeoutSeconds: env.DB_CONNECT_TIMEOUT_SECONDS,
            prepare: env.DB_PREPARE,
          })
        : undefined;
    const services = createServices(env, database, log, replica?.db);
    if (seeded && history) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const { days, calls, sorties, encounters, stays, reports } = await seedDemoHistory(services, env.SEED_STOCK);
      const cpu = process.cpuUsage(cpu0);
      log.info("demo history written", {
        from: days[0],
        to: days.at(-1),
        ...{ calls, sorties, encounters, stays, reports },
        ms: Math.round(performance.now() - t0),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      });
    }
    const app = buildApp(services);
    const httpServer = await new Promise<HttpServer>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => resolve(s as HttpServer));
      (s as HttpServer).once("error", reject);
    });
    const realtime = await startRealtime({
      httpServer,
      database,
      auth: services.auth,
      eventLog: services.eventLog,
      log,
      replayLimit: env.REPLAY_LIMIT,
      pollMs: env.EVENT_POLL_MS,
      trustProxy: env.TRUST_PROXY,
    });
    // Totals may reuse answers only once the pump knows which event ids are final (totals.cache.ts).
    services.totals.followCommittedEvents(realtime.lastPushedId);
    services.liveFeed = { delivered: realtime.lastPushedId, waitingMs: realtime.deliveryWaitingMs };
    services.metrics.attach({
      socketsByRole: realtime.socketsByRole,
      pumpLagEvents: async () => Math.max(0, (await latestEventId(database.db)) - realtime.lastPushedId()),
      pumpWaitingSeconds: () => realtime.deliveryWaitingMs() / 1000,
    });
    if (env.JOBS_ENABLED) services.jobs.start();
    const port = (httpServer.address() as AddressInfo).port;
    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      services,
      realtime,
      database,
      seeded,
      close: () =>
        (closing ??= (async () => {
          httpServer.closeIdleConnections?.();
          await services.jobs.close(); // finish running job bodies while the database is open
          await realtime.close(); // also closes the HTTP server
          httpServer.closeAllConnections?.();
          await database.close();
          await replica?.close();
        })()),
    };
  } catch (err) {
    await replica?.close().catch(() => {});
    await database.close().catch(() => {});
    throw err;
  }
}

/** The demo history's campaign starts on its first report day. */
function historyStart(env: Env): { campaignStartsOn: string } {
  const today = reportDayOf(new Date(), env.REPORT_TIMEZONE, env.REPORT_DAY_START);
  return { campaignStartsOn: addDays(today, -HISTORY_DAYS) };
}

import type { Env } from "./env.js";
import type { Database } from "./db/client.js";
import type { Logger } from "./logger.js";
import { EventLog } from "./events/event-log.js";
import { AuthService } from "./auth/auth.service.js";
import { StationsService } from "./stations/stations.service.js";

/** Every service, built once per process and handed to the routes. */
export interface Services {
  env: Env;
  log: Logger;
  database: Database;
  eventLog: EventLog;
  auth: AuthService;
  stations: StationsService;
}

/** Builds the services over an open database. */
export function createServices(env: Env, database: Database, log: Logger): Services {
  const eventLog = new EventLog(database.db);
  return {
    env, log, database, eventLog,
    auth: new AuthService(database.db, env.SESSION_TTL_HOURS),
    stations: new StationsService(database.db, eventLog),
  };
}

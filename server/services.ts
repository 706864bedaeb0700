import type { Env } from "./env.js";
import type { Database } from "./db/client.js";
import type { Logger } from "./logger.js";
import { EventLog } from "./events/event-log.js";
import { AuthService } from "./auth/auth.service.js";
import { StationsService } from "./stations/stations.service.js";
import { CasesService } from "./cases/cases.service.js";
import { KeyPointsService } from "./keypoints/keypoints.service.js";
import { Open311Service } from "./open311/open311.service.js";
import { UsersService } from "./users/users.service.js";
import { RegionsService } from "./regions/regions.service.js";
import { ImportsService } from "./imports/imports.service.js";
import { JobRunner } from "./jobs/job-runner.js";
import { createFleetServices, type FleetServices } from "./dispatch/fleet-services.js";
import { createStationServices, type StationServices } from "./reports/station-services.js";

/** Every service, built once per process and handed to the routes. */
export interface Services extends FleetServices, StationServices {
  env: Env;
  log: Logger;
  database: Database;
  eventLog: EventLog;
  auth: AuthService;
  stations: StationsService;
  cases: CasesService;
  keypoints: KeyPointsService;
  open311: Open311Service;
  users: UsersService;
  regions: RegionsService;
  imports: ImportsService;
  /** Scheduled work, run once across the cluster; services register jobs on it while being built. */
  jobs: JobRunner;
  /** The live feed of this process, for health: filled in once realtime has started. */
  liveFeed: LiveFeedStatus;
}

/** Where this process's event delivery stands. */
export interface LiveFeedStatus {
  /** Highest event id delivered to dashboards. */
  delivered(): number;
  /** How long delivery has been waiting on an open transaction that wrote events (0 when not). */
  waitingMs(): number;
}

/** Builds the services over an open database. */
export function createServices(env: Env, database: Database, log: Logger): Services {
  const eventLog = new EventLog(database.db, { log: log.child({ part: "tx" }) });
  const cases = new CasesService(database.db, eventLog);
  const jobs = new JobRunner({ db: database.db, log: log.child({ part: "jobs" }), tickMs: env.JOB_TICK_MS });
  return {
    env, log, database, eventLog, jobs,
    liveFeed: { delivered: () => 0, waitingMs: () => 0 },
    ...createFleetServices(env, database.db, eventLog, jobs),
    ...createStationServices(env, database.db, eventLog, jobs),
    auth: new AuthService(database.db, env.SESSION_TTL_HOURS),
    stations: new StationsService(database.db, eventLog),
    cases, keypoints: new KeyPointsService(database.db, eventLog), open311: new Open311Service(database.db, cases),
    users: new UsersService(database.db, eventLog),
    regions: new RegionsService(database.db, eventLog),
    imports: new ImportsService(database.db, eventLog),
  };
}

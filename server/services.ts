import type { Env } from "./env.js";
import type { Database } from "./db/client.js";
import type { Logger } from "./logger.js";
import { EventLog } from "./events/event-log.js";
import { JobRunner } from "./jobs/job-runner.js";
import { AuthService } from "./auth/auth.service.js";
import { CampaignsService } from "./campaigns/campaigns.service.js";
import { CasesService } from "./cases/cases.service.js";
import { CheckInsService } from "./check-ins/check-ins.service.js";
import { DispatchService } from "./dispatch/dispatch.service.js";
import { DistributionsService } from "./distributions/distributions.service.js";
import { EncountersService } from "./encounters/encounters.service.js";
import { ExportsService } from "./exports/exports.service.js";
import { ImportsService } from "./imports/imports.service.js";
import { KeyPointsService } from "./keypoints/keypoints.service.js";
import { Open311Service } from "./open311/open311.service.js";
import { OutcomesService } from "./outcomes/outcomes.service.js";
import { OutboundService } from "./outbound/outbound.service.js";
import { LoggingSender, WebhookSender, type Sender } from "./outbound/senders.js";
import { PatrolLogsService } from "./patrol-logs/patrol-logs.service.js";
import { PatrolsService } from "./patrols/patrols.service.js";
import { IdentificationService } from "./identification/identification.service.js";
import { WeatherService } from "./weather/weather.service.js";
import { IdentificationMatchService } from "./identification/matching.service.js";
import { IdentificationOverviewService } from "./identification/overview.service.js";
import { IdentificationPhotoService } from "./identification/photo.service.js";
import { PeopleService } from "./people/people.service.js";
import { PlacesService } from "./places/places.service.js";
import { PositionsService } from "./positions/positions.service.js";
import { RegionsService } from "./regions/regions.service.js";
import { ReportsService } from "./reports/reports.service.js";
import { SheltersService } from "./shelters/shelters.service.js";
import { StationsService } from "./stations/stations.service.js";
import { StaysService } from "./stays/stays.service.js";
import { SuppliesService } from "./supplies/supplies.service.js";
import { TotalsService } from "./totals/totals.service.js";
import { UsersService } from "./users/users.service.js";
import { Metrics } from "./metrics/metrics.js";
import { observeResponseTimes } from "./metrics/response-times.js";
import { VehiclesService } from "./vehicles/vehicles.service.js";
import { ReplicaReads } from "./db/read-replica.js";
import type { Db } from "./db/client.js";

/** Every service, built once per process and handed to the routes: one field per domain noun. */
export interface Services {
  env: Env;
  log: Logger;
  database: Database;
  eventLog: EventLog;
  /** Scheduled work, run once across the cluster; jobs are registered on it in `registerJobs`. */
  jobs: JobRunner;
  /** Routes reads that may lag to DATABASE_REPLICA_URL when it is current; all to the primary without one. */
  reads: ReplicaReads;
  /** The live feed of this process, for health: filled in once realtime has started. */
  liveFeed: LiveFeedStatus;
  /** This process's Prometheus metrics (/metrics). */
  metrics: Metrics;

  auth: AuthService;
  campaigns: CampaignsService;
  cases: CasesService;
  checkIns: CheckInsService;
  dispatch: DispatchService;
  distributions: DistributionsService;
  encounters: EncountersService;
  exports: ExportsService;
  identification: IdentificationService;
  identificationMatch: IdentificationMatchService;
  identificationOverview: IdentificationOverviewService;
  identificationPhoto: IdentificationPhotoService;
  imports: ImportsService;
  keypoints: KeyPointsService;
  open311: Open311Service;
  outcomes: OutcomesService;
  outbound: OutboundService;
  patrolLogs: PatrolLogsService;
  patrols: PatrolsService;
  people: PeopleService;
  places: PlacesService;
  positions: PositionsService;
  regions: RegionsService;
  reports: ReportsService;
  shelters: SheltersService;
  stations: StationsService;
  stays: StaysService;
  supplies: SuppliesService;
  totals: TotalsService;
  users: UsersService;
  vehicles: VehiclesService;
  weather: WeatherService;
}

/** Where this process's event delivery stands. */
export interface LiveFeedStatus {
  /** Highest event id delivered to dashboards. */
  delivered(): number;
  /** How long delivery has been waiting on an open transaction that wrote events (0 when not). */
  waitingMs(): number;
}

/** How often the unacknowledged-task check runs; an alert is at most this late after the timeout. */
const UNACK_CHECK_MS = 5_000;
/**
 * How often missed check-ins are looked for: a missed deadline alerts at most this late (plus a
 * job tick), well inside the 30 s the duty room is promised.
 */
const CHECK_IN_CHECK_MS = 5_000;
/** How often the due-now list is announced, and how often missing reports are chased. */
const DUE_NOW_EVERY_MS = 5 * 60_000;
/** Tonight's weather proposals are re-run this often, so they follow the report day's turn. */
const WEATHER_EVERY_MS = 10 * 60_000;
const MISSING_EVERY_MS = 60 * 60_000;

/** Builds the services over an open database: one line per domain noun, in noun order. */
export function createServices(env: Env, database: Database, log: Logger, replica?: Db): Services {
  const { db } = database;
  const reads = new ReplicaReads(db, replica, {
    maxLagMs: env.REPLICA_MAX_LAG_MS,
    log: log.child({ part: "replica" }),
  });
  const eventLog = new EventLog(db, {
    log: log.child({ part: "tx" }), // PGlite has one connection, so no lock ever waits there.
    lockTimeoutMs: database.engine === "postgres" ? env.DB_LOCK_TIMEOUT_MS : 0,
  });
  const metrics = new Metrics();
  metrics.attach({ pool: database.pool });
  const jobs = new JobRunner({
    db,
    log: log.child({ part: "jobs" }),
    tickMs: env.JOB_TICK_MS,
    onRun: (job, failed) => {
      metrics.jobRuns.inc({ job });
      if (failed) metrics.jobFailures.inc({ job });
    },
  });
  observeResponseTimes(eventLog, db, metrics, log.child({ part: "metrics" }));
  // Built first because other services read through them.
  const campaigns = new CampaignsService(db, eventLog, env.REPORT_TIMEZONE, env.REPORT_DAY_START);
  const cases = new CasesService(db, eventLog);
  const totals = new TotalsService(db, campaigns, env.REPORT_TIMEZONE, env.REPORT_DAY_START, reads);
  const outcomes = new OutcomesService(campaigns, totals);
  const checkIns = new CheckInsService(db, eventLog);
  checkIns.onAlert((kind, late) => {
    metrics.crewAlerts.inc({ kind });
    if (late !== null) metrics.missedCheckInAlertDelay.observe(late);
  });
  const auth = new AuthService(db, env.SESSION_TTL_HOURS, env.SESSION_CACHE_SECONDS);
  // Before any request can be answered: a committed change to users or stations forgets remembered sessions.
  eventLog.onCommit((events) => auth.forgetOnEvents(events));

  const identification = new IdentificationService(db, eventLog);
  const services: Services = {
    env,
    log,
    database,
    eventLog,
    jobs,
    reads,
    liveFeed: { delivered: () => 0, waitingMs: () => 0 },
    metrics,

    auth,
    campaigns,
    cases,
    checkIns,
    dispatch: new DispatchService(db, eventLog, env.ACK_TIMEOUT_SECONDS),
    distributions: new DistributionsService(db, eventLog),
    encounters: new EncountersService(db, eventLog),
    exports: new ExportsService(db, totals, campaigns, outcomes),
    identification,
    identificationPhoto: new IdentificationPhotoService(db, eventLog, identification),
    identificationMatch: new IdentificationMatchService(db, eventLog),
    identificationOverview: new IdentificationOverviewService(db, env.REPORT_TIMEZONE, env.REPORT_DAY_START),
    imports: new ImportsService(db, eventLog, env.REPORT_TIMEZONE, env.REPORT_DAY_START),
    keypoints: new KeyPointsService(db, eventLog),
    open311: new Open311Service(db, cases),
    outcomes,
    outbound: new OutboundService(
      db,
      eventLog,
      {
        sender: outboundSender(env, log),
        maxAttempts: env.OUTBOUND_MAX_ATTEMPTS,
        retryBaseMs: env.OUTBOUND_RETRY_BASE_MS,
        sendTimeoutMs: env.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS * 1000,
      },
      log.child({ part: "outbound" }),
    ),
    patrolLogs: new PatrolLogsService(db, eventLog),
    patrols: new PatrolsService(db, eventLog),
    people: new PeopleService(db, eventLog),
    places: new PlacesService(db),
    positions: new PositionsService(db, eventLog, env.POSITION_BROADCAST_SECONDS, env.POSITIONS_QUEUE_MAX_POINTS),
    regions: new RegionsService(db, eventLog),
    reports: new ReportsService(db, eventLog, campaigns, totals),
    shelters: new SheltersService(db, eventLog),
    stations: new StationsService(db, eventLog),
    stays: new StaysService(db, eventLog),
    supplies: new SuppliesService(db, eventLog),
    totals,
    users: new UsersService(db, eventLog),
    vehicles: new VehiclesService(db, eventLog),
    weather: new WeatherService(db, eventLog, campaigns, env.REPORT_TIMEZONE, env.REPORT_DAY_START),
  };
  registerJobs(services);
  return services;
}

/** The sender of outgoing messages configured by OUTBOUND_SENDER. */
function outboundSender(env: Env, log: Logger): Sender {
  if (env.OUTBOUND_SENDER === "webhook" && env.OUTBOUND_WEBHOOK_URL)
    return new WebhookSender(env.OUTBOUND_WEBHOOK_URL, env.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS * 1000);
  return new LoggingSender(log.child({ part: "outbound-log" }));
}

/**
 * Scheduled work on the cluster-wide job runner (one node runs each slot; each job is also guarded
 * in the database): the unacknowledged-task alert, the due-now list, missing daily reports, and
 * delivery of outgoing messages to reporters.
 * in the database): the unacknowledged-task alert, missed crew check-ins, the due-now list, missing daily reports.
 */
function registerJobs(s: Services): void {
  s.jobs.register({
    name: "dispatch.unacknowledged",
    everyMs: UNACK_CHECK_MS,
    run: async (ctx) => {
      const n = await s.dispatch.raiseUnacknowledgedAlerts();
      if (n) ctx.log.info("unacknowledged task alerts raised", { count: n });
    },
  });
  s.jobs.register({
    name: "check_ins.missed",
    everyMs: CHECK_IN_CHECK_MS,
    run: async (ctx) => {
      const n = await s.checkIns.raiseMissed();
      if (n) ctx.log.info("missed check-in alerts raised", { count: n });
    },
  });
  s.jobs.register({
    name: "campaigns.due_now",
    everyMs: DUE_NOW_EVERY_MS,
    run: async () => {
      await s.campaigns.announceDueNow({ onlyChanges: true });
    },
  });
  s.jobs.register({
    name: "outbound.deliver",
    everyMs: s.env.OUTBOUND_EVERY_MS,
    run: async (ctx) => {
      const n = await s.outbound.deliverDue(ctx.nodeId);
      if (n.sent || n.failed || n.retrying) ctx.log.info("outgoing messages delivered", n);
    },
  });
  s.jobs.register({
    name: "weather.proposals",
    everyMs: WEATHER_EVERY_MS,
    run: async (ctx) => {
      const n = await s.weather.refreshTonight();
      if (n) ctx.log.info("weather proposals recorded", { count: n });
    },
  });
  s.jobs.register({
    name: "reports.missing",
    everyMs: MISSING_EVERY_MS,
    run: async () => {
      await s.reports.announceMissing({ onlyChanges: true });
    },
  });
}

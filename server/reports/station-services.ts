import type { Env } from "../env.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { JobRunner } from "../jobs/job-runner.js";
import { CampaignsService } from "../campaigns/campaigns.service.js";
import { TotalsService } from "../totals/totals.service.js";
import { ReportsService } from "./reports.service.js";
import { PeopleService } from "../people/people.service.js";
import { SuppliesService } from "../supplies/supplies.service.js";
import { SheltersService } from "../shelters/shelters.service.js";
import { StaysService } from "../stays/stays.service.js";
import { ExportsService } from "../exports/exports.service.js";
import { DistributionsService } from "../distributions/distributions.service.js";

/** The station head's services (issue 5): people, stays, shelters, supplies, campaigns, totals, reports, exports. */
export interface StationServices {
  people: PeopleService;
  stays: StaysService;
  shelters: SheltersService;
  supplies: SuppliesService;
  campaigns: CampaignsService;
  totals: TotalsService;
  reports: ReportsService;
  exports: ExportsService;
  distributions: DistributionsService;
}

/** How often the due-now list is announced, and how often missing reports are chased. */
const DUE_NOW_EVERY_MS = 5 * 60_000;
const MISSING_EVERY_MS = 60 * 60_000;

/** Builds them and registers their scheduled jobs (due-now and missing-report announcements). */
export function createStationServices(env: Env, db: Db, eventLog: EventLog, jobs?: JobRunner): StationServices {
  const campaigns = new CampaignsService(db, eventLog, env.REPORT_TIMEZONE);
  const totals = new TotalsService(db, campaigns, env.REPORT_TIMEZONE, env.REPORT_DAY_START);
  const reports = new ReportsService(db, eventLog, campaigns, totals);
  const people = new PeopleService(db, eventLog);
  jobs?.register({ name: "campaigns.due_now", everyMs: DUE_NOW_EVERY_MS, run: async () => { await campaigns.announceDueNow({ onlyChanges: true }); } });
  jobs?.register({ name: "reports.missing", everyMs: MISSING_EVERY_MS, run: async () => { await reports.announceMissing({ onlyChanges: true }); } });
  return {
    people, campaigns, totals, reports,
    stays: new StaysService(db, eventLog),
    shelters: new SheltersService(db, eventLog),
    supplies: new SuppliesService(db, eventLog),
    exports: new ExportsService(db, totals, campaigns),
    distributions: new DistributionsService(db, eventLog),
  };
}

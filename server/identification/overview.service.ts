import type { z } from "zod";
import type { identificationApi } from "../../shared/api/identification.js";
import { DEADLINE_KINDS, type DeadlineKind, type DeadlineRules } from "../../shared/identification.js";
import { PAST_DEADLINE_FIGURES } from "../../shared/identification-figures.js";
import { maskedLabel } from "../../shared/identity.js";
import { daysBetween } from "../../shared/report-day.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { fieldError, notFound } from "../http/errors.js";
import { allStationIds, findRegion } from "../stations/stations.repo.js";
import { computeFigureSet } from "../totals/totals.repo.js";
import * as repo from "./identification.repo.js";
import { fileDeadlines, presentDeadline } from "./identification.presenter.js";

type FiguresQuery = z.infer<(typeof identificationApi)["figures"]["query"]>;

/**
 * The station's view over its identification files (no identity: masked labels and counts): the
 * open files with their deadlines, the figures (the campaign figures' own rules, so the workbench,
 * the totals, the exports and the report text say the same), and a province's deadlines.
 */
export class IdentificationOverviewService {
  constructor(
    private readonly db: Db,
    private readonly timeZone: string,
    private readonly dayStart: string,
  ) {}

  private async scope(user: SessionUser, stationId?: string): Promise<string[]> {
    if (stationId) requireStation(user, stationId);
    return stationId ? [stationId] : user.allStations ? allStationIds(this.db) : user.stationIds;
  }

  /** Open files with their deadlines, most overdue first (no identity: masked labels). */
  async list(user: SessionUser, stationId?: string, now = new Date()) {
    requireRole(user, ["patrol", "head"]);
    const sids = await this.scope(user, stationId);
    const files = await repo.filesOf(this.db, sids);
    const [steps, rules] = await Promise.all([
      repo.stepsOf(
        this.db,
        files.map((f) => f.personId),
      ),
      repo.rulesOfStations(this.db, sids),
    ]);
    return files.map((f) => ({
      personId: f.personId,
      stationId: f.stationId,
      label: maskedLabel(f.personId),
      arrivedAt: f.arrivedAt.toISOString(),
      deadlines: fileDeadlines(
        f,
        steps.filter((s) => s.personId === f.personId),
        rules.get(f.stationId)!,
        now,
      ).map(presentDeadline),
    }));
  }

  /**
   * The figures over report days, by the counting rules (shared/identification-figures.ts and the
   * family-search log for families found): people past a deadline at the period's end (now while it runs).
   */
  async figures(user: SessionUser, q: FiguresQuery, now = new Date()) {
    requireRole(user, ["head", "supervisor"]);
    const to = q.to ?? q.from;
    if (to < q.from) throw fieldError("query.to", "is before from");
    if (daysBetween(q.from, to).length > 366) throw fieldError("query.to", "a range is at most 366 days");
    const sids = await this.scope(user, q.stationId);
    const [set, open] = await Promise.all([
      computeFigureSet(this.db, {
        stationIds: sids,
        days: daysBetween(q.from, to),
        timeZone: this.timeZone,
        dayStart: this.dayStart,
        now,
      }),
      repo.filesOf(this.db, sids),
    ]);
    const f = set.whole;
    return {
      familiesFound: f.familiesFound,
      settled: f.householdSettled,
      medianDaysToIdentification: f.medianDaysToIdentification,
      pastDeadline: Object.fromEntries(DEADLINE_KINDS.map((k) => [k, f[PAST_DEADLINE_FIGURES[k]]])) as Record<
        DeadlineKind,
        number
      >,
      open: open.length,
    };
  }

  /** Sets a province's deadlines (admin); files of its stations follow them from now on. */
  async setDeadlines(user: SessionUser, regionId: string, rules: DeadlineRules) {
    requireRole(user, ["admin"]);
    const region = await findRegion(this.db, regionId);
    if (!region) throw notFound("Region");
    if (region.level !== "province") throw fieldError("params.id", "deadlines are set per province");
    await repo.upsertRules(this.db, regionId, rules);
    return { regionId, ...rules };
  }
}

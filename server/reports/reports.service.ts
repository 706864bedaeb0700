import type { z } from "zod";
import type {
  AmendmentCreate,
  DailyReport,
  MissingReport,
  ReportForm,
  ReportSubmit,
  ReportText,
  ReportTextQuery,
  reportsApi,
} from "../../shared/api/reports.js";
import type { Figures } from "../../shared/api/totals.js";
import { isZeroDay, missingReports } from "../../shared/counting.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, notFound } from "../http/errors.js";
import { listStations } from "../stations/stations.repo.js";
import type { CampaignsService } from "../campaigns/campaigns.service.js";
import type { CampaignRow } from "../campaigns/campaigns.repo.js";
import type { TotalsService } from "../totals/totals.service.js";
import * as repo from "./reports.repo.js";
import { presentReport } from "./reports.presenter.js";
import { announce, type Announcement } from "../campaigns/announce.js";
import { assertSameRequest } from "../http/idempotency.js";
import { reportTextBoth } from "../../shared/report-text.js";
import { officialText } from "./report-text.js";
import { dayRange } from "../../shared/report-day.js";

type ListQuery = z.infer<(typeof reportsApi.list)["query"]>;

/**
 * Daily and zero reports (日报告/零报告). The figures are taken from the records at submission and
 * frozen; a later correction is an amendment recomputed from the records then, shown beside it.
 * Silence is never calm: every ended campaign day without a report is listed as missing.
 */
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly campaigns: CampaignsService,
    private readonly totals: TotalsService,
  ) {}

  private async stationInCampaign(user: SessionUser, c: CampaignRow, stationId: string, field: string): Promise<void> {
    requireStation(user, stationId);
    if (!(await this.campaigns.visibleStations(user, c)).includes(stationId))
      throw fieldError(field, "station is not in this campaign");
  }

  private checkDay(c: CampaignRow, day: string, field: string): void {
    if (day < c.startsOn || day > c.endsOn)
      throw fieldError(field, `not a day of the campaign (${c.startsOn}..${c.endsOn})`);
    if (day > this.totals.today()) throw fieldError(field, "the day has not begun yet");
  }

  private async withAmendments(rows: repo.ReportRow[]): Promise<DailyReport[]> {
    const am = await repo.amendmentsOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => presentReport(r, am));
  }

  /** The form: the report if submitted, else the day's figures to prefill it. */
  async form(user: SessionUser, campaignId: string, stationId: string, day: string): Promise<ReportForm> {
    requireRole(user, ["head", "supervisor", "admin"]);
    const c = await this.campaigns.require(campaignId);
    await this.stationInCampaign(user, c, stationId, "query.stationId");
    if (day < c.startsOn || day > c.endsOn)
      throw fieldError("query.day", `not a day of the campaign (${c.startsOn}..${c.endsOn})`);
    const [row, prefill] = await Promise.all([
      repo.findReportByDay(this.db, campaignId, stationId, day),
      this.totals.figures([stationId], day, day),
    ]);
    return {
      campaignId,
      stationId,
      day,
      report: row ? (await this.withAmendments([row]))[0]! : null,
      prefill,
      zero: isZeroDay(prefill),
      dayStart: this.totals.dayStart,
    };
  }

  /** Submits a daily report, or a zero report when the day has no records; frozen afterwards. */
  async submit(user: SessionUser, campaignId: string, input: ReportSubmit): Promise<DailyReport> {
    requireRole(user, ["head"]);
    const c = await this.campaigns.require(campaignId);
    await this.stationInCampaign(user, c, input.stationId, "body.stationId");
    this.checkDay(c, input.day, "body.day");
    const figures = await this.totals.figures([input.stationId], input.day, input.day);
    const zero = isZeroDay(figures);
    const existing = await repo.findReport(this.db, input.id);
    if (existing) return this.sameOrConflict(existing, campaignId, input);
    if (input.zero && !zero)
      throw fieldError("body.zero", "the day has records: submit a daily report, not a zero report");
    // The official sentences are frozen with the figures, in both languages.
    const text = reportTextBoth({
      figures,
      from: input.day,
      to: input.day,
      dayStart: this.totals.dayStart,
      zero,
    });
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertReport(tx, {
        id: input.id,
        campaignId,
        stationId: input.stationId,
        day: input.day,
        isZero: zero,
        figures,
        text,
        remarks: input.remarks,
        submittedBy: user.id,
      });
      if (created) {
        record({
          type: "report.submitted",
          stationId: input.stationId,
          actorId: user.id,
          payload: {
            id: created.id,
            campaignId,
            stationId: input.stationId,
            day: input.day,
            isZero: zero,
            submittedAt: created.submittedAt.toISOString(),
          },
        });
      }
      return created;
    });
    if (row) return (await this.withAmendments([row]))[0]!;
    const again = await repo.findReport(this.db, input.id);
    if (again) return this.sameOrConflict(again, campaignId, input);
    throw new AppError(
      409,
      "CONFLICT",
      `body.day: ${input.day} is already reported and frozen; add an amendment to correct it`,
    );
  }

  private async sameOrConflict(r: repo.ReportRow, campaignId: string, input: ReportSubmit): Promise<DailyReport> {
    if (r.campaignId !== campaignId || r.stationId !== input.stationId || r.day !== input.day) {
      throw new AppError(409, "CONFLICT", "body.id: already used for another report");
    }
    assertSameRequest("daily report", input.id, r, input);
    return (await this.withAmendments([r]))[0]!;
  }

  /** Editing a submitted report is refused: it is frozen. */
  async update(user: SessionUser, id: string): Promise<never> {
    requireRole(user, ["head"]);
    const r = await repo.findReport(this.db, id);
    if (!r) throw notFound("Daily report");
    requireStation(user, r.stationId);
    throw new AppError(409, "CONFLICT", "A submitted report is frozen; add an amendment to correct it");
  }

  /** Adds an amendment: the day's figures recomputed from the records now, with the reason. */
  async amend(user: SessionUser, reportId: string, input: AmendmentCreate): Promise<DailyReport> {
    requireRole(user, ["head"]);
    const r = await repo.findReport(this.db, reportId);
    if (!r) throw notFound("Daily report");
    requireStation(user, r.stationId);
    const prior = await repo.findAmendment(this.db, input.id);
    if (prior && prior.reportId !== reportId)
      throw new AppError(409, "CONFLICT", "body.id: already used for another amendment");
    if (prior) assertSameRequest("amendment", input.id, prior, input);
    if (!prior) {
      const figures = await this.totals.figures([r.stationId], r.day, r.day);
      // The amended figures' sentences are frozen with them; the latest amendment is the day's text.
      const text = reportTextBoth({
        figures,
        from: r.day,
        to: r.day,
        dayStart: this.totals.dayStart,
        zero: isZeroDay(figures),
      });
      await this.log.transact(async (tx, record) => {
        const created = await repo.insertAmendment(tx, {
          id: input.id,
          reportId,
          figures,
          text,
          reason: input.reason,
          amendedBy: user.id,
        });
        if (created)
          record({
            type: "report.amended",
            stationId: r.stationId,
            actorId: user.id,
            payload: { id: created.id, reportId, day: r.day, reason: input.reason },
          });
      });
    }
    return (await this.withAmendments([r]))[0]!;
  }

  /** Submitted reports in scope. */
  async list(user: SessionUser, campaignId: string, q: ListQuery): Promise<DailyReport[]> {
    requireRole(user, ["head", "supervisor", "admin"]);
    const c = await this.campaigns.require(campaignId);
    if (q.stationId) await this.stationInCampaign(user, c, q.stationId, "query.stationId");
    const stationIds = q.stationId ? [q.stationId] : await this.campaigns.visibleStations(user, c);
    // Submitted reports may come from the replica when it is current (server/db/read-replica.ts).
    const db = this.totals.reads ? await this.totals.reads.forRead() : this.db;
    return this.withAmendments(
      await repo.listReports(db, { campaignId, stationIds, from: q.from, to: q.to, limit: q.limit }),
    );
  }

  /** GET /api/reports/text: the official sentences (a submitted daily report's frozen ones). */
  async text(user: SessionUser, q: ReportTextQuery): Promise<ReportText> {
    return officialText(this.db, this.totals, user, q);
  }

  /** Which stations in scope have not reported, and for how long. */
  async missing(user: SessionUser, campaignId: string): Promise<{ today: string; items: MissingReport[] }> {
    requireRole(user, ["head", "supervisor", "admin"]);
    const c = await this.campaigns.require(campaignId);
    return this.missingFor(c, await this.campaigns.visibleStations(user, c));
  }

  /** Missing reports of stations (also used by the job). */
  async missingFor(c: CampaignRow, stationIds: string[]): Promise<{ today: string; items: MissingReport[] }> {
    const today = this.totals.today();
    const [stations, days] = await Promise.all([
      listStations(this.db, stationIds),
      repo.reportedDays(this.db, c.id, stationIds),
    ]);
    const items = stations
      .map((s) => {
        const mine = days.filter((d) => d.stationId === s.id).map((d) => d.day);
        const m = missingReports(c, mine, today);
        return {
          stationId: s.id,
          code: s.code,
          name: s.name,
          missingCount: m.missingDays.length,
          missingDays: m.missingDays.slice(-31),
          lastReportedDay: m.lastReportedDay,
          overdueDays: m.overdueDays,
          reportedToday: mine.includes(today),
        };
      })
      .sort((a, b) => b.overdueDays - a.overdueDays || a.code.localeCompare(b.code));
    return { today, items };
  }

  /**
   * Job body: announces stations with missing reports in running campaigns (counts only). The job
   * sends changes only, i.e. when another day ends unreported or a gap is filled (see announce.ts).
   */
  async announceMissing(opts: { onlyChanges?: boolean } = {}): Promise<number> {
    const today = this.totals.today();
    const system = { allStations: true } as SessionUser;
    const items: Announcement[] = [];
    for (const c of await this.campaigns.list(system)) {
      if (c.startsOn > today) continue;
      const row = await this.campaigns.require(c.id);
      for (const i of (
        await this.missingFor(
          row,
          c.stationLevels.map((s) => s.stationId),
        )
      ).items) {
        items.push({
          key: `missing:${c.id}:${i.stationId}`,
          state: { missingCount: i.missingCount },
          event:
            i.missingCount > 0 || opts.onlyChanges
              ? {
                  type: "report.missing",
                  stationId: i.stationId,
                  actorId: null,
                  payload: {
                    campaignId: c.id,
                    stationId: i.stationId,
                    missingCount: i.missingCount,
                    overdueDays: i.overdueDays,
                    lastReportedDay: i.lastReportedDay,
                  },
                }
              : null,
        });
      }
    }
    return announce(this.db, this.log, "missing:", items, opts.onlyChanges ?? false);
  }
}

import type { ReportText, ReportTextQuery } from "../../shared/api/reports.js";
import type { Figures } from "../../shared/api/totals.js";
import { reportPeriod, reportSentences, type ReportLang } from "../../shared/report-text.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { fieldError, forbidden, notFound } from "../http/errors.js";
import { findRegion, findStation, stationIdsInRegion } from "../stations/stations.repo.js";
import type { TotalsService } from "../totals/totals.service.js";
import * as repo from "./reports.repo.js";
import { dayRange } from "../../shared/report-day.js";

/**
 * GET /api/reports/text: the official sentences of a station's or region's report over report days
 * from..to, built by shared/report-text.ts (the print view's own function) from the totals' figures.
 * A daily report of one station that has been submitted answers with its frozen text and figures.
 */
export async function officialText(
  db: Db,
  totals: TotalsService,
  user: SessionUser,
  q: ReportTextQuery,
): Promise<ReportText> {
  requireRole(user, ["operator", "head", "supervisor", "admin"]);
  const to = q.to ?? q.from;
  if (to > totals.today()) throw fieldError(q.to ? "query.to" : "query.from", "the report day has not begun yet");
  const stationIds = await scopeStations(db, user, q.scope, q.id);
  const base = {
    scope: q.scope,
    id: q.id,
    stationIds,
    kind: q.kind,
    from: q.from,
    to,
    dayStart: totals.dayStart,
    lang: q.lang,
  };
  const period = reportPeriod(q.from, to, totals.dayStart, q.lang);
  if (q.kind === "daily" && q.scope === "station") {
    const report = await repo.findStationReportOfDay(db, q.id, q.from);
    // The latest amendment, when there is one, replaces the submission's figures and text.
    const latest = report ? (await repo.amendmentsOf(db, [report.id])).at(-1) : undefined;
    const frozen = latest?.text ? latest : report;
    const text = frozen?.text?.[q.lang];
    if (frozen && text) return { ...base, period, sentences: text, figures: frozen.figures as Figures, frozen: true };
  }
  const figures = await totals.figures(stationIds, q.from, to);
  return {
    ...base,
    period,
    sentences: reportSentences({
      figures,
      from: q.from,
      to,
      dayStart: totals.dayStart,
      lang: q.lang as ReportLang,
    }),
    figures,
    frozen: false,
  };
}

/** The stations a text covers: one station in the caller's reach, or those of a region the caller may see. */
async function scopeStations(db: Db, user: SessionUser, scope: "station" | "region", id: string): Promise<string[]> {
  if (scope === "station") {
    if (!(await findStation(db, id))) throw notFound("Station");
    requireStation(user, id);
    return [id];
  }
  if (!(await findRegion(db, id))) throw notFound("Region");
  const inRegion = await stationIdsInRegion(db, id);
  const ids = inRegion.filter((s) => canSeeStation(user, s));
  if (!ids.length && inRegion.length) throw forbidden("That region is outside your scope");
  return ids;
}

import type { DailyReport } from "../../shared/api/reports.js";
import type { Figures } from "../../shared/api/totals.js";
import { emptyFigures } from "../totals/figure-scope.js";
import type { AmendmentRow, ReportRow } from "./reports.repo.js";

/** Stored figures, with figures added since (absent from older frozen reports) as 0. */
const storedFigures = (f: Record<string, unknown>): Figures => ({ ...emptyFigures(), ...f }) as Figures;

/** Frozen sentences in both languages, or null when absent (texts older than freezing). */
const frozenText = (t: Record<string, string[]> | null | undefined) =>
  t && Array.isArray(t["zh-CN"]) && Array.isArray(t.en) ? { "zh-CN": t["zh-CN"], en: t.en } : null;

/** A daily report as the API shows it, with its frozen text and its amendments (picked from `amendments` by report id). */
export function presentReport(r: ReportRow, amendments: AmendmentRow[]): DailyReport {
  const text = frozenText(r.text);
  return {
    id: r.id,
    campaignId: r.campaignId,
    stationId: r.stationId,
    day: r.day,
    isZero: r.isZero,
    figures: storedFigures(r.figures),
    text,
    remarks: r.remarks,
    submittedBy: r.submittedBy,
    submittedAt: r.submittedAt.toISOString(),
    amendments: amendments
      .filter((a) => a.reportId === r.id)
      .map((a) => ({
        id: a.id,
        reportId: a.reportId,
        figures: storedFigures(a.figures),
        reason: a.reason,
        text: frozenText(a.text),
        amendedBy: a.amendedBy,
        amendedAt: a.amendedAt.toISOString(),
      })),
  };
}

import type { DailyReport } from "../../shared/api/reports.js";
import type { Figures } from "../../shared/api/totals.js";
import type { AmendmentRow, ReportRow } from "./reports.repo.js";

/** A daily report as the API shows it, with its amendments (picked from `amendments` by report id). */
export function presentReport(r: ReportRow, amendments: AmendmentRow[]): DailyReport {
  return {
    id: r.id, campaignId: r.campaignId, stationId: r.stationId, day: r.day, isZero: r.isZero,
    figures: r.figures as Figures, remarks: r.remarks, submittedBy: r.submittedBy, submittedAt: r.submittedAt.toISOString(),
    amendments: amendments.filter((a) => a.reportId === r.id).map((a) => ({
      id: a.id, reportId: a.reportId, figures: a.figures as Figures, reason: a.reason, amendedBy: a.amendedBy, amendedAt: a.amendedAt.toISOString(),
    })),
  };
}

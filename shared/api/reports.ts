import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { Day, Figures } from "./totals.js";
import { REPORT_LANGS } from "../report-text.js";

/** The official sentences in both languages. */
const ReportTextBoth = z.object({
  "zh-CN": z.array(z.string()).describe("Sentences in Chinese"),
  en: z.array(z.string()).describe("Sentences in English"),
});

/** Asking for the official text of a report. */
export const ReportTextQuery = z
  .object({
    scope: z.enum(["station", "region"]).describe("One station, or a region and everything below it"),
    id: Id.describe("The station or region"),
    from: Day.describe("First report day"),
    to: Day.optional().describe("Last report day, inclusive (default: from); a daily report covers one day"),
    lang: z.enum(REPORT_LANGS).default("zh-CN").describe("zh-CN | en"),
    kind: z
      .enum(["daily", "campaign"])
      .default("campaign")
      .describe("daily: one report day (a submitted station report gives its frozen text) | campaign: any range"),
  })
  .refine((q) => !q.to || q.from <= q.to, { message: "must not be after to", path: ["from"] })
  .refine((q) => q.kind !== "daily" || !q.to || q.to === q.from, {
    message: "a daily report covers one day: to must equal from",
    path: ["to"],
  });
export type ReportTextQuery = z.infer<typeof ReportTextQuery>;

/** The official text of a report, and the figures it says. */
export const ReportText = z.object({
  scope: z.enum(["station", "region"]).describe("Scope"),
  id: Id.describe("Station or region"),
  stationIds: z.array(Id).describe("Stations counted"),
  kind: z.enum(["daily", "campaign"]).describe("Kind of report"),
  from: Day.describe("First report day"),
  to: Day.describe("Last report day, inclusive"),
  dayStart: z.string().describe("Local time a report day starts (HH:MM)"),
  lang: z.enum(REPORT_LANGS).describe("Language"),
  period: z.string().describe("The period as headed, e.g. 12月29日（29日8时至30日8时）"),
  sentences: z.array(z.string()).describe("The official sentences"),
  figures: Figures.describe("The figures the sentences say"),
  frozen: z.boolean().describe("True when this is a submitted daily report's frozen text and figures"),
});
export type ReportText = z.infer<typeof ReportText>;

/** A later correction of a submitted report. */
const Amendment = z.object({
  id: Id.describe("Amendment id"),
  reportId: Id.describe("Report corrected"),
  figures: Figures.describe("Figures recomputed from the records at the time of the amendment"),
  reason: z.string().describe("Why the report is corrected"),
  text: ReportTextBoth.nullable().describe("The official sentences of the amended figures, frozen with them"),
  amendedBy: Id.nullable().describe("User"),
  amendedAt: z.string().describe("ISO time"),
});
type Amendment = z.infer<typeof Amendment>;

/** A submitted daily report (日报告) or zero report (零报告): frozen once submitted. */
export const DailyReport = z.object({
  id: Id.describe("Report id"),
  campaignId: Id.describe("Campaign"),
  stationId: Id.describe("Station"),
  day: Day.describe("Day reported"),
  isZero: z.boolean().describe("True for a zero report: nothing happened that day"),
  figures: Figures.describe("The day's figures from the records at submission"),
  text: ReportTextBoth.nullable().describe(
    "The official sentences frozen with the figures at submission (null for reports submitted before texts were frozen)",
  ),
  remarks: z.string().describe("The head's remarks"),
  submittedBy: Id.nullable().describe("User who submitted"),
  submittedAt: z.string().describe("ISO time of submission"),
  amendments: z.array(Amendment).describe("Later corrections, oldest first"),
});
export type DailyReport = z.infer<typeof DailyReport>;

/** The form for one station and day: the report if submitted, else the figures to prefill it. */
export const ReportForm = z.object({
  campaignId: Id.describe("Campaign"),
  stationId: Id.describe("Station"),
  day: Day.describe("Day"),
  report: DailyReport.nullable().describe("The submitted report, if any"),
  prefill: Figures.describe("The day's figures computed from the records now"),
  zero: z.boolean().describe("True when the records show nothing: submit a zero report"),
  dayStart: z.string().describe("Local time a report day starts (HH:MM)"),
});
export type ReportForm = z.infer<typeof ReportForm>;

/** Submitting a daily report. */
export const ReportSubmit = z.object({
  id: Id.describe("Client-generated UUID; a retry returns the first result"),
  stationId: Id.describe("Station"),
  day: Day.describe("Day reported"),
  remarks: z.string().trim().max(4000).default("").describe("Remarks"),
  zero: z.boolean().default(false).describe("Submit as a zero report; refused when the day has records"),
});
export type ReportSubmit = z.infer<typeof ReportSubmit>;

/** Correcting a submitted report. */
export const AmendmentCreate = z.object({
  id: Id.describe("Client-generated UUID; a retry returns the first result"),
  reason: z.string().trim().min(1).max(2000).describe("Why the report is corrected"),
});
export type AmendmentCreate = z.infer<typeof AmendmentCreate>;

/** A station's standing on daily reports. */
export const MissingReport = z.object({
  stationId: Id.describe("Station"),
  code: z.string().describe("Station code"),
  name: z.string().describe("Station name"),
  missingCount: z.number().int().describe("Ended campaign days without a report"),
  missingDays: z.array(Day).describe("The most recent missing days (at most 31)"),
  lastReportedDay: Day.nullable().describe("Latest day reported"),
  overdueDays: z.number().int().describe("Days since the oldest missing day"),
  reportedToday: z.boolean().describe("Whether today's report is already in"),
});
export type MissingReport = z.infer<typeof MissingReport>;

/** Daily-report endpoints. */
export const reportsApi = {
  form: endpoint({
    method: "GET",
    path: "/api/campaigns/:id/daily-report",
    tag: "reports",
    access: ["head", "supervisor", "admin"],
    summary: "The daily report of a station and day, or the figures to prefill it",
    params: IdParams,
    query: z.object({ stationId: Id.describe("Station"), day: Day.describe("Day") }),
    response: ReportForm,
  }),
  submit: endpoint({
    method: "POST",
    path: "/api/campaigns/:id/daily-reports",
    tag: "reports",
    access: ["head"],
    status: 201,
    summary: "Submit a daily or zero report (frozen afterwards)",
    params: IdParams,
    body: ReportSubmit,
    response: DailyReport,
  }),
  list: endpoint({
    method: "GET",
    path: "/api/campaigns/:id/daily-reports",
    tag: "reports",
    access: ["head", "supervisor", "admin"],
    summary: "Submitted reports with their amendments",
    params: IdParams,
    query: z.object({
      stationId: Id.optional().describe("One station"),
      from: Day.optional().describe("First day"),
      to: Day.optional().describe("Last day"),
      limit: z.coerce.number().int().min(1).max(500).default(100).describe("Max rows"),
    }),
    response: z.object({ items: z.array(DailyReport) }),
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/daily-reports/:id",
    tag: "reports",
    access: ["head"],
    summary: "Always refused: a submitted report is frozen; add an amendment instead",
    params: IdParams,
    body: z.object({ remarks: z.string().max(4000).optional().describe("Ignored") }),
    response: DailyReport,
  }),
  amend: endpoint({
    method: "POST",
    path: "/api/daily-reports/:id/amendments",
    tag: "reports",
    access: ["head"],
    status: 201,
    summary: "Correct a submitted report: figures recomputed from the records now, shown beside it",
    params: IdParams,
    body: AmendmentCreate,
    response: DailyReport,
  }),
  text: endpoint({
    method: "GET",
    path: "/api/reports/text",
    tag: "reports",
    access: ["head", "supervisor", "admin", "operator"],
    summary: "The official sentences of a daily or campaign report for a station or region and range, in zh-CN or en",
    query: ReportTextQuery,
    response: ReportText,
  }),
  missing: endpoint({
    method: "GET",
    path: "/api/campaigns/:id/missing-reports",
    tag: "reports",
    access: ["head", "supervisor", "admin"],
    summary: "Stations that have not reported, and for how long",
    params: IdParams,
    response: z.object({ today: Day.describe("Today in the report time zone"), items: z.array(MissingReport) }),
  }),
};

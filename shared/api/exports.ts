import { z } from "zod";
import { endpoint, FILE_TYPES } from "./endpoint.js";
import { Id } from "./common.js";
import { TotalsQuery } from "./totals.js";
import type { Role } from "../roles.js";

/**
 * Downloads: totals and the records behind them, as CSV (UTF-8 with BOM, so Excel reads Chinese)
 * and Excel (.xlsx). Records are redacted to the reader's role as the API's presenters are, and
 * streamed page by page with `X-Total-Rows` sent first, so the page can show progress.
 */

const ExportLang = z.enum(["zh-CN", "en"]).default("zh-CN").describe("Language of headers and labels in an export");

/** Query of every export: a campaign, the totals filters (station or region, days) and a language. */
export const ExportQuery = TotalsQuery.safeExtend({
  campaignId: Id.describe("Campaign"),
  lang: ExportLang,
});
export type ExportQuery = z.infer<typeof ExportQuery>;

/** The records behind the totals that can be exported, one file each. */
export const RECORD_EXPORTS = ["encounters", "patrols", "sorties", "visits", "stays", "ledger"] as const;
/** One kind of record export. */
export type RecordExport = (typeof RECORD_EXPORTS)[number];

/** Documents a file body (the endpoint's `response` for OpenAPI; the handler returns a FileBody). */
const FileDoc = (what: string) => z.string().describe(what);

const ALL: readonly Role[] = ["operator", "patrol", "head", "supervisor", "admin"];
/** Who may download each record export (station scope is checked in the service). */
export const RECORD_ACCESS: Record<RecordExport, readonly Role[]> = {
  encounters: ALL,
  patrols: ALL,
  sorties: ALL,
  visits: ALL,
  ledger: ALL,
  // Operators dispatch; stays are the station's business (as GET /api/stays), supervisors get them without person or needs.
  stays: ["patrol", "head", "supervisor", "admin"],
};
const RECORD_SUMMARY: Record<RecordExport, string> = {
  encounters: "Encounters (人次) with outcome, place and supplies; identity only for roles that see it (reads audited)",
  patrols: "Patrols (巡查) with their sorties, crews and partner staff on foot",
  sorties: "Vehicle sorties (台次) with crew",
  visits: "Key-point visits (巡查点位 个次)",
  stays: "Stays in the station (站内救助): arrival, bed, departure; person and needs not for supervisors",
  ledger: "Supply ledger lines: received, loaded, handed out, returned, written off, with value in yuan",
};

function recordEndpoint<const K extends RecordExport, const F extends "csv" | "xlsx">(kind: K, format: F) {
  return endpoint({
    method: "GET",
    path: `/api/exports/${kind}.${format}` as `/api/exports/${K}.${F}`,
    tag: "exports",
    access: RECORD_ACCESS[kind],
    summary: `${RECORD_SUMMARY[kind]} (${format === "csv" ? "CSV" : "Excel"})`,
    query: ExportQuery,
    produces: FILE_TYPES[format],
    response: FileDoc(format === "csv" ? "CSV, UTF-8 with BOM" : "Excel workbook"),
  });
}

/** Export endpoints. */
export const exportsApi = {
  totalsCsv: endpoint({
    method: "GET",
    path: "/api/exports/totals.csv",
    tag: "exports",
    access: ["head", "supervisor", "admin", "operator"],
    summary: "Totals as CSV: one row per day, per station and the total",
    query: ExportQuery,
    produces: FILE_TYPES.csv,
    response: FileDoc("CSV, UTF-8 with BOM"),
  }),
  totalsXlsx: endpoint({
    method: "GET",
    path: "/api/exports/totals.xlsx",
    tag: "exports",
    access: ["head", "supervisor", "admin", "operator"],
    summary: "Totals as an Excel workbook",
    query: ExportQuery,
    produces: FILE_TYPES.xlsx,
    response: FileDoc("Excel workbook"),
  }),
  outcomesCsv: endpoint({
    method: "GET",
    path: "/api/exports/outcomes.csv",
    tag: "exports",
    access: ["head", "supervisor", "admin", "operator"],
    summary: "Outcome measures as CSV: one row per station and the whole; counts and rates, no person",
    query: ExportQuery,
    produces: FILE_TYPES.csv,
    response: FileDoc("CSV, UTF-8 with BOM"),
  }),
  outcomesXlsx: endpoint({
    method: "GET",
    path: "/api/exports/outcomes.xlsx",
    tag: "exports",
    access: ["head", "supervisor", "admin", "operator"],
    summary: "Outcome measures as an Excel workbook",
    query: ExportQuery,
    produces: FILE_TYPES.xlsx,
    response: FileDoc("Excel workbook"),
  }),
  encountersCsv: recordEndpoint("encounters", "csv"),
  encountersXlsx: recordEndpoint("encounters", "xlsx"),
  patrolsCsv: recordEndpoint("patrols", "csv"),
  patrolsXlsx: recordEndpoint("patrols", "xlsx"),
  sortiesCsv: recordEndpoint("sorties", "csv"),
  sortiesXlsx: recordEndpoint("sorties", "xlsx"),
  visitsCsv: recordEndpoint("visits", "csv"),
  visitsXlsx: recordEndpoint("visits", "xlsx"),
  staysCsv: recordEndpoint("stays", "csv"),
  staysXlsx: recordEndpoint("stays", "xlsx"),
  ledgerCsv: recordEndpoint("ledger", "csv"),
  ledgerXlsx: recordEndpoint("ledger", "xlsx"),
};

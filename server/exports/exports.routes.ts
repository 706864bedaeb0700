import type { Hono } from "hono";
import { exportsApi, type RecordExport } from "../../shared/api/exports.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the downloads declared in shared/api/exports.ts: totals, outcome measures and each kind of record, CSV and Excel. */
export function exportsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, exportsApi.totalsCsv, async ({ query }, { user }) => s.exports.totalsCsv(user, query));
  mount(app, exportsApi.totalsXlsx, async ({ query }, { user }) => s.exports.totalsXlsx(user, query));
  mount(app, exportsApi.outcomesCsv, async ({ query }, { user }) => s.exports.outcomesCsv(user, query));
  mount(app, exportsApi.outcomesXlsx, async ({ query }, { user }) => s.exports.outcomesXlsx(user, query));
  const records: [RecordExport, (typeof exportsApi)[`${RecordExport}${"Csv" | "Xlsx"}`], "csv" | "xlsx"][] = [
    ["encounters", exportsApi.encountersCsv, "csv"],
    ["encounters", exportsApi.encountersXlsx, "xlsx"],
    ["patrols", exportsApi.patrolsCsv, "csv"],
    ["patrols", exportsApi.patrolsXlsx, "xlsx"],
    ["sorties", exportsApi.sortiesCsv, "csv"],
    ["sorties", exportsApi.sortiesXlsx, "xlsx"],
    ["visits", exportsApi.visitsCsv, "csv"],
    ["visits", exportsApi.visitsXlsx, "xlsx"],
    ["stays", exportsApi.staysCsv, "csv"],
    ["stays", exportsApi.staysXlsx, "xlsx"],
    ["ledger", exportsApi.ledgerCsv, "csv"],
    ["ledger", exportsApi.ledgerXlsx, "xlsx"],
  ];
  for (const [kind, ep, format] of records)
    mount(app, ep, async ({ query }, { user }) => s.exports.records(user, kind, query, format));
}

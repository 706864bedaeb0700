import type { Figures, Totals, TotalsQuery } from "../../shared/api/totals.js";
import { RECORD_ACCESS, type ExportQuery, type RecordExport } from "../../shared/api/exports.js";
import type { FileBody } from "../../shared/api/endpoint.js";
import { dayRange } from "../../shared/counting.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole } from "../auth/policy.js";
import { auditReads } from "../people/people.repo.js";
import { listStations } from "../stations/stations.repo.js";
import type { TotalsService } from "../totals/totals.service.js";
import type { CampaignsService } from "../campaigns/campaigns.service.js";
import type { Cursor } from "./records.repo.js";
import { RECORD_TABLES, type ReadContext, type RecordTable } from "./records.presenter.js";
import { xlsx, xlsxStream, type Cell, type ColumnFormat, type SheetLayout } from "./xlsx.js";
import type { OutcomesService } from "../outcomes/outcomes.service.js";
import { outcomesTable } from "./outcomes-table.js";

/** Export language: headers and labels. */
type Lang = "zh-CN" | "en";

const SCALARS = [
  ["patrols", "巡查次数", "Patrols"],
  ["sorties", "出动车辆台次", "Vehicle sorties"],
  ["staffPersonTimes", "出动人员人次", "Staff person-times"],
  ["keyPointVisits", "巡查点位个次", "Key-point visits"],
  ["keyPointsCovered", "巡查重点点位个数", "Key points covered"],
  ["foundPersonTimes", "发现人次", "Found (person-times)"],
  ["foundPersons", "发现人数", "Found (persons)"],
  ["aidedInStation", "站内救助人次", "Aided in station"],
  ["aidedOnStreet", "站外救助人次", "Aided on street"],
  ["aidedTotal", "站内外救助人次", "Aided total"],
  ["hospital", "送医人次", "Hospital"],
  ["escortedHome", "护送返乡人次", "Escorted home"],
  ["familyPickup", "亲属接领人次", "Family pick-up"],
  ["escorts", "护送（接领）人次", "Escorts total"],
  ["referred", "转介人次", "Referred"],
  ["settled", "安置人数", "Settled"],
  ["sheltersInService", "临时避寒场所和室外救助点个数", "Shelters and aid points in service"],
  ["familiesFound", "寻亲成功人数", "Families found"],
  ["suppliesQuantity", "发放物资件数", "Supplies (units)"],
  ["distributionRecipients", "集中发放受助人次", "Distribution recipients"],
] as const satisfies readonly (readonly [keyof Figures, string, string])[];

/**
 * The identification figures (甄别寻亲: counts only, never a person): for the roles that oversee
 * family search (a station's head, supervisors, admins), not the duty room's operators.
 */
const IDENTIFICATION_SCALARS = [
  ["householdSettled", "落户安置人数", "Settled with household registration"],
  ["medianDaysToIdentification", "寻亲成功平均用时中位数（天）", "Median days to a family found"],
  ["pastFingerprintCheck", "逾期未比对指纹人数", "Past fingerprint-check deadline"],
  ["pastNotice", "逾期未发布寻亲公告人数", "Past notice deadline"],
  ["pastDnaRequest", "逾期未申请DNA人数", "Past DNA-request deadline"],
  ["pastSettleReview", "超过落户安置审核期限人数", "Past settlement review"],
] as const satisfies readonly (readonly [keyof Figures, string, string])[];
const IDENTIFICATION_ROLES: readonly SessionUser["role"][] = ["head", "supervisor", "admin"];

/** One CSV cell: quoted when needed, and defused when a spreadsheet would read it as a formula. */
function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const line = (cells: unknown[]) => cells.map(csvCell).join(",") + "\r\n";

/** Characters a header takes on screen (a Chinese character is two). */
const textWidth = (s: string) => [...s].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
/** A column's width: its own, else enough for a date, a sum or the header, within reason. */
function columnWidth(header: string, format?: ColumnFormat, own?: number): number {
  if (own) return own;
  const least = format === "datetime" ? 20 : format === "money" ? 12 : 8;
  return Math.min(40, Math.max(least, textWidth(header) + 2));
}

/** Local date and time text of an instant, for CSV ("2026-11-27 21:05:09"). */
function localText(at: Date, timeZone: string): string {
  return at.toLocaleString("sv-SE", { timeZone, hourCycle: "h23" });
}
const yuan = (fen: number) => (fen / 100).toFixed(2);
/** Rows per database page: one page is all an export holds at a time. */
const PAGE = 1000;

/**
 * CSV and Excel exports of totals and of the records behind them. CSV starts with a BOM so Excel
 * opens Chinese text correctly, and cells a spreadsheet would run as formulas are defused. Records
 * are redacted to the reader's role as the API is (see records.ts): identity only for the
 * station's head and crews, and such exports are audited as reads.
 */
export class ExportsService {
  constructor(
    private readonly db: Db,
    private readonly totals: TotalsService,
    private readonly campaigns: CampaignsService,
    private readonly outcomes: OutcomesService,
  ) {}

  /** Totals as a table: a header, one row per day, one per station, and the total. */
  async totalsTable(user: SessionUser, campaignId: string, q: TotalsQuery, lang: Lang): Promise<(string | number)[][]> {
    const t: Totals = await this.totals.totals(user, campaignId, q);
    const stations = new Map((await listStations(this.db, t.stationIds)).map((s) => [s.id, s]));
    const zh = lang === "zh-CN";
    const ident = IDENTIFICATION_ROLES.includes(user.role) ? IDENTIFICATION_SCALARS : [];
    const items = new Map<string, { name: string }>();
    for (const s of t.figures.supplies)
      items.set(s.itemId, { name: `${zh ? s.nameZh : s.nameEn} (${zh ? s.unitZh : s.unitEn})` });
    const head = [
      zh ? "范围" : "Scope",
      ...SCALARS.map(([, z, e]) => (zh ? z : e)),
      zh ? "物资价值（元）" : "Supplies value (yuan)",
      zh ? "响应时间P50（秒）" : "Response P50 (s)",
      zh ? "响应时间P90（秒）" : "Response P90 (s)",
      ...ident.map(([, z, e]) => (zh ? z : e)),
      ...[...items.values()].map((i) => i.name),
    ];
    const row = (label: string, f: Figures) => [
      label,
      ...SCALARS.map(([k]) => f[k] as number),
      yuan(f.suppliesValueFen),
      f.responseP50Sec ?? "",
      f.responseP90Sec ?? "",
      ...ident.map(([k]) => f[k] ?? ""),
      ...[...items.keys()].map((id) => f.supplies.find((s) => s.itemId === id)?.quantity ?? 0),
    ];
    return [
      head,
      ...t.daily.map((d) => row(d.day, d.figures)),
      ...t.byStation.map((s) => row(stations.get(s.stationId)?.name ?? s.stationId, s.figures)),
      row(`${zh ? "合计" : "Total"} ${t.from}..${t.to}`, t.figures),
    ];
  }

  /** Totals as CSV (BOM first, for Excel). */
  async totalsCsv(user: SessionUser, q: ExportQuery): Promise<FileBody> {
    const rows = await this.totalsTable(user, q.campaignId, q, q.lang);
    return {
      filename: `totals-${q.from ?? "start"}-${q.to ?? "today"}.csv`,
      body: "\uFEFF" + rows.map(line).join(""),
      totalRows: rows.length - 1,
    };
  }

  /** Totals as an Excel workbook; yuan become numbers there. */
  async totalsXlsx(user: SessionUser, q: ExportQuery): Promise<FileBody> {
    const rows = await this.totalsTable(user, q.campaignId, q, q.lang);
    const numeric = rows.map((r, i) =>
      i === 0 ? r : r.map((v) => (typeof v === "string" && /^\d+\.\d{2}$/.test(v) ? Number(v) : v)),
    );
    const head = rows[0]!.map(String);
    const money = 1 + SCALARS.length;
    const median = head.indexOf(q.lang === "zh-CN" ? IDENTIFICATION_SCALARS[1][1] : IDENTIFICATION_SCALARS[1][2]);
    const formats = head.map((_, i): ColumnFormat | undefined =>
      i === money ? "money" : i > 0 && i !== median ? "int" : undefined,
    );
    const layout: SheetLayout = {
      timeZone: this.totals.timeZone,
      formats,
      widths: head.map((h, i) => (i === 0 ? 28 : columnWidth(h, formats[i]))),
    };
    return {
      filename: `totals-${q.from ?? "start"}-${q.to ?? "today"}.xlsx`,
      body: xlsx(q.lang === "zh-CN" ? "统计" : "Totals", numeric, layout),
      totalRows: rows.length - 1,
    };
  }

  /** The outcome measures as a table (server/exports/outcomes-table.ts): per station and the whole. */
  private async outcomesRows(user: SessionUser, q: ExportQuery): Promise<(string | number)[][]> {
    const o = await this.outcomes.outcomes(user, q.campaignId, q);
    const stations = new Map((await listStations(this.db, o.stationIds)).map((s) => [s.id, s.name]));
    return outcomesTable(o, (id) => stations.get(id) ?? id, q.lang);
  }

  /** Outcome measures as CSV (BOM first, for Excel). */
  async outcomesCsv(user: SessionUser, q: ExportQuery): Promise<FileBody> {
    const rows = await this.outcomesRows(user, q);
    return {
      filename: `outcomes-${q.from ?? "start"}-${q.to ?? "today"}.csv`,
      body: "\uFEFF" + rows.map(line).join(""),
      totalRows: rows.length - 1,
    };
  }

  /** Outcome measures as an Excel workbook: counts as integers, rates as numbers (percent, one decimal). */
  async outcomesXlsx(user: SessionUser, q: ExportQuery): Promise<FileBody> {
    const rows = await this.outcomesRows(user, q);
    const numeric = rows.map((r, i) =>
      i === 0 ? r : r.map((v, j) => (j > 0 && typeof v === "string" && v !== "" ? Number(v) : v)),
    );
    const head = rows[0]!.map(String);
    const layout: SheetLayout = {
      timeZone: this.totals.timeZone,
      formats: head.map(() => undefined),
      widths: head.map((h, i) => (i === 0 ? 28 : columnWidth(h))),
    };
    return {
      filename: `outcomes-${q.from ?? "start"}-${q.to ?? "today"}.xlsx`,
      body: xlsx(q.lang === "zh-CN" ? "结果指标" : "Outcomes", numeric, layout),
      totalRows: rows.length - 1,
    };
  }

  /**
   * The records of one kind behind the totals (same scope, same days, same time column), as CSV
   * or Excel, streamed page by page after the count is known (`totalRows`, for the progress bar).
   * Role and station scope are checked before the first byte, so a refusal is a clean 403.
   */
  async records(user: SessionUser, kind: RecordExport, q: ExportQuery, format: "csv" | "xlsx"): Promise<FileBody> {
    requireRole(user, RECORD_ACCESS[kind]);
    const c = await this.campaigns.require(q.campaignId);
    const stationIds = await this.totals.scope(user, c, q);
    const { from, to } = this.totals.days(c, q.from, q.to);
    const scope = { stationIds, ...dayRange(from, to, this.totals.timeZone, this.totals.dayStart) };
    const table = RECORD_TABLES[kind] as RecordTable<unknown>;
    // Record pages come from the replica when it is current (server/db/read-replica.ts).
    const db = this.totals.reads ? await this.totals.reads.forRead() : this.db;
    const audit = this.db; // audit rows are writes: always the primary
    const totalRows = await table.count(db, scope);
    const zh = q.lang === "zh-CN";
    const ctx: ReadContext = {
      user,
      zh,
      stationIds,
      codes: new Map((await listStations(db, stationIds)).map((s) => [s.id, s.code])),
    };
    const columns = table.columns(ctx);
    const header = columns.map((col) => (zh ? col.zh : col.en));
    const timeZone = this.totals.timeZone;
    const formats = columns.map((col) => (col.money ? "money" : col.format));
    const layout: SheetLayout = {
      timeZone,
      formats,
      widths: columns.map((col, i) => columnWidth(header[i]!, formats[i], col.width)),
    };
    async function* pages(): AsyncGenerator<Cell[][]> {
      let after: Cursor | undefined;
      for (;;) {
        const rows = await table.page(db, scope, after, PAGE);
        if (!rows.length) return;
        const shown = table.identityShown?.(rows, ctx) ?? [];
        await auditReads(audit, [...new Set(shown)], user, "export");
        yield rows.map((r) =>
          columns.map((col) => {
            const v = col.value(r);
            if (col.money) return format === "csv" ? yuan(Number(v)) : Number(v) / 100;
            return v instanceof Date && format === "csv" ? localText(v, timeZone) : v;
          }),
        );
        after = table.cursor(rows[rows.length - 1]!);
        if (rows.length < PAGE) return;
      }
    }
    const filename = `${kind}-${from}-${to}.${format}`;
    if (format === "xlsx") {
      async function* withHeader(): AsyncGenerator<Cell[][]> {
        yield [header];
        yield* pages();
      }
      return { filename, totalRows, body: xlsxStream(zh ? table.sheet.zh : table.sheet.en, withHeader(), layout) };
    }
    async function* csv(): AsyncGenerator<string> {
      yield "\uFEFF" + line(header);
      for await (const rows of pages()) yield rows.map(line).join("");
    }
    return { filename, totalRows, body: csv() };
  }
}

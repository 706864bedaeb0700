import type { Figures, Totals, TotalsQuery } from "../../shared/api/totals.js";
import { dayRange } from "../../shared/counting.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole } from "../auth/policy.js";
import { auditReads } from "../people/people.repo.js";
import { seesIdentity, maskedLabel } from "../people/people.presenter.js";
import { listStations } from "../stations/stations.repo.js";
import type { TotalsService } from "../totals/totals.service.js";
import type { CampaignsService } from "../campaigns/campaigns.service.js";
import * as repo from "./exports.repo.js";
import { xlsx } from "./xlsx.js";

/** Export language: headers and labels. */
export type Lang = "zh-CN" | "en";

const SCALARS = [
  ["patrols", "巡查次数", "Patrols"], ["sorties", "出动车辆台次", "Vehicle sorties"], ["staffPersonTimes", "出动人员人次", "Staff person-times"],
  ["keyPointVisits", "巡查点位个次", "Key-point visits"], ["foundPersonTimes", "发现人次", "Found (person-times)"], ["foundPersons", "发现人数", "Found (persons)"],
  ["aidedInStation", "站内救助人次", "Aided in station"], ["aidedOnStreet", "站外救助人次", "Aided on street"], ["aidedTotal", "站内外救助人次", "Aided total"],
  ["hospital", "送医人次", "Hospital"], ["escortedHome", "护送返乡人次", "Escorted home"], ["familyPickup", "亲属接领人次", "Family pick-up"],
  ["escorts", "护送（接领）人次", "Escorts total"], ["referred", "转介人次", "Referred"], ["familiesFound", "寻亲成功人数", "Families found"],
  ["suppliesQuantity", "发放物资件数", "Supplies (units)"],
] as const satisfies readonly (readonly [keyof Figures, string, string])[];

/** One CSV cell: quoted when needed, and defused when a spreadsheet would read it as a formula. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const line = (cells: unknown[]) => cells.map(csvCell).join(",") + "\r\n";
const yuan = (fen: number) => (fen / 100).toFixed(2);
const PAGE = 1000;

/**
 * CSV exports of totals and of the encounter records behind them. CSV starts with a BOM so Excel
 * opens Chinese text correctly. Records are redacted to the reader's role exactly as the API is:
 * identity and notes only for the station's head and crews (and such exports are audited as reads).
 */
export class ExportsService {
  constructor(private readonly db: Db, private readonly totals: TotalsService, private readonly campaigns: CampaignsService) {}

  /** Totals as a table: a header, one row per day, one per station, and the total. */
  async totalsTable(user: SessionUser, campaignId: string, q: TotalsQuery, lang: Lang): Promise<(string | number)[][]> {
    const t: Totals = await this.totals.totals(user, campaignId, q);
    const stations = new Map((await listStations(this.db, t.stationIds)).map((s) => [s.id, s]));
    const zh = lang === "zh-CN";
    const items = new Map<string, { name: string }>();
    for (const s of t.figures.supplies) items.set(s.itemId, { name: `${zh ? s.nameZh : s.nameEn} (${zh ? s.unitZh : s.unitEn})` });
    const head = [zh ? "范围" : "Scope", ...SCALARS.map(([, z, e]) => (zh ? z : e)), zh ? "物资价值（元）" : "Supplies value (yuan)",
      zh ? "响应时间P50（秒）" : "Response P50 (s)", zh ? "响应时间P90（秒）" : "Response P90 (s)", ...[...items.values()].map((i) => i.name)];
    const row = (label: string, f: Figures) => [label, ...SCALARS.map(([k]) => f[k] as number), yuan(f.suppliesValueFen),
      f.responseP50Sec ?? "", f.responseP90Sec ?? "", ...[...items.keys()].map((id) => f.supplies.find((s) => s.itemId === id)?.quantity ?? 0)];
    return [
      head,
      ...t.daily.map((d) => row(d.day, d.figures)),
      ...t.byStation.map((s) => row(stations.get(s.stationId)?.name ?? s.stationId, s.figures)),
      row(`${zh ? "合计" : "Total"} ${t.from}..${t.to}`, t.figures),
    ];
  }

  /** Totals as CSV (BOM first, for Excel). */
  async totalsCsv(user: SessionUser, campaignId: string, q: TotalsQuery, lang: Lang): Promise<string> {
    return "\uFEFF" + (await this.totalsTable(user, campaignId, q, lang)).map(line).join("");
  }

  /** Totals as an Excel workbook; yuan become numbers there. */
  async totalsXlsx(user: SessionUser, campaignId: string, q: TotalsQuery, lang: Lang): Promise<Buffer> {
    const rows = await this.totalsTable(user, campaignId, q, lang);
    const numeric = rows.map((r, i) => (i === 0 ? r : r.map((v) => (typeof v === "string" && /^\d+\.\d{2}$/.test(v) ? Number(v) : v))));
    return xlsx(lang === "zh-CN" ? "统计" : "Totals", numeric);
  }

  /**
   * The encounter records behind the totals, streamed page by page; `total` is known up front so
   * the browser can show progress while it reads.
   */
  async encountersCsv(user: SessionUser, campaignId: string, q: TotalsQuery, lang: Lang): Promise<{ total: number; chunks: AsyncGenerator<string> }> {
    requireRole(user, ["operator", "head", "supervisor", "admin", "patrol"]);
    const c = await this.campaigns.require(campaignId);
    const stationIds = await this.totals.scope(user, c, q);
    const { from, to } = this.totals.days(c, q.from, q.to);
    const r = dayRange(from, to, this.totals.timeZone);
    const total = await repo.countEncounters(this.db, stationIds, r.from, r.to);
    const zh = lang === "zh-CN";
    const full = (sid: string) => seesIdentity(user, sid);
    const anyIdentity = stationIds.some(full);
    const personal = user.role !== "supervisor";
    const head = [
      "id", zh ? "站" : "station", zh ? "时间" : "time", zh ? "是否发现" : "found", zh ? "处置" : "outcome",
      ...(personal ? [zh ? "受助人员" : "person", zh ? "性别" : "gender", zh ? "年龄" : "age"] : []),
      ...(anyIdentity ? [zh ? "姓名" : "name", zh ? "身份证号" : "ID number", zh ? "籍贯" : "hometown", zh ? "备注" : "notes"] : []),
      zh ? "地点" : "place", "lat", "lng", zh ? "发放物资" : "supplies", zh ? "物资价值（元）" : "value (yuan)",
    ];
    const db = this.db;
    const codes = new Map((await listStations(db, stationIds)).map((s) => [s.id, s.code]));
    async function* chunks(): AsyncGenerator<string> {
      yield "\uFEFF" + line(head);
      let after: { at: string; id: string } | undefined;
      for (;;) {
        const rows = await repo.encounterPage(db, { stationIds, from: r.from, to: r.to, after, limit: PAGE });
        if (!rows.length) return;
        const seen = rows.filter((e) => e.person_id && full(e.station_id)).map((e) => e.person_id!);
        await auditReads(db, [...new Set(seen)], user, "export");
        let out = "";
        for (const e of rows) {
          const id = full(e.station_id);
          const person = e.person_id ? maskedLabel(e.merged_into_id ?? e.person_id) : "";
          out += line([
            e.id, codes.get(e.station_id) ?? e.station_id, new Date(e.occurred_at).toISOString(), e.found ? 1 : 0, e.outcome,
            ...(personal ? [person, e.gender ?? "", e.approx_age ?? ""] : []),
            ...(anyIdentity ? (id ? [e.name ?? "", e.id_number ?? "", e.hometown ?? "", e.notes] : ["", "", "", ""]) : []),
            e.place ?? "", e.lat ?? "", e.lng ?? "", e.supplies ?? "", yuan(Number(e.value_fen ?? 0)),
          ]);
        }
        yield out;
        const last = rows[rows.length - 1]!;
        after = { at: new Date(last.occurred_at).toISOString(), id: last.id };
        if (rows.length < PAGE) return;
      }
    }
    return { total, chunks: chunks() };
  }
}

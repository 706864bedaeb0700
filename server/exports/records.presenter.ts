import type { RecordExport } from "../../shared/api/exports.js";
import type { SessionUser } from "../auth/session-user.js";
import type { DbOrTx } from "../db/client.js";
import { maskedLabel, seesIdentity } from "../people/identity.js";
import * as enc from "./exports.repo.js";
import * as rec from "./records.repo.js";
import type { Cell, ColumnFormat } from "./xlsx.js";
import { label, yesNo } from "./labels.js";

/**
 * What each record export holds, column by column, decided by the reader's role: the whitelist of
 * the files as the presenters are of the API. Identity (name, ID number, hometown, notes about a
 * person) only for roles that see it within their station (people.presenter's seesIdentity), and
 * such rows are audited as reads; supervisors read totals and get no person columns at all.
 */

/** Who reads, and how. */
export interface ReadContext {
  user: SessionUser;
  zh: boolean;
  /** Station code by id. */
  codes: Map<string, string>;
  /** Stations in the export. */
  stationIds: string[];
}

/**
 * A column: header in both languages and the value of a row. `money` values are fen (shown as
 * yuan); Date values are instants, shown as local date cells (Excel) or local time text (CSV).
 */
export interface Column<R> {
  zh: string;
  en: string;
  value: (r: R) => Cell;
  money?: true;
  /** How an Excel cell shows the value (money columns are "money" without saying so). */
  format?: ColumnFormat;
  /** Width in characters, when the header's own width would not do. */
  width?: number;
}

/** One kind of record export: how to count, page and show it. */
export interface RecordTable<R> {
  count: (db: DbOrTx, s: rec.RecordScope) => Promise<number>;
  page: (db: DbOrTx, s: rec.RecordScope, after: rec.Cursor | undefined, limit: number) => Promise<R[]>;
  /** Keyset position of a row (its time column and id). */
  cursor: (r: R) => rec.Cursor;
  columns: (ctx: ReadContext) => Column<R>[];
  /** People whose identity this page shows (audited as export reads). */
  identityShown?: (rows: R[], ctx: ReadContext) => string[];
  /** Sheet name. */
  sheet: { zh: string; en: string };
}

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());
/** An instant as a date cell. */
const when = (d: string | Date | null): Date | null => (d === null ? null : new Date(d));
const ID = { zh: "编号", en: "id", width: 38 } as const;
const list = (v: string[] | string | null): string[] => {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  // A text[] read through a raw query can arrive as its literal "{a,b}".
  return v
    .replace(/^\{|\}$/g, "")
    .split(",")
    .filter(Boolean)
    .map((s) => s.replace(/^"|"$/g, ""));
};
const station = (ctx: ReadContext) => ({
  zh: "站",
  en: "station",
  value: (r: { station_id: string }) => ctx.codes.get(r.station_id) ?? r.station_id,
});
const anyIdentity = (ctx: ReadContext) => ctx.stationIds.some((s) => seesIdentity(ctx.user, s));
/** Person columns (a masked label, never identity) for everyone but supervisors. */
const personal = (ctx: ReadContext) => ctx.user.role !== "supervisor";

const encounters: RecordTable<enc.EncounterExportRow> = {
  sheet: { zh: "救助记录", en: "Encounters" },
  count: (db, s) => enc.countEncounters(db, s.stationIds, s.from, s.to),
  page: (db, s, after, limit) => enc.encounterPage(db, { ...s, after, limit }),
  cursor: (r) => ({ at: iso(r.occurred_at)!, id: r.id }),
  identityShown: (rows, ctx) =>
    rows.filter((e) => e.person_id && seesIdentity(ctx.user, e.station_id)).map((e) => e.person_id!),
  columns: (ctx) => {
    const full = (r: enc.EncounterExportRow) => seesIdentity(ctx.user, r.station_id);
    const id = (f: (r: enc.EncounterExportRow) => Cell) => (r: enc.EncounterExportRow) => (full(r) ? f(r) : "");
    return [
      { ...ID, value: (r) => r.id },
      station(ctx),
      { zh: "时间", en: "time", value: (r) => when(r.occurred_at), format: "datetime" },
      { zh: "是否发现", en: "found", value: (r) => yesNo(ctx.zh, r.found) },
      { zh: "处置", en: "outcome", value: (r) => label(ctx.zh, "outcome", r.outcome), width: 16 },
      ...(personal(ctx)
        ? [
            {
              zh: "受助人员",
              en: "person",
              value: (r: enc.EncounterExportRow) => (r.person_id ? maskedLabel(r.merged_into_id ?? r.person_id) : ""),
            },
            { zh: "性别", en: "gender", value: (r: enc.EncounterExportRow) => label(ctx.zh, "gender", r.gender) },
            { zh: "年龄", en: "age", value: (r: enc.EncounterExportRow) => r.approx_age ?? "" },
          ]
        : []),
      ...(anyIdentity(ctx)
        ? [
            { zh: "姓名", en: "name", value: id((r) => r.name ?? "") },
            { zh: "身份证号", en: "ID number", value: id((r) => r.id_number ?? "") },
            { zh: "籍贯", en: "hometown", value: id((r) => r.hometown ?? "") },
            { zh: "备注", en: "notes", value: id((r) => r.notes) },
          ]
        : []),
      { zh: "地点", en: "place", value: (r) => r.place ?? "" },
      { zh: "纬度", en: "lat", value: (r) => r.lat, width: 11 },
      { zh: "经度", en: "lng", value: (r) => r.lng, width: 11 },
      { zh: "发放物资", en: "supplies", value: (r) => r.supplies ?? "" },
      { zh: "物资价值（元）", en: "value (yuan)", value: (r) => Number(r.value_fen ?? 0), money: true },
    ];
  },
};

const footStaff = (r: rec.PatrolRecord) =>
  typeof r.foot_staff === "string" ? (JSON.parse(r.foot_staff) as { agency: string; count: number }[]) : r.foot_staff;
const footTotal = (r: rec.PatrolRecord) => footStaff(r).reduce((n, f) => n + f.count, 0);

const patrols: RecordTable<rec.PatrolRecord> = {
  sheet: { zh: "巡查", en: "Patrols" },
  count: (db, s) => rec.countRecords(db, "patrols", s),
  page: rec.patrolPage,
  cursor: (r) => ({ at: iso(r.started_at)!, id: r.id }),
  columns: (ctx) => [
    { ...ID, value: (r) => r.id },
    station(ctx),
    { zh: "类型", en: "kind", value: (r) => label(ctx.zh, "patrolKind", r.kind) },
    { zh: "开始", en: "started", value: (r) => when(r.started_at), format: "datetime" },
    { zh: "结束", en: "ended", value: (r) => when(r.ended_at), format: "datetime" },
    { zh: "出动车辆台次", en: "sorties", value: (r) => Number(r.sorties) },
    { zh: "车辆", en: "vehicles", value: (r) => r.call_signs ?? "" },
    { zh: "车组人员", en: "crew", value: (r) => Number(r.crew) },
    {
      zh: "徒步人员（单位×人数）",
      en: "staff on foot (agency x count)",
      value: (r) =>
        footStaff(r)
          .map((f) => `${label(ctx.zh, "agency", f.agency)} ×${f.count}`)
          .join("; "),
    },
    { zh: "徒步人员合计", en: "staff on foot", value: footTotal },
    { zh: "出动人员人次", en: "staff person-times", value: (r) => Number(r.crew) + footTotal(r) },
  ],
};

const sorties: RecordTable<rec.SortieRecord> = {
  sheet: { zh: "出车", en: "Sorties" },
  count: (db, s) => rec.countRecords(db, "sorties", s),
  page: rec.sortiePage,
  cursor: (r) => ({ at: iso(r.started_at)!, id: r.id }),
  // Crew names are staff, not people met: the sorties API shows them to every role, and so does this.
  columns: (ctx) => [
    { ...ID, value: (r) => r.id },
    station(ctx),
    { zh: "巡查", en: "patrol", value: (r) => r.patrol_id },
    { zh: "车辆", en: "vehicle", value: (r) => r.call_sign },
    { zh: "出车", en: "started", value: (r) => when(r.started_at), format: "datetime" },
    { zh: "收车", en: "ended", value: (r) => when(r.ended_at), format: "datetime" },
    { zh: "车组人数", en: "crew", value: (r) => r.crew_count },
    { zh: "车组人员", en: "crew names", value: (r) => list(r.crew_names).join("、") },
  ],
};

const visits: RecordTable<rec.VisitRecord> = {
  sheet: { zh: "巡查点位", en: "Key-point visits" },
  count: (db, s) => rec.countRecords(db, "visits", s),
  page: rec.visitPage,
  cursor: (r) => ({ at: iso(r.visited_at)!, id: r.id }),
  columns: (ctx) => [
    { ...ID, value: (r) => r.id },
    station(ctx),
    { zh: "时间", en: "time", value: (r) => when(r.visited_at), format: "datetime" },
    { zh: "点位", en: "key point", value: (r) => r.key_point },
    { zh: "点位类型", en: "kind", value: (r) => label(ctx.zh, "keyPointKind", r.kind) },
    { zh: "巡查", en: "patrol", value: (r) => r.patrol_id ?? "" },
    { zh: "车辆", en: "vehicle", value: (r) => r.call_sign ?? "" },
    { zh: "发现人数", en: "people found", value: (r) => r.people_found },
    { zh: "备注", en: "notes", value: (r) => r.notes },
  ],
};

const stays: RecordTable<rec.StayRecord> = {
  sheet: { zh: "站内救助", en: "Stays" },
  count: (db, s) => rec.countRecords(db, "stays", s),
  page: rec.stayPage,
  cursor: (r) => ({ at: iso(r.arrived_at)!, id: r.id }),
  identityShown: (rows, ctx) =>
    rows.filter((r) => r.person_id && r.name && seesIdentity(ctx.user, r.station_id)).map((r) => r.person_id!),
  columns: (ctx) => [
    { ...ID, value: (r) => r.id },
    station(ctx),
    { zh: "场所", en: "place", value: (r) => r.shelter ?? (ctx.zh ? "站内床位" : "station beds") },
    ...(personal(ctx)
      ? [
          {
            zh: "受助人员",
            en: "person",
            value: (r: rec.StayRecord) => (r.person_id ? maskedLabel(r.merged_into_id ?? r.person_id) : ""),
          },
          { zh: "床位", en: "bed", value: (r: rec.StayRecord) => r.bed },
          { zh: "需求", en: "needs", value: (r: rec.StayRecord) => list(r.needs).join("; ") },
        ]
      : []),
    ...(anyIdentity(ctx)
      ? [
          {
            zh: "姓名",
            en: "name",
            value: (r: rec.StayRecord) => (seesIdentity(ctx.user, r.station_id) ? (r.name ?? "") : ""),
          },
        ]
      : []),
    { zh: "接回记录", en: "encounter", value: (r) => r.encounter_id ?? "" },
    { zh: "到站", en: "arrived", value: (r) => when(r.arrived_at), format: "datetime" },
    { zh: "离站", en: "left", value: (r) => when(r.ended_at), format: "datetime" },
    { zh: "离站方式", en: "how they left", value: (r) => label(ctx.zh, "stayEnd", r.end_reason) },
    { zh: "乘车凭证", en: "travel voucher", value: (r) => yesNo(ctx.zh, !!r.travel_voucher) },
    { zh: "去向", en: "destination", value: (r) => r.destination },
  ],
};

const ledger: RecordTable<rec.LedgerRecord> = {
  sheet: { zh: "物资台账", en: "Supply ledger" },
  count: (db, s) => rec.countRecords(db, "ledger", s),
  page: rec.ledgerPage,
  cursor: (r) => ({ at: iso(r.at)!, id: r.id }),
  columns: (ctx) => [
    { ...ID, value: (r) => r.id },
    station(ctx),
    { zh: "时间", en: "time", value: (r) => when(r.at), format: "datetime" },
    { zh: "类别", en: "movement", value: (r) => label(ctx.zh, "movement", r.kind) },
    { zh: "物资编码", en: "item code", value: (r) => r.code },
    { zh: "物资", en: "item", value: (r) => (ctx.zh ? r.name_zh : r.name_en) },
    { zh: "数量", en: "quantity", value: (r) => r.quantity },
    { zh: "单位", en: "unit", value: (r) => (ctx.zh ? r.unit_zh : r.unit_en) },
    { zh: "单价（元）", en: "unit value (yuan)", value: (r) => r.unit_value_fen, money: true },
    { zh: "金额（元）", en: "value (yuan)", value: (r) => r.quantity * r.unit_value_fen, money: true },
    { zh: "车辆", en: "vehicle", value: (r) => r.call_sign ?? "" },
    { zh: "救助记录", en: "encounter", value: (r) => r.encounter_id ?? "" },
    { zh: "备注", en: "notes", value: (r) => r.notes },
  ],
};

/** Every record export by kind. */
export const RECORD_TABLES: { [K in RecordExport]: RecordTable<any> } = {
  encounters,
  patrols,
  sorties,
  visits,
  stays,
  ledger,
};

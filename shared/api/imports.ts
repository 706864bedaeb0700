import { z } from "zod";
import { endpoint, FILE_TYPES } from "./endpoint.js";

/**
 * Spreadsheet imports: a city starts from spreadsheets. A file is previewed (every bad row named by
 * its row number and column), then committed as a whole or not at all. Each row has a stable
 * identity (key point: station code + name; vehicle: call sign; catalog item: code): a row equal to
 * the record already there is "unchanged", so importing the same file again changes nothing; a row
 * whose record exists with other values is refused as a problem (edit such records on their tab,
 * where the version check guards against overwriting someone's change). Users are identified by
 * account name; their initial password is hashed on import, never echoed, and never reset by a
 * re-import of an existing account. Shelters: station code + name; opened_at/closed_at are a date
 * (the report day's start) or an ISO time. Places (the gazetteer of streets and landmarks): station code + name.
 */
export const IMPORT_KINDS = ["keypoints", "vehicles", "supplies", "users", "shelters", "places"] as const;
export const ImportKind = z.enum(IMPORT_KINDS).describe("What the file holds");
export type ImportKind = z.infer<typeof ImportKind>;

/** One column of an import file: its English key and its zh-CN label (a header may use either, or "标签(key)"). */
export interface ImportColumn {
  key: string;
  zh: string;
  required: boolean;
  example: string;
}

const col = (key: string, zh: string, example: string, required = true): ImportColumn => ({
  key,
  zh,
  required,
  example,
});

/** The columns of each kind, in template order. */
export const IMPORT_COLUMNS: Record<ImportKind, readonly ImportColumn[]> = {
  keypoints: [
    col("station_code", "站点代码", "DL"),
    col("name", "名称", "示例桥洞"),
    col("kind", "类型", "bridge_underpass"),
    col("lat", "纬度", "45.7712"),
    col("lng", "经度", "126.6203"),
    col("address", "地址", "道里区新华桥下", false),
    col("notes", "备注", "桥东侧入口", false),
  ],
  vehicles: [
    col("station_code", "站点代码", "DL"),
    col("call_sign", "呼号", "DL-01"),
    col("plate", "车牌", "黑A·12345"),
    col("seats", "座位数", "7", false),
  ],
  supplies: [
    col("code", "代码", "coat"),
    col("name_zh", "中文名称", "棉大衣"),
    col("name_en", "英文名称", "Padded coat"),
    col("unit_zh", "中文单位", "件"),
    col("unit_en", "英文单位", "piece"),
    col("unit_value_fen", "单价(分)", "12000"),
    col("low_stock_threshold", "低库存阈值", "10", false),
  ],
  users: [
    col("username", "账号", "dl.zhang"),
    col("display_name", "姓名", "张伟"),
    col("role", "角色", "operator"),
    col("station_code", "站点代码", "DL", false),
    col("region", "区域", "", false),
    col("password", "初始密码", "change-me-2026"),
  ],
  shelters: [
    col("station_code", "站点代码", "DL"),
    col("name", "名称", "示例临时避寒场所"),
    col("kind", "类型", "warming_shelter"),
    col("lat", "纬度", "45.7712"),
    col("lng", "经度", "126.6203"),
    col("address", "地址", "道里区示例街1号", false),
    col("capacity", "床位", "20"),
    col("opened_at", "启用日期", "2026-12-01"),
    col("closed_at", "停用日期", "", false),
  ],
  places: [
    col("station_code", "站点代码", "DL"),
    col("name", "名称", "示例广场"),
    col("kind", "类型", "landmark"),
    col("lat", "纬度", "45.7712"),
    col("lng", "经度", "126.6203"),
  ],
};

/** Largest file accepted, before base64 (the API's body limit is 1 MiB with the encoding). */
export const IMPORT_MAX_BYTES = 700 * 1024;

/** A file to preview or import, base64-encoded in JSON (so the usual JSON checks apply). */
export const ImportFile = z.object({
  format: z.enum(["csv", "xlsx"]).describe("csv (UTF-8, BOM optional) or xlsx (first sheet)"),
  /** The file's bytes, base64. */
  content: z
    .string()
    .min(1)
    .max(Math.ceil(IMPORT_MAX_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64")
    .describe("File bytes, base64"),
});
export type ImportFile = z.infer<typeof ImportFile>;

/** Importing: the same file plus the checksum its preview returned (so what is written is what was previewed). */
export const ImportCommit = ImportFile.extend({
  checksum: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe("SHA-256 of the file, from the preview"),
});
export type ImportCommit = z.infer<typeof ImportCommit>;

/** One bad cell or row: spreadsheet row number (the header is row 1), column key, what is wrong. */
export const ImportProblem = z.object({
  row: z.number().int().positive().describe("Row number in the sheet (header = 1)"),
  field: z.string().describe("Column key, e.g. station_code"),
  message: z.string().describe("What is wrong"),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

/** What an import would do, or did. */
export const ImportOutcome = z.object({
  kind: ImportKind,
  /** SHA-256 of the file. */
  checksum: z.string(),
  /** Data rows read (blank rows skipped). */
  rows: z.number().int(),
  /** Rows that create a record (would, in a preview). */
  created: z.number().int(),
  /** Rows equal to a record already there. */
  unchanged: z.number().int(),
  /** Every problem; an import with any is refused as a whole. */
  problems: z.array(ImportProblem),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

const KindParams = z.object({ kind: ImportKind });

/** Import endpoints (admin: imports create records at any station). */
export const importsApi = {
  template: endpoint({
    method: "GET",
    path: "/api/imports/:kind/template.csv",
    tag: "imports",
    access: ["admin"],
    params: KindParams,
    summary: "CSV template: bilingual header row (标签(key)) and one example row",
    produces: FILE_TYPES.csv,
    response: z.string().describe("CSV, UTF-8 with BOM"),
  }),
  preview: endpoint({
    method: "POST",
    path: "/api/imports/:kind/preview",
    tag: "imports",
    access: ["admin"],
    params: KindParams,
    summary: "Check a file: every bad row by row number and column; writes nothing",
    body: ImportFile,
    response: ImportOutcome,
    slow: true,
  }),
  commit: endpoint({
    method: "POST",
    path: "/api/imports/:kind",
    tag: "imports",
    access: ["admin"],
    params: KindParams,
    summary: "Import a previewed file: all rows in one transaction, or nothing (400 IMPORT_INVALID with the problems)",
    body: ImportCommit,
    response: ImportOutcome,
    slow: true,
  }),
};

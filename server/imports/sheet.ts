import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { IMPORT_COLUMNS, type ImportColumn, type ImportKind, type ImportProblem } from "../../shared/api/imports.js";

/** One data row of a sheet: its row number as a spreadsheet shows it (header = 1) and its cells by column key. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

/** A file read into rows, or the problems that stop it being read at all (header, format). */
type Sheet = { rows: SheetRow[]; problems: ImportProblem[] };

/** Cell texts of a CSV file, one array per record; a BOM is dropped, quoted newlines kept. */
export function readCsv(bytes: Buffer): string[][] {
  return parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
}

/** Cell texts of the first worksheet of an .xlsx file, as displayed (numbers, dates and formulas as text). */
export async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const out: string[][] = [];
  ws?.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? "");
    out[n - 1] = cells;
  });
  return Array.from(out, (r) => r ?? []);
}

/** The column a header cell names: its key, its zh-CN label, or "label(key)" as in the template. */
function columnOf(header: string, columns: readonly ImportColumn[]): ImportColumn | undefined {
  const h = header.trim().toLowerCase();
  const inParens = /\(([^)]+)\)\s*$|（([^）]+)）\s*$/.exec(h);
  const key = inParens ? (inParens[1] ?? inParens[2])!.trim() : h;
  return columns.find((c) => c.key === key || c.zh === header.trim());
}

/** Header cell of a column in the templates: bilingual, so a clerk reads it and the server keys it. */
export const templateHeader = (c: ImportColumn) => `${c.zh}(${c.key})`;

/**
 * Reads a file of `kind` (or of the columns given, for a sheet that is not an import kind): maps the header row to columns (unknown headers and missing required
 * columns are problems on row 1), skips blank rows, keeps every row's sheet number.
 */
export async function readSheet(
  kind: ImportKind | readonly ImportColumn[],
  format: "csv" | "xlsx",
  bytes: Buffer,
): Promise<Sheet> {
  let grid: string[][];
  try {
    grid = format === "csv" ? readCsv(bytes) : await readXlsx(bytes);
  } catch (err) {
    return {
      rows: [],
      problems: [
        {
          row: 1,
          field: "file",
          message: `not a readable ${format} file: ${String((err as Error).message ?? err).slice(0, 200)}`,
        },
      ],
    };
  }
  const columns = typeof kind === "string" ? IMPORT_COLUMNS[kind] : kind;
  const header = grid[0] ?? [];
  const problems: ImportProblem[] = [];
  const byIndex: (ImportColumn | undefined)[] = header.map((h) => (h.trim() ? columnOf(h, columns) : undefined));
  header.forEach((h, i) => {
    if (h.trim() && !byIndex[i]) problems.push({ row: 1, field: h.trim().slice(0, 60), message: "unknown column" });
  });
  for (const c of columns) {
    if (c.required && !byIndex.includes(c)) problems.push({ row: 1, field: c.key, message: "required column missing" });
  }
  const rows: SheetRow[] = [];
  for (let r = 1; r < grid.length; r++) {
    const cells: Record<string, string> = {};
    grid[r]!.forEach((v, i) => {
      const c = byIndex[i];
      if (c) cells[c.key] = v.trim();
    });
    if (Object.values(cells).every((v) => v === "")) continue;
    rows.push({ row: r + 1, cells });
  }
  return { rows, problems };
}

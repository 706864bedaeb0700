import { readCsv, readXlsx } from "../imports/sheet.js";
import { fieldError } from "../http/errors.js";
import type { ListRow } from "./matcher.js";

/** Header words of a partner's list, by the field they fill (key, Chinese headers partners use). */
const HEADERS: Record<keyof Omit<ListRow, "row">, string[]> = {
  name: ["name", "姓名"],
  idNumber: ["idnumber", "id_number", "身份证号", "身份证号码", "证件号码"],
  gender: ["gender", "性别"],
  age: ["age", "年龄"],
  hometown: ["hometown", "籍贯", "户籍地", "家乡"],
  date: ["date", "日期", "走失日期", "入院日期"],
};

const GENDER: Record<string, "male" | "female"> = {
  男: "male",
  女: "female",
  male: "male",
  female: "female",
  m: "male",
  f: "female",
};

/** The most rows one list may hold. */
const MAX_ROWS = 20_000;

/** Largest .xlsx list accepted (its bytes; the body carries it base64). */
const MAX_XLSX_BYTES = 700_000;
/** The start of every .xlsx file (a ZIP archive): "PK\x03\x04". */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The cells of a partner's list: CSV text, or an .xlsx file (base64) read by the imports' readers. */
async function listGrid(list: { csv?: string; xlsx?: string }): Promise<{ grid: string[][]; field: string }> {
  if (list.xlsx !== undefined) {
    const bytes = Buffer.from(list.xlsx, "base64");
    if (bytes.length > MAX_XLSX_BYTES) throw fieldError("body.xlsx", `larger than ${MAX_XLSX_BYTES} bytes`);
    if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) throw fieldError("body.xlsx", "not an Excel .xlsx file");
    try {
      return { grid: await readXlsx(bytes), field: "body.xlsx" };
    } catch (err) {
      throw fieldError("body.xlsx", `not a readable .xlsx file: ${String((err as Error).message).slice(0, 200)}`);
    }
  }
  try {
    return { grid: readCsv(Buffer.from(list.csv ?? "", "utf8")), field: "body.csv" };
  } catch (err) {
    throw fieldError("body.csv", `not a readable CSV file: ${String((err as Error).message).slice(0, 200)}`);
  }
}

/**
 * A partner's list (CSV, or the first sheet of an .xlsx) as matcher rows: the header names the
 * columns (unknown columns are kept as listed but not matched); a cell that cannot be read is a
 * 400 naming the row and column.
 */
export async function readListRows(list: {
  csv?: string;
  xlsx?: string;
}): Promise<{ row: ListRow; cells: Record<string, string> }[]> {
  const { grid, field } = await listGrid(list);
  const header = (grid[0] ?? []).map((h) => h.trim());
  const fieldOf = header.map((h) =>
    (Object.keys(HEADERS) as (keyof typeof HEADERS)[]).find((k) => HEADERS[k].includes(h.toLowerCase())),
  );
  if (!fieldOf.some((f) => f === "name" || f === "idNumber"))
    throw fieldError(field, "the header names no name (姓名) or ID number (身份证号) column");
  if (grid.length - 1 > MAX_ROWS) throw fieldError(field, `more than ${MAX_ROWS} rows`);
  const out: { row: ListRow; cells: Record<string, string> }[] = [];
  for (let r = 1; r < grid.length; r++) {
    const cells: Record<string, string> = {};
    const row: ListRow = { row: r + 1 };
    grid[r]!.forEach((raw, i) => {
      const v = raw.trim();
      if (!v || !header[i]) return;
      cells[header[i]!] = v.slice(0, 200);
      const f = fieldOf[i];
      const where = `${field} row ${r + 1} column ${header[i]}`;
      if (f === "name") row.name = v.slice(0, 60);
      else if (f === "idNumber") row.idNumber = v.slice(0, 30);
      else if (f === "hometown") row.hometown = v.slice(0, 100);
      else if (f === "gender") {
        const g = GENDER[v.toLowerCase()];
        if (g) row.gender = g;
      } else if (f === "age") {
        const n = Number(v.replace(/岁$/, ""));
        if (!Number.isInteger(n) || n < 0 || n > 120) throw fieldError(where, "not an age (0..120)");
        row.age = n;
      } else if (f === "date") {
        const d = new Date(v.replace(/\//g, "-"));
        if (Number.isNaN(d.getTime())) throw fieldError(where, "not a date (YYYY-MM-DD)");
        row.date = d;
      }
    });
    if (Object.keys(cells).length) out.push({ row, cells });
  }
  return out;
}

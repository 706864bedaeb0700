import { readCsv } from "../imports/sheet.js";
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

/**
 * A partner's CSV list as matcher rows (read by the imports' CSV reader): the header names the
 * columns (unknown columns are kept as listed but not matched); a cell that cannot be read is a
 * 400 naming the row and column.
 */
export async function readListRows(csv: string): Promise<{ row: ListRow; cells: Record<string, string> }[]> {
  let grid: string[][];
  try {
    grid = readCsv(Buffer.from(csv, "utf8"));
  } catch (err) {
    throw fieldError("body.csv", `not a readable CSV file: ${String((err as Error).message).slice(0, 200)}`);
  }
  const header = (grid[0] ?? []).map((h) => h.trim());
  const fieldOf = header.map((h) =>
    (Object.keys(HEADERS) as (keyof typeof HEADERS)[]).find((k) => HEADERS[k].includes(h.toLowerCase())),
  );
  if (!fieldOf.some((f) => f === "name" || f === "idNumber"))
    throw fieldError("body.csv", "the header names no name (姓名) or ID number (身份证号) column");
  if (grid.length - 1 > MAX_ROWS) throw fieldError("body.csv", `more than ${MAX_ROWS} rows`);
  const out: { row: ListRow; cells: Record<string, string> }[] = [];
  for (let r = 1; r < grid.length; r++) {
    const cells: Record<string, string> = {};
    const row: ListRow = { row: r + 1 };
    grid[r]!.forEach((raw, i) => {
      const v = raw.trim();
      if (!v || !header[i]) return;
      cells[header[i]!] = v.slice(0, 200);
      const f = fieldOf[i];
      const where = `body.csv row ${r + 1} column ${header[i]}`;
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

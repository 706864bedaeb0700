import { constants, crc32, createDeflateRaw } from "node:zlib";
import { once } from "node:events";
import { zoneOffsetMs } from "../../shared/counting.js";

/**
 * A minimal .xlsx writer without a dependency: one sheet of inline strings and numbers (no shared
 * strings table, so nothing has to be held until the end). Two forms:
 * - `xlsx()` builds a small workbook in memory as an uncompressed ("stored") zip (totals tables);
 * - `xlsxStream()` streams a big one: the sheet is deflated page by page (zlib works off the main
 *   thread) behind a zip data descriptor, so a 100k-row export holds one page at a time and never
 *   blocks the process for long. The sheet is the archive's first entry, so a reader of the
 *   stream (the page's progress bar) finds it at a known place.
 * Excel, WPS and LibreOffice open both.
 */

/** A cell: numbers stay numbers, instants become date cells; everything else is text; null and "" are empty. */
export type Cell = string | number | Date | null;

/** How a column's numbers read: money with two decimals, a whole number, or a local date and time. */
export type ColumnFormat = "money" | "int" | "datetime";

/**
 * The look of a sheet: the header row (the first) bold and frozen with a filter over the columns,
 * column widths in characters, number formats per column, and the time zone date cells are shown in
 * (a spreadsheet's dates have no zone, so they carry the local wall time of the report's zone).
 */
export interface SheetLayout {
  widths: number[];
  formats: (ColumnFormat | undefined)[];
  timeZone: string;
}

/** Cell style ids in styles.xml's cellXfs. */
const STYLE = { header: 1, datetime: 2, money: 3, int: 4 } as const;
const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

/** Excel's serial day number of an instant's local wall time in `timeZone` (days since 1899-12-30). */
function excelSerial(at: Date, timeZone: string): number {
  const t = at.getTime();
  return (t + zoneOffsetMs(timeZone, t) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

const esc = (s: string) =>
  s
    .replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!)
    // XML 1.0 forbids most control characters, and lone surrogates cannot be encoded.
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      "",
    );

/** Column letters: 0 → A, 26 → AA. */
function colName(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const COLS: string[] = [];
const col = (i: number) => (COLS[i] ??= colName(i));

/** One `<row>` of the sheet; `index` is 0-based. With a layout, row 0 is the bold header. */
function rowXml(cells: readonly Cell[], index: number, layout?: SheetLayout): string {
  const r = index + 1;
  let out = `<row r="${r}">`;
  const header = layout && index === 0;
  for (let ci = 0; ci < cells.length; ci++) {
    let v = cells[ci];
    if (v === null || v === undefined || v === "") continue;
    const format = header ? undefined : layout?.formats[ci];
    if (v instanceof Date) {
      if (!layout) v = v.toISOString();
      else {
        out += `<c r="${col(ci)}${r}" s="${STYLE.datetime}"><v>${excelSerial(v, layout.timeZone)}</v></c>`;
        continue;
      }
    }
    if (typeof v === "number") {
      const st = format === "money" || format === "int" ? ` s="${STYLE[format]}"` : "";
      out += Number.isFinite(v) ? `<c r="${col(ci)}${r}"${st}><v>${v}</v></c>` : "";
      continue;
    }
    const st = header ? ` s="${STYLE.header}"` : "";
    out += `<c r="${col(ci)}${r}"${st} t="inlineStr"><is><t xml:space="preserve">${esc(String(v))}</t></is></c>`;
  }
  return out + "</row>";
}

/** The sheet's opening: frozen header row and column widths when there is a layout. */
function sheetOpen(layout?: SheetLayout): string {
  if (!layout) return SHEET_OPEN;
  const views =
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>';
  const cols = layout.widths.length
    ? `<cols>${layout.widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>`
    : "";
  return `${HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${views}${cols}<sheetData>`;
}

/** The range the header's filter covers: every column, header to last row. */
const filterRef = (layout: SheetLayout, rows: number) =>
  `A1:${colName(Math.max(0, layout.widths.length - 1))}${Math.max(1, rows)}`;

function sheetClose(layout: SheetLayout | undefined, rows: number): string {
  return layout ? `</sheetData><autoFilter ref="${filterRef(layout, rows)}"/></worksheet>` : SHEET_CLOSE;
}

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const SHEET_OPEN = `${HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_CLOSE = "</sheetData></worksheet>";
const SHEET_PATH = "xl/worksheets/sheet1.xml";

/** The workbook's fixed parts besides the sheet. */
function parts(sheetName: string, layout?: SheetLayout, rows = 0): { name: string; data: Buffer }[] {
  const enc = (s: string) => Buffer.from(s, "utf8");
  const name = sheetName.replace(/[\\/?*[\]:]/g, " ").slice(0, 31);
  const absolute = layout ? filterRef(layout, rows).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2") : "";
  const filterName = layout
    ? `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${esc(name.replace(/'/g, "''"))}'!${absolute}</definedName></definedNames>`
    : "";
  return [
    {
      name: "[Content_Types].xml",
      data: enc(
        `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
      ),
    },
    {
      name: "_rels/.rels",
      data: enc(
        `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    },
    {
      name: "xl/workbook.xml",
      data: enc(
        `${HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${esc(name)}" sheetId="1" r:id="rId1"/></sheets>${filterName}</workbook>`,
      ),
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: enc(
        `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
      ),
    },
    { name: "xl/styles.xml", data: enc(STYLES_XML) },
  ];
}

/** Flags: bit 11 = names are UTF-8; bit 3 = sizes and CRC follow the data (streamed entry). */
const UTF8 = 0x0800;
const DESCRIPTOR = 0x0008;

interface Entry {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  method: 0 | 8;
  flags: number;
}

function localHeader(e: Entry): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(e.flags, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt32LE(0, 10); // DOS time and date: 1980-01-01, the zip epoch
  h.writeUInt32LE(e.flags & DESCRIPTOR ? 0 : e.crc, 14);
  h.writeUInt32LE(e.flags & DESCRIPTOR ? 0 : e.compressed, 18);
  h.writeUInt32LE(e.flags & DESCRIPTOR ? 0 : e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, e.name]);
}

function centralDirectory(entries: Entry[], offset: number): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(e.flags, 8);
    cd.writeUInt16LE(e.method, 10);
    cd.writeUInt32LE(0, 12);
    cd.writeUInt32LE(e.crc, 16);
    cd.writeUInt32LE(e.compressed, 20);
    cd.writeUInt32LE(e.size, 24);
    cd.writeUInt16LE(e.name.length, 28);
    cd.writeUInt32LE(e.offset, 42);
    parts.push(cd, e.name);
  }
  const size = parts.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, end]);
}

/** Stored (uncompressed) entries after `offset`: the bytes and their directory entries. */
function storedEntries(files: { name: string; data: Buffer }[], offset: number): { bytes: Buffer; entries: Entry[] } {
  const out: Buffer[] = [];
  const entries: Entry[] = [];
  for (const f of files) {
    const e: Entry = {
      name: Buffer.from(f.name, "utf8"),
      crc: crc32(f.data),
      compressed: f.data.length,
      size: f.data.length,
      offset,
      method: 0,
      flags: UTF8,
    };
    const h = localHeader(e);
    out.push(h, f.data);
    offset += h.length + f.data.length;
    entries.push(e);
  }
  return { bytes: Buffer.concat(out), entries };
}

/** One worksheet as an .xlsx file in memory (small tables). Numbers stay numbers; everything else is text. */
export function xlsx(sheetName: string, rows: Cell[][], layout?: SheetLayout): Buffer {
  const xml = sheetOpen(layout) + rows.map((r, i) => rowXml(r, i, layout)).join("") + sheetClose(layout, rows.length);
  const sheet = Buffer.from(xml, "utf8");
  const files = [{ name: SHEET_PATH, data: sheet }, ...parts(sheetName, layout, rows.length)];
  const { bytes, entries } = storedEntries(files, 0);
  return Buffer.concat([bytes, centralDirectory(entries, bytes.length)]);
}

/** Past 4 GiB a zip needs Zip64, which this writer does not do: refuse instead of writing a corrupt file. */
const ZIP32_LIMIT = 0xffffffff;

/**
 * Streams a one-sheet workbook: `pages` yields rows (header first) a page at a time; each page is
 * deflated and flushed, so the bytes of every page go out as soon as it is read.
 */
export async function* xlsxStream(
  sheetName: string,
  pages: AsyncIterable<Cell[][]>,
  layout?: SheetLayout,
): AsyncGenerator<Uint8Array> {
  const sheet: Entry = {
    name: Buffer.from(SHEET_PATH, "utf8"),
    crc: 0,
    compressed: 0,
    size: 0,
    offset: 0,
    method: 8,
    flags: UTF8 | DESCRIPTOR,
  };
  const header = localHeader(sheet);
  yield header;
  const z = createDeflateRaw({ level: 6 });
  const ready: Buffer[] = [];
  z.on("data", (b: Buffer) => {
    ready.push(b);
    sheet.compressed += b.length;
  });
  const failed = once(z, "error").then(([err]) => {
    throw err;
  });
  failed.catch(() => {});
  const write = async (text: string) => {
    const b = Buffer.from(text, "utf8");
    sheet.crc = crc32(b, sheet.crc);
    sheet.size += b.length;
    if (sheet.size > ZIP32_LIMIT) throw new Error("export too large for one sheet (over 4 GiB)");
    if (!z.write(b)) await Promise.race([once(z, "drain"), failed]);
  };
  const drain = function* () {
    while (ready.length) yield new Uint8Array(ready.shift()!);
  };
  let index = 0;
  try {
    await write(sheetOpen(layout));
    for await (const rows of pages) {
      let xml = "";
      for (const r of rows) xml += rowXml(r, index++, layout);
      await write(xml);
      await Promise.race([new Promise<void>((res) => z.flush(constants.Z_SYNC_FLUSH, () => res())), failed]);
      yield* drain();
    }
    await write(sheetClose(layout, index));
    const ended = once(z, "end");
    z.end();
    await Promise.race([ended, failed]);
    yield* drain();
  } finally {
    if (!z.writableEnded) z.destroy();
  }
  const desc = Buffer.alloc(16);
  desc.writeUInt32LE(0x08074b50, 0);
  desc.writeUInt32LE(sheet.crc, 4);
  desc.writeUInt32LE(sheet.compressed, 8);
  desc.writeUInt32LE(sheet.size, 12);
  yield desc;
  const offset = header.length + sheet.compressed + desc.length;
  const { bytes, entries } = storedEntries(parts(sheetName, layout, index), offset);
  yield bytes;
  yield centralDirectory([sheet, ...entries], offset + bytes.length);
}

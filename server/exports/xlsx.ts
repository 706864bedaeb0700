import { constants, crc32, createDeflateRaw } from "node:zlib";
import { once } from "node:events";

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

/** A cell: numbers stay numbers; everything else is text; null and "" are empty. */
export type Cell = string | number | null;

const esc = (s: string) =>
  s
    .replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!)
    // XML 1.0 forbids most control characters, and lone surrogates cannot be encoded.
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      "",
    );

/** Column letters: 0 → A, 26 → AA. */
export function colName(i: number): string {
  let s = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const COLS: string[] = [];
const col = (i: number) => (COLS[i] ??= colName(i));

/** One `<row>` of the sheet; `index` is 0-based. */
export function rowXml(cells: readonly Cell[], index: number): string {
  const r = index + 1;
  let out = `<row r="${r}">`;
  for (let ci = 0; ci < cells.length; ci++) {
    const v = cells[ci];
    if (v === null || v === undefined || v === "") continue;
    if (typeof v === "number") {
      out += Number.isFinite(v) ? `<c r="${col(ci)}${r}"><v>${v}</v></c>` : "";
      continue;
    }
    out += `<c r="${col(ci)}${r}" t="inlineStr"><is><t xml:space="preserve">${esc(String(v))}</t></is></c>`;
  }
  return out + "</row>";
}

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const SHEET_OPEN = `${HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
const SHEET_CLOSE = "</sheetData></worksheet>";
const SHEET_PATH = "xl/worksheets/sheet1.xml";

/** The workbook's fixed parts besides the sheet. */
function parts(sheetName: string): { name: string; data: Buffer }[] {
  const enc = (s: string) => Buffer.from(s, "utf8");
  return [
    {
      name: "[Content_Types].xml",
      data: enc(
        `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
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
        `${HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${esc(sheetName.replace(/[\\/?*[\]:]/g, " ").slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      data: enc(
        `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    },
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
export function xlsx(sheetName: string, rows: Cell[][]): Buffer {
  const sheet = Buffer.from(SHEET_OPEN + rows.map((r, i) => rowXml(r, i)).join("") + SHEET_CLOSE, "utf8");
  const { bytes, entries } = storedEntries([{ name: SHEET_PATH, data: sheet }, ...parts(sheetName)], 0);
  return Buffer.concat([bytes, centralDirectory(entries, bytes.length)]);
}

/** Past 4 GiB a zip needs Zip64, which this writer does not do: refuse instead of writing a corrupt file. */
const ZIP32_LIMIT = 0xffffffff;

/**
 * Streams a one-sheet workbook: `pages` yields rows (header first) a page at a time; each page is
 * deflated and flushed, so the bytes of every page go out as soon as it is read.
 */
export async function* xlsxStream(sheetName: string, pages: AsyncIterable<Cell[][]>): AsyncGenerator<Uint8Array> {
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
  try {
    await write(SHEET_OPEN);
    let index = 0;
    for await (const rows of pages) {
      let xml = "";
      for (const r of rows) xml += rowXml(r, index++);
      await write(xml);
      await Promise.race([new Promise<void>((res) => z.flush(constants.Z_SYNC_FLUSH, () => res())), failed]);
      yield* drain();
    }
    await write(SHEET_CLOSE);
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
  const { bytes, entries } = storedEntries(parts(sheetName), offset);
  yield bytes;
  yield centralDirectory([sheet, ...entries], offset + bytes.length);
}

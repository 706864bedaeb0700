import { randomUUID } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { addDays, localDay } from "../../shared/counting.js";
import { rawRows } from "../../server/db/client.js";
import { RECORD_EXPORTS, type ExportQuery } from "../../shared/api/exports.js";
import { parseCsv } from "../helpers/csv.js";
import { api } from "../../shared/api/index.js";
import ExcelJS from "exceljs";

const TZ = "Asia/Shanghai";
type ExportKind = (typeof RECORD_EXPORTS)[number] | "totals";
type ExportFilter = Omit<z.input<typeof ExportQuery>, "campaignId">;
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

/** The entries of a zip, read from its central directory (stored or deflated). */
export function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  expect(end, "end of central directory").toBeGreaterThanOrEqual(0);
  const n = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < n; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10),
      compressed = buf.readUInt32LE(p + 20),
      nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30),
      comment = buf.readUInt16LE(p + 32),
      offset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    const data = buf.subarray(start, start + compressed);
    out.set(name, method === 8 ? inflateRawSync(data) : data);
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

/** Rows of the first sheet of an .xlsx as text cells (inline strings and numbers). */
function sheetRows(file: Buffer): string[][] {
  const parts = unzip(file);
  expect([...parts.keys()]).toEqual(
    expect.arrayContaining(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]),
  );
  const xml = parts.get("xl/worksheets/sheet1.xml")!.toString("utf8");
  const colIndex = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return [...xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map((m) => {
    const cells: string[] = [];
    for (const c of m[1]!.matchAll(
      /<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="inlineStr")?>(?:<v>([^<]*)<\/v>|<is><t[^>]*>([^<]*)<\/t><\/is>)<\/c>/g,
    )) {
      const i = colIndex(c[1]!);
      while (cells.length < i) cells.push("");
      cells[i] = c[2] ?? c[3] ?? "";
    }
    return cells;
  });
}

describe(`record exports [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, supervisor: TestClient, patrol: TestClient, operator: TestClient, admin: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  const today = localDay(new Date(), TZ);
  const d1 = addDays(today, -3);
  const d2 = addDays(today, -2);
  const ids = {} as { patrols: string[]; sorties: string[]; visits: string[]; encounters: string[]; stays: string[] };

  const get = (c: TestClient, kind: ExportKind, format: "Csv" | "Xlsx", q: ExportFilter) =>
    c.call(api.exports[`${kind}${format}`], { query: { campaignId, ...q } });
  const csv = async (c: TestClient, kind: ExportKind, q: ExportFilter = { stationId: demo.dl.id, lang: "en" }) => {
    const r = await get(c, kind, "Csv", q);
    expect(r.status, `${kind}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parseCsv(String(r.body));
    return { head: rows[0]!, rows: rows.slice(1), total: Number(r.headers.get("x-total-rows")), raw: String(r.body) };
  };
  const col = (t: { head: string[]; rows: string[][] }, name: string) => {
    const i = t.head.indexOf(name);
    expect(i, `column ${name} in ${t.head.join(",")}`).toBeGreaterThanOrEqual(0);
    return t.rows.map((r) => r[i]!);
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, supervisor, patrol, operator, admin] = await signInAll(srv.url, [
      "head",
      "supervisor",
      "patrol1",
      "operator",
      "admin",
    ] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "导出测试",
        regionId: city.id,
        startsOn: addDays(today, -10),
        endsOn: addDays(today, 30),
        alertLevel: "yellow",
      },
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;

    const { dl, ng } = demo;
    const [v1, v2] = demo.vehicles(dl.id);
    const kp = demo.keyPoints(dl.id);
    const p1 = await fx.patrol(dl.id, at(d1, "20:00"), [
      { agency: "police", count: 2 },
      { agency: "volunteers", count: 1 },
    ]);
    const p2 = await fx.patrol(dl.id, at(d2, "21:00"));
    ids.patrols = [p1, p2];
    ids.sorties = [
      await fx.sortie(p1, dl.id, v1!.id, 3, at(d1, "20:00")),
      await fx.sortie(p1, dl.id, v2!.id, 2, at(d1, "20:05")),
      await fx.sortie(p2, dl.id, v1!.id, 4, at(d2, "21:00")),
    ];
    ids.visits = [
      await fx.visit(dl.id, kp[0]!.id, at(d1, "21:00"), p1),
      await fx.visit(dl.id, kp[1]!.id, at(d2, "22:00"), p2),
    ];
    await srv.database.db.execute(
      sql`update key_point_visits set notes = '=HYPERLINK("http://x","y")' where id = ${ids.visits[0]!}::uuid`,
    );
    const zhang = await fx.person(dl.id, { name: "张三", idNumber: "230102195001011234" });
    const e1 = await fx.encounter(dl.id, "street_aid", at(d1, "21:10"), {
      personId: zhang,
      patrolId: p1,
      notes: "腿部冻伤",
    });
    await fx.handOut(dl.id, demo.item("quilt").id, 1, 12000, at(d1, "21:10"), { encounterId: e1, vehicleId: v1!.id });
    const e2 = await fx.encounter(dl.id, "brought_in", at(d2, "22:00"), { personId: zhang });
    ids.encounters = [e1, e2];
    const stay = await head.call(api.shelters.startStay, {
      body: {
        id: randomUUID(),
        stationId: dl.id,
        personId: zhang,
        encounterId: e2,
        bed: "B-2",
        needs: ["food"],
        arrivedAt: at(d2, "22:30").toISOString(),
      },
    });
    expect(stay.status).toBe(201);
    ids.stays = [stay.body.id];
    // A receipt whose note a spreadsheet would run as a formula.
    const rc = await head.call(api.supplies.receive, {
      body: { id: randomUUID(), stationId: dl.id, itemId: demo.item("coat").id, quantity: 5, notes: "+SUM(A1:A9)" },
    });
    expect(rc.status).toBe(201);
    // Another station's records never leak into DL's files.
    const pn = await fx.patrol(ng.id, at(d1, "20:00"));
    await fx.sortie(pn, ng.id, demo.vehicles(ng.id)[0]!.id, 4, at(d1, "20:00"));
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("gives each kind of record exactly the records behind the station's totals", async () => {
    const totals = (await head.call(api.totals.get, { params: { id: campaignId }, query: { stationId: demo.dl.id } }))
      .body.figures;
    const patrols = await csv(head, "patrols");
    expect(new Set(col(patrols, "id"))).toEqual(new Set(ids.patrols));
    expect(patrols.total).toBe(2);
    expect(patrols.rows.length).toBe(totals.patrols);
    // Staff person-times per patrol: crews plus staff on foot; summed, the totals' figure.
    const staff = col(patrols, "staff person-times").map(Number);
    expect(staff.reduce((a, b) => a + b, 0)).toBe(totals.staffPersonTimes);
    expect(staff.sort()).toEqual([4, 8]);
    expect(col(patrols, "staff on foot (agency x count)")).toContain("Police ×2; Volunteers ×1");

    const sorties = await csv(head, "sorties");
    expect(new Set(col(sorties, "id"))).toEqual(new Set(ids.sorties));
    expect(sorties.rows.length).toBe(totals.sorties);
    expect(col(sorties, "crew").map(Number).sort()).toEqual([2, 3, 4]);

    const visits = await csv(head, "visits");
    expect(new Set(col(visits, "id"))).toEqual(new Set(ids.visits));
    expect(visits.rows.length).toBe(totals.keyPointVisits);

    const encounters = await csv(head, "encounters");
    expect(new Set(col(encounters, "id"))).toEqual(new Set(ids.encounters));

    const stays = await csv(head, "stays");
    expect(col(stays, "id")).toEqual(ids.stays);
    expect(col(stays, "bed")).toEqual(["B-2"]);

    const ledger = await csv(head, "ledger");
    const dbLedger = await rawRows<{ id: string }>(
      srv.database.db,
      sql`select id from supply_ledger where station_id = ${demo.dl.id}::uuid and at >= ${at(addDays(today, -10), "00:00").toISOString()}::timestamptz`,
    );
    expect(new Set(col(ledger, "id"))).toEqual(new Set(dbLedger.map((r) => r.id)));
    expect(ledger.total).toBe(dbLedger.length);
    const handed = ledger.rows.filter((r) => r[ledger.head.indexOf("movement")] === "Handed out");
    const value = handed.reduce((n, r) => n + Number(r[ledger.head.indexOf("value (yuan)")]), 0);
    expect(value * 100).toBe(totals.suppliesValueFen);
  });

  it("keeps X-Total-Rows equal to the rows sent, for every kind, and limits rows to the days asked", async () => {
    for (const kind of RECORD_EXPORTS) {
      const all = await csv(head, kind);
      expect(all.rows.length, kind).toBe(all.total);
      const day = await csv(head, kind, { stationId: demo.dl.id, from: d1, to: d1, lang: "en" });
      expect(day.rows.length, kind).toBe(day.total);
      expect(day.total, kind).toBeLessThanOrEqual(all.total);
    }
    expect(
      (await csv(head, "patrols", { stationId: demo.dl.id, from: d1, to: d1, lang: "en" })).rows.map((r) => r[0]),
    ).toEqual([ids.patrols[0]]);
  });

  it("shows identity only to roles that may see it, and audits those reads", async () => {
    const reads = async () =>
      Number(
        (
          await rawRows<{ n: string }>(
            srv.database.db,
            sql`select count(*) as n from person_reads where kind = 'export'`,
          )
        )[0]!.n,
      );
    const before = await reads();
    const mine = await csv(head, "stays");
    expect(mine.head).toEqual(expect.arrayContaining(["person", "name", "needs"]));
    expect(mine.raw).toContain("张三");
    expect(await reads()).toBe(before + 1);
    const enc = await csv(head, "encounters");
    expect(enc.raw).toContain("230102195001011234");

    for (const kind of ["encounters", "stays"] as const) {
      const sup = await csv(supervisor, kind, { lang: "en" });
      expect(sup.head.join(","), kind).not.toMatch(/name|person|ID number|notes|needs|bed|hometown/);
      expect(sup.raw, kind).not.toContain("张三");
      expect(sup.raw, kind).not.toContain("冻伤");
    }
    const op = await csv(operator, "encounters", { lang: "en" });
    expect(op.head).not.toContain("name");
    expect(op.raw).not.toContain("张三");
    expect(op.raw).toMatch(/#[0-9a-f]{6}/);
    // Admin: people's identity is the station's business (people.presenter), not the admin's.
    const adm = await csv(admin, "stays", { stationId: demo.dl.id, lang: "en" });
    expect(adm.raw).not.toContain("张三");
    expect(await reads()).toBe(before + 2);
  });

  it("refuses other stations and roles with 403 before sending anything", async () => {
    for (const kind of RECORD_EXPORTS) {
      const r = await get(patrol, kind, "Csv", { stationId: demo.ng.id });
      expect(r.status, kind).toBe(403);
      expect(r.error.code).toBe("FORBIDDEN");
      const x = await get(patrol, kind, "Xlsx", { stationId: demo.ng.id });
      expect(x.status, kind).toBe(403);
    }
    const mine = await csv(patrol, "sorties", { lang: "en" });
    expect(col(mine, "station").every((s) => s === "DL")).toBe(true);
    expect((await get(operator, "stays", "Csv", {})).status).toBe(403);
    const bad = await get(head, "ledger", "Csv", { from: "yesterday" });
    expect(bad.status).toBe(400);
    expect(bad.error.message).toMatch(/^query\.from/);
  });

  it("defuses cells a spreadsheet would run as formulas", async () => {
    const visits = await csv(head, "visits");
    expect(col(visits, "notes")).toContain(`'=HYPERLINK("http://x","y")`);
    const ledger = await csv(head, "ledger");
    expect(col(ledger, "notes")).toContain("'+SUM(A1:A9)");
    expect(ledger.raw).not.toMatch(/(^|,)[=+@]/m);
  });

  it("writes Excel files that open, one row per record, numbers as numbers", async () => {
    for (const kind of RECORD_EXPORTS) {
      const r = await fetch(
        `${srv.url}/api/exports/${kind}.xlsx?campaignId=${campaignId}&stationId=${demo.dl.id}&lang=zh-CN`,
        { headers: { cookie: head.cookie } },
      );
      expect(r.status, kind).toBe(200);
      expect(r.headers.get("content-type")).toMatch(/spreadsheetml/);
      expect(r.headers.get("content-disposition")).toContain(`${kind}-`);
      const rows = sheetRows(Buffer.from(await r.arrayBuffer()));
      expect(rows.length - 1, kind).toBe(Number(r.headers.get("x-total-rows")));
      expect(rows[0]![0]).toBe("编号");
    }
    const r = await fetch(
      `${srv.url}/api/exports/ledger.xlsx?campaignId=${campaignId}&stationId=${demo.dl.id}&lang=en`,
      { headers: { cookie: head.cookie } },
    );
    const rows = sheetRows(Buffer.from(await r.arrayBuffer()));
    const quilt = rows.find((x) => x.includes("quilt"))!;
    expect(quilt[rows[0]!.indexOf("value (yuan)")]).toBe("120");
  });

  it("writes Excel a reader can work with: local date cells, money with two decimals, bold frozen header, filter, widths, words", async () => {
    const fetchXlsx = async (kind: string, lang: string) => {
      const r = await fetch(
        `${srv.url}/api/exports/${kind}.xlsx?campaignId=${campaignId}&stationId=${demo.dl.id}&lang=${lang}`,
        { headers: { cookie: head.cookie } },
      );
      expect(r.status, kind).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await r.arrayBuffer());
      return wb.worksheets[0]!;
    };
    const ws = await fetchXlsx("encounters", "zh-CN");
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual(expect.arrayContaining(["编号", "时间", "处置", "纬度", "经度", "物资价值（元）"]));
    expect(header).not.toContain("id");
    expect(header).not.toContain("lat");
    expect(ws.getRow(1).getCell(1).font?.bold, "bold header").toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter, "a filter over the header").toBeTruthy();
    expect(String(ws.autoFilter)).toMatch(/^A1:[A-Z]+3$/);
    expect(ws.getColumn(1).width).toBeGreaterThan(10);
    const timeCol = header.indexOf("时间") + 1;
    const times = [2, 3].map((r) => ws.getRow(r).getCell(timeCol));
    for (const c of times) {
      expect(c.type, "a date cell").toBe(ExcelJS.ValueType.Date);
      expect(c.value).toBeInstanceOf(Date);
      expect(c.numFmt).toMatch(/yyyy-mm-dd hh:mm/);
    }
    // The date cell carries the local wall time of the report's zone (Asia/Shanghai): 21:10 on d1.
    // exceljs reads a zone-less date cell as that wall time in UTC.
    const wall = times.map((c) => (c.value as Date).toISOString().slice(0, 16)).sort();
    expect(wall).toEqual([`${d1}T21:10`, `${d2}T22:00`]);
    const outcomes = [2, 3].map((r) => String(ws.getRow(r).getCell(header.indexOf("处置") + 1).value)).sort();
    expect(outcomes).toEqual(["接回站内", "站外救助"].sort());
    const value = ws.getRow(2).getCell(header.indexOf("物资价值（元）") + 1);
    expect(value.type).toBe(ExcelJS.ValueType.Number);
    expect(value.numFmt).toBe("0.00");

    const ledger = await fetchXlsx("ledger", "en");
    const lh = (ledger.getRow(1).values as unknown[]).slice(1).map(String);
    const rows = Array.from({ length: ledger.rowCount - 1 }, (_, i) => ledger.getRow(i + 2));
    const quilt = rows.find((r) => r.getCell(lh.indexOf("item code") + 1).value === "quilt")!;
    expect(quilt.getCell(lh.indexOf("movement") + 1).value).toBe("Handed out");
    expect(quilt.getCell(lh.indexOf("value (yuan)") + 1).value).toBe(120);
    expect(quilt.getCell(lh.indexOf("value (yuan)") + 1).numFmt).toBe("0.00");

    // CSV: local time text and the same words.
    const enc = await csv(head, "encounters", { stationId: demo.dl.id, lang: "zh-CN" });
    expect(col(enc, "时间").sort()).toEqual([`${d1} 21:10:00`, `${d2} 22:00:00`]);
    expect(col(enc, "处置").sort()).toEqual(["接回站内", "站外救助"].sort());

    const totals = await fetchXlsx("totals", "zh-CN");
    expect(totals.getRow(1).getCell(2).value).toBe("巡查次数");
    expect(totals.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(totals.views[0]).toMatchObject({ state: "frozen" });
  });

  it("streams a 100k-row Excel export without holding the process", async () => {
    const { ng } = demo;
    const item = demo.item("water") ?? demo.item("food");
    await srv.database.db
      .execute(sql`insert into supply_ledger (id, station_id, item_id, kind, quantity, unit_value_fen, at, notes)
      select gen_random_uuid(), ${ng.id}::uuid, ${item.id}::uuid, 'received', 1 + (g % 7), 250, ${at(d1, "08:00").toISOString()}::timestamptz + (g || ' seconds')::interval, 'batch ' || g
      from generate_series(1, 100000) g`);
    // On PGlite that insert holds the event loop for longer than the server's keep-alive timeout:
    // the expired timer closes the idle pooled socket on the loop's next turn, in the same turn the
    // next fetch would pick that socket (ECONNRESET). One turn of timers first, then the request.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const t0 = Date.now();
    const res = await fetch(`${srv.url}/api/exports/ledger.xlsx?campaignId=${campaignId}&stationId=${ng.id}&lang=en`, {
      headers: { cookie: admin.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-total-rows")).toBe("100000");
    const chunks: Buffer[] = [];
    let firstByteMs = -1;
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (firstByteMs < 0) firstByteMs = Date.now() - t0;
      chunks.push(Buffer.from(c));
    }
    h.disable();
    const file = Buffer.concat(chunks);
    const rows = sheetRows(file);
    expect(rows.length).toBe(100_001);
    console.log(
      `100k-row xlsx: ${file.length} bytes, first byte ${firstByteMs} ms, all ${Date.now() - t0} ms, max event-loop delay ${Math.round(h.max / 1e6)} ms`,
    );
    expect(rows[100_000]![rows[0]!.indexOf("notes")]).toBe("batch 100000");
    // The longest the process was held at a time (the server runs in this process, PGlite too).
    expect(
      h.max / 1e6,
      `max event-loop delay ${Math.round(h.max / 1e6)} ms, file ${file.length} bytes, ${Date.now() - t0} ms`,
    ).toBeLessThan(1000);
    expect(await rowCount(srv, "supplyLedger")).toBeGreaterThanOrEqual(100_000);
  }, 180_000);
});

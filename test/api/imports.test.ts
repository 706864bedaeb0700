import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { parseCsv } from "../helpers/csv.js";
import { api, type ImportKind } from "../../shared/api/index.js";

const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map(String).join(",")).join("\r\n");

describe(`imports from CSV and Excel [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, head: TestClient;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [admin, head] = await signInAll(srv.url, ["admin", "head"] as const);
    demo = await new Fixtures(srv.database.db).demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  /** Preview, then import with the preview's checksum. */
  async function importFile(kind: ImportKind, format: "csv" | "xlsx", content: string) {
    const preview = await admin.call(api.imports.preview, { params: { kind }, body: { format, content } });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const done = await admin.call(api.imports.commit, {
      params: { kind },
      body: { format, content, checksum: preview.body.checksum },
    });
    return { preview: preview.body, done };
  }

  it("serves a template per kind: bilingual header and one example row, which itself imports", async () => {
    const t = await admin.call(api.imports.template, { params: { kind: "keypoints" } });
    expect(t.status).toBe(200);
    expect(t.headers.get("content-type")).toMatch(/text\/csv/);
    const rows = parseCsv(t.body);
    expect(rows[0]).toEqual([
      "站点代码(station_code)",
      "名称(name)",
      "类型(kind)",
      "纬度(lat)",
      "经度(lng)",
      "地址(address)",
      "备注(notes)",
    ]);
    expect(rows).toHaveLength(2);
    const p = await admin.call(api.imports.preview, {
      params: { kind: "keypoints" },
      body: { format: "csv", content: b64(t.body) },
    });
    expect(p.body).toMatchObject({ rows: 1, created: 1, problems: [] });
    expect((await head.call(api.imports.template, { params: { kind: "keypoints" } })).status).toBe(403);
  });

  const header = ["station_code", "名称", "kind", "lat", "lng", "address", "notes"];
  const good = [
    ["DL", "测试桥洞一", "bridge_underpass", 45.771, 126.62, "道里区一号", ""],
    ["NG", "测试广场", "square", 45.75, 126.66, "", "夜间有人"],
  ];

  it("a file with bad rows writes nothing and names every bad row and column", async () => {
    const content = b64(
      csv([
        header,
        ...good,
        ["DL", "坏点", "bridge_underpass", 95, 126.6, "", ""],
        [],
        ["XX", "", "castle", 45.7, 126.6, "", ""],
      ]),
    );
    const before = { kp: await rowCount(srv, "keyPoints"), ev: await rowCount(srv, "events") };
    const preview = await admin.call(api.imports.preview, {
      params: { kind: "keypoints" },
      body: { format: "csv", content },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.rows).toBe(4);
    const problems = preview.body.problems.map((p) => `${p.row}:${p.field}`);
    expect(problems).toEqual(expect.arrayContaining(["4:lat", "6:station_code", "6:name", "6:kind"]));
    expect(problems.every((p) => !p.startsWith("2:") && !p.startsWith("3:"))).toBe(true);
    const done = await admin.call(api.imports.commit, {
      params: { kind: "keypoints" },
      body: { format: "csv", content, checksum: preview.body.checksum },
    });
    expect(done.status).toBe(400);
    expect(done.error.code).toBe("IMPORT_INVALID");
    expect(done.error.issues?.map((i) => i.path)).toContain("rows.4.lat");
    expect(await rowCount(srv, "keyPoints")).toBe(before.kp);
    expect(await rowCount(srv, "events")).toBe(before.ev);
    // A checksum of another file is refused, and other roles may not import.
    const other = await admin.call(api.imports.commit, {
      params: { kind: "keypoints" },
      body: { format: "csv", content: b64(csv([header, ...good])), checksum: preview.body.checksum },
    });
    expect(other.status).toBe(409);
    expect(
      (await head.call(api.imports.preview, { params: { kind: "keypoints" }, body: { format: "csv", content } }))
        .status,
    ).toBe(403);
  });

  it("a valid file is written whole with events; the same file again changes nothing; a changed row is refused", async () => {
    const live = new EventRecorder(srv.url, admin.cookie);
    try {
      await live.ready();
      const content = b64(csv([header, ...good]));
      const first = await importFile("keypoints", "csv", content);
      expect(first.preview).toMatchObject({ rows: 2, created: 2, unchanged: 0, problems: [] });
      expect(first.done.status, JSON.stringify(first.done.body)).toBe(200);
      expect(first.done.body).toMatchObject({ created: 2, unchanged: 0 });
      await waitFor(
        () => live.ofType("keypoint.created").filter((e) => e.payload.name.startsWith("测试")).length === 2,
      );
      const list = (await admin.call(api.keypoints.list, { query: { stationId: demo.dl.id } })).body.items;
      expect(list.find((k) => k.name === "测试桥洞一")).toMatchObject({ lat: 45.771 });

      const events = await rowCount(srv, "events");
      const kp = await rowCount(srv, "keyPoints");
      const again = await importFile("keypoints", "csv", content);
      expect(again.preview).toMatchObject({ created: 0, unchanged: 2, problems: [] });
      expect(again.done.body).toMatchObject({ created: 0, unchanged: 2 });
      expect(await rowCount(srv, "events")).toBe(events);
      expect(await rowCount(srv, "keyPoints")).toBe(kp);

      const changed = b64(csv([header, ["DL", "测试桥洞一", "culvert", 45.771, 126.62, "道里区一号", ""]]));
      const p = await admin.call(api.imports.preview, {
        params: { kind: "keypoints" },
        body: { format: "csv", content: changed },
      });
      expect(p.body.problems).toEqual([{ row: 2, field: "name", message: expect.stringMatching(/exists already/) }]);
      const dup = b64(csv([header, ...good, good[0]!]));
      const d = await admin.call(api.imports.preview, {
        params: { kind: "keypoints" },
        body: { format: "csv", content: dup },
      });
      expect(d.body.problems).toEqual([{ row: 4, field: "name", message: "same record as row 2" }]);
    } finally {
      live.close();
    }
  });

  it("reads an Excel workbook (vehicles), made here with exceljs", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("车辆");
    ws.addRow(["站点代码(station_code)", "呼号(call_sign)", "车牌(plate)", "座位数(seats)"]);
    ws.addRow(["DL", "DL-X1", "黑A·X0001", 7]);
    ws.addRow(["NG", "NG-X2", "黑A·X0002", 5]);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
    const { preview, done } = await importFile("vehicles", "xlsx", content);
    expect(preview).toMatchObject({ rows: 2, created: 2, problems: [] });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const vehicles = (await admin.call(api.vehicles.list)).body.items;
    expect(vehicles.find((v) => v.callSign === "DL-X1")).toMatchObject({ seats: 7, stationId: demo.dl.id });
    expect((await importFile("vehicles", "xlsx", content)).done.body).toMatchObject({ created: 0, unchanged: 2 });
  });

  it("imports 2,000 catalog rows in one go", async () => {
    const rows: (string | number)[][] = [["代码", "中文名称", "英文名称", "中文单位", "英文单位", "单价(分)"]];
    for (let i = 0; i < 2000; i++) rows.push([`bulk-${i}`, `物资${i}`, `Item ${i}`, "件", "piece", 100 + i]);
    const before = await rowCount(srv, "supplyItems");
    const { preview, done } = await importFile("supplies", "csv", b64(csv(rows)));
    expect(preview).toMatchObject({ rows: 2000, created: 2000, problems: [] });
    expect(done.status, JSON.stringify(done.body).slice(0, 300)).toBe(200);
    expect(await rowCount(srv, "supplyItems")).toBe(before + 2000);
  }, 180_000);
});

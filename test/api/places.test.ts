import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { parseCsv } from "../helpers/csv.js";
import { api } from "../../shared/api/index.js";

/**
 * Place search with no map tiles: the gazetteer comes from a spreadsheet (all or nothing, the same
 * file again changes nothing), and a search finds key points, shelters, case places and gazetteer
 * entries by Chinese prefix, pinyin initials and full pinyin, in that order, within the user's scope.
 */
const b64 = (s: string) => Buffer.from(s).toString("base64");
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map(String).join(",")).join("\r\n");
const header = ["station_code", "name", "kind", "lat", "lng"];
const rows = [
  ["DL", "人民广场", "landmark", 45.7701, 126.6102],
  ["DL", "人民医院", "building", 45.7712, 126.6203],
  ["DL", "索菲亚教堂", "地标", 45.7733, 126.6187],
  ["DL", "广场南路", "街道", 45.7688, 126.6111],
  ["NG", "南岗人民公园", "park", 45.7561, 126.6502],
];

describe(`places: gazetteer import and search [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, operator: TestClient, patrol: TestClient;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [admin, operator, patrol] = await signInAll(srv.url, ["admin", "operator", "patrol1"] as const);
    await new Fixtures(srv.database.db).demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  async function preview(content: string) {
    const p = await admin.call(api.imports.preview, { params: { kind: "places" }, body: { format: "csv", content } });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    return p.body;
  }
  const commit = (content: string, checksum: string) =>
    admin.call(api.imports.commit, { params: { kind: "places" }, body: { format: "csv", content, checksum } });
  const search = (c: TestClient, q: string) => c.call(api.places.search, { query: { q } });
  const names = async (c: TestClient, q: string) => {
    const r = await search(c, q);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items.map((i) => i.name);
  };

  it("serves a template whose example row is valid", async () => {
    const t = await admin.call(api.imports.template, { params: { kind: "places" } });
    expect(t.status).toBe(200);
    const sheet = parseCsv(t.body);
    expect(sheet[0]).toContain("名称(name)");
    expect(await preview(b64(t.body))).toMatchObject({ rows: 1, created: 1, problems: [] });
  });

  it("a file with a bad row writes nothing; problems name row and column", async () => {
    const content = b64(
      csv([
        header,
        ...rows,
        ["XX", "坏站点", "street", 45.7, 126.6],
        ["DL", "坏类型", "castle", 45.7, 126.6],
        ["DL", "无定位", "street", 0, 0],
      ]),
    );
    const before = await rowCount(srv, "places");
    const p = await preview(content);
    expect(p.problems.map((x) => `${x.row}:${x.field}`)).toEqual(
      expect.arrayContaining(["7:station_code", "8:kind", "9:lat"]),
    );
    expect(p.problems.every((x) => x.row >= 7)).toBe(true);
    const done = await commit(content, p.checksum);
    expect(done.status).toBe(400);
    expect(done.error.code).toBe("IMPORT_INVALID");
    expect(await rowCount(srv, "places")).toBe(before);
  });

  it("a valid file creates the places; the same file again changes nothing", async () => {
    const content = b64(csv([header, ...rows]));
    const p = await preview(content);
    expect(p).toMatchObject({ rows: 5, created: 5, problems: [] });
    expect((await commit(content, p.checksum)).body).toMatchObject({ created: 5, unchanged: 0 });
    const count = await rowCount(srv, "places");
    const again = await preview(content);
    expect(again).toMatchObject({ created: 0, unchanged: 5, problems: [] });
    expect((await commit(content, again.checksum)).body).toMatchObject({ created: 0, unchanged: 5 });
    expect(await rowCount(srv, "places")).toBe(count);
  });

  it("ranks Chinese prefix, then pinyin initials, then full pinyin, then substring", async () => {
    // Chinese prefix: both 人民… first; 广场南路 (contains no 人民) not at all.
    const zh = await names(operator, "人民");
    expect(zh.slice(0, 2).sort()).toEqual(["人民医院", "人民广场"]);
    expect(zh).not.toContain("广场南路");
    // Pinyin initials.
    expect((await names(operator, "rmgc"))[0]).toBe("人民广场");
    expect((await names(operator, "RM GC"))[0]).toBe("人民广场");
    // Full pinyin prefix, spaces ignored.
    expect((await names(operator, "renminguang"))[0]).toBe("人民广场");
    expect((await names(operator, "suofeiya"))[0]).toBe("索菲亚教堂");
    // "guangchang": 广场南路 starts with it (full pinyin prefix); 人民广场 only contains it, so comes later.
    const gc = await names(operator, "guangchang");
    expect(gc[0]).toBe("广场南路");
    expect(gc).toContain("人民广场");
    // Nothing matches: empty, not an error.
    expect(await names(operator, "xyzq")).toEqual([]);
    const hit = (await search(operator, "rmgc")).body.items[0]!;
    expect(hit).toMatchObject({ source: "gazetteer", kind: "landmark", lat: 45.7701, lng: 126.6102 });
    expect((await search(operator, "gcnl")).body.items[0]).toMatchObject({ name: "广场南路", kind: "street" });
  });

  it("finds key points and past case places too, by pinyin", async () => {
    const demo = await new Fixtures(srv.database.db).demo();
    const kp = demo.keyPoints(demo.dl.id)[0]!;
    const kpNames = await names(operator, kp.name.slice(0, 2));
    expect(kpNames).toContain(kp.name);

    const created = await operator.call(api.cases.createSighting, {
      body: {
        id: randomUUID(),
        source: "public_hotline",
        callerName: "张先生",
        callerPhone: "13800138000",
        lat: 45.7655,
        lng: 126.6055,
        placeText: "友谊宫门口",
        description: "一名老人坐在门口",
        flags: [],
        peopleCount: 1,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const r = await search(operator, "yyg");
    expect(r.body.items[0]).toMatchObject({ source: "case", name: "友谊宫门口", lat: 45.7655, lng: 126.6055 });
  });

  it("keeps to the user's scope and role", async () => {
    // The operator (道里 station) does not see 南岗's gazetteer; the admin does.
    expect(await names(operator, "nangang")).not.toContain("南岗人民公园");
    expect(await names(admin, "nangang")).toContain("南岗人民公园");
    const demo = await new Fixtures(srv.database.db).demo();
    const other = await operator.call(api.places.search, { query: { q: "rm", stationId: demo.ng.id } });
    expect(other.status).toBe(403);
    expect((await search(patrol, "rmgc")).status).toBe(403);
    const bad = await operator.raw("GET", "/api/places/search?q=");
    expect(bad.status).toBe(400);
  });
});

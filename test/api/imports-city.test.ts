import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { parseCsv } from "../helpers/csv.js";
import { addDays, reportDayOf } from "../../shared/counting.js";
import { api, type ImportKind } from "../../shared/api/index.js";

/**
 * Users and shelters from spreadsheets, as the other kinds: a bad row writes nothing, the same file
 * again changes nothing; a user's initial password is never echoed and never reset by a re-import;
 * a shelter's opening (and closing) date decides the ranges it counts in as "in service".
 */
const TZ = "Asia/Shanghai";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const csv = (rows: (string | number)[][]) => rows.map((r) => r.map(String).join(",")).join("\r\n");

describe(`imports of users and shelters [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, supervisor: TestClient;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  const today = reportDayOf(new Date(), TZ, "08:00");

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ REPORT_DAY_START: "08:00" });
    [admin, supervisor] = await signInAll(srv.url, ["admin", "supervisor"] as const);
    demo = await new Fixtures(srv.database.db).demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  async function preview(kind: ImportKind, content: string) {
    const p = await admin.call(api.imports.preview, { params: { kind }, body: { format: "csv", content } });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    return p.body;
  }
  async function commit(kind: ImportKind, content: string, checksum: string) {
    return admin.call(api.imports.commit, { params: { kind }, body: { format: "csv", content, checksum } });
  }

  it("serves templates for users and shelters whose example rows are valid", async () => {
    for (const kind of ["users", "shelters"] as const) {
      const t = await admin.call(api.imports.template, { params: { kind } });
      expect(t.status).toBe(200);
      expect(t.headers.get("content-type")).toMatch(/text\/csv/);
      const rows = parseCsv(t.body);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain(kind === "users" ? "初始密码(password)" : "启用日期(opened_at)");
      const p = await preview(kind, b64(t.body));
      expect(p, kind).toMatchObject({ rows: 1, created: 1, problems: [] });
    }
  });

  const userHeader = ["username", "display_name", "role", "station_code", "region", "password"];
  const users = [
    ["imp.zhang", "张伟", "operator", "DL", "", "first-pass-1"],
    ["imp.li", "李娜", "patrol", "NG", "", "first-pass-2"],
    ["imp.wang", "王芳", "supervisor", "", "哈尔滨市/道里区", "first-pass-3"],
  ];

  it("users: a file with a bad row writes nothing; problems name row and column, never the password", async () => {
    const content = b64(
      csv([
        userHeader,
        ...users,
        ["imp.bad", "坏行", "operator", "XX", "", "short"],
        ["imp.sup", "无区域", "supervisor", "", "不存在区", "long-enough-pw"],
        ["imp.op", "无站点", "operator", "", "", "long-enough-pw"],
      ]),
    );
    const before = { users: await rowCount(srv, "users"), ev: await rowCount(srv, "events") };
    const p = await preview("users", content);
    expect(p.rows).toBe(6);
    expect(p.problems.map((x) => `${x.row}:${x.field}`)).toEqual(
      expect.arrayContaining(["5:station_code", "5:password", "6:region", "7:station_code"]),
    );
    expect(p.problems.every((x) => x.row >= 5)).toBe(true);
    expect(JSON.stringify(p)).not.toContain("short");
    const done = await commit("users", content, p.checksum);
    expect(done.status).toBe(400);
    expect(done.error.code).toBe("IMPORT_INVALID");
    expect(JSON.stringify(done.body)).not.toContain("first-pass");
    expect(await rowCount(srv, "users")).toBe(before.users);
    expect(await rowCount(srv, "events")).toBe(before.ev);
  });

  it("users: a valid file creates the accounts (they sign in); again changes nothing and resets no password", async () => {
    const content = b64(csv([userHeader, ...users]));
    const p = await preview("users", content);
    expect(p).toMatchObject({ rows: 3, created: 3, problems: [] });
    const done = await commit("users", content, p.checksum);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(JSON.stringify(done.body)).not.toContain("first-pass");
    const list = (await admin.call(api.users.list)).body.items;
    const daoli = demo.regions.find((r) => r.name === "道里区")!;
    expect(list.find((u) => u.username === "imp.wang")).toMatchObject({ role: "supervisor", regionId: daoli.id });
    expect(list.find((u) => u.username === "imp.zhang")).toMatchObject({ role: "operator", stationId: demo.dl.id });
    await new TestClient(srv.url).login("imp.zhang", "first-pass-1");

    // The user's password changes (here by the admin); the same file again changes nothing.
    const zhang = list.find((u) => u.username === "imp.zhang")!;
    const reset = await admin.call(api.users.resetPassword, {
      params: { id: zhang.id },
      body: { password: "changed-later-9" },
    });
    expect(reset.status).toBe(200);
    const counts = { users: await rowCount(srv, "users"), ev: await rowCount(srv, "events") };
    const again = await preview("users", content);
    expect(again).toMatchObject({ created: 0, unchanged: 3, problems: [] });
    expect((await commit("users", content, again.checksum)).body).toMatchObject({ created: 0, unchanged: 3 });
    expect(await rowCount(srv, "users")).toBe(counts.users);
    expect(await rowCount(srv, "events")).toBe(counts.ev);
    await new TestClient(srv.url).login("imp.zhang", "changed-later-9");
    const old = await new TestClient(srv.url).call(api.auth.login, {
      body: { username: "imp.zhang", password: "first-pass-1" },
    });
    expect(old.status).toBe(401);

    // A row for an existing account with another role is refused, not applied.
    const changed = b64(csv([userHeader, ["imp.zhang", "张伟", "head", "DL", "", "x-whatever-1"]]));
    expect((await preview("users", changed)).problems).toEqual([
      { row: 2, field: "username", message: expect.stringMatching(/exists already/) },
    ]);
  });

  const shelterHeader = ["station_code", "name", "kind", "lat", "lng", "address", "capacity", "opened_at", "closed_at"];

  it("shelters: a bad row writes nothing; a valid file is written once; its dates decide shelters in service", async () => {
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "导入场所",
        regionId: demo.regions.find((r) => r.level === "city")!.id,
        startsOn: addDays(today, -20),
        endsOn: addDays(today, 20),
        alertLevel: "orange",
      },
    });
    expect(c.status).toBe(201);
    const rows = [
      ["DL", "导入避寒点", "临时避寒场所", 45.76, 126.61, "道里区一号", 30, addDays(today, -5), ""],
      ["NG", "导入救助点", "service_point", 45.75, 126.66, "", 0, addDays(today, -15), addDays(today, -10)],
    ];
    const bad = b64(
      csv([
        shelterHeader,
        ...rows,
        ["DL", "坏点", "castle", 45.7, 126.6, "", -1, "", ""],
        ["DL", "倒序", "service_point", 45.7, 126.6, "", 1, today, addDays(today, -1)],
      ]),
    );
    const before = await rowCount(srv, "shelters");
    const p = await preview("shelters", bad);
    expect(p.problems.map((x) => `${x.row}:${x.field}`)).toEqual(
      expect.arrayContaining(["4:kind", "4:capacity", "4:opened_at", "5:closed_at"]),
    );
    expect((await commit("shelters", bad, p.checksum)).status).toBe(400);
    expect(await rowCount(srv, "shelters")).toBe(before);

    const good = b64(csv([shelterHeader, ...rows]));
    const ok = await preview("shelters", good);
    expect(ok).toMatchObject({ rows: 2, created: 2, problems: [] });
    expect((await commit("shelters", good, ok.checksum)).status).toBe(200);
    const list = (await admin.call(api.shelters.list)).body.items;
    const imported = list.find((s) => s.name === "导入避寒点")!;
    // A date alone is the start of that report day (08:00 in Beijing).
    expect(imported).toMatchObject({ kind: "warming_shelter", capacity: 30, active: true, closedAt: null });
    expect(imported.openedAt).toBe(new Date(`${addDays(today, -5)}T08:00:00+08:00`).toISOString());
    expect(list.find((s) => s.name === "导入救助点")).toMatchObject({ active: false });

    const again = await preview("shelters", good);
    expect(again).toMatchObject({ created: 0, unchanged: 2, problems: [] });
    expect((await commit("shelters", good, again.checksum)).body).toMatchObject({ created: 0, unchanged: 2 });
    expect(await rowCount(srv, "shelters")).toBe(before + 2);

    const inService = async (from: string, to: string) =>
      (await admin.call(api.totals.get, { params: { id: c.body.id }, query: { from, to } })).body.figures
        .sheltersInService;
    // -15..-10: only the aid point; -7..-6: neither; -5..today: the warming shelter.
    expect(await inService(addDays(today, -14), addDays(today, -12))).toBe(1);
    expect(await inService(addDays(today, -7), addDays(today, -6))).toBe(0);
    expect(await inService(addDays(today, -5), today)).toBe(1);
    expect(await inService(addDays(today, -14), today)).toBe(2);
  });

  it("a shelter created with an opening date counts from that date, not from its entry", async () => {
    const c = (await admin.call(api.campaigns.list)).body.items.find((x) => x.name === "导入场所")!;
    const openedAt = new Date(`${addDays(today, -3)}T18:00:00+08:00`).toISOString();
    const created = await admin.call(api.shelters.create, {
      body: {
        stationId: demo.ng.id,
        name: "补录避寒点",
        kind: "warming_shelter",
        lat: 45.75,
        lng: 126.65,
        capacity: 8,
        openedAt,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.openedAt).toBe(openedAt);
    const r = await admin.call(api.totals.get, {
      params: { id: c.id },
      query: { stationId: demo.ng.id, from: addDays(today, -3), to: addDays(today, -3) },
    });
    expect(r.body.figures.sheltersInService).toBe(1);
    const backwards = await admin.call(api.shelters.create, {
      body: {
        stationId: demo.ng.id,
        name: "倒序",
        kind: "service_point",
        lat: 45.75,
        lng: 126.65,
        capacity: 1,
        openedAt,
        closedAt: new Date(Date.parse(openedAt) - 1000).toISOString(),
      },
    });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain("closedAt");
  });
});

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, type Reply } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { api } from "../../shared/api/index.js";
import * as t from "../../server/db/schema/index.js";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { reportDayOf } from "../../shared/report-day.js";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

function expectFieldError(r: Reply<unknown>, path: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.error.code).toBe("VALIDATION_FAILED");
  expect(r.error.issues?.map((i) => i.path)).toContain(path);
}

describe(`identification workbench [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, patrol1: TestClient, patrol2: TestClient, operator: TestClient, supervisor: TestClient;
  let admin: TestClient, ngHead: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, patrol1, patrol2, operator, supervisor, admin] = await signInAll(srv.url, [
      "head",
      "patrol1",
      "patrol2",
      "operator",
      "supervisor",
      "admin",
    ] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const made = await admin.call(api.users.create, {
      body: {
        id: randomUUID(),
        username: "nghead",
        displayName: "站长 南岗",
        role: "head",
        stationId: demo.ng.id,
        password: "ng-head-password",
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    ngHead = await new TestClient(srv.url).login("nghead", "ng-head-password");
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("takes a person from a backdated arrival to a family found: clues, steps, deadlines, due-now, report, figures", async () => {
    // Arrived 30 hours ago, entered only now: the 24-hour notice and fingerprint deadlines have passed.
    const personId = await fx.person(demo.dl.id, { name: "无名氏甲", gender: "male", approxAge: 60 });
    const opened = await head.call(api.identification.open, {
      params: { id: personId },
      body: { arrivedAt: hoursAgo(30).toISOString(), heightCm: 168, features: "左眉有疤", foundPlace: "松花江桥洞" },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const byKind = (f: typeof opened.body) => Object.fromEntries(f.deadlines.map((d) => [d.kind, d.state]));
    expect(byKind(opened.body)).toEqual({
      fingerprint_check: "overdue",
      notice_published: "overdue",
      dna_requested: "open",
      settle_review: "open",
    });
    // A repeat returns the file unchanged.
    const again = await patrol1.call(api.identification.open, { params: { id: personId }, body: {} });
    expect(again.body.arrivedAt).toBe(opened.body.arrivedAt);
    expect(again.body.version).toBe(opened.body.version);

    // Overdue steps in the head's due-now list (no identity there), not in the operator's.
    const due = await head.call(api.campaigns.dueNow, { query: { stationId: demo.dl.id } });
    expect(due.status).toBe(200);
    const mine = due.body.identification.filter((d) => d.personId === personId);
    expect(mine.map((d) => [d.kind, d.state]).sort()).toEqual([
      ["fingerprint_check", "overdue"],
      ["notice_published", "overdue"],
    ]);
    expect(JSON.stringify(due.body)).not.toContain("无名氏甲");
    expect(
      (await operator.call(api.campaigns.dueNow, { query: { stationId: demo.dl.id } })).body.identification,
    ).toEqual([]);

    // The daily report says how many notices are overdue.
    const today = reportDayOf(new Date(), "Asia/Shanghai");
    const text = await head.call(api.reports.text, {
      query: { scope: "station", id: demo.dl.id, from: today, kind: "daily" },
    });
    expect(text.status, JSON.stringify(text.body)).toBe(200);
    expect(text.body.sentences.join("")).toContain("逾期未发布寻亲公告1人");

    // A clue from a conversation two days ago, and the steps (the fingerprint check backdated).
    const clue = await patrol1.call(api.identification.addClue, {
      params: { id: personId },
      body: {
        id: randomUUID(),
        kind: "dialect",
        text: "说河南周口口音，提到“沙河”",
        who: "李强",
        at: hoursAgo(20).toISOString(),
      },
    });
    expect(clue.status, JSON.stringify(clue.body)).toBe(200);
    expect(clue.body.clues).toHaveLength(1);
    const fpId = randomUUID();
    const fpAt = hoursAgo(29).toISOString();
    const fp = await patrol1.call(api.identification.addStep, {
      params: { id: personId },
      body: { id: fpId, kind: "fingerprint_check", outcome: "no match", who: "李强", at: fpAt },
    });
    expect(byKind(fp.body).fingerprint_check).toBe("done");
    // A retry with the same id is a no-op; other content under it is a conflict.
    const retry = await patrol1.call(api.identification.addStep, {
      params: { id: personId },
      body: { id: fpId, kind: "fingerprint_check", outcome: "no match", who: "李强", at: fpAt },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.steps).toHaveLength(1);
    const clash = await patrol1.call(api.identification.addStep, {
      params: { id: personId },
      body: { id: fpId, kind: "police_check", outcome: "x" },
    });
    expect(clash.status).toBe(409);
    const notice = await head.call(api.identification.addStep, {
      params: { id: personId },
      body: { id: randomUUID(), kind: "notice_published", channel: "national_site", who: "刘建国" },
    });
    expect(byKind(notice.body).notice_published).toBe("done_late");
    const after = await head.call(api.campaigns.dueNow, { query: { stationId: demo.dl.id } });
    expect(after.body.identification.filter((d) => d.personId === personId)).toEqual([]);
    const text2 = await head.call(api.reports.text, {
      query: { scope: "station", id: demo.dl.id, from: today, kind: "daily" },
    });
    expect(text2.body.sentences.join("")).not.toContain("逾期未发布寻亲公告");
    // The registry's family-search status follows the notice.
    expect((await head.call(api.people.get, { params: { id: personId } })).body.familySearch).toBe("notice_published");

    // Close with a family found: 寻亲成功 counts today, once, in the totals and the identification figures.
    const reportFigures = async () =>
      (await head.call(api.reports.text, { query: { scope: "station", id: demo.dl.id, from: today } })).body.figures;
    const before = await reportFigures();
    const closed = await head.call(api.identification.close, {
      params: { id: personId },
      body: { closing: "family_found", note: "其子来站接领", version: notice.body.version },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.closing).toBe("family_found");
    expect(byKind(closed.body).settle_review).toBe("done");
    expect((await reportFigures()).familiesFound).toBe(before.familiesFound + 1);
    const figs = await head.call(api.identification.figures, { query: { stationId: demo.dl.id, from: today } });
    expect(figs.status, JSON.stringify(figs.body)).toBe(200);
    expect(figs.body.familiesFound).toBe(1);
    expect(figs.body.medianDaysToIdentification).toBe(1);
    expect(
      (
        await head.call(api.identification.close, {
          params: { id: personId },
          body: { closing: "settled", version: closed.body.version },
        })
      ).status,
    ).toBe(409);
    // Supervisors read the figures of their region, never a file.
    expect((await supervisor.call(api.identification.figures, { query: { from: today } })).status).toBe(200);
    expect((await supervisor.call(api.identification.get, { params: { id: personId } })).status).toBe(403);
  });

  it("the notice carries only what the head chose", async () => {
    const personId = await fx.person(demo.dl.id, {
      name: "王秘密",
      idNumber: "230102195001011234",
      hometown: "河南周口",
      gender: "female",
      approxAge: 45,
    });
    await head.call(api.identification.open, {
      params: { id: personId },
      body: {
        heightCm: 158,
        features: "<img src=x onerror=alert(1)>右手有胎记",
        foundPlace: "哈尔滨站",
        foundAt: hoursAgo(3).toISOString(),
      },
    });
    const n = await head.call(api.identification.notice, {
      params: { id: personId },
      body: { fields: ["gender", "approxAge", "features", "contact"] },
    });
    expect(n.status, JSON.stringify(n.body)).toBe(200);
    expect(n.body.text).toContain("性别：女");
    expect(n.body.text).toContain("约45岁");
    for (const secret of ["王秘密", "230102195001011234", "河南周口", "158", "哈尔滨站"]) {
      expect(n.body.text).not.toContain(secret);
      expect(n.body.html).not.toContain(secret);
    }
    expect(n.body.html).not.toContain("<img");
    expect(n.body.html).toContain("&lt;img");
    const named = await head.call(api.identification.notice, {
      params: { id: personId },
      body: { fields: ["name"], lang: "en" },
    });
    expect(named.body.text).toContain("王秘密");
    // Crews record the file; the notice and the closing are the head's.
    expect(
      (await patrol1.call(api.identification.notice, { params: { id: personId }, body: { fields: ["gender"] } }))
        .status,
    ).toBe(403);
  });

  it("identity rule: another station's head and crews are refused, other roles too, and every read is audited", async () => {
    const personId = await fx.person(demo.dl.id, { name: "赵某", gender: "male" });
    await head.call(api.identification.open, { params: { id: personId }, body: {} });
    const readsBefore = (await head.call(api.people.reads, { params: { id: personId } })).body.items.filter(
      (r) => r.kind === "identification",
    ).length;
    await head.call(api.identification.get, { params: { id: personId } });
    await patrol1.call(api.identification.get, { params: { id: personId } });
    const reads = (await head.call(api.people.reads, { params: { id: personId } })).body.items.filter(
      (r) => r.kind === "identification",
    );
    expect(reads.length).toBe(readsBefore + 2);
    expect(reads.map((r) => r.role)).toContain("patrol");

    for (const c of [ngHead, patrol2]) {
      const r = await c.call(api.identification.get, { params: { id: personId } });
      expect([403, 404]).toContain(r.status);
      expect(JSON.stringify(r.body)).not.toContain("赵某");
      const w = await c.call(api.identification.addClue, {
        params: { id: personId },
        body: { id: randomUUID(), kind: "feature", text: "x" },
      });
      expect([403, 404]).toContain(w.status);
    }
    for (const c of [operator, supervisor, admin])
      expect((await c.call(api.identification.get, { params: { id: personId } })).status).toBe(403);
    // Another station's list and due-now are not the head's.
    expect((await ngHead.call(api.identification.list, { query: { stationId: demo.dl.id } })).status).toBe(403);
    const ngList = await ngHead.call(api.identification.list);
    expect(ngList.body.items.map((i) => i.personId)).not.toContain(personId);
    const dlList = await head.call(api.identification.list, { query: { stationId: demo.dl.id } });
    expect(dlList.body.items.map((i) => i.personId)).toContain(personId);
    expect(JSON.stringify(dlList.body)).not.toContain("赵某");
    expect((await head.call(api.identification.get, { params: { id: randomUUID() } })).status).toBe(404);
  });

  it("bad input is a 400 naming the field", async () => {
    const personId = await fx.person(demo.dl.id, { name: "钱某" });
    const open = await head.call(api.identification.open, { params: { id: personId }, body: {} });
    expectFieldError(
      await head.call(api.identification.addStep, {
        params: { id: personId },
        body: { id: randomUUID(), kind: "notice_published" },
      }),
      "body.channel",
    );
    expectFieldError(
      await head.call(api.identification.addClue, {
        params: { id: personId },
        body: { id: randomUUID(), kind: "dialect", text: "x", at: new Date(Date.now() + 3600_000).toISOString() },
      }),
      "body.at",
    );
    expectFieldError(
      await head.raw("POST", `/api/identification/${personId}/clues`, {
        body: { id: randomUUID(), kind: "gossip", text: "x" },
      }),
      "body.kind",
    );
    expectFieldError(
      await head.call(api.identification.update, { params: { id: personId }, body: { heightCm: 900, version: 1 } }),
      "body.heightCm",
    );
    expectFieldError(
      await head.call(api.identification.close, {
        params: { id: personId },
        body: { closing: "family_found", at: "2001-01-01T00:00:00Z", version: open.body.version },
      }),
      "body.at",
    );
    expectFieldError(
      await head.call(api.identification.notice, { params: { id: personId }, body: { fields: [] } }),
      "body.fields",
    );
    expectFieldError(
      await head.call(api.identification.match, {
        body: { stationId: demo.dl.id, listName: "x", csv: "colour,shoe\nred,42\n" },
      }),
      "body.csv",
    );
    expectFieldError(
      await head.call(api.identification.match, {
        body: { stationId: demo.dl.id, listName: "x", csv: "姓名,年龄\n张三,abc\n" },
      }),
      "body.csv row 2 column 年龄",
    );
    expect(
      (await head.call(api.identification.update, { params: { id: personId }, body: { features: "y", version: 99 } }))
        .status,
    ).toBe(409);
  });

  it("matches a partner's list against the registry with reasons; decisions are logged and merge nothing", async () => {
    const zhang = await fx.person(demo.dl.id, {
      name: "张伟",
      idNumber: "23010219700101123X",
      gender: "male",
      approxAge: 55,
      hometown: "河南周口",
    });
    const li = await fx.person(demo.dl.id, { name: "李秀英", gender: "female", approxAge: 70 });
    const other = await fx.person(demo.ng.id, { name: "张伟", gender: "male", approxAge: 55 });
    const csv = [
      "姓名,身份证号,性别,年龄,籍贯,走失日期",
      "Zhang Wei,230102********123X,男,53,周口,2026-10-01",
      "李秀莹,,女,72,,",
      "陌生人,,男,30,,",
    ].join("\n");
    const m = await head.call(api.identification.match, {
      body: { stationId: demo.dl.id, listName: "市公安局走失人员", csv },
    });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(m.body.rows).toBe(3);
    const row2 = m.body.items.find((i) => i.row === 2)!;
    expect(row2.candidates[0]).toMatchObject({ personId: zhang, label: "张伟", decision: null });
    expect(row2.candidates[0]!.reasons).toEqual(
      expect.arrayContaining(["partial_id_number", "same_pinyin", "same_gender", "age_in_range", "same_hometown"]),
    );
    // Another station's person is never a candidate.
    expect(m.body.items.flatMap((i) => i.candidates.map((c) => c.personId))).not.toContain(other);
    expect(m.body.items.find((i) => i.row === 3)?.candidates[0]?.personId).toBe(li);
    expect(m.body.items.find((i) => i.row === 4)).toBeUndefined();
    // The identity offered was audited.
    const reads = (await head.call(api.people.reads, { params: { id: zhang } })).body.items;
    expect(reads.some((r) => r.kind === "identification")).toBe(true);

    const d = await head.call(api.identification.decide, {
      body: {
        id: randomUUID(),
        stationId: demo.dl.id,
        listName: "市公安局走失人员",
        row: 2,
        personId: zhang,
        listed: row2.listed,
        score: row2.candidates[0]!.score,
        reasons: row2.candidates[0]!.reasons,
        decision: "confirmed",
      },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const again = await head.call(api.identification.match, {
      body: { stationId: demo.dl.id, listName: "市公安局走失人员", csv },
    });
    expect(again.body.items.find((i) => i.row === 2)!.candidates[0]!.decision).toBe("confirmed");
    // Nothing merged, nothing closed: the person's record is as it was.
    const [p] = await srv.database.db.select().from(t.people).where(eq(t.people.id, zhang));
    expect(p).toMatchObject({ mergedIntoId: null, familySearch: "none", version: 1 });
    expect(
      (await ngHead.call(api.identification.match, { body: { stationId: demo.dl.id, listName: "x", csv } })).status,
    ).toBe(403);
    expect(
      (await patrol1.call(api.identification.match, { body: { stationId: demo.dl.id, listName: "x", csv } })).status,
    ).toBe(403);
  });

  it("reads a partner's list from an Excel .xlsx file as from CSV (numbers and dates as cells); a file that is not one is a 400 naming body.xlsx", async () => {
    const wang = await fx.person(demo.dl.id, { name: "王建军", gender: "male", approxAge: 48, hometown: "山东菏泽" });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("走失人员");
    ws.addRow(["姓名", "性别", "年龄", "籍贯", "走失日期", "备注"]);
    ws.addRow(["王建君", "男", 50, "菏泽", new Date("2026-10-03T00:00:00Z"), "家属报案"]);
    ws.addRow(["无此人", "女", 20, "", "", ""]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
    const m = await head.call(api.identification.match, {
      body: { stationId: demo.dl.id, listName: "菏泽市公安局 xlsx", xlsx },
    });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(m.body.rows).toBe(2);
    const row2 = m.body.items.find((i) => i.row === 2)!;
    expect(row2.listed).toMatchObject({ 姓名: "王建君", 年龄: "50", 备注: "家属报案" });
    expect(row2.candidates[0]).toMatchObject({ personId: wang });
    expect(row2.candidates[0]!.reasons).toEqual(expect.arrayContaining(["same_gender", "age_in_range"]));
    // The same list as CSV gives the same candidates.
    const csv = ["姓名,性别,年龄,籍贯,走失日期,备注", "王建君,男,50,菏泽,2026-10-03,家属报案", "无此人,女,20,,,"].join(
      "\n",
    );
    const c = await head.call(api.identification.match, { body: { stationId: demo.dl.id, listName: "菏泽 csv", csv } });
    expect(c.body.items.map((i) => i.candidates.map((x) => [x.personId, x.reasons]))).toEqual(
      m.body.items.map((i) => i.candidates.map((x) => [x.personId, x.reasons])),
    );
    // Not an .xlsx (CSV bytes, base64), both at once, neither: 400 naming the field.
    const notXlsx = await head.call(api.identification.match, {
      body: { stationId: demo.dl.id, listName: "x", xlsx: Buffer.from(csv).toString("base64") },
    });
    expectFieldError(notXlsx, "body.xlsx");
    expectFieldError(
      await head.call(api.identification.match, { body: { stationId: demo.dl.id, listName: "x", csv, xlsx } }),
      "body.csv",
    );
    expectFieldError(
      await head.call(api.identification.match, { body: { stationId: demo.dl.id, listName: "x" } }),
      "body.csv",
    );
  });

  it("a province's own deadlines apply to its stations' files (admin only; provinces only)", async () => {
    // The demo city has no province above it: an admin adds one and moves the city under it.
    const city = demo.regions.find((r) => r.level === "city")!;
    const made = await admin.call(api.regions.create, {
      body: { id: randomUUID(), name: "黑龙江省", level: "province", parentId: null },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const province = made.body;
    const moved = await admin.call(api.regions.update, {
      params: { id: city.id },
      body: { parentId: province.id, version: city.version },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const rules = { fingerprintHours: 12, noticeHours: 48, dnaRequestMonths: 2, settleReviewMonths: 6 };
    expect(
      (await head.call(api.identification.setDeadlines, { params: { id: province.id }, body: rules })).status,
    ).toBe(403);
    expectFieldError(
      await admin.call(api.identification.setDeadlines, { params: { id: city.id }, body: rules }),
      "params.id",
    );
    expectFieldError(
      await admin.call(api.identification.setDeadlines, {
        params: { id: province.id },
        body: { ...rules, noticeHours: 0 },
      }),
      "body.noticeHours",
    );
    const set = await admin.call(api.identification.setDeadlines, { params: { id: province.id }, body: rules });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const personId = await fx.person(demo.dl.id, { name: "孙某" });
    const arrivedAt = "2026-01-31T15:30:00.000Z";
    const f = await head.call(api.identification.open, { params: { id: personId }, body: { arrivedAt } });
    const dueAt = Object.fromEntries(f.body.deadlines.map((d) => [d.kind, d.dueAt]));
    expect(dueAt).toEqual({
      fingerprint_check: "2026-02-01T03:30:00.000Z",
      notice_published: "2026-02-02T15:30:00.000Z",
      dna_requested: "2026-03-31T15:30:00.000Z",
      settle_review: "2026-07-31T15:30:00.000Z",
    });
  });
});

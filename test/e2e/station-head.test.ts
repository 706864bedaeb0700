import { randomUUID } from "node:crypto";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import { addDays, localDay } from "../../shared/counting.js";
import type { BodyOf, TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, TZ, downloadText, ok, pick, setDay, stationOf } from "./steps.js";
import { parseCsv } from "../helpers/csv.js";

/**
 * The station head's page as a head runs a campaign from it: a zero report for a quiet
 * day (frozen, amendable); a new warming shelter with its capacity; a catalog item added by the
 * admin and received into stock by the head; the cold alert raised and the due-now list tightening;
 * record exports whose rows are the records; and the campaign report whose sentence carries exactly
 * the figures of the records made here.
 */

const QUILT_FEN = 12000; // the demo catalog's quilt (120 元)

/** Entries of a zip (stored or deflated), from its central directory. */
function unzipEntries(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  let p = buf.readUInt32LE(end + 16);
  for (let i = buf.readUInt16LE(end + 10); i > 0; i--) {
    const method = buf.readUInt16LE(p + 10),
      size = buf.readUInt32LE(p + 20),
      nameLen = buf.readUInt16LE(p + 28),
      offset = buf.readUInt32LE(p + 42);
    const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    const data = buf.subarray(start, start + size);
    out.set(buf.subarray(p + 46, p + 46 + nameLen).toString("utf8"), method === 8 ? inflateRawSync(data) : data);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

describe.skipIf(!HAVE_CHROMIUM)("a station head runs the campaign from the station page", () => {
  let e2e: E2ESession;
  let headApi: TestClient, patrolApi: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    [headApi, patrolApi] = await Promise.all([e2e.client("head"), e2e.client("patrol1")]);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${SCREENSHOTS}station-head-${name}.png`, fullPage: true });

  it("zero report, shelter, catalog and stock, alert and due-now, exports and the campaign report", async () => {
    const today = localDay(new Date(), TZ);
    const stationId = await stationOf(headApi);
    const campaigns = ok(await headApi.call(api.campaigns.list));
    const campaign = campaigns.items.find((c) => c.startsOn <= today && today <= c.endsOn)!;
    expect(campaign, "the demo seed runs a campaign today").toBeTruthy();

    // ---- A quiet day gets a zero report; it is frozen, and can only be amended.
    const zeroDay = addDays(today, -1) >= campaign.startsOn ? addDays(today, -1) : today;
    const head = await e2e.desk("head", /\/station/);
    await head.getByRole("tab", { name: "日报告" }).click();
    await setDay(head, "report-day", zeroDay);
    await expect.poll(() => head.locator("body").textContent()).toContain("当日无任何救助记录，可提交零报告");
    await head.getByTestId("submit-zero").click();
    await expect.poll(() => head.locator("body").textContent()).toContain("报告已提交并锁定");
    expect(await head.locator(".ant-tag", { hasText: "零报告" }).count()).toBeGreaterThan(0);
    expect(await head.getByTestId("submit-zero").count(), "no way to change a submitted report").toBe(0);
    expect(await head.getByTestId("submit-report").count()).toBe(0);
    await head.getByPlaceholder("更正原因").fill("e2e：补报夜间巡查");
    await head.getByRole("button", { name: "添加更正" }).click();
    await expect.poll(() => head.locator("body").textContent()).toContain("e2e：补报夜间巡查");
    const zero = ok(
      await headApi.call(api.reports.form, { params: { id: campaign.id }, query: { stationId, day: zeroDay } }),
    );
    expect(zero.report?.isZero).toBe(true);
    expect(zero.report?.amendments.length).toBe(1);
    await shot(head, "1-zero-report");

    // ---- A warming shelter, listed with its capacity; a bad capacity is refused on its field.
    await head.getByRole("tab", { name: "避寒场所" }).click();
    const shelters = head.getByTestId("shelters-panel");
    await shelters.getByTestId("shelter-add").click();
    const dialog = head.getByRole("dialog");
    await dialog.getByLabel("名称").fill("e2e 地铁站临时避寒点");
    await dialog.getByLabel("容纳人数").fill("20000");
    await head.getByTestId("shelter-save").click();
    await expect.poll(() => dialog.locator(".ant-form-item-explain-error").first().textContent()).toBeTruthy();
    expect(
      await dialog.locator(".ant-form-item-has-error").getByLabel("容纳人数").count(),
      "the error sits on the capacity field",
    ).toBe(1);
    await dialog.getByLabel("容纳人数").fill("35");
    await head.getByTestId("shelter-save").click();
    const row = shelters.locator("tr", { hasText: "e2e 地铁站临时避寒点" });
    await expect.poll(() => row.textContent()).toContain("临时避寒场所");
    expect(await row.locator("td").nth(3).textContent()).toBe("35");
    const listed = ok(await headApi.call(api.shelters.list, { query: { stationId } }));
    expect(listed.items.find((s) => s.name === "e2e 地铁站临时避寒点")).toMatchObject({ capacity: 35, free: 35 });
    await shot(head, "2-shelters");

    // ---- The admin adds a catalog item (yuan typed, fen stored); a taken code is refused on its field.
    const admin = await e2e.desk("admin", /\/admin/);
    const catalog = admin.getByTestId("supply-catalog");
    await catalog.getByTestId("catalog-add").click();
    const form = admin.getByRole("dialog");
    await form.getByLabel("编码").fill("quilt");
    await form.getByLabel("中文名称").fill("保暖袜");
    await form.getByLabel("英文名称").fill("Warm socks");
    await form.getByLabel("中文单位").fill("双");
    await form.getByLabel("英文单位").fill("pair");
    await form.getByLabel("单价（元）").fill("12.5");
    await admin.getByTestId("catalog-save").click();
    await expect.poll(() => form.locator(".ant-form-item-has-error").textContent()).toContain("quilt");
    await form.getByLabel("编码").fill("e2e_socks");
    await admin.getByTestId("catalog-save").click();
    await expect.poll(() => catalog.locator("tr", { hasText: "e2e_socks" }).textContent()).toContain("12.5");
    const items = ok(await headApi.call(api.supplies.items));
    const socks = items.items.find((i) => i.code === "e2e_socks")!;
    expect(socks.unitValueFen).toBe(1250);
    await shot(admin, "3-catalog");

    // ---- The head receives 30 pairs into the store.
    await head.getByRole("tab", { name: "物资与床位" }).click();
    await pick(head, "stock-item", "保暖袜");
    await head.getByPlaceholder("数量").fill("30");
    await head.getByRole("button", { name: /入\s?库/ }).click();
    await expect
      .poll(() => head.locator("tr", { hasText: "保暖袜" }).textContent(), { timeout: STEP })
      .toContain("30 双");
    const stock = ok(await headApi.call(api.supplies.stock, { query: { stationId } }));
    expect(stock.items.find((i) => i.itemId === socks.id)?.station).toBe(30);

    // ---- Records of the night, from the crew's phone API: a joint patrol (crew 3, 2 police on foot)
    // that hands out 2 quilts to someone who stays outside and brings another person in; and a
    // key point checked 4 hours ago (fine at yellow, overdue at red).
    const vehicles = ok(await patrolApi.call(api.vehicles.list));
    const vehicle = vehicles.items.find((v) => v.stationId === stationId)!;
    const sortie = ok(
      await patrolApi.call(api.patrols.startSortie, {
        body: {
          id: randomUUID(),
          vehicleId: vehicle.id,
          crewCount: 3,
          crewNames: ["李强", "张伟", "王磊"],
          footStaff: [{ agency: "police", count: 2 }],
          load: [{ itemId: items.items.find((i) => i.code === "quilt")!.id, quantity: 4 }],
        },
      }),
      "sortie",
    );
    const quiltId = items.items.find((i) => i.code === "quilt")!.id;
    const encounter = async (body: BodyOf<typeof api.encounters.create>) =>
      ok(await patrolApi.call(api.encounters.create, { body }), "encounter");
    await encounter({
      id: randomUUID(),
      sortieId: sortie.id,
      found: true,
      outcome: "street_aid",
      lat: 45.771,
      lng: 126.615,
      supplies: [{ itemId: quiltId, quantity: 2 }],
      placeText: "e2e 桥洞",
    });
    await encounter({
      id: randomUUID(),
      sortieId: sortie.id,
      found: true,
      outcome: "brought_in",
      lat: 45.772,
      lng: 126.616,
      placeText: "e2e 广场",
    });
    const keyPoints = ok(await headApi.call(api.keypoints.list, { query: { stationId } }));
    const kp = keyPoints.items[0]!;
    ok(
      await patrolApi.call(api.patrols.visitKeyPoint, {
        body: {
          id: randomUUID(),
          keyPointId: kp.id,
          sortieId: sortie.id,
          peopleFound: 0,
          visitedAt: new Date(Date.now() - 4 * 3600_000).toISOString(),
        },
      }),
      "visit",
    );

    // ---- Alert level: raising it to red tightens the cadence, and the key point becomes due now.
    await head.getByRole("tab", { name: "总览" }).click();
    const due = head.getByTestId("due-keypoints");
    await expect.poll(() => due.textContent()).not.toContain(kp.name);
    expect(await head.getByTestId("alert-level").textContent()).not.toBe("红色");
    await pick(head, "alert-select", "红色");
    await head.getByPlaceholder("如：预报最低气温-30℃").fill("e2e：寒潮红色预警");
    await head.getByRole("button", { name: "调整等级" }).click();
    await expect.poll(() => head.getByTestId("alert-level").textContent()).toBe("红色");
    await expect.poll(() => due.textContent()).toContain(kp.name);
    const dueNow = ok(await headApi.call(api.campaigns.dueNow, { query: { stationId } }));
    expect(dueNow.keyPoints.find((k) => k.keyPointId === kp.id)?.state).toBe("overdue");
    await shot(head, "4-alert-due-now");

    // ---- Totals on screen equal the records; exports hold exactly those records.
    const totals = ok(await headApi.call(api.totals.get, { params: { id: campaign.id }, query: { stationId } }));
    expect(totals.figures).toMatchObject({
      patrols: 1,
      sorties: 1,
      staffPersonTimes: 5,
      keyPointVisits: 1,
      aidedTotal: 2,
      aidedInStation: 1,
      aidedOnStreet: 1,
      suppliesValueFen: 2 * QUILT_FEN,
    });
    await expect
      .poll(() => head.getByTestId("fig-staffPersonTimes").locator(".ant-statistic-content-value").textContent())
      .toBe("5");

    const enc = await downloadText(head, () => head.getByTestId("export-records-csv").click());
    expect(enc.name).toMatch(/^encounters-.*\.csv$/);
    const encRows = parseCsv(enc.text);
    expect(encRows.length - 1).toBe(2);
    const outcome = encRows[0]!.indexOf("处置");
    expect(
      encRows
        .slice(1)
        .map((r) => r[outcome])
        .sort(),
    ).toEqual(["接回站内", "站外救助"].sort());

    await pick(head, "export-kind", "物资台账");
    const ledger = await downloadText(head, () => head.getByTestId("export-records-csv").click());
    expect(ledger.name).toMatch(/^ledger-.*\.csv$/);
    const lRows = parseCsv(ledger.text);
    const h = lRows[0]!;
    const lines = lRows.slice(1).map((r) => ({
      kind: r[h.indexOf("类别")],
      code: r[h.indexOf("物资编码")],
      q: Number(r[h.indexOf("数量")]),
      value: r[h.indexOf("金额（元）")],
    }));
    expect(lines).toEqual(
      expect.arrayContaining([
        { kind: "入库", code: "e2e_socks", q: 30, value: "375.00" },
        { kind: "装车", code: "quilt", q: 4, value: "480.00" },
        { kind: "发放", code: "quilt", q: 2, value: "240.00" },
      ]),
    );
    // The same records as Excel: streamed, with the page counting rows as they arrive.
    const xlsx = await downloadText(head, () => head.getByTestId("export-records-xlsx").click());
    expect(xlsx.name).toMatch(/^ledger-.*\.xlsx$/);
    expect(xlsx.bytes.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
    const sheetXml = unzipEntries(xlsx.bytes).get("xl/worksheets/sheet1.xml")!.toString("utf8");
    expect(sheetXml.split("</row>").length - 1, "header and every ledger line").toBe(lRows.length);
    const handedOut = lines.filter((l) => l.kind === "发放").reduce((n, l) => n + Number(l.value) * 100, 0);
    expect(handedOut).toBe(totals.figures.suppliesValueFen);

    // ---- The printed campaign report says exactly these figures, in the official phrasing.
    await head.getByRole("tab", { name: "打印报告" }).click();
    const sheet = head.getByTestId("print-sheet");
    await expect.poll(() => sheet.textContent()).toContain("工作情况报告");
    const sentence = (await head.getByTestId("print-sentence").first().textContent()) ?? "";
    const f = totals.figures;
    expect(sentence).toContain(
      `开展街面巡查搜救${f.staffPersonTimes}人次，巡查${f.patrols}次，出动车辆${f.sorties}台次，巡查重点点位${f.keyPointsCovered}个（${f.keyPointVisits}个次）`,
    );
    expect(sentence).toContain(
      `站内外救助${f.aidedTotal}人次（其中站内救助${f.aidedInStation}人次、站外救助${f.aidedOnStreet}人次），护送（接领）${f.escorts}人次（其中护送返乡${f.escortedHome}人次、亲属接领${f.familyPickup}人次）`,
    );
    expect(sentence).toContain("开展街面巡查搜救5人次");
    expect(await head.getByTestId("print-sentence").nth(1).textContent()).toBe("发放价值240元的棉被2床。");
    // The server's official text (GET /api/reports/text, the same shared function) says exactly what is printed.
    const official = ok(
      await headApi.call(api.reports.text, {
        query: { scope: "station", id: stationId, from: totals.from, to: totals.to, kind: "campaign" },
      }),
    );
    expect(await head.getByTestId("print-sentence").allTextContents()).toEqual(official.sentences);
    // A chosen range: the zero-report day alone has nothing in it.
    if (zeroDay !== today) {
      await setDay(head, "print-from", zeroDay);
      await setDay(head, "print-to", zeroDay);
      await expect
        .poll(() => head.getByTestId("print-sentence").first().textContent())
        .toContain("开展街面巡查搜救0人次");
    }
    await shot(head, "5-campaign-print");

    // The supervisor's campaign report rolls the stations up, each with its own sentence.
    const sup = await e2e.desk("supervisor", /\/station/);
    await sup.getByRole("tab", { name: "打印报告" }).click();
    await expect
      .poll(() => sup.getByTestId("print-station-sentence").count(), { timeout: STEP })
      .toBeGreaterThanOrEqual(2);
    expect(await sup.getByTestId("print-sentence").first().textContent()).toContain(
      `开展街面巡查搜救${f.staffPersonTimes}人次`,
    );
    expect(await sup.getByTestId("print-sheet").locator("tbody tr").last().textContent()).toContain("合计");
    await shot(sup, "6-campaign-print-rollup");
    // The supervisor's own workbench opens on the comparison of stations; a click drills down.
    await sup.getByRole("tab", { name: "站点对比" }).click();
    await sup.getByRole("heading", { name: "民政局督导" }).waitFor({ timeout: STEP });
    const compare = sup.getByTestId("compare-table");
    await expect
      .poll(() => compare.locator("tbody tr.ant-table-row").count(), { timeout: STEP })
      .toBeGreaterThanOrEqual(2);
    await shot(sup, "5b-supervisor-compare");
    const firstName = (await compare.locator("tbody tr.ant-table-row td").first().textContent())!;
    await compare.locator("tbody tr.ant-table-row").first().click();
    await expect.poll(() => sup.getByTestId("station-select").textContent(), { timeout: STEP }).toContain(firstName);
    await sup.getByRole("tab", { name: "总览", selected: true }).waitFor({ timeout: STEP });
  });
});

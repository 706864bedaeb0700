import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, ok } from "./steps.js";

/**
 * Issue 13 "done when", the setup half: an empty database (SEED=none) with ADMIN_USERNAME and
 * ADMIN_PASSWORD; the first admin signs in on the login page, a region and a station are created,
 * then key points, vehicles and users are imported from CSV files through the admin page, and the
 * imported users are listed there (an imported user signs in with the initial password).
 */
const ADMIN = { username: "city.admin", password: "first-run-pass-1" };

describe.skipIf(!HAVE_CHROMIUM)("a city starts from an empty database", () => {
  let e2e: E2ESession;
  beforeAll(async () => {
    e2e = await E2ESession.start({ SEED: "none", ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  /** Picks a file in the import panel, checks it and imports it; returns the summary seen before importing. */
  async function importCsv(page: Page, kind: string, kindLabel: string, lines: string[]) {
    const panel = page.getByTestId("imports-admin");
    await panel.getByTestId("import-kind").click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: kindLabel }).first().click();
    await panel.getByTestId("import-file").setInputFiles({
      name: `${kind}.csv`,
      mimeType: "text/csv",
      buffer: Buffer.from(`${lines.join("\n")}\n`),
    });
    await panel.getByTestId("import-preview").click();
    const summary = panel.getByTestId("import-summary");
    await expect.poll(() => summary.textContent(), { timeout: STEP }).toContain(`新增 ${lines.length - 1}`);
    await panel.getByTestId("import-commit").click();
    await expect.poll(() => summary.count(), { timeout: STEP }).toBe(0);
  }

  it("the first admin signs in, sets up a region and a station, and imports key points, vehicles and users", async () => {
    const ctx = await e2e.browser.newContext({
      baseURL: e2e.srv.url,
      locale: "zh-CN",
      viewport: { width: 1440, height: 900 },
    });
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP);
    await page.goto(e2e.srv.url + "/login");
    await page.getByLabel("用户名").fill(ADMIN.username);
    await page.getByLabel("密码").fill(ADMIN.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/admin/);

    // Region and station through the API as the admin (their forms have their own tests).
    const admin = await e2e.client(ADMIN.username, ADMIN.password);
    const regionId = ok(await admin.call(api.regions.create, { body: { name: "示例市", level: "city" } }), "region").id;
    const stationId = ok(
      await admin.call(api.stations.create, {
        body: { code: "SL", name: "示例救助管理站", regionId, lat: 45.7, lng: 126.6 },
      }),
      "station",
    ).id;
    await page.reload();

    await importCsv(page, "keypoints", "重点点位", [
      "站点代码(station_code),名称(name),类型(kind),纬度(lat),经度(lng)",
      "SL,示例桥洞,bridge_underpass,45.71,126.61",
      "SL,示例广场,square,45.72,126.62",
    ]);
    await importCsv(page, "vehicles", "车辆", ["station_code,call_sign,plate", "SL,SL-01,黑A·00001"]);
    await importCsv(page, "users", "用户", [
      "username,display_name,role,station_code,region,password",
      "sl.head,示例站长,head,SL,,head-pass-123",
      "sl.patrol,示例队员,patrol,SL,,patrol-pass-123",
    ]);

    await page.reload();
    const users = page.getByTestId("users-admin");
    for (const name of ["sl.head", "sl.patrol"])
      await expect.poll(() => users.locator("tr", { hasText: name }).count(), { timeout: STEP }).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}first-run-imported.png`, fullPage: true });
    const kps = ok(await admin.call(api.keypoints.list, { query: { stationId } }));
    expect(kps.items.map((k) => k.name).sort()).toEqual(["示例广场", "示例桥洞"]);
    const vehicles = ok(await admin.call(api.vehicles.list));
    expect(vehicles.items.map((v) => v.callSign)).toEqual(["SL-01"]);

    // The imported head signs in with the initial password.
    await e2e.client("sl.head", "head-pass-123");
    await ctx.close();
  });
});

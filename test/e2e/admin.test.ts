import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, ok } from "./steps.js";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";

/**
 * Setting up a city from the admin page: the admin adds a vehicle, a key point (placed with a click
 * on the small map) and a patrol account; that patrol signs in on the phone with the password the
 * admin gave and finds the new vehicle in the pick list.
 */

describe.skipIf(!HAVE_CHROMIUM)("admin sets up vehicles, key points and users", () => {
  let e2e: E2ESession;
  let adminApi: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    adminApi = await e2e.client("admin");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  /** Chooses an option of a searchable antd Select in the open modal by typing it, and checks it took. */
  const choose = async (page: Page, testId: string, text: string) => {
    const select = page.locator(".ant-modal:visible").getByTestId(testId);
    await select.click();
    await page.keyboard.type(text);
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: text }).first().waitFor();
    await page.keyboard.press("Enter");
    await expect.poll(() => select.textContent(), { timeout: STEP }).toContain(text);
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${SCREENSHOTS}admin-${name}.png`, fullPage: true });

  it("admin adds a vehicle, a key point and a patrol user; the patrol signs in and sees the vehicle", async () => {
    const stations = ok(await adminApi.call(api.stations.list));
    const dl = stations.items.find((s) => s.code === "DL")!;
    const admin = await e2e.desk("admin", /\/admin/);

    // ---- A vehicle for the DL station.
    const vehicles = admin.getByTestId("vehicles-admin");
    await admin.getByTestId("vehicle-add").click();
    const vModal = admin.locator(".ant-modal:visible");
    await vModal.getByTestId("vehicle-callSign").fill("DL-E2E");
    await vModal.getByTestId("vehicle-plate").fill("黑A·E2E01");
    await choose(admin, "vehicle-station", dl.name);
    await vModal.getByTestId("vehicle-seats").fill("7");
    await admin.getByTestId("vehicle-save").click();
    await expect.poll(() => vehicles.locator("tr", { hasText: "DL-E2E" }).count(), { timeout: STEP }).toBe(1);
    const row = vehicles.locator("tr", { hasText: "DL-E2E" });
    expect(await row.textContent()).toContain("黑A·E2E01");
    expect(await row.textContent()).toContain(dl.name);

    // A bad call sign is refused on its field by the shared schema, before any request.
    await admin.getByTestId("vehicle-add").click();
    await admin.locator(".ant-modal:visible").getByTestId("vehicle-plate").fill("X");
    await admin.getByTestId("vehicle-save").click();
    await expect
      .poll(() => admin.locator(".ant-modal:visible .ant-form-item-has-error").count(), { timeout: STEP })
      .toBeGreaterThan(0);
    await admin
      .locator(".ant-modal:visible")
      .getByRole("button", { name: /取\s*消/ })
      .click();

    // Out of service and back, only as the machine allows (off duty offers available and out of service).
    await vehicles.getByTestId("vehicle-status-DL-E2E").click();
    const menu = admin.locator(".ant-dropdown:visible .ant-dropdown-menu-item");
    await menu.first().waitFor();
    expect(await menu.allTextContents()).toEqual(["停用", "待命"]);
    // The table re-reads the vehicles after a change: the next change must carry the new version.
    const relisted = admin.waitForResponse(
      (r) => r.request().method() === "GET" && new URL(r.url()).pathname === api.vehicles.list.path,
    );
    await menu.filter({ hasText: "停用" }).click();
    await expect
      .poll(async () => ok(await adminApi.call(api.vehicles.list)).items.find((v) => v.callSign === "DL-E2E")?.status, {
        timeout: STEP,
      })
      .toBe("out_of_service");
    await relisted;
    await vehicles.getByTestId("vehicle-status-DL-E2E").click();
    await admin.locator(".ant-dropdown:visible .ant-dropdown-menu-item").first().waitFor();
    expect(await admin.locator(".ant-dropdown:visible .ant-dropdown-menu-item").allTextContents()).toEqual([
      "未出勤",
      "待命",
    ]);
    await admin.locator(".ant-dropdown:visible .ant-dropdown-menu-item", { hasText: "待命" }).click();
    await expect
      .poll(async () => ok(await adminApi.call(api.vehicles.list)).items.find((v) => v.callSign === "DL-E2E")?.status, {
        timeout: STEP,
      })
      .toBe("available");

    // ---- A key point, placed by clicking the map.
    const kps = admin.getByTestId("keypoints-admin");
    await admin.getByTestId("keypoint-add").click();
    const kModal = admin.locator(".ant-modal:visible");
    await kModal.getByTestId("keypoint-name").fill("测试桥洞 E2E");
    await choose(admin, "keypoint-station", dl.name);
    const map = kModal.getByTestId("keypoint-map").locator(".leaflet-container");
    await map.waitFor();
    const box = (await map.boundingBox())!;
    await admin.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.4);
    await expect.poll(() => kModal.getByTestId("keypoint-lat").inputValue(), { timeout: STEP }).not.toBe("");
    const lat = Number(await kModal.getByTestId("keypoint-lat").inputValue());
    const lng = Number(await kModal.getByTestId("keypoint-lng").inputValue());
    await shot(admin, "keypoint-form");
    await admin.getByTestId("keypoint-save").click();
    await expect.poll(() => kps.locator("tr", { hasText: "测试桥洞 E2E" }).count(), { timeout: STEP }).toBe(1);
    const points = ok(await adminApi.call(api.keypoints.list, { query: { stationId: dl.id } }));
    const kp = points.items.find((k) => k.name === "测试桥洞 E2E")!;
    expect(kp).toMatchObject({ stationId: dl.id, kind: "bridge_underpass", active: true });
    expect(kp.lat).toBeCloseTo(lat, 5);
    expect(kp.lng).toBeCloseTo(lng, 5);

    // ---- A patrol account for DL.
    const users = admin.getByTestId("users-admin");
    await admin.getByTestId("user-add").click();
    const uModal = admin.locator(".ant-modal:visible");
    await uModal.getByTestId("user-username").fill("patrol-e2e");
    await uModal.getByTestId("user-displayName").fill("巡查测试组 周宁");
    await choose(admin, "user-station", dl.name);
    await uModal.getByTestId("user-password").fill("short");
    await admin.getByTestId("user-save").click();
    // Too short: the shared schema's rule lands on the password field.
    await expect.poll(() => uModal.locator(".ant-form-item-has-error").count(), { timeout: STEP }).toBe(1);
    await uModal.getByTestId("user-password").fill("snow-night-2026");
    await admin.getByTestId("user-save").click();
    await expect.poll(() => users.locator("tr", { hasText: "patrol-e2e" }).count(), { timeout: STEP }).toBe(1);
    const created = ok(await adminApi.call(api.users.list, { query: { q: "patrol-e2e" } })).items[0]!;
    expect(created).toMatchObject({ username: "patrol-e2e", role: "patrol", stationId: dl.id });
    await shot(admin, "page");

    // ---- The new patrol signs in on the phone and finds the new vehicle to pick.
    const phone = await e2e.phoneWithPassword("patrol-e2e", "snow-night-2026");
    await expect.poll(() => phone.getByRole("button", { name: /^DL-E2E · / }).count(), { timeout: STEP }).toBe(1);
    await shot(phone, "phone");

    // ---- The DL head finds the new key point on the station page's key points tab, and may add more there.
    const head = await e2e.desk("head", /\/station/);
    await head.getByRole("tab", { name: "重点点位" }).click();
    const tab = head.getByTestId("keypoints-admin");
    await expect.poll(() => tab.locator("tr", { hasText: "测试桥洞 E2E" }).count(), { timeout: STEP }).toBe(1);
    expect(await tab.getByTestId("keypoint-add").count()).toBe(1);
  });

  it("admin imports a CSV of key points: a bad file shows its problems and writes nothing, the fixed one lands on the key points tab", async () => {
    const admin = await e2e.desk("admin", /\/admin/);
    const panel = admin.getByTestId("imports-admin");
    const header = "站点代码(station_code),名称(name),类型(kind),纬度(lat),经度(lng),地址(address),备注(notes)";
    const good = ["DL,导入桥洞甲,bridge_underpass,45.772,126.621,,", "DL,导入广场乙,square,45.768,126.615,,"];
    const pick = (text: string) =>
      panel
        .getByTestId("import-file")
        .setInputFiles({ name: "points.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n${text}\n`) });

    await pick([...good, "DL,导入坏点,bridge_underpass,95,126.6,,"].join("\n"));
    await panel.getByTestId("import-preview").click();
    const problems = panel.getByTestId("import-problems");
    await expect.poll(() => problems.locator("tr", { hasText: "lat" }).count(), { timeout: STEP }).toBe(1);
    expect(await problems.locator("tr", { hasText: "lat" }).textContent()).toContain("4");
    expect(await panel.getByTestId("import-commit").isDisabled()).toBe(true);
    await shot(admin, "import-problems");

    await pick(good.join("\n"));
    await panel.getByTestId("import-preview").click();
    await expect.poll(() => panel.getByTestId("import-summary").textContent(), { timeout: STEP }).toContain("新增 2");
    await panel.getByTestId("import-commit").click();
    await expect.poll(() => panel.getByTestId("import-summary").count(), { timeout: STEP }).toBe(0);

    const head = await e2e.desk("head", /\/station/);
    await head.getByRole("tab", { name: "重点点位" }).click();
    const tab = head.getByTestId("keypoints-admin");
    for (const name of ["导入桥洞甲", "导入广场乙"])
      await expect.poll(() => tab.locator("tr", { hasText: name }).count(), { timeout: STEP }).toBe(1);
    expect(await tab.locator("tr", { hasText: "导入坏点" }).count()).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haversineMeters } from "../../shared/geo.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import type { TestClient } from "../helpers/http.js";
import { E2ESession, STEP, dispatchTo, newCall, outboxConfirmed, stationOf, vehicleCalled } from "./steps.js";

/**
 * The current task on a map: patrol1's phone at 360×740 with no tile server
 * reachable (every request off our server is refused) gets a task and shows it on a map drawn on
 * a plain background: a task marker, the phone's own position, the straight line between them
 * with its distance, a scale; the navigation links stay. Leaflet is not part of the first load.
 * Offline, the vehicle's status follows the crew's queued tap, marked as waiting, and is marked
 * confirmed once the server has it.
 */
const PHONE = { lat: 45.7712, lng: 126.615 }; // E2ESession.phone's geolocation
const TASK = { lat: 45.76, lng: 126.629 };
const PLACE = "e2e 地图：防洪纪念塔广场";

describe.skipIf(!HAVE_CHROMIUM)("the phone shows its task on a map without tiles", () => {
  let e2e: E2ESession;
  let operator: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    operator = await e2e.client("operator");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("draws task, phone and distance on a plain background at 360 px, and shows a queued status as waiting", async () => {
    const requested: string[] = [];
    let firstLoad: string[] = [];
    const phone = await e2e.phone("patrol1", async (page) => {
      // No tile server: anything not served by us fails, as on a phone with no internet route.
      await page.context().route(
        (url) => !url.href.startsWith(e2e.srv.url),
        (r) => r.abort("internetdisconnected"),
      );
      page.on("request", (r) => requested.push(r.url()));
      // What the login screen needed: the page's first load.
      firstLoad = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
    });
    await phone.getByRole("button", { name: /^DL-01 · 待命/ }).click();
    expect(
      firstLoad.some((u) => /\/assets\/m-.*\.js$/.test(u)),
      "the phone page loaded",
    ).toBe(true);
    expect(
      firstLoad.filter((u) => /leaflet|TaskMap/i.test(u)),
      "Leaflet is not in the first load",
    ).toEqual([]);

    await phone.getByRole("button", { name: "出车", exact: true }).click();
    await phone.getByRole("region", { name: "出车" }).getByRole("button", { name: "出车", exact: true }).click();
    await outboxConfirmed(phone, "出车");

    // The operator logs a call and sends DL-01.
    const caseId = await newCall(operator, { ...TASK, placeText: PLACE, description: "e2e 地图" });
    const dl01 = await vehicleCalled(operator, await stationOf(operator), "DL-01");
    await dispatchTo(operator, caseId, dl01);

    const task = phone.getByRole("region", { name: "当前任务" });
    await expect.poll(() => task.textContent(), { timeout: STEP }).toContain(PLACE);
    const map = task.getByTestId("task-map");
    await expect.poll(() => map.locator(".ph-map-task").count(), { timeout: STEP }).toBe(1);
    await expect.poll(() => map.locator(".ph-map-me").count(), { timeout: STEP }).toBe(1);
    expect(
      requested.some((u) => /leaflet/i.test(u)),
      "Leaflet came with the map",
    ).toBe(true);

    // The distance on the line and in the card: haversine from the phone to the task, to 0.1 km.
    const km = haversineMeters(PHONE, TASK) / 1000;
    const label = (await map.locator(".ph-map-dist").textContent())!;
    const shown = Number(/([\d.]+)\s*公里/.exec(label)?.[1]);
    expect(Math.abs(shown - km), `${label} vs ${km.toFixed(3)} km`).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(await task.getByTestId("task-distance").textContent()).toContain(label);
    await expect.poll(() => map.locator(".leaflet-control-scale-line").count()).toBeGreaterThan(0);

    // Tiles unavailable: the map says so and still shows everything, inside the 360 px screen.
    await expect.poll(() => map.getAttribute("data-tiles"), { timeout: STEP }).toBe("down");
    expect(await task.getByRole("note").textContent()).toContain("底图无法加载");
    const box = (await map.boundingBox())!;
    for (const sel of [".ph-map-task", ".ph-map-me", ".ph-map-dist"]) {
      const b = (await map.locator(sel).boundingBox())!;
      expect(
        b.x >= box.x - 1 &&
          b.x + b.width <= box.x + box.width + 1 &&
          b.y >= box.y - 1 &&
          b.y + b.height <= box.y + box.height + 1,
        `${sel} inside the map`,
      ).toBe(true);
    }
    expect(
      await phone.evaluate(() => document.documentElement.scrollWidth),
      "no sideways scrolling at 360 px",
    ).toBeLessThanOrEqual(360);
    // The task is south-east of the phone: lower and to the right on screen.
    const t = (await map.locator(".ph-map-task").boundingBox())!;
    const m = (await map.locator(".ph-map-me").boundingBox())!;
    expect(t.y, "task south of the phone").toBeGreaterThan(m.y);
    expect(t.x, "task east of the phone").toBeGreaterThan(m.x);
    for (const name of ["导航", "高德地图", "百度地图"]) expect(await task.getByRole("link", { name }).count()).toBe(1);
    const fit = task.getByRole("button", { name: "显示全部" });
    expect((await fit.boundingBox())!.height, "touch target").toBeGreaterThanOrEqual(56);
    await phone.screenshot({ path: `${SCREENSHOTS}phone-map-01-task.png`, fullPage: true });

    // Offline, the crew sets off: the vehicle shows en route, waiting; online again, confirmed.
    const status = phone.getByTestId("vehicle-status");
    expect(await status.textContent()).toBe("已派车");
    expect(await status.getAttribute("data-state")).toBe("confirmed");
    await phone.context().setOffline(true);
    await task.getByRole("button", { name: "接单", exact: true }).click();
    await task.getByRole("button", { name: "出发", exact: true }).click();
    await expect.poll(() => status.textContent()).toBe("前往途中");
    expect(await status.getAttribute("data-state")).toBe("waiting");
    const card = phone.getByRole("region", { name: "本车" });
    expect(await card.textContent()).toContain("服务器：已派车");
    await phone.screenshot({ path: `${SCREENSHOTS}phone-map-02-waiting.png`, fullPage: true });
    await phone.context().setOffline(false);
    await expect.poll(() => status.getAttribute("data-state"), { timeout: STEP }).toBe("confirmed");
    await expect.poll(() => status.textContent(), { timeout: STEP }).toBe("前往途中");
    expect(await card.textContent()).toContain("已确认");
  });
});

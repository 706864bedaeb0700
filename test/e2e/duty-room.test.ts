import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, newCall, ok, stationOf } from "./steps.js";

/**
 * The duty room at dispatch time, in Chromium with no tile server: the opened case sits beside the
 * map (not over it) with the case and the recommended vehicles all in the visible map at 1366 and
 * 1920 px; sending a crewless vehicle asks first; a task nobody acknowledges raises the banner and
 * the attention signal within the ack timeout plus the server's check interval, and acknowledging
 * it clears both.
 */
const ACK_TIMEOUT_S = 5;
/** The server checks for overdue tasks every 5 s (server/services.ts UNACK_CHECK_MS), plus a job tick. */
const CHECK_S = 5 + 1;
const CASE_AT = { lat: 45.7655, lng: 126.6412 };

type Box = { x: number; y: number; width: number; height: number };
const inside = (b: Box, outer: Box) =>
  b.x >= outer.x - 1 &&
  b.y >= outer.y - 1 &&
  b.x + b.width <= outer.x + outer.width + 1 &&
  b.y + b.height <= outer.y + outer.height + 1;
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox();
  expect(b, "element has a box").not.toBeNull();
  return b!;
}

describe.skipIf(!HAVE_CHROMIUM)("duty room: dispatch beside the map, unacknowledged alert", () => {
  let e2e: E2ESession;
  let operator: TestClient;
  let page: Page;
  let caseId: string;
  beforeAll(async () => {
    e2e = await E2ESession.start({ ACK_TIMEOUT_SECONDS: String(ACK_TIMEOUT_S) });
    operator = await e2e.client("operator");
    e2e.contextSetup = async (ctx) => {
      // No tile server reachable, as in the night shift's duty room.
      await ctx.route(
        (url) => !url.href.startsWith(e2e.srv.url),
        (r) => r.abort("internetdisconnected"),
      );
    };
    page = await e2e.desk("operator", /\/duty/);
    caseId = await newCall(operator, {
      ...CASE_AT,
      placeText: "e2e 值班室：派车旁的地图",
      description: "e2e 值班室",
    });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  for (const [width, height] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`at ${width}×${height} the case and its recommended vehicles are in the map beside the open case`, async () => {
      await page.setViewportSize({ width, height });
      await page.getByTestId("duty-room").locator(`.wl-duty-qitem`).filter({ hasText: "e2e 值班室" }).click();
      const drawer = page.locator(".ant-drawer-section").filter({ has: page.getByTestId("dispatch-slot") });
      const recs = drawer.getByTestId("recommendation");
      await expect.poll(() => recs.count(), { timeout: STEP }).toBeGreaterThan(0);
      const stationId = await stationOf(operator);
      const recommended = ok(await operator.call(api.dispatch.recommendations, { params: { id: caseId } }))
        .items.slice(0, 3)
        .filter((r) => r.distanceM !== null);
      expect(recommended.length, `vehicles with a position near the case (station ${stationId})`).toBeGreaterThan(0);

      const mapPane = page.getByTestId("duty-map-pane");
      const paneBox = await box(mapPane);
      const drawerBox = await box(drawer);
      expect(overlaps(paneBox, drawerBox), "the open case does not cover the map").toBe(false);
      expect(paneBox.width, "the map keeps a usable width").toBeGreaterThan(400);
      const marker = (id: string) => mapPane.locator(`[data-point="${id}"] > *`);
      // The fit runs after the recommendations arrive; wait for it to settle on all markers.
      await expect
        .poll(
          async () => {
            for (const id of [caseId, ...recommended.map((r) => r.vehicleId)]) {
              const m = marker(id);
              if (!(await m.count())) return `missing ${id}`;
              if (!inside(await box(m), paneBox)) return `outside ${id}`;
            }
            return "all inside";
          },
          { timeout: STEP },
        )
        .toBe("all inside");
      // The recommended vehicles are marked out (outline, halo, rank in the label), the others are not.
      const marked = mapPane.locator('[data-marked="true"]');
      await expect.poll(() => marked.count(), { timeout: STEP }).toBe(recommended.length);
      for (const r of recommended) {
        const chip = marker(r.vehicleId);
        await expect.poll(() => chip.getAttribute("class")).toContain("is-marked");
        expect(await chip.evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe("3px");
        expect(await chip.textContent(), "the rank is written in the chip").toMatch(/^\d·/);
      }
      // Labels of the drawer stay on one line (no 依/据).
      const label = drawer.locator(".ant-descriptions-item-label").first();
      const lb = await box(label);
      expect(lb.width, "label column is wide enough for a word").toBeGreaterThan(40);
      await page.screenshot({ path: `${SCREENSHOTS}duty-room-${width}.png` });
      await drawer.locator(".ant-drawer-close").click();
      await expect.poll(() => drawer.count()).toBe(0);
    });
  }

  it("asks before sending a crewless vehicle; the unacknowledged banner and signal appear after the timeout and clear on acknowledgement", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator(".wl-duty-qitem").filter({ hasText: "e2e 值班室" }).click();
    const drawer = page.locator(".ant-drawer-section").filter({ has: page.getByTestId("dispatch-slot") });
    const rec = drawer.getByTestId("recommendation").filter({ hasText: "无人出车" }).first();
    await rec.getByRole("button", { name: /^派\s?车$/ }).click();
    const dialog = page.getByRole("dialog").filter({ hasText: "没有出车人员" });
    await dialog.waitFor();
    const sentAt = Date.now();
    await dialog.getByRole("button", { name: /^派\s?车$/ }).click();
    const activeTask = async () =>
      ok(await operator.call(api.dispatch.list, { query: { caseId, active: "true" } })).items[0] ?? null;
    await expect.poll(activeTask, { timeout: STEP }).not.toBeNull();
    const task = (await activeTask())!;

    const banner = page.getByTestId("unacked-alert");
    await banner.waitFor({ timeout: (ACK_TIMEOUT_S + CHECK_S + 10) * 1000 });
    const shownAfterS = (Date.now() - sentAt) / 1000;
    console.log(`unacknowledged banner shown ${shownAfterS.toFixed(1)} s after dispatch (timeout ${ACK_TIMEOUT_S} s)`);
    expect(shownAfterS, "not before the deadline").toBeGreaterThanOrEqual(ACK_TIMEOUT_S - 0.5);
    // Within the deadline plus the server's check interval, with slack for a loaded machine.
    expect(shownAfterS).toBeLessThan(ACK_TIMEOUT_S + CHECK_S + 8);
    await expect.poll(() => page.getByTestId("attention-toggle").getAttribute("data-attention")).toBe("on");
    await expect.poll(() => page.evaluate(() => document.title), { timeout: STEP }).toContain("未确认任务");

    // The crew acknowledges (DL vehicles belong to patrol1's station).
    const crew = await e2e.client("patrol1");
    const ack = await crew.call(api.dispatch.setStatus, {
      params: { id: task.id },
      body: { status: "acknowledged", version: task.version },
    });
    ok(ack, "acknowledge");
    await banner.waitFor({ state: "detached", timeout: STEP });
    await expect.poll(() => page.getByTestId("attention-toggle").getAttribute("data-attention")).toBe("off");
    await expect.poll(() => page.evaluate(() => document.title)).not.toContain("未确认任务");
  });
  it("a new critical case raises the attention signal (title flash, indicator on) until the operator opens it", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    // The case opened by the test before takes the queue's column: close it first.
    const close = page.locator(".ant-drawer-section .ant-drawer-close");
    if (await close.count()) await close.click();
    await expect.poll(() => close.count(), { timeout: STEP }).toBe(0);
    const toggle = page.getByTestId("attention-toggle");
    await expect.poll(() => toggle.getAttribute("data-attention"), { timeout: STEP }).toBe("off");
    const created = ok(
      await operator.call(api.cases.createSighting, {
        body: {
          id: crypto.randomUUID(),
          source: "public_hotline",
          lat: 45.7712,
          lng: 126.6302,
          placeText: "e2e 危急：桥下有人不动",
          peopleCount: 1,
          description: "e2e 危急",
          flags: ["not_moving"],
          newCase: true,
        },
      }),
      "critical sighting",
    );
    expect(created.case.urgency).toBe("critical");
    await expect.poll(() => toggle.getAttribute("data-attention"), { timeout: STEP }).toBe("on");
    // The title flashes: it alternates between the reason and the page's own title.
    const titles = new Set<string>();
    await expect
      .poll(
        async () => {
          titles.add(await page.evaluate(() => document.title));
          return [...titles].some((t) => t.includes("新的危急警情")) && titles.size > 1;
        },
        { timeout: STEP, interval: 200 },
      )
      .toBe(true);
    // Muting silences the beep only: the indicator and the flash stay.
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-pressed")).toBe("true");
    expect(await toggle.getAttribute("data-attention")).toBe("on");
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-pressed")).toBe("false");
    // Opening the case is the operator's answer: the signal stops.
    await page.locator(".wl-duty-qitem").filter({ hasText: "e2e 危急" }).click();
    await expect.poll(() => toggle.getAttribute("data-attention"), { timeout: STEP }).toBe("off");
    await expect.poll(() => page.evaluate(() => document.title)).not.toContain("新的危急警情");
    await page.screenshot({ path: `${SCREENSHOTS}duty-room-critical-opened.png` });
    await page.locator(".ant-drawer-section .ant-drawer-close").click();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, ok } from "./steps.js";

/**
 * The operator's path by keyboard alone, in Chromium: a call at a key point logged and a vehicle
 * sent in at most 15 key presses (shortcuts, Enter, Tab; the few characters of the key point's name
 * are counted apart), with no mouse, pointer or touch event on the page; Alt+D puts focus on the new
 * case's first recommended vehicle and focus stays on the new task after assigning. A call at typed
 * coordinates and one at a place found by name are logged the same way. The skip link jumps past
 * the map to the queue; the focus ring is at 3:1 or more and unlike the selection.
 */
const MAX_PRESSES = 15;
const KEY_POINT = { name: "防洪纪念塔广场", typed: "防洪纪念", lat: 45.7808, lng: 126.622 };
const COORDS = { lat: 45.7712, lng: 126.6302 };
const PICK_ON_MAP = "在地图上点击选取位置";
const BY_NAME = { name: "中央大街地下通道", typed: "中央大街", lat: 45.7745, lng: 126.617 };

/** Relative luminance and contrast ratio (WCAG 2.1). */
function luminance(rgb: [number, number, number]): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: [number, number, number], b: [number, number, number]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The focused element: its outline and the opaque background behind it. */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const cs = getComputedStyle(el);
    const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).slice(0, 4).map(Number);
    let bg: number[] = [255, 255, 255];
    for (let n: HTMLElement | null = el.parentElement; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0.9)) {
        bg = c.slice(0, 3);
        break;
      }
    }
    return {
      style: cs.outlineStyle,
      width: parseFloat(cs.outlineWidth),
      color: rgb(cs.outlineColor).slice(0, 3) as [number, number, number],
      bg: bg as [number, number, number],
      background: cs.backgroundColor,
    };
  });
}

describe.skipIf(!HAVE_CHROMIUM)("the duty room by keyboard alone", () => {
  let e2e: E2ESession;
  let operator: TestClient;
  let page: Page;
  let presses = 0;
  let typed = 0;
  const press = async (key: string) => {
    presses++;
    await page.keyboard.press(key);
  };
  const type = async (text: string) => {
    typed += [...text].length;
    await page.keyboard.type(text);
  };
  const active = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName ?? "",
        testid: el?.closest("[data-testid]")?.getAttribute("data-testid") ?? "",
        task: el?.getAttribute("data-task-id") ?? "",
        keys: el?.getAttribute("aria-keyshortcuts") ?? "",
        text: (el?.textContent ?? "").replace(/\s+/g, " ").trim(),
        id: el?.id ?? "",
        inRecommendation: !!el?.closest('[data-testid="recommendation"]'),
      };
    });
  /** Alt+N: a fresh call, focus back on its first field (the source). */
  const newCall = async () => {
    await press("Alt+KeyN");
    await page.waitForFunction(() => document.activeElement?.getAttribute("aria-describedby") === "wl-intake-keys");
  };
  const pointerEvents = () => page.evaluate(() => (window as unknown as { __pointer: string[] }).__pointer);
  const position = () => page.getByTestId("intake-position").textContent();
  const filedCase = async (place: string) => {
    const items = ok(await operator.call(api.cases.list, { query: {} }), "cases").items;
    return items.find((c) => c.placeText === place);
  };

  beforeAll(async () => {
    e2e = await E2ESession.start();
    e2e.contextSetup = async (ctx) => {
      // No tile server reachable, as in the night shift's duty room.
      await ctx.route(
        (url) => !url.href.startsWith(e2e.srv.url),
        (r) => r.abort("internetdisconnected"),
      );
      // Every mouse, pointer and touch event the page sees, from the first page on.
      await ctx.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __pointer: string[] }).__pointer = seen;
        for (const type of ["mousedown", "mouseup", "pointerdown", "pointerup", "touchstart", "wheel"])
          addEventListener(
            type,
            (e) => seen.push(`${type}${"pointerType" in e ? `:${(e as PointerEvent).pointerType}` : ""}`),
            true,
          );
      });
    };
    operator = await e2e.client("operator");
    // Signing in is typed (fill + Enter), no click.
    page = await e2e.desk("operator", /\/duty/);
    await page.getByTestId("queue-title").waitFor();
    // The source field has focus on load.
    await page.waitForFunction(() => !!document.activeElement?.closest('[data-testid="intake-form"]'));
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it(`a call at a key point to a dispatched vehicle in ≤ ${MAX_PRESSES} key presses, no mouse`, async () => {
    presses = 0;
    typed = 0;
    // The shortcuts are written where the eye is and announced with the controls.
    expect(await page.getByTestId("intake-form").textContent()).toContain("Alt+D");
    await press("Alt+KeyK");
    expect((await active()).keys, "focus on the key point field (Alt+K)").toBe("Alt+K");
    await type(KEY_POINT.typed);
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option-active").waitFor();
    await press("Enter");
    await expect.poll(position, { timeout: STEP }).toBe(`${KEY_POINT.lat.toFixed(5)}, ${KEY_POINT.lng.toFixed(5)}`);
    await press("Alt+Digit2");
    await press("Control+Enter");
    const status = page.getByTestId("intake-status");
    await expect.poll(() => status.textContent(), { timeout: STEP }).toContain("已建立新案件");
    expect(await status.getAttribute("aria-live"), "the filing is announced").toBe("polite");
    expect(await status.textContent(), "the announcement says which key dispatches").toContain("Alt+D");
    const kase = await filedCase(KEY_POINT.name);
    expect(kase, "the case was filed at the key point").toMatchObject({ lat: KEY_POINT.lat, lng: KEY_POINT.lng });

    // Alt+D: the case just filed opens, focus on its first recommended vehicle's Dispatch button.
    await press("Alt+KeyD");
    await expect.poll(async () => (await active()).inRecommendation, { timeout: STEP }).toBe(true);
    const recs = ok(await operator.call(api.dispatch.recommendations, { params: { id: kase!.id } })).items;
    const first = page.getByTestId("recommendation").first();
    expect(await first.textContent()).toContain(recs[0]!.callSign);
    expect((await active()).keys).toBe("Alt+D");
    const ring = await focusRing(page);
    expect(ring.style, "a visible focus ring").toBe("solid");
    expect(ring.width).toBeGreaterThanOrEqual(2);
    const ratio = contrast(ring.color, ring.bg);
    console.log(`focus ring rgb(${ring.color}) on rgb(${ring.bg}): ${ratio.toFixed(2)}:1`);
    expect(ratio, "focus ring at 3:1 or more").toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `${SCREENSHOTS}keyboard-first-recommendation.png` });

    await press("Enter");
    // A vehicle nobody is on asks first: its OK button has focus, Enter confirms.
    if (recs[0]!.crewCount === 0) {
      const dialog = page.getByRole("dialog").filter({ hasText: "没有出车人员" });
      await dialog.waitFor({ timeout: STEP });
      await press("Enter");
    }
    const activeTask = async () =>
      ok(await operator.call(api.dispatch.list, { query: { caseId: kase!.id, active: "true" } })).items;
    await expect.poll(async () => (await activeTask()).length, { timeout: STEP }).toBe(1);
    const [task] = await activeTask();
    expect(task!.vehicleId, "the first recommended vehicle was sent").toBe(recs[0]!.vehicleId);
    // Focus stays on the new task, not the page body.
    await expect.poll(async () => (await active()).task, { timeout: STEP }).toBe(task!.id);
    expect((await active()).text).toContain(recs[0]!.callSign);
    await page.screenshot({ path: `${SCREENSHOTS}keyboard-task-focused.png` });

    console.log(`key point call → dispatched vehicle: ${presses} key presses + ${typed} characters typed`);
    expect(presses).toBeLessThanOrEqual(MAX_PRESSES);
    expect(await pointerEvents(), "no mouse, pointer or touch event").toEqual([]);
  });

  it("a call at typed coordinates and one at a place found by name, by keyboard", async () => {
    await newCall();
    await press("Alt+KeyL");
    expect((await active()).keys, "focus on the place field (Alt+L)").toBe("Alt+L");
    const coords = `${COORDS.lat}, ${COORDS.lng}`;
    await type(coords);
    // Free text stays free: a suggestion is taken with ↓ then Enter.
    await page.locator(".ant-select-dropdown:visible [data-testid=place-option]", { hasText: "坐标" }).waitFor();
    await press("ArrowDown");
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option-active", { hasText: "坐标" }).waitFor();
    await press("Enter");
    await expect.poll(position, { timeout: STEP }).toBe(`${COORDS.lat.toFixed(5)}, ${COORDS.lng.toFixed(5)}`);
    await press("Control+Enter");
    const coordsText = `${COORDS.lat.toFixed(5)}, ${COORDS.lng.toFixed(5)}`;
    await expect.poll(() => filedCase(coordsText), { timeout: STEP }).toMatchObject(COORDS);
    // The form clears itself once the server's answer reached the page: wait for that before the next call.
    await expect.poll(position, { timeout: STEP }).toBe(PICK_ON_MAP);

    await newCall();
    await press("Alt+KeyL");
    await type(BY_NAME.typed);
    await page
      .locator(".ant-select-dropdown:visible [data-testid=place-option]", { hasText: BY_NAME.name })
      .first()
      .waitFor();
    await press("ArrowDown");
    await page
      .locator(".ant-select-dropdown:visible .ant-select-item-option-active", { hasText: BY_NAME.name })
      .waitFor();
    await press("Enter");
    await expect.poll(position, { timeout: STEP }).toBe(`${BY_NAME.lat.toFixed(5)}, ${BY_NAME.lng.toFixed(5)}`);
    await press("Control+Enter");
    await expect
      .poll(() => filedCase(BY_NAME.name), { timeout: STEP })
      .toMatchObject({ lat: BY_NAME.lat, lng: BY_NAME.lng });
    expect(await pointerEvents(), "no mouse, pointer or touch event").toEqual([]);
  });

  it("the skip link jumps past the map to the queue; queue focus is ringed and unlike the selection", async () => {
    await newCall();
    // Back from the first field to the skip link at the top of the duty room.
    for (let i = 0; i < 8 && (await active()).testid !== "skip-to-queue"; i++) await press("Shift+Tab");
    const skip = await active();
    expect(skip.testid, "the skip link is reached by keyboard").toBe("skip-to-queue");
    expect(skip.text).toBe("跳到队列");
    const box = await page.getByTestId("skip-to-queue").boundingBox();
    expect(box && box.x >= 0 && box.y >= 0, "shown when focused").toBe(true);
    await press("Enter");
    await expect.poll(async () => (await active()).testid, { timeout: STEP }).toBe("queue");
    const ring = await focusRing(page);
    const ratio = contrast(ring.color, ring.bg);
    console.log(`queue row focus ring rgb(${ring.color}) on rgb(${ring.bg}): ${ratio.toFixed(2)}:1`);
    expect(ring.style).toBe("solid");
    expect(ratio, "focus ring at 3:1 or more").toBeGreaterThanOrEqual(3);
    // The selected row (the case just filed) is marked by its background, not by a ring.
    const selected = page.locator(".wl-duty-qitem.is-selected").first();
    const sel = await selected.evaluate((el) => ({
      outline: getComputedStyle(el).outlineStyle,
      bg: getComputedStyle(el).backgroundColor,
    }));
    const focusedIsSelected = await page.evaluate(() => document.activeElement?.classList.contains("is-selected"));
    if (!focusedIsSelected) expect(sel.outline, "selection is not a ring").not.toBe("solid");
    expect(`rgb(${ring.color.join(", ")})`, "the ring's colour is not the selection's").not.toBe(sel.bg);
    expect(await pointerEvents(), "no mouse, pointer or touch event").toEqual([]);
  });
});

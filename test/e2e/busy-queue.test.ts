import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Frame, Page, WebSocket } from "playwright-core";
import { HAVE_CHROMIUM } from "./harness.js";
import { E2ESession, STEP, ok } from "./steps.js";
import { api } from "../../shared/api/index.js";

/**
 * A busy night: more open cases than one page of the queue holds. The duty room shows their true
 * number, reaches the last one by scrolling (further pages load on the way), and keeps the number
 * right as live cases arrive and leave the queue.
 */
const EXTRA = 140;

describe.skipIf(!HAVE_CHROMIUM)("duty room: a queue longer than one page", () => {
  let e2e: E2ESession;
  let page: Page;
  let operator: Awaited<ReturnType<E2ESession["client"]>>;
  const file = (i: number, minutesAgo: number) =>
    operator.call(api.cases.createSighting, {
      body: {
        id: randomUUID(),
        source: "public_hotline",
        // Kilometres apart and a new case each, so the duplicate rule merges none of them.
        lat: 45.6 + (i % 20) * 0.02,
        lng: 126.4 + Math.floor(i / 20) * 0.02,
        placeText: `夜间求助 ${i}`,
        newCase: true,
        receivedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      },
    });
  const total = async () => ok(await operator.call(api.cases.list, { query: { limit: 1 } }), "queue").total;
  const shownTotal = () => page.getByTestId("queue-title").getAttribute("data-total").then(Number);

  beforeAll(async () => {
    e2e = await E2ESession.start();
    operator = await e2e.client("operator");
    for (let i = 0; i < EXTRA; i += 10) {
      const batch = Array.from({ length: Math.min(10, EXTRA - i) }, (_, k) => file(i + k, 30 + i + k));
      for (const r of await Promise.all(batch)) ok(r, "case");
    }
    page = await e2e.desk("operator", /\/duty/);
  }, 600_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it("shows the true count, reaches the last case, and keeps the count right live", async () => {
    const n = await total();
    expect(n).toBeGreaterThan(100);
    await expect.poll(shownTotal, { timeout: STEP }).toBe(n);
    // Only part of the queue is in the DOM (virtualized), and fewer are held than exist.
    const title = page.getByTestId("queue-title");
    expect(Number(await title.getAttribute("data-shown"))).toBeLessThan(n);
    expect(await page.getByTestId("queue").locator(".wl-duty-qitem").count()).toBeLessThan(60);

    const all = ok(await operator.call(api.cases.list, { query: { limit: 500 } }), "all").items;
    const last = all.at(-1)!;
    const queue = page.getByTestId("queue");
    const lastRow = queue.locator(`[data-case-id="${last.id}"]`);
    await expect
      .poll(
        async () => {
          await queue.evaluate((el) => el.scrollTo(0, el.scrollHeight));
          return lastRow.count();
        },
        { timeout: STEP },
      )
      .toBe(1);
    await expect.poll(() => title.getAttribute("data-shown").then(Number), { timeout: STEP }).toBe(n);

    // A new call arrives: one more.
    const fresh = ok(await file(EXTRA + 1, 0), "new case").case;
    await expect.poll(shownTotal, { timeout: STEP }).toBe(n + 1);
    // Two cases leave the queue (merged into the new one): two fewer, and they leave the list.
    for (const gone of [all[0]!, last]) {
      ok(
        await operator.call(api.cases.merge, {
          params: { id: gone.id },
          body: { intoId: fresh.id, version: gone.version },
        }),
        "merge",
      );
    }
    await expect.poll(shownTotal, { timeout: STEP }).toBe(n - 1);
    await expect.poll(() => lastRow.count(), { timeout: STEP }).toBe(0);
    expect(await total()).toBe(n - 1);
  });

  /**
   * GET /api/… requests (path and query) a reload of `p` makes more than once with no live event
   * received in between: a page reloads what an event says has changed (a scheduled job's event may
   * land during any reload), but nothing else may fetch a resource twice.
   */
  async function getsOnReload(p: Page, ready: () => Promise<unknown>) {
    // The first load (just signed in) finishes first, and only the reloaded document's requests
    // count: on a slow machine "network idle" can come in a lull of the first load.
    await ready();
    await p.waitForLoadState("networkidle");
    let reloaded = false;
    const onNavigated = (f: Frame) => {
      if (f === p.mainFrame()) reloaded = true;
    };
    let seq = 0;
    const firstAt = new Map<string, number>();
    const eventsAt: number[] = [];
    const repeated = new Map<string, number>();
    const count = (r: { url(): string; method(): string }) => {
      const u = new URL(r.url());
      if (!reloaded || r.method() !== "GET" || !u.pathname.startsWith("/api/")) return;
      const key = u.pathname + u.search;
      const at = seq++;
      const before = firstAt.get(key);
      if (before === undefined || eventsAt.some((e) => e > before)) firstAt.set(key, at);
      else repeated.set(key, (repeated.get(key) ?? 1) + 1);
    };
    const onSocket = (ws: WebSocket) =>
      ws.on("framereceived", (f) => {
        if (typeof f.payload === "string" && f.payload.startsWith('42["event"')) eventsAt.push(seq++);
      });
    p.on("framenavigated", onNavigated);
    p.on("request", count);
    p.on("websocket", onSocket);
    await p.reload();
    await ready();
    // Let late loaders (map layers, side panels) finish before counting.
    await p.waitForLoadState("networkidle");
    p.off("request", count);
    p.off("websocket", onSocket);
    p.off("framenavigated", onNavigated);
    return { repeated, fetched: [...firstAt.keys()] };
  }

  it("fetches each resource once per load of the duty room and the station pages", async () => {
    const duty = await getsOnReload(page, async () => {
      await expect.poll(shownTotal, { timeout: STEP }).toBeGreaterThan(100);
      await expect.poll(() => page.getByTestId("warm-map").count(), { timeout: STEP }).toBe(1);
    });
    expect([...duty.repeated]).toEqual([]);
    // The map asks for key points without the fields it does not show.
    expect(duty.fetched.some((k) => k.startsWith("/api/keypoints/map"))).toBe(true);
    expect(duty.fetched.some((k) => k.startsWith("/api/keypoints?"))).toBe(false);

    for (const who of ["head", "supervisor"]) {
      const station = await e2e.desk(who, /\/station/);
      const gets = await getsOnReload(station, () => station.getByRole("tab").first().waitFor());
      expect([...gets.repeated], who).toEqual([]);
      expect(gets.fetched.length, who).toBeGreaterThan(3);
    }
  });
});

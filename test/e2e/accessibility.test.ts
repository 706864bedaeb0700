import { randomUUID } from "node:crypto";
import axe from "axe-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import { HAVE_CHROMIUM } from "./harness.js";
import { E2ESession, STEP, ok } from "./steps.js";

/** WCAG 2.1 A and AA, as the issue measured it. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core on what the page shows now; the findings rated serious or critical. */
async function audit(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  const found = await page.evaluate(async (tags) => {
    const w = window as unknown as {
      axe: {
        run(
          ctx: Document,
          opts: object,
        ): Promise<{
          violations: {
            id: string;
            impact?: string | null;
            help: string;
            nodes: { target: unknown[]; html: string; failureSummary?: string }[];
          }[];
        }>;
      };
    };
    const r = await w.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map(
        (n) =>
          `${n.target.join(" ")} ${n.html.slice(0, 160)} — ${(n.failureSummary ?? "").replace(/\s+/g, " ").slice(0, 300)}`,
      ),
    }));
  }, TAGS);
  return found.filter((f) => f.impact === "serious" || f.impact === "critical");
}

/** Every serious or critical violation (rule, element, why) on what `page` shows, as lines naming `what`. */
async function violations(page: Page, what: string): Promise<string[]> {
  const bad = await audit(page);
  return bad.map(
    (f) => `${what}: ${f.id} (${f.impact}, ${f.nodes.length}×): ${f.help}\n    ${f.nodes.slice(0, 8).join("\n    ")}`,
  );
}

/** Fails naming every serious or critical violation on `what`. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await violations(page, what)).toEqual([]);
}

const CASE_AT = { lat: 45.7655, lng: 126.6412 };

describe.skipIf(!HAVE_CHROMIUM)("accessibility: WCAG 2.1 AA by axe-core, no serious or critical violation", () => {
  let e2e: E2ESession;
  let caseId: string;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    // No tile server, as in the night shift's duty room: the audit sees our page, not tiles.
    e2e.contextSetup = async (ctx) => {
      await ctx.route(
        (url) => !url.href.startsWith(e2e.srv.url),
        (r) => r.abort("internetdisconnected"),
      );
    };
    const op = await e2e.client("operator");
    const filed = ok(
      await op.call(api.cases.createSighting, {
        body: {
          id: randomUUID(),
          source: "public_hotline",
          ...CASE_AT,
          placeText: "e2e 无障碍：桥洞下",
          peopleCount: 1,
          description: "e2e 无障碍",
          newCase: true,
        },
      }),
      "sighting",
    );
    caseId = filed.case.id;
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("duty room with a case open", async () => {
    const page = await e2e.desk("operator", /\/duty/);
    await page.getByTestId("duty-room").locator(".wl-duty-qitem").filter({ hasText: "e2e 无障碍" }).click();
    const drawer = page.locator(".ant-drawer-section").filter({ has: page.getByTestId("dispatch-slot") });
    await expect.poll(() => drawer.getByTestId("recommendation").count(), { timeout: STEP }).toBeGreaterThan(0);
    await expectAccessible(page, "duty room, case open");
    await page.context().close();
  });

  it("station head: every tab", async () => {
    const page = await e2e.desk("head", /\/station/);
    const tabs = page.getByRole("tab");
    await expect.poll(() => tabs.count(), { timeout: STEP }).toBeGreaterThan(3);
    const names = await tabs.allInnerTexts();
    const found: string[] = [];
    for (const name of names) {
      await page.getByRole("tab", { name, exact: true }).click();
      await expect.poll(() => page.getByRole("tabpanel").count(), { timeout: STEP }).toBeGreaterThan(0);
      found.push(...(await violations(page, `station tab ${name}`)));
    }
    expect(found).toEqual([]);
    await page.context().close();
  });

  it("admin", async () => {
    const page = await e2e.desk("admin", /\/admin/);
    await expect.poll(() => page.locator(".ant-table-row").count(), { timeout: STEP }).toBeGreaterThan(0);
    await expectAccessible(page, "admin");
    await page.context().close();
  });

  it("the phone with a task", async () => {
    const patrol = await e2e.client("patrol1");
    const op = await e2e.client("operator");
    const vehicles = ok(await op.call(api.vehicles.list, { query: {} }), "vehicles").items;
    const dl01 = vehicles.find((v) => v.callSign === "DL-01")!;
    ok(
      await patrol.call(api.patrols.startSortie, { body: { id: randomUUID(), vehicleId: dl01.id, crewCount: 2 } }),
      "sortie",
    );
    const now = ok(await op.call(api.vehicles.get, { params: { id: dl01.id } }), "vehicle");
    ok(
      await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId: dl01.id, vehicleVersion: now.version },
      }),
      "assign",
    );
    const phone = await e2e.phone("patrol1");
    await phone.getByRole("button", { name: /^DL-01 · / }).click();
    const task = phone.getByRole("region", { name: "当前任务" });
    await expect.poll(() => task.textContent(), { timeout: STEP }).toContain("e2e 无障碍");
    await expectAccessible(phone, "phone with a task");
    await phone.context().close();
  });

  it("the night theme, following the device, keeps the same contrast (desk and phone)", async () => {
    const found: string[] = [];
    const night = async (page: Page) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    };
    const desk = await e2e.desk("operator", /\/duty/);
    await night(desk);
    await desk.getByTestId("duty-room").locator(".wl-duty-qitem").filter({ hasText: "e2e 无障碍" }).click();
    await expect.poll(() => desk.getByTestId("case-drawer").count(), { timeout: STEP }).toBeGreaterThan(0);
    found.push(...(await violations(desk, "night: duty room")));
    await desk.context().close();

    const head = await e2e.desk("head", /\/station/);
    await night(head);
    found.push(...(await violations(head, "night: station overview")));
    await head.context().close();

    const phone = await e2e.phone("patrol1");
    await night(phone);
    await phone.getByRole("button", { name: /^DL-01 · / }).click();
    await expect.poll(() => phone.getByRole("region", { name: "当前任务" }).count(), { timeout: STEP }).toBe(1);
    found.push(...(await violations(phone, "night: phone with a task")));
    // The manual switch wins over the device and is remembered.
    await phone.getByRole("group", { name: "显示主题" }).getByRole("button", { name: "日间" }).click();
    expect(await phone.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    await phone.reload();
    await expect.poll(() => phone.evaluate(() => document.documentElement.dataset.theme)).toBe("light");
    // Tap targets stay at least 48 px tall, in either theme.
    const heights = await phone
      .locator("button.ph-btn")
      .evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(48);
    await phone.context().close();
    expect(found).toEqual([]);
  });
});

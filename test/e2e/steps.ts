import { expect } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { RunningServer } from "../../server/server.js";
import { api } from "../../shared/api/index.js";
import { startE2E } from "./harness.js";
import { TestClient, type Reply } from "../helpers/http.js";

import { TZ } from "./template-env.js";

export { TZ };
/** Bound on any single wait. */
export const STEP = 20_000;

/**
 * One browser-test run: a server on fresh demo data (with opening stock), Chromium, and the
 * people who use it — desk users, a patrol phone and signed-in API clients for checks.
 */
export class E2ESession {
  private contexts: BrowserContext[] = [];

  /** Runs on every browser context this session opens, before its first page (e.g. to install probes). */
  contextSetup?: (ctx: BrowserContext) => Promise<void>;

  private constructor(
    readonly srv: RunningServer,
    readonly browser: Browser,
    private readonly stop: () => Promise<void>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<E2ESession> {
    const { srv, browser, close } = await startE2E(env);
    return new E2ESession(srv, browser, close);
  }

  /**
   * A typed API client signed in as `user` (calls go through the endpoint declarations, like the
   * API tests' `client.call(api.noun.endpoint, args)`), for setup and for checking what the server holds.
   */
  client(user: string, password = "demo"): Promise<TestClient> {
    return new TestClient(this.srv.url).login(user, password);
  }

  /** A desktop browser (zh-CN) signed in as `user`, on the page it lands on. */
  async desk(user: string, landing: RegExp): Promise<Page> {
    const ctx = await this.browser.newContext({
      locale: "zh-CN",
      timezoneId: TZ,
      viewport: { width: 1440, height: 900 },
    });
    this.contexts.push(ctx);
    await this.contextSetup?.(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP);
    await page.goto(this.srv.url + "/login");
    await page.getByLabel("用户名").fill(user);
    await page.getByLabel("密码").fill("demo");
    await page.keyboard.press("Enter");
    await page.waitForURL(landing);
    return page;
  }

  /** A 360×740 touch phone with location on, signed in as `user` on the patrol page. */
  async phone(
    user: string,
    beforeSubmit?: (page: Page) => Promise<unknown>,
    password = "demo",
    viewport = { width: 360, height: 740 },
  ): Promise<Page> {
    const ctx = await this.browser.newContext({
      locale: "zh-CN",
      timezoneId: TZ,
      viewport,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      geolocation: { latitude: 45.7712, longitude: 126.615, accuracy: 15 },
      permissions: ["geolocation"],
    });
    this.contexts.push(ctx);
    await this.contextSetup?.(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(STEP);
    await page.goto(this.srv.url + "/m/");
    await page.getByLabel("用户名").fill(user);
    await page.getByLabel("密码").fill(password);
    await beforeSubmit?.(page);
    await page.getByRole("button", { name: "登录" }).click();
    return page;
  }

  /** Like {@link phone}, for an account with its own password (one an admin just created). */
  phoneWithPassword(user: string, password: string): Promise<Page> {
    return this.phone(user, undefined, password);
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => {});
    await this.stop();
  }
}

/** The body of a successful reply; fails the test (naming `what`) on any other status. */
export function ok<B>(r: Reply<B, unknown>, what = "request"): B {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
  return r.body;
}

/** Quilts in the station's store. The demo seed brings opening stock, so crews can load. */
export async function quiltStock(client: TestClient, stationId: string): Promise<number> {
  const stock = ok(await client.call(api.supplies.stock, { query: { stationId } }), "stock");
  return stock.items.find((i) => i.code === "quilt")!.station;
}

/** The station of the signed-in user (desk users and crews have one). */
export async function stationOf(client: TestClient): Promise<string> {
  const { stationId } = ok(await client.call(api.auth.me), "me");
  if (!stationId) throw new Error("this user has no station");
  return stationId;
}

/** The vehicle called `callSign` at `stationId`, as the dispatch list shows it. */
export async function vehicleCalled(client: TestClient, stationId: string, callSign: string) {
  const { items } = ok(await client.call(api.vehicles.list, { query: { stationId } }), "vehicles");
  const v = items.find((x) => x.callSign === callSign);
  if (!v) throw new Error(`no vehicle ${callSign}`);
  return v;
}

/** Sends `vehicle` (as last seen) to `caseId`, as the duty room does; returns the task. */
export async function dispatchTo(
  client: TestClient,
  caseId: string,
  vehicle: { id: string; version: number },
  id: string = crypto.randomUUID(),
) {
  const r = await client.call(api.dispatch.assign, {
    body: { id, caseId, vehicleId: vehicle.id, vehicleVersion: vehicle.version },
  });
  return ok(r, "assign");
}

/** A new hotline call (a new case) logged by `client` at `place`; returns the case's id. */
export async function newCall(
  client: TestClient,
  place: { lat: number; lng: number; placeText: string; description?: string; peopleCount?: number },
): Promise<string> {
  const r = await client.call(api.cases.createSighting, {
    body: { id: crypto.randomUUID(), source: "public_hotline", peopleCount: 1, newCase: true, ...place },
  });
  return ok(r, "sighting").case.id;
}

/** Ends the sortie from the phone, after its return form shows `quiltsLeft` quilts still on board. */
export async function endSortie(phone: Page, quiltsLeft: number): Promise<void> {
  await phone.getByRole("button", { name: "收车" }).click();
  const end = phone.getByRole("region", { name: "收车" });
  await expect
    .poll(() => end.locator(".ph-stepper", { hasText: "棉被" }).locator("output").textContent())
    .toBe(String(quiltsLeft));
  await end.getByRole("button", { name: "收车" }).click();
}

/** The phone's outbox has sent everything and the server confirmed `label` (at least `times` times). */
export async function outboxConfirmed(phone: Page, label: string, times = 1): Promise<void> {
  const box = phone.locator("section.ph-outbox");
  await expect.poll(() => box.locator("h2").textContent(), { timeout: STEP }).toBe("待发送 0");
  await expect
    .poll(() => box.locator("li.ph-ok", { hasText: label }).count(), { timeout: STEP })
    .toBeGreaterThanOrEqual(times);
  expect(await box.locator("li.ph-bad").count(), (await box.textContent()) ?? "").toBe(0);
}

/** Runs `trigger` (a click that saves a file) and returns the downloaded file's name and text. */
export async function downloadText(
  page: Page,
  trigger: () => Promise<unknown>,
): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: STEP }), trigger()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  const bytes = Buffer.concat(chunks);
  return { name: download.suggestedFilename(), text: bytes.toString("utf8"), bytes };
}

/** Picks `option` in the antd Select found by `select` (a test id or a locator). */
export async function pick(page: Page, select: string, option: string | RegExp): Promise<void> {
  const box = page.getByTestId(select);
  const shows = (text: string | null) =>
    typeof option === "string" ? (text ?? "").includes(option) : option.test(text ?? "");
  // On a loaded machine a click can land while the dropdown is still opening (or a previous one is
  // closing) and select nothing; the select then shows no value, so open it again until it does.
  for (let attempt = 1; ; attempt++) {
    await box.click();
    const dropdown = page.locator(".ant-select-dropdown:visible:not([class*='-leave'])");
    await dropdown.locator(".ant-select-item-option", { hasText: option }).first().click();
    try {
      await expect.poll(async () => shows(await box.textContent()), { timeout: 3_000 }).toBe(true);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * The text input of an antd date picker marked `testId` (the mark may land on the input itself or
 * on the picker around it).
 */
export async function dayInput(page: Page, testId: string) {
  const el = page.getByTestId(testId);
  return (await el.evaluate((n) => n.tagName)) === "INPUT" ? el : el.locator("input");
}

/** Types a day ("YYYY-MM-DD") into an antd date picker and confirms it, as a user would. */
export async function setDay(page: Page, testId: string, day: string): Promise<void> {
  const input = await dayInput(page, testId);
  await input.click();
  await input.fill(day);
  await input.press("Enter");
  await expect.poll(() => input.inputValue()).toBe(day);
}

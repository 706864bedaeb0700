import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { events } from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM } from "./harness.js";
import { E2ESession, STEP, dispatchTo, newCall, ok, outboxConfirmed, stationOf, vehicleCalled } from "./steps.js";

/**
 * The patrol phone as a crew walks it on a 390×844 touch phone: installable (manifest, service
 * worker), opens with no signal after a reload with the last task and the queued outbox, taps
 * 100 ms apart never conflict with each other nor skip a step (online and offline), a triple tap
 * on the big button takes one step, 完成 with nobody recorded asks first, and a refused action
 * reads in Chinese by its code, never the server's English.
 */

/** The phone's task-step requests (the declared path with its id filled in). */
const STEP_PATH = new RegExp(`${api.dispatch.setStatus.path.replace(":id", "[^/]+")}$`);

describe.skipIf(!HAVE_CHROMIUM)("the patrol phone: installable, offline cold start, steps that cannot skip", () => {
  let e2e: E2ESession;
  let operator: TestClient;
  let head: TestClient;
  let phone: Page;
  let dl01: { id: string };
  /** Every refused task step the phone got (there must be none from the crew's own taps). */
  const refused: string[] = [];

  beforeAll(async () => {
    e2e = await E2ESession.start();
    [operator, head] = await Promise.all([e2e.client("operator"), e2e.client("head")]);
    phone = await e2e.phone("patrol1", undefined, "demo", { width: 390, height: 844 });
    phone.on("response", (r) => {
      if (STEP_PATH.test(new URL(r.url()).pathname) && r.status() >= 400) refused.push(`${r.status()}`);
    });
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  const task = () => phone.getByRole("region", { name: "当前任务" });
  const shownStatus = () => task().locator(".ph-task-status").textContent();

  /** A new case dispatched to DL-01 by the operator; resolves once the phone shows it. */
  async function dispatch(place: string): Promise<{ caseId: string; taskId: string }> {
    const caseId = await newCall(operator, { lat: 45.76, lng: 126.62, placeText: place, description: "e2e" });
    const v = ok(await operator.call(api.vehicles.get, { params: { id: dl01.id } }));
    const taskId = crypto.randomUUID();
    await dispatchTo(operator, caseId, v, taskId);
    await expect.poll(() => task().textContent(), { timeout: STEP }).toContain(place);
    return { caseId, taskId };
  }

  const serverTask = async (caseId: string) =>
    ok(await operator.call(api.dispatch.list, { query: { caseId } })).items[0]!;

  /** The statuses the server recorded for the task, in event order. */
  async function stepEvents(taskId: string): Promise<string[]> {
    const rows = await e2e.srv.database.db
      .select()
      .from(events)
      .where(eq(events.type, "assignment.status_changed"))
      .orderBy(asc(events.id));
    return rows.filter((r) => r.payload.id === taskId).map((r) => String(r.payload.status));
  }

  /** Taps the step button `name` (it is disabled while a tap is locked; the click waits for it), then 100 ms. */
  const tap = async (name: string) => {
    await task().getByRole("button", { name, exact: true }).click();
    await phone.waitForTimeout(100);
  };

  /** 完成 with nobody recorded: asks first, then clears. */
  async function clearWithNobody(caseId: string) {
    await task().getByRole("button", { name: "完成", exact: true }).click();
    const ask = phone.getByRole("alertdialog");
    await expect.poll(() => ask.textContent()).toContain("还没有记录任何人");
    await ask.getByRole("button", { name: "仍然完成" }).click();
    await expect.poll(() => task().textContent()).toContain("暂无任务");
    await expect.poll(async () => (await serverTask(caseId)).status, { timeout: STEP }).toBe("cleared");
  }

  it("serves a manifest and a no-cache service worker, which becomes active on the phone page", async () => {
    // DL-01 on a sortie (the tests below dispatch to it).
    await phone.getByRole("button", { name: /^DL-01 · 待命/ }).click();
    await phone.getByRole("button", { name: "出车", exact: true }).click();
    const start = phone.getByRole("region", { name: "出车" });
    await start.getByLabel("人员姓名（逗号分隔）").fill("李强，张伟");
    await start.getByRole("button", { name: "出车", exact: true }).click();
    await outboxConfirmed(phone, "出车");
    dl01 = await vehicleCalled(operator, await stationOf(head), "DL-01");
    // Files the server hands out as they are (not API calls): the service worker, the manifest, its icons.
    const sw = await phone.request.get(e2e.srv.url + "/sw.js");
    expect(sw.status()).toBe(200);
    expect(sw.headers()["content-type"]).toMatch(/javascript/);
    expect(sw.headers()["cache-control"]).toBe("no-cache");
    const man = await phone.request.get(e2e.srv.url + "/manifest.webmanifest");
    expect(man.headers()["content-type"]).toMatch(/application\/manifest\+json/);
    const m = (await man.json()) as {
      short_name: string;
      start_url: string;
      icons: { src: string; purpose?: string }[];
    };
    expect(m.short_name).toBe("暖线巡查");
    expect(m.start_url).toBe("/m/");
    expect(m.icons.some((i) => i.purpose === "maskable")).toBe(true);
    for (const i of m.icons)
      expect((await phone.request.get(e2e.srv.url + i.src)).headers()["content-type"]).toBe("image/png");
    const scope = await phone.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toMatch(/\/m\/$/);
  });

  it("online: a triple tap takes one step; taps 100 ms apart through 接单 → 出发 → 到达 never conflict nor skip", async () => {
    const { caseId, taskId } = await dispatch("e2e 快点：人民广场");
    const big = task().getByRole("button", { name: "接单", exact: true });
    // Every new status locks the step buttons for a moment (a tap meant for the old one is ignored).
    await expect.poll(() => big.isEnabled()).toBe(true);
    await big.scrollIntoViewIfNeeded();
    const box = (await big.boundingBox())!;
    for (let i = 0; i < 3; i++) {
      await phone.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
      await phone.waitForTimeout(200);
    }
    await phone.waitForTimeout(700);
    expect(await shownStatus()).toContain("已接单");
    await tap("出发");
    await tap("到达");
    await expect.poll(shownStatus).toContain("到达现场");
    await expect.poll(async () => (await serverTask(caseId)).status, { timeout: STEP }).toBe("on_scene");
    expect(await stepEvents(taskId)).toEqual(["acknowledged", "en_route", "on_scene"]);
    expect(refused).toEqual([]);
    await clearWithNobody(caseId);
  });

  it("offline: taps 100 ms apart queue in order and land once, with no conflict, when the signal returns", async () => {
    const { caseId, taskId } = await dispatch("e2e 离线快点：江畔");
    await phone.context().setOffline(true);
    await tap("接单");
    await tap("出发");
    await tap("到达");
    await expect.poll(shownStatus).toContain("到达现场");
    expect((await serverTask(caseId)).status).toBe("assigned");
    await phone.context().setOffline(false);
    await expect.poll(async () => (await serverTask(caseId)).status, { timeout: STEP }).toBe("on_scene");
    expect(await stepEvents(taskId)).toEqual(["acknowledged", "en_route", "on_scene"]);
    expect(refused).toEqual([]);
    await outboxConfirmed(phone, "任务状态：到达现场");
    await clearWithNobody(caseId);
  });

  it("reloaded with no signal, the page opens with the task and the outbox; what was done offline lands once, in order", async () => {
    const place = "e2e 冷启动：涵洞";
    const { caseId, taskId } = await dispatch(place);
    await tap("接单");
    await expect.poll(async () => (await serverTask(caseId)).status, { timeout: STEP }).toBe("acknowledged");
    await phone.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await phone.context().setOffline(true);
    await phone.reload();
    await expect.poll(() => task().textContent(), { timeout: STEP }).toContain(place);
    expect(await shownStatus()).toContain("已接单");

    await tap("出发");
    await tap("到达");
    await task().getByRole("button", { name: "记录人员" }).click();
    const form = phone.getByRole("region", { name: "记录人员" });
    await form.getByRole("button", { name: "接回站内" }).click();
    await form.getByRole("button", { name: "保存" }).click();
    const outbox = phone.locator("section.ph-outbox");
    await expect.poll(() => outbox.locator("h2").textContent()).toContain("待发送 3");

    // The tab is killed and reopened, still with no signal: the queue and the task are still there.
    await phone.reload();
    await expect.poll(() => task().textContent(), { timeout: STEP }).toContain(place);
    await expect.poll(() => outbox.locator("h2").textContent()).toContain("待发送 3");
    expect(await outbox.locator("li.ph-wait").allTextContents()).toEqual([
      "⏳ 任务状态：前往途中",
      "⏳ 任务状态：到达现场",
      "⏳ 人员记录：接回站内",
    ]);
    expect(await shownStatus()).toContain("到达现场");

    await phone.context().setOffline(false);
    await outboxConfirmed(phone, "人员记录：接回站内");
    expect((await serverTask(caseId)).status).toBe("on_scene");
    expect(await stepEvents(taskId)).toEqual(["acknowledged", "en_route", "on_scene"]);
    const rows = await e2e.srv.database.db.select().from(events).orderBy(asc(events.id));
    const order = rows
      .filter(
        (r) =>
          (r.type === "assignment.status_changed" && r.payload.id === taskId) ||
          (r.type === "encounter.recorded" && r.payload.caseId === caseId),
      )
      .map((r) => (r.type === "encounter.recorded" ? "encounter" : String(r.payload.status)));
    expect(order).toEqual(["acknowledged", "en_route", "on_scene", "encounter"]);
    const encs = ok(await head.call(api.encounters.list, { query: { caseId } }));
    expect(encs.items).toHaveLength(1);
    expect(refused).toEqual([]);
    // Somebody was recorded: 完成 needs no confirmation.
    await task().getByRole("button", { name: "完成", exact: true }).click();
    await expect.poll(async () => (await serverTask(caseId)).status, { timeout: STEP }).toBe("cleared");
  });

  it("a step the server refuses reads in Chinese by its code, with what to do next", async () => {
    const { caseId } = await dispatch("e2e 取消：北站");
    await phone.context().setOffline(true);
    await tap("接单");
    const t = await serverTask(caseId);
    ok(await operator.call(api.dispatch.cancel, { params: { id: t.id }, body: { version: t.version, reason: "e2e" } }));
    await phone.context().setOffline(false);
    const bad = phone.locator("section.ph-outbox li.ph-bad", { hasText: "任务状态：已接单" });
    await expect.poll(() => bad.count(), { timeout: STEP }).toBe(1);
    const text = (await bad.textContent()) ?? "";
    expect(text).toContain("当前状态下不能执行此操作");
    expect(text).toContain("请联系值班室");
    expect(text).not.toMatch(/cancelled|Task/);
    expect(await bad.locator("[data-code]").getAttribute("data-code")).toBe("INVALID_TRANSITION");
  });
});

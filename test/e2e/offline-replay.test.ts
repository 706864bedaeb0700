import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import {
  E2ESession,
  STEP,
  dispatchTo,
  endSortie,
  newCall,
  ok,
  outboxConfirmed,
  quiltStock,
  stationOf,
  vehicleCalled,
} from "./steps.js";
import { startSortie } from "./offline-steps.js";

/**
 * Offline replay: patrol1's phone (360×740) has a task, loses the signal and keeps working: the
 * task steps (接单 / 出发 / 到达 / 完成) and two people (one brought in, one refusing and given a
 * quilt) are queued on the phone and shown as waiting; nothing reaches the server while the outbox
 * cannot send. When the signal returns every queued action is confirmed and applied
 * exactly once, in the order tapped, with the CAD times of the taps; the duty room sees the final
 * status and the store is down by exactly the quilt handed out. (Minutes in a dead zone with the
 * track: offline-dead-zone.test.ts; a queue left by an earlier version: offline-old-entry.test.ts.)
 */

const PLACE = "e2e 离线：新华桥桥洞";
const DESCRIPTION = "e2e 离线：桥洞下两人";

describe.skipIf(!HAVE_CHROMIUM)("the phone keeps working offline and replays in order, exactly once", () => {
  let e2e: E2ESession;
  let head: TestClient;
  let operator: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    [head, operator] = await Promise.all([e2e.client("head"), e2e.client("operator")]);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${SCREENSHOTS}offline-${name}.png`, fullPage: true });

  it("queues task steps and two people while offline, then applies each once, in order, at the tap times", async () => {
    // ---- Setup: supplies in the station's store (as in scenario.test.ts).
    const stationId = await stationOf(head);
    const quiltBefore = await quiltStock(head, stationId);
    expect(quiltBefore, "the demo seed's opening stock").toBeGreaterThanOrEqual(10);

    // ---- The phone: patrol1 at phone size, DL-01, sortie started with 10 quilts (online).
    const phone = await e2e.phone("patrol1");
    await startSortie(phone, 10);
    const box = phone.locator("section.ph-outbox");
    const task = phone.getByRole("region", { name: "当前任务" });
    await expect.poll(() => task.textContent()).toContain("暂无任务");
    expect(await quiltStock(head, stationId), "10 quilts loaded").toBe(quiltBefore - 10);

    // ---- The duty room watching (operator).
    const duty = await e2e.desk("operator", /\/duty/);

    // ---- The call and the dispatch, through the API as the operator.
    const caseId = await newCall(operator, {
      lat: 45.7635,
      lng: 126.62,
      placeText: PLACE,
      peopleCount: 2,
      description: DESCRIPTION,
    });
    const dl01 = await vehicleCalled(operator, stationId, "DL-01");
    const assignmentId = crypto.randomUUID();
    await dispatchTo(operator, caseId, dl01, assignmentId);

    const dutyItem = duty.getByTestId("queue").locator(".wl-duty-qitem", { hasText: PLACE });
    await expect.poll(() => dutyItem.textContent(), { timeout: STEP }).toContain("已派车");
    await dutyItem.click();
    const dutyTask = duty.locator(".wl-dispatch .ant-list-item", { hasText: "DL-01" }).last();
    await expect.poll(() => dutyTask.textContent(), { timeout: STEP }).toContain("已派单");

    // The phone receives the task live.
    await expect.poll(() => task.textContent(), { timeout: STEP }).toContain(PLACE);
    expect(await task.textContent()).toContain("已派单");
    await shot(phone, "01-task-online");

    // ---- The signal goes.
    await phone.context().setOffline(true);
    const offlineAt = new Date();
    const header = phone.getByRole("status");
    await expect.poll(() => header.textContent(), { timeout: STEP }).toContain("离线");

    // Tap through the task and record two people, all offline. A short pause between taps keeps
    // the crew's times strictly ordered.
    const tap = async (name: string) => {
      await task.getByRole("button", { name, exact: true }).click();
      await phone.waitForTimeout(300);
    };
    await tap("接单");
    await expect.poll(() => task.locator(".ph-task-status").textContent()).toContain("已接单");
    await tap("出发");
    await expect.poll(() => task.locator(".ph-task-status").textContent()).toContain("前往途中");
    await tap("到达");
    await expect.poll(() => task.locator(".ph-task-status").textContent()).toContain("到达现场");

    await task.getByRole("button", { name: "记录人员" }).click();
    let form = phone.getByRole("region", { name: "记录人员" });
    await form.getByRole("button", { name: "接回站内" }).click();
    await form.getByRole("button", { name: "老人" }).click();
    await form.getByRole("button", { name: "保存" }).click();
    await phone.waitForTimeout(300);

    await task.getByRole("button", { name: "记录人员" }).click();
    form = phone.getByRole("region", { name: "记录人员" });
    await form.getByRole("button", { name: "拒绝救助" }).click();
    const give = form.locator(".ph-stepper", { hasText: "棉被" });
    await give.getByRole("button", { name: "+", exact: true }).click();
    await expect.poll(() => give.locator("output").textContent()).toBe("1");
    await form.getByLabel("备注").fill("拒绝回站，已发放棉被");
    await form.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => phone.locator("body").textContent()).toMatch(/棉被 9/);
    await phone.waitForTimeout(300);

    await tap("完成");
    await expect.poll(() => task.textContent()).toContain("暂无任务");

    // The phone shows all six as waiting, in the order tapped, and nothing confirmed since 出车.
    const expectedLabels = [
      "任务状态：已接单",
      "任务状态：前往途中",
      "任务状态：到达现场",
      "人员记录：接回站内",
      "人员记录：拒绝救助",
      "任务状态：已完成",
    ];
    await expect.poll(() => box.locator("h2").textContent(), { timeout: STEP }).toMatch(/^待发送 6/);
    const waitingLabels = (await box.locator("li.ph-wait").allTextContents()).map((s) =>
      s.replace(/^⏳\s*/, "").trim(),
    );
    expect(waitingLabels).toEqual(expectedLabels);
    expect(await header.textContent()).toContain("待发送 6 条");
    await shot(phone, "02-queued-offline");

    // The vehicle's status follows the queued taps on the phone, marked as waiting.
    const vStatus = phone.getByTestId("vehicle-status");
    expect(await vStatus.textContent()).toBe("待命");
    expect(await vStatus.getAttribute("data-state")).toBe("waiting");
    expect(await phone.getByRole("region", { name: "本车" }).textContent()).toContain("服务器：已派车");

    // Nothing reached the server, nothing is lost or set aside. (Retries over minutes without
    // signal: offline-dead-zone.test.ts.)
    const during = ok(await operator.call(api.dispatch.list, { query: { caseId } }));
    expect(during.items.map((t) => t.status)).toEqual(["assigned"]);
    expect(ok(await head.call(api.encounters.list, { query: { caseId } })).items).toHaveLength(0);
    await expect.poll(() => box.locator("li.ph-wait").count()).toBe(6);
    expect(await box.locator("li.ph-bad").count()).toBe(0);
    await expect.poll(() => dutyTask.textContent()).toContain("已派单"); // the duty room still sees the dispatch only
    const reconnectAt = new Date();

    // ---- The signal returns: the queue goes at once (the online event), not at the next back-off.
    await phone.context().setOffline(false);
    await expect.poll(() => box.locator("h2").textContent(), { timeout: 10_000 }).toBe("待发送 0");
    // The confirmed list is newest first: reversed, it is the tapped order, each exactly once.
    const okLabels = (await box.locator("li.ph-ok").allTextContents())
      .map((s) => s.replace(/^✓\s*已确认\s*·\s*/, "").trim())
      .reverse();
    expect(okLabels.filter((l) => l !== "出车")).toEqual(expectedLabels);
    expect(await box.locator("li.ph-bad").count(), (await box.textContent()) ?? "").toBe(0);
    expect(await header.textContent()).toContain("待发送 0 条");
    await shot(phone, "03-replayed-online");

    // ---- The server: the task went through every step, at the crew's (offline) times, in order.
    const tasks = ok(await operator.call(api.dispatch.list, { query: { caseId } })).items;
    expect(tasks).toHaveLength(1);
    const a = tasks[0]!;
    expect(a.id).toBe(assignmentId);
    expect(a.status).toBe("cleared");
    expect(a.cancelledAt).toBeNull();
    const times = [a.dispatchedAt, a.acknowledgedAt, a.enRouteAt, a.onSceneAt, a.clearedAt].map((s) => {
      expect(s).toBeTruthy();
      return new Date(s!).getTime();
    });
    for (let i = 1; i < times.length; i++)
      expect(times[i]!, `CAD step ${i} after step ${i - 1}`).toBeGreaterThan(times[i - 1]!);
    for (const t of times.slice(1)) {
      expect(t, "stamped at the tap, while offline").toBeGreaterThanOrEqual(offlineAt.getTime() - 1000);
      expect(t, "stamped at the tap, not at the replay").toBeLessThan(reconnectAt.getTime());
    }

    // Exactly two people for the case, in order, between arrival and clearing; one quilt given.
    const encounters = async () =>
      ok(await head.call(api.encounters.list, { query: { caseId } })).items.sort((x, y) =>
        x.occurredAt.localeCompare(y.occurredAt),
      );
    const met = await encounters();
    expect(met.map((e) => e.outcome)).toEqual(["brought_in", "refused"]);
    expect(new Set(met.map((e) => e.id)).size).toBe(2);
    for (const e of met) {
      const t = new Date(e.occurredAt).getTime();
      expect(t).toBeGreaterThan(times[3]!);
      expect(t).toBeLessThan(times[4]!);
    }
    const quiltsOnBoard = async () =>
      ok(await head.call(api.vehicles.load, { params: { id: dl01.id } })).items.find((l) => l.nameZh === "棉被")
        ?.quantity;
    expect(await quiltsOnBoard(), "10 on board, 1 handed out").toBe(9);
    // The vehicle's status is the server's again, confirmed.
    await expect.poll(() => vStatus.getAttribute("data-state"), { timeout: STEP }).toBe("confirmed");

    // Later retries: still exactly once.
    await phone.waitForTimeout(3_000);
    expect(await encounters()).toHaveLength(2);
    expect(await quiltsOnBoard()).toBe(9);

    // ---- The duty room sees the final status.
    await expect.poll(() => dutyTask.textContent(), { timeout: STEP }).toContain("已完成");
    await expect
      .poll(async () => (await dutyItem.count()) === 0 || /已结案/.test((await dutyItem.textContent()) ?? ""), {
        timeout: STEP,
      })
      .toBe(true);
    await shot(duty, "04-duty-cleared");

    // ---- End the sortie (online): the store is down by exactly the one quilt handed out.
    await endSortie(phone, 9);
    await expect.poll(() => box.locator("h2").textContent(), { timeout: STEP }).toBe("待发送 0");
    await expect.poll(() => box.locator("li.ph-ok", { hasText: "收车" }).count(), { timeout: STEP }).toBe(1);
    expect(await quiltStock(head, stationId), "10 loaded, 1 handed out, 9 returned").toBe(quiltBefore - 1);
  }, 300_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, gte } from "drizzle-orm";
import type { APIRequestContext, Page } from "playwright-core";
import { positions } from "../../server/db/schema/index.js";
import type { RunningServer } from "../../server/server.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, TZ, getJson as getJsonWith, outboxConfirmed, quiltStock } from "./steps.js";

/**
 * Offline: patrol1's phone (360×740) has a task, loses the signal,
 * and keeps working: the task steps (接单 / 出发 / 到达 / 完成) and two people (one brought in, one
 * refusing and given a quilt) are queued on the phone and shown as waiting; nothing reaches the
 * server. The phone then stays offline for over two minutes (real time: past several outbox
 * retries and socket reconnection attempts) while it keeps moving and recording its track. When
 * the signal returns every queued action is confirmed and applied exactly once, in the order
 * tapped, with the CAD times of the taps; the whole offline track arrives, each fix once, in
 * order; the duty room sees the final status.
 */

const PLACE = "e2e 离线：新华桥桥洞";
const DESCRIPTION = "e2e 离线：桥洞下两人";
const OFFLINE_FOR = 125_000; // "minutes offline": several back-off retries and socket reconnects fail meanwhile
const FIX_EVERY = 6_000; // a little over the phone's 5 s sampling, so every position set is one fix

type Task = {
  id: string;
  caseId: string;
  status: string;
  version: number;
  dispatchedAt: string;
  acknowledgedAt: string | null;
  enRouteAt: string | null;
  onSceneAt: string | null;
  clearedAt: string | null;
  cancelledAt: string | null;
};
type Encounter = {
  id: string;
  caseId: string | null;
  outcome: string;
  occurredAt: string;
  supplies?: { itemId: string; quantity: number }[];
};
type Vehicle = { id: string; callSign: string; version: number; status: string; currentSortie?: { id: string } | null };
type Load = { items: { itemId: string; code?: string; nameZh: string; quantity: number }[] };

describe.skipIf(!HAVE_CHROMIUM)("the phone keeps working offline and replays in order, exactly once", () => {
  let e2e: E2ESession;
  let srv: RunningServer;
  let headApi: APIRequestContext;
  let opApi: APIRequestContext;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    srv = e2e.srv;
    headApi = await e2e.api("head");
    opApi = await e2e.api("operator");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${SCREENSHOTS}offline-${name}.png`, fullPage: true });
  const getJson = <T>(path: string, api = headApi) => getJsonWith<T>(api, path);
  const deskLogin = (user: string, landing: RegExp) => e2e.desk(user, landing);

  it("queues task steps and two people while offline for minutes, then applies each once, in order, with the whole track", async () => {
    // ---- Setup: supplies in the station's store (as in scenario.test.ts).
    const me = await getJson<{ stationId: string }>("/api/auth/me");
    const stationId = me.stationId;
    const quiltBefore = await quiltStock(headApi, stationId);
    expect(quiltBefore, "the demo seed's opening stock").toBeGreaterThanOrEqual(10);

    // ---- The phone: patrol1 at phone size, DL-01, sortie started with 10 quilts (online).
    const phone = await e2e.phone("patrol1");
    await phone.getByRole("button", { name: /^DL-01 · 待命/ }).click();
    await phone.getByRole("button", { name: "出车", exact: true }).click();
    const start = phone.getByRole("region", { name: "出车" });
    await start.getByLabel("人员姓名（逗号分隔）").fill("李强，张伟");
    const quiltRow = start.locator(".ph-stepper", { hasText: "棉被" });
    await quiltRow.getByRole("button", { name: "+5" }).click();
    await quiltRow.getByRole("button", { name: "+5" }).click();
    await expect.poll(() => quiltRow.locator("output").textContent()).toBe("10");
    await start.getByRole("button", { name: "出车", exact: true }).click();
    await outboxConfirmed(phone, "出车");
    const box = phone.locator("section.ph-outbox");
    await expect.poll(() => phone.locator("body").textContent()).toMatch(/棉被 10/);
    const task = phone.getByRole("region", { name: "当前任务" });
    await expect.poll(() => task.textContent()).toContain("暂无任务");
    expect(await quiltStock(headApi, stationId), "10 quilts loaded").toBe(quiltBefore - 10);

    // ---- The duty room watching (operator).
    const duty = await deskLogin("operator", /\/duty/);

    // ---- The call and the dispatch, through the API as the operator.
    const caseRes = await opApi.post("/api/sightings", {
      data: {
        id: crypto.randomUUID(),
        source: "public_hotline",
        lat: 45.7635,
        lng: 126.62,
        placeText: PLACE,
        peopleCount: 2,
        description: DESCRIPTION,
        newCase: true,
      },
    });
    expect(caseRes.status(), await caseRes.text()).toBe(201);
    const caseId = ((await caseRes.json()) as { case: { id: string } }).case.id;
    const vehicles = await getJson<{ items: Vehicle[] }>(`/api/vehicles?stationId=${stationId}`, opApi);
    const dl01 = vehicles.items.find((v) => v.callSign === "DL-01")!;
    const assignmentId = crypto.randomUUID();
    const assignRes = await opApi.post("/api/dispatch/assign", {
      data: { id: assignmentId, caseId, vehicleId: dl01.id, vehicleVersion: dl01.version },
    });
    expect(assignRes.status(), await assignRes.text()).toBe(201);

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

    // Stay offline for minutes, driving on: the phone records a fix every few seconds. Nothing
    // reaches the server, nothing is lost.
    const path: number[] = [];
    const offlineUntil = Date.now() + OFFLINE_FOR;
    while (Date.now() < offlineUntil) {
      const lat = Number((45.7712 - (path.length + 1) * 0.0004).toFixed(6));
      await phone
        .context()
        .setGeolocation({ latitude: lat, longitude: 126.615 + (path.length + 1) * 0.0002, accuracy: 10 });
      path.push(lat);
      await phone.waitForTimeout(FIX_EVERY);
    }
    expect(path.length).toBeGreaterThanOrEqual(20);
    const during = await getJson<{ items: Task[] }>(`/api/assignments?caseId=${caseId}`, opApi);
    expect(during.items.map((t) => t.status)).toEqual(["assigned"]);
    expect((await getJson<{ items: Encounter[] }>(`/api/encounters?caseId=${caseId}`)).items).toHaveLength(0);
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
    const tasks = (await getJson<{ items: Task[] }>(`/api/assignments?caseId=${caseId}`, opApi)).items;
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
    const encounters = (await getJson<{ items: Encounter[] }>(`/api/encounters?caseId=${caseId}`)).items.sort((x, y) =>
      x.occurredAt.localeCompare(y.occurredAt),
    );
    expect(encounters.map((e) => e.outcome)).toEqual(["brought_in", "refused"]);
    expect(new Set(encounters.map((e) => e.id)).size).toBe(2);
    for (const e of encounters) {
      const t = new Date(e.occurredAt).getTime();
      expect(t).toBeGreaterThan(times[3]!);
      expect(t).toBeLessThan(times[4]!);
    }
    const load = await getJson<Load>(`/api/vehicles/${dl01.id}/load`);
    expect(load.items.find((l) => l.nameZh === "棉被")?.quantity, "10 on board, 1 handed out").toBe(9);

    // The offline track: every fix the phone recorded, once each, in the order driven.
    const trackSince = async () =>
      srv.database.db
        .select()
        .from(positions)
        .where(and(eq(positions.vehicleId, dl01.id), gte(positions.recordedAt, offlineAt)))
        .orderBy(asc(positions.recordedAt));
    const onPath = (rows: { lat: number }[]) =>
      rows
        .map((r) => r.lat)
        .filter((l) => path.includes(l))
        .filter((l, i, all) => i === 0 || all[i - 1] !== l);
    await expect.poll(async () => onPath(await trackSince()), { timeout: 15_000 }).toEqual(path);
    const track = await trackSince();
    expect(new Set(track.map((r) => r.recordedAt.getTime())).size, "no fix twice").toBe(track.length);
    expect(new Set(track.map((r) => r.sortieId)), "the track belongs to the sortie").toEqual(
      new Set([(await getJson<Vehicle>(`/api/vehicles/${dl01.id}`)).currentSortie?.id]),
    );
    for (const r of track)
      expect(r.recordedAt.getTime(), "recorded offline, not at the replay").toBeLessThan(reconnectAt.getTime() + 1000);
    await expect
      .poll(async () => (await getJson<{ lastLat: number }>(`/api/vehicles/${dl01.id}`)).lastLat, { timeout: STEP })
      .toBe(path.at(-1));
    // The vehicle's status is the server's again, confirmed.
    await expect.poll(() => vStatus.getAttribute("data-state"), { timeout: STEP }).toBe("confirmed");

    // Later retries: still exactly once.
    await phone.waitForTimeout(3_000);
    expect((await getJson<{ items: Encounter[] }>(`/api/encounters?caseId=${caseId}`)).items).toHaveLength(2);
    expect(
      (await getJson<Load>(`/api/vehicles/${dl01.id}/load`)).items.find((l) => l.nameZh === "棉被")?.quantity,
    ).toBe(9);

    // ---- The duty room sees the final status.
    await expect.poll(() => dutyTask.textContent(), { timeout: STEP }).toContain("已完成");
    await expect
      .poll(async () => (await dutyItem.count()) === 0 || /已结案/.test((await dutyItem.textContent()) ?? ""), {
        timeout: STEP,
      })
      .toBe(true);
    await shot(duty, "04-duty-cleared");

    // ---- End the sortie (online): the store is down by exactly the one quilt handed out.
    await phone.getByRole("button", { name: "收车" }).click();
    const end = phone.getByRole("region", { name: "收车" });
    await expect.poll(() => end.locator(".ph-stepper", { hasText: "棉被" }).locator("output").textContent()).toBe("9");
    await end.getByRole("button", { name: "收车" }).click();
    await expect.poll(() => box.locator("h2").textContent(), { timeout: STEP }).toBe("待发送 0");
    await expect.poll(() => box.locator("li.ph-ok", { hasText: "收车" }).count(), { timeout: STEP }).toBe(1);
    expect(await quiltStock(headApi, stationId), "10 loaded, 1 handed out, 9 returned").toBe(quiltBefore - 1);

    // ---- A phone updated with a request still queued by an earlier version ({ label, path, body },
    // no method): after the reload it is sent as the POST it was, once.
    const point = (await getJson<{ items: { id: string; name: string }[] }>(`/api/keypoints?stationId=${stationId}`))
      .items[0]!;
    const visitedAt = new Date(Date.now() - 60_000).toISOString();
    await phone.evaluate(
      async (entry) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open("warmline-phone", 1);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        await new Promise<void>((resolve, reject) => {
          const t = db.transaction("outbox", "readwrite");
          t.objectStore("outbox").add(entry);
          t.oncomplete = () => resolve();
          t.onerror = () => reject(t.error);
        });
        db.close();
      },
      {
        label: "e2e 旧版排队：重点点位",
        path: "/api/keypoint-visits",
        body: { id: crypto.randomUUID(), keyPointId: point.id, peopleFound: 0, visitedAt },
      },
    );
    await phone.reload();
    await outboxConfirmed(phone, "e2e 旧版排队：重点点位");
    const visited = (
      await getJson<{ items: { id: string; lastVisitedAt: string | null }[] }>(`/api/keypoints?stationId=${stationId}`)
    ).items.find((p) => p.id === point.id);
    expect(new Date(visited!.lastVisitedAt!).getTime(), "the old entry's visit, at its own time").toBe(
      new Date(visitedAt).getTime(),
    );
  }, 300_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import type { RunningServer } from "../../server/server.js";
import { localDay } from "../../shared/counting.js";
import { URGENCY_COLOR, VEHICLE_COLOR } from "../../web/src/map/colors.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, TZ, dayInput, endSortie, ok, outboxConfirmed, quiltStock } from "./steps.js";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";

/**
 * The whole job as the users live it: the operator logs a call on the duty room; patrol1 on a
 * phone-sized browser receives the task, goes en route and on scene and records two people (one brought
 * in, one refusing and given a quilt); the duty room's queue, drawer and map follow live; the station
 * head's totals, daily report and printable report show exactly those records.
 */

const PLACE = "新华桥桥洞"; // a DL key point of the demo seed
const DESCRIPTION = "e2e：桥洞下两人，其中一位老人衣着单薄";
const QUILT_FEN = 12000; // the demo catalog's quilt unit value (120 元)

/** "rgb(r, g, b)" for "#rrggbb", as computed styles report colours. */
const rgb = (hex: string) =>
  `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

describe.skipIf(!HAVE_CHROMIUM)("the whole job: call → phone → live duty room → totals and report", () => {
  let e2e: E2ESession;
  let srv: RunningServer;
  let head: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    srv = e2e.srv;
    head = await e2e.client("head");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${SCREENSHOTS}scenario-${name}.png`, fullPage: true });
  const deskLogin = (user: string, landing: RegExp) => e2e.desk(user, landing);

  /** The DL-01 chip on a duty-room map has the colour of `status`. */
  async function chipColour(map: Locator, status: keyof typeof VEHICLE_COLOR) {
    await expect
      .poll(
        () => map.locator(".wl-map-chip", { hasText: "DL-01" }).evaluate((el) => getComputedStyle(el).backgroundColor),
        { timeout: STEP },
      )
      .toBe(rgb(VEHICLE_COLOR[status]));
  }

  it("runs the night from the hotline call to the printed daily report", async () => {
    // ---- Setup: the station's store must hold supplies to load (opening stock, or received here).
    const me = ok(await head.call(api.auth.me));
    const stationId = me.stationId;
    if (!stationId) throw new Error("the head of station has no station");
    const quiltBefore = await quiltStock(head, stationId);
    expect(quiltBefore, "the demo seed's opening stock").toBeGreaterThanOrEqual(10);
    const campaigns = ok(await head.call(api.campaigns.list));
    const today = localDay(new Date(), TZ);
    const campaign = campaigns.items.find((c) => c.startsOn <= today && today <= c.endsOn) ?? campaigns.items[0]!;
    const before = ok(await head.call(api.totals.get, { params: { id: campaign.id }, query: { stationId } }));
    expect(before.figures.foundPersonTimes, "the demo seed starts with no records").toBe(0);

    // ---- The duty room: the operator taking calls, and a second duty-room screen watching.
    const desk = await deskLogin("operator", /\/duty/);
    const watch = await deskLogin("operator", /\/duty/);
    const watchQueue = watch.getByTestId("queue");
    const watchMap = watch.getByTestId("warm-map");
    await expect.poll(() => watchMap.locator(".wl-map-chip", { hasText: "DL-01" }).count(), { timeout: STEP }).toBe(1);
    await chipColour(watchMap, "available");
    // Cases are diamonds in their urgency colour (key points are squares, vehicles chips).
    const caseDots = () =>
      watchMap.locator(".wl-map-diamond").evaluateAll(
        (els, colours) =>
          els.filter((el) => {
            const probe = document.createElement("span");
            probe.style.color = (el as HTMLElement).style.background;
            return colours.some((c) => {
              const ref = document.createElement("span");
              ref.style.color = c;
              return ref.style.color === probe.style.color;
            });
          }).length,
        Object.values(URGENCY_COLOR),
      );
    expect(await caseDots(), "no case on the map yet").toBe(0);

    // ---- The phone: patrol1 signs in at phone size, picks DL-01 and starts the sortie with crew and load.
    const phone = await e2e.phone("patrol1", (p) => shot(p, "01-phone-login"));
    await phone.getByRole("button", { name: /^DL-01 · 待命/ }).click();
    await phone.getByRole("button", { name: "出车", exact: true }).click();
    const start = phone.getByRole("region", { name: "出车" });
    await start.getByRole("button", { name: "+", exact: true }).click(); // crew 2 → 3
    await expect.poll(() => start.locator(".ph-stepper").first().locator("output").textContent()).toBe("3");
    await start.getByLabel("人员姓名（逗号分隔）").fill("李强，张伟，王磊");
    const quiltRow = start.locator(".ph-stepper", { hasText: "棉被" });
    await quiltRow.getByRole("button", { name: "+5" }).click();
    await quiltRow.getByRole("button", { name: "+5" }).click();
    await expect.poll(() => quiltRow.locator("output").textContent()).toBe("10");
    await start.locator(".ph-stepper", { hasText: "方便食品" }).getByRole("button", { name: "+5" }).click();
    await shot(phone, "02-phone-start-sortie");
    await start.getByRole("button", { name: "出车", exact: true }).click();
    await outboxConfirmed(phone, "出车");
    await expect.poll(() => phone.locator("body").textContent()).toContain("出车中 · DL-01");
    await expect.poll(() => phone.locator("body").textContent()).toMatch(/棉被 10/);
    const task = phone.getByRole("region", { name: "当前任务" });
    await expect.poll(() => task.textContent()).toContain("暂无任务");
    await shot(phone, "03-phone-on-sortie");

    // ---- The call: key point, people, condition, description; filed with the button.
    const intake = desk.getByTestId("intake-form");
    await intake.getByLabel("重点点位").click();
    await intake.getByLabel("重点点位").fill("新华桥");
    await desk.locator(".ant-select-item-option", { hasText: PLACE }).click();
    await expect.poll(() => desk.getByTestId("intake-position").textContent()).toMatch(/^45\.763/);
    await expect.poll(() => intake.getByLabel("位置描述").inputValue()).toBe(PLACE);
    await intake.getByLabel("人数").fill("2");
    await intake.getByLabel("气温 (°C)").fill("-24");
    await intake.getByRole("checkbox", { name: /^老人\d$/ }).check();
    await intake.getByRole("checkbox", { name: /^衣着单薄\d$/ }).check();
    await intake.getByLabel("情况描述").fill(DESCRIPTION);
    await expect.poll(() => desk.getByTestId("duplicates").textContent()).toContain("附近无可能重复的案件");
    await shot(desk, "04-duty-intake");
    await desk.getByTestId("intake-submit").click();
    await expect.poll(() => desk.locator(".ant-message").textContent()).toContain("已建立新案件");

    // The other duty-room screen shows the new case without a reload: queue and map.
    const watchItem = watchQueue.locator(".wl-duty-qitem", { hasText: PLACE });
    await expect.poll(() => watchItem.count(), { timeout: STEP }).toBe(1);
    await expect.poll(() => watchItem.textContent()).toContain("待派");
    await expect.poll(() => watchItem.textContent()).toContain("×2");
    await expect.poll(caseDots, { timeout: STEP }).toBe(1);
    await shot(watch, "05-duty-watch-new-case");

    // ---- Dispatch: open the case, assign DL-01 (on sortie: its crew of three on board) from the recommendations.
    const deskItem = desk.getByTestId("queue").locator(".wl-duty-qitem", { hasText: PLACE });
    await deskItem.click();
    const drawer = desk.locator(".ant-drawer", { has: desk.getByTestId("dispatch-slot") });
    const rec = drawer.locator(".wl-dispatch .ant-list-item", { hasText: "DL-01" }).first();
    await expect.poll(() => rec.textContent(), { timeout: STEP }).toContain("车上 3 人");
    await shot(desk, "06-duty-dispatch");
    await rec.getByRole("button", { name: /派\s?车/ }).click();
    await expect.poll(() => deskItem.textContent(), { timeout: STEP }).toContain("已派车");

    // The watching screen opens the case too and follows the task from there.
    await expect.poll(() => watchItem.textContent(), { timeout: STEP }).toContain("已派车");
    await watchItem.click();
    const watchTask = watch.locator(".wl-dispatch .ant-list-item", { hasText: "DL-01" }).last();
    await expect.poll(() => watchTask.textContent(), { timeout: STEP }).toContain("已派单");
    await chipColour(watchMap, "dispatched");

    // ---- The phone receives the task live, acknowledges, goes en route, arrives.
    await expect.poll(() => task.textContent(), { timeout: STEP }).toContain(PLACE);
    expect(await task.textContent()).toContain("已派单");
    expect(await task.textContent()).toContain(DESCRIPTION);
    await shot(phone, "07-phone-task");
    await task.getByRole("button", { name: "接单" }).click();
    await outboxConfirmed(phone, "任务状态：已接单");
    await expect.poll(() => watchTask.textContent(), { timeout: STEP }).toContain("已接单");

    await task.getByRole("button", { name: "出发" }).click();
    await outboxConfirmed(phone, "任务状态：前往途中");
    await expect.poll(() => watchTask.textContent(), { timeout: STEP }).toContain("前往途中");
    await chipColour(watchMap, "en_route");
    await shot(watch, "08-duty-en-route");

    await task.getByRole("button", { name: "到达" }).click();
    await outboxConfirmed(phone, "任务状态：到达现场");
    await expect.poll(() => watchTask.textContent(), { timeout: STEP }).toContain("到达现场");
    await expect.poll(() => watchItem.textContent(), { timeout: STEP }).toContain("已到场");
    await chipColour(watchMap, "on_scene");
    await shot(watch, "09-duty-on-scene");

    // ---- Two people: one brought in; one refusing, left with a quilt.
    await task.getByRole("button", { name: "记录人员" }).click();
    let form = phone.getByRole("region", { name: "记录人员" });
    await form.getByRole("button", { name: "接回站内" }).click();
    await form.getByRole("button", { name: "老人" }).click();
    await shot(phone, "10-phone-record-brought-in");
    await form.getByRole("button", { name: "保存" }).click();
    await outboxConfirmed(phone, "人员记录：接回站内");

    await task.getByRole("button", { name: "记录人员" }).click();
    form = phone.getByRole("region", { name: "记录人员" });
    await form.getByRole("button", { name: "拒绝救助" }).click();
    const give = form.locator(".ph-stepper", { hasText: "棉被" });
    await give.getByRole("button", { name: "+", exact: true }).click();
    await expect.poll(() => give.locator("output").textContent()).toBe("1");
    await form.getByLabel("备注").fill("拒绝回站，已发放棉被");
    await shot(phone, "11-phone-record-refused-quilt");
    await form.getByRole("button", { name: "保存" }).click();
    await outboxConfirmed(phone, "人员记录：拒绝救助");
    await expect.poll(() => phone.locator("body").textContent()).toMatch(/棉被 9/);
    await shot(phone, "12-phone-after-records");

    // ---- Clear the task and end the sortie (what is left goes back to the store).
    await task.getByRole("button", { name: "完成" }).click();
    await outboxConfirmed(phone, "任务状态：已完成");
    await expect.poll(() => task.textContent(), { timeout: STEP }).toContain("暂无任务");
    await expect.poll(() => watchTask.textContent(), { timeout: STEP }).toContain("已完成");
    await expect
      .poll(async () => (await watchItem.count()) === 0 || /已结案/.test((await watchItem.textContent()) ?? ""), {
        timeout: STEP,
      })
      .toBe(true);
    await shot(watch, "13-duty-cleared");

    await endSortie(phone, 9);
    await outboxConfirmed(phone, "收车");
    await expect
      .poll(() => phone.getByRole("button", { name: "出车", exact: true }).count(), { timeout: STEP })
      .toBe(1);
    await chipColour(watchMap, "off_duty"); // back at the station: 收车 takes the vehicle off duty
    await shot(phone, "14-phone-sortie-ended");

    // ---- The figures, from the API: exactly those records.
    const totals = ok(await head.call(api.totals.get, { params: { id: campaign.id }, query: { stationId } }));
    const f = totals.figures;
    expect({
      foundPersonTimes: f.foundPersonTimes,
      aidedInStation: f.aidedInStation,
      aidedOnStreet: f.aidedOnStreet,
      aidedTotal: f.aidedTotal,
      sorties: f.sorties,
      staffPersonTimes: f.staffPersonTimes,
      suppliesQuantity: f.suppliesQuantity,
      suppliesValueFen: f.suppliesValueFen,
      escorts: f.escorts,
      hospital: f.hospital,
      referred: f.referred,
    }).toEqual({
      foundPersonTimes: 2,
      aidedInStation: 1,
      aidedOnStreet: 1,
      aidedTotal: 2,
      sorties: 1,
      staffPersonTimes: 3,
      suppliesQuantity: 1,
      suppliesValueFen: QUILT_FEN,
      escorts: 0,
      hospital: 0,
      referred: 0,
    });
    expect(f.supplies.map((s) => ({ code: s.code, quantity: s.quantity, valueFen: s.valueFen }))).toEqual([
      { code: "quilt", quantity: 1, valueFen: QUILT_FEN },
    ]);
    expect(f.responseCount).toBe(1);
    const after = await quiltStock(head, stationId);
    expect(after, "10 loaded, 1 handed out, 9 returned").toBe(quiltBefore - 1);

    // ---- The station page: totals on screen.
    const station = await deskLogin("head", /\/station/);
    const fig = async (k: string) =>
      (await station.getByTestId(`fig-${k}`).locator(".ant-statistic-content-value").textContent())?.trim();
    await expect.poll(() => fig("foundPersonTimes"), { timeout: STEP }).toBe("2");
    expect(await fig("aidedInStation")).toBe("1");
    expect(await fig("aidedOnStreet")).toBe("1");
    expect(await fig("aidedTotal")).toBe("2");
    expect(await fig("sorties")).toBe("1");
    expect(await fig("suppliesQuantity")).toBe("1");
    const suppliesCard = station
      .locator(".ant-card", { hasText: "发放物资" })
      .filter({ has: station.locator(".ant-table") })
      .first();
    await expect.poll(() => suppliesCard.textContent()).toContain("棉被");
    expect(await suppliesCard.textContent()).toContain("1 床");
    expect(await suppliesCard.textContent()).toContain("120");
    await shot(station, "15-station-totals");

    // The day's report: prefilled with exactly those records; the head submits it.
    await station.getByRole("tab", { name: "日报告" }).click();
    expect(await (await dayInput(station, "report-day")).inputValue()).toBe(today);
    await expect.poll(() => fig("foundPersonTimes"), { timeout: STEP }).toBe("2");
    expect(await fig("aidedInStation")).toBe("1");
    expect(await fig("aidedOnStreet")).toBe("1");
    expect(await fig("aidedTotal")).toBe("2");
    expect(await fig("sorties")).toBe("1");
    await station.getByRole("textbox").last().fill("e2e：新华桥桥洞接回一人，一人拒绝救助已发放棉被");
    await station.getByTestId("submit-report").click();
    await expect.poll(() => station.locator("body").textContent(), { timeout: STEP }).toContain("报告已提交并锁定");
    expect(await fig("aidedTotal")).toBe("2");
    await shot(station, "16-station-daily-report");
    const report = ok(
      await head.call(api.reports.form, { params: { id: campaign.id }, query: { stationId, day: today } }),
    );
    expect(report.report?.figures.aidedTotal).toBe(2);
    expect(report.report?.figures.aidedInStation).toBe(1);
    expect(report.report?.figures.aidedOnStreet).toBe(1);

    // The printable daily report, in the official phrasing.
    await station.getByRole("tab", { name: "打印报告" }).click();
    await station.getByText("日报告", { exact: true }).last().click();
    const sheet = station.getByTestId("print-sheet");
    await expect.poll(() => sheet.locator("h1").textContent(), { timeout: STEP }).toContain("日报告");
    expect(await station.getByRole("button", { name: /打\s?印/ }).isEnabled()).toBe(true);
    const text = (await sheet.textContent()) ?? "";
    // A one-day report is headed by that one day (the harness cuts report days at midnight).
    expect(text).toContain(`统计时段：${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日`);
    expect(text).toContain("出动车辆1台次");
    expect(text).toContain("发现2人次");
    expect(text).toContain("站内外救助2人次（其中站内救助1人次、站外救助1人次）");
    expect(text).toContain("发放价值120元的棉被1床");
    expect(text).toContain("备注：e2e：新华桥桥洞接回一人");
    await shot(station, "17-station-print");
    await station.emulateMedia({ media: "print" });
    await station.screenshot({ path: `${SCREENSHOTS}scenario-18-print-media.png`, fullPage: true });
  });
});

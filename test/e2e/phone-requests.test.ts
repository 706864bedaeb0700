import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAVE_CHROMIUM } from "./harness.js";
import { E2ESession, STEP } from "./steps.js";

/**
 * The patrol phone on a weak signal: each resource is fetched once per load. Counted in Chromium
 * for the sign-in, the vehicle pick and a reload with a vehicle picked (the vehicle list was
 * fetched three times per load).
 */
describe.skipIf(!HAVE_CHROMIUM)("the phone fetches each resource once per load", () => {
  let e2e: E2ESession;
  beforeAll(async () => {
    e2e = await E2ESession.start();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("the vehicle list, the task and the load once per page load", async () => {
    const seen: string[] = [];
    const phone = await e2e.phone("patrol1", async (page) => {
      page.on("request", (r) => {
        const u = new URL(r.url());
        if (u.origin === e2e.srv.url && u.pathname.startsWith("/api/") && r.method() === "GET") seen.push(u.pathname);
      });
    });
    await phone.getByRole("button", { name: /^DL-01 · / }).click();
    await phone.getByRole("region", { name: "当前任务" }).or(phone.getByText("暂无任务")).first().waitFor();
    const count = (path: string) => seen.filter((p) => p === path).length;
    const settle = async () => {
      await phone.waitForLoadState("networkidle");
      // Late reads (an event, an idle outbox) would come within a second.
      await phone.waitForTimeout(1500);
    };
    await settle();
    console.log(`sign-in and vehicle pick: ${JSON.stringify(countAll(seen))}`);
    // One read when signed in, one when the vehicle is picked (its task and load come with it).
    expect(count("/api/vehicles"), seen.join("\n")).toBeLessThanOrEqual(2);

    seen.length = 0;
    await phone.reload();
    await expect.poll(() => count("/api/vehicles"), { timeout: STEP }).toBeGreaterThan(0);
    await settle();
    const once = countAll(seen);
    console.log(`reload with a vehicle picked: ${JSON.stringify(once)}`);
    expect(
      Object.entries(once).filter(([, n]) => n > 1),
      "fetched more than once",
    ).toEqual([]);
  });
});

function countAll(paths: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of paths) out[p] = (out[p] ?? 0) + 1;
  return out;
}

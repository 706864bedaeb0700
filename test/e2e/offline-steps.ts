import { expect } from "vitest";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import { outboxConfirmed } from "./steps.js";

/** Picks DL-01 on a signed-in phone and starts a sortie (crew 李强，张伟) with `quilts` quilts (0..10, by +5s). */
export async function startSortie(phone: Page, quilts: 0 | 5 | 10): Promise<void> {
  await phone.getByRole("button", { name: /^DL-01 · 待命/ }).click();
  await phone.getByRole("button", { name: "出车", exact: true }).click();
  const start = phone.getByRole("region", { name: "出车" });
  await start.getByLabel("人员姓名（逗号分隔）").fill("李强，张伟");
  const quiltRow = start.locator(".ph-stepper", { hasText: "棉被" });
  for (let n = 0; n < quilts; n += 5) await quiltRow.getByRole("button", { name: "+5" }).click();
  await expect.poll(() => quiltRow.locator("output").textContent()).toBe(String(quilts));
  await start.getByRole("button", { name: "出车", exact: true }).click();
  await outboxConfirmed(phone, "出车");
  if (quilts) await expect.poll(() => phone.locator("body").textContent()).toMatch(new RegExp(`棉被 ${quilts}`));
}

/**
 * Counts the phone's sends that failed for want of a network from now on: the outbox's writes
 * and the track's position posts apart, so a test can wait for the retries it means (their
 * back-off) instead of for a stretch of wall-clock time.
 */
export function failedSends(phone: Page): { outbox: () => number; track: () => number } {
  let outbox = 0;
  let track = 0;
  phone.on("requestfailed", (r) => {
    const path = new URL(r.url()).pathname;
    // A raw URL prefix on purpose: any write the phone makes, whatever endpoint it is.
    if (r.method() === "GET" || !path.startsWith("/api/")) return; // reads, the socket, assets
    if (path === api.patrols.positions.path) track++;
    else outbox++;
  });
  return { outbox: () => outbox, track: () => track };
}

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { loadEnv } from "../server/env.js";
import { createLogger } from "../server/logger.js";
import { startServer } from "../server/server.js";
import { result, type BenchResult } from "./lib.js";

/**
 * Lighthouse-style figures for the phone page (/m/, the sign-in screen a crew opens first) in
 * Chromium on Lighthouse's mobile "slow 4G" profile as DevTools applies it (its simulated 150 ms
 * RTT and 1.6 Mbit/s become 562.5 ms request latency, 1,474.6 kbit/s down and 675 kbit/s up), CPU
 * 4× slower, no cache, 360×740 at 2× — the largest contentful paint and the bytes sent over the wire (headers
 * and compressed bodies, CDP encodedDataLength). The floor is a page with the same heading and no
 * script at all, served by a bare Node server under the same profile: one round trip and the HTML.
 */
const PROFILE = { latency: 562.5, downloadThroughput: (1474.56 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 };
const CPU_SLOWDOWN = 4;
const FLOOR_HTML =
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
  "<title>暖线</title></head><body><h1>暖线 · 巡查登录</h1><p>用户名 密码 登录</p></body></html>";

async function measure(browser: Browser, url: string): Promise<{ lcpMs: number; bytes: number; requests: number }> {
  const ctx = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
  });
  try {
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...PROFILE });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    let bytes = 0;
    let requests = 0;
    cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength;
      requests++;
    });
    await page.goto(url, { waitUntil: "load", timeout: 120_000 });
    await page.waitForLoadState("networkidle", { timeout: 120_000 }).catch(() => {});
    const lcpMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          new PerformanceObserver((list) => {
            const all = list.getEntries();
            resolve(all[all.length - 1]!.startTime);
          }).observe({ type: "largest-contentful-paint", buffered: true });
          setTimeout(() => resolve(NaN), 5_000);
        }),
    );
    return { lcpMs, bytes, requests };
  } finally {
    await ctx.close();
  }
}

export async function phoneLoad(): Promise<BenchResult[]> {
  const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
    (p) => p && existsSync(p),
  );
  if (!chromiumPath) throw new Error("no Chromium (set CHROMIUM_PATH)");
  const dir = mkdtempSync(join(tmpdir(), "wl-bench-phone-"));
  const srv = await startServer(
    loadEnv({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dir,
      DATABASE_URL: undefined,
      SEED: "demo",
      LOG_LEVEL: "error",
    }),
    createLogger("error"),
  );
  const floor: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(FLOOR_HTML);
  });
  await new Promise<void>((r) => floor.listen(0, "127.0.0.1", r));
  const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage"],
  });
  try {
    const ours = await measure(browser, srv.url + "/m/");
    const base = await measure(browser, floorUrl);
    const profile = `slow 4G (Lighthouse, applied): 1,475/675 kbit/s, ${PROFILE.latency} ms latency, CPU ${CPU_SLOWDOWN}× slower, no cache, 360×740@2x`;
    return [
      result({
        name: "phone page LCP",
        metric: "largest contentful paint of /m/ (ms), throttled",
        ours: ours.lcpMs,
        baseline: base.lcpMs,
        lowerIsBetter: true,
        details: `${profile}; baseline: the same heading as plain HTML, no script`,
      }),
      result({
        name: "phone page transfer",
        metric: "bytes over the wire to load /m/, throttled",
        ours: ours.bytes,
        baseline: base.bytes,
        lowerIsBetter: true,
        details: `${ours.requests} requests (headers + compressed bodies, CDP encodedDataLength); ${profile}; baseline: plain HTML page, ${base.requests} request(s)`,
      }),
    ];
  } finally {
    await browser.close().catch(() => {});
    await new Promise((r) => floor.close(r));
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

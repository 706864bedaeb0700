import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { percentile, result, ROOT, sleep, type BenchResult } from "./lib.js";

/**
 * 10,000 live markers in Chromium: requestAnimationFrame intervals while every frame moves 10 % of
 * the markers and pans the map, for the duty room's map component (web/src/map/WarmMap.tsx, the
 * vehicle chip layer) against a plain canvas drawing the same number of dots. Both pages are bundled with
 * esbuild from bench/markers/ into a temp dir and opened from file://.
 */
export async function mapMarkers(n = 10_000, seconds = 6): Promise<BenchResult[]> {
  const out = path.join(os.tmpdir(), `warmline-markers-${process.pid}`);
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { ours: path.join(ROOT, "bench/markers/ours.tsx"), plain: path.join(ROOT, "bench/markers/plain.ts") },
    bundle: true,
    minify: true,
    format: "iife",
    outdir: out,
    jsx: "automatic",
    target: "es2022",
    define: { "process.env.NODE_ENV": '"production"' },
    loader: { ".png": "dataurl" },
    logLevel: "error",
  });
  for (const name of ["ours", "plain"]) {
    writeFileSync(
      path.join(out, `${name}.html`),
      `<!doctype html><html><head><meta charset="utf-8">` +
        (name === "ours" ? `<link rel="stylesheet" href="./ours.css">` : "") +
        `<style>html,body{margin:0}</style></head><body><div id="root"></div><script src="./${name}.js"></script></body></html>`,
    );
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
  });
  const measure = async (name: string) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`file://${out}/${name}.html?n=${n}`);
    await page.waitForFunction(() => window.__ready === true, undefined, { timeout: 120_000 });
    // Let the first render of all markers finish: the figure is the live frame time, not start-up.
    await page.waitForTimeout(8000);
    await page.evaluate(() => {
      window.__frames!.length = 0;
    });
    await sleep(seconds * 1000);
    const frames = await page.evaluate(() => window.__frames!.slice());
    const markers = await page.evaluate(() => ({
      chips: document.querySelectorAll(".wl-map-chip").length || document.querySelectorAll("#root > div > div").length,
      canvases: document.querySelectorAll(".leaflet-overlay-pane canvas").length,
    }));
    await page.close();
    return { frames, markers };
  };
  try {
    const ours = await measure("ours");
    const plain = await measure("plain");
    const d = (f: number[]) =>
      `${f.length} frames in ${seconds} s, p50 ${percentile(f, 50).toFixed(1)} / p95 ${percentile(f, 95).toFixed(1)} ms`;
    return [
      result({
        name: "map markers frame",
        metric: `frame time p95 (ms), ${n.toLocaleString("en-US")} live markers, 10 % moved per frame + pan`,
        ours: percentile(ours.frames, 95),
        baseline: percentile(plain.frames, 95),
        lowerIsBetter: true,
        details:
          `WarmMap (above 400 markers in view: dots on one canvas, label in the tooltip; ${ours.markers.chips} DOM chips, ` +
          `${ours.markers.canvases} canvas): ${d(ours.frames)}; plain canvas (10k dots, one path per frame): ${d(plain.frames)}; headless Chromium`,
      }),
    ];
  } finally {
    await browser.close();
  }
}

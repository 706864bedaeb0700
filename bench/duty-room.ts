import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { chromium, type Browser, type Page } from "playwright-core";
import { login, percentile, result, ROOT, sleep, spawnServer, throwawayDatabase, type BenchResult } from "./lib.js";

/**
 * The duty room on a busy night (issue 22), in Chromium against the built web app and a server on a
 * throwaway PostgreSQL database: a big city's open cases, vehicles (some moving) and key points, then
 * live calls at `callsPerSecond` and GPS from the moving vehicles. Measured on the page:
 *  - first render: navigation → the queue shows its true total and the map is on the page;
 *  - input latency: keydown → the next frame after it, typing into the intake form while calls arrive;
 *  - frame time: requestAnimationFrame intervals while the map is dragged;
 *  - heap after a forced GC, after first render and at the end of the live period.
 * The floor is the same page with live updates off (its socket blocked, so it hears no events) under
 * the same server-side traffic: what the page costs without applying live changes.
 * Sizes from BENCH_DUTY_CASES (4,000), BENCH_DUTY_VEHICLES (300, half moving), BENCH_DUTY_KEYPOINTS
 * (2,000), BENCH_DUTY_CALLS (20 per s), BENCH_DUTY_SECONDS (live period per page, 30).
 */
export interface DutyRoomSize {
  cases: number;
  vehicles: number;
  keyPoints: number;
  callsPerSecond: number;
  seconds: number;
}

export function dutyRoomSize(env = process.env): DutyRoomSize {
  const n = (k: string, d: number) => Math.max(0, Number(env[k] ?? d));
  return {
    cases: n("BENCH_DUTY_CASES", 4000),
    vehicles: n("BENCH_DUTY_VEHICLES", 300),
    keyPoints: n("BENCH_DUTY_KEYPOINTS", 2000),
    callsPerSecond: n("BENCH_DUTY_CALLS", 20),
    seconds: n("BENCH_DUTY_SECONDS", 30),
  };
}

const URGENCIES = ["critical", "high", "medium", "low"];

/** Seeds the city straight into the database (the API would take minutes under load). */
async function seedCity(dbUrl: string, size: DutyRoomSize) {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const stations = (await sql<{ id: string }[]>`select id from stations order by id`).map((r) => r.id);
    const patrolStation = (
      await sql<{ station_id: string }[]>`select station_id from users where username = 'patrol1'`
    )[0]!.station_id;
    const kind = (await sql<{ kind: string }[]>`select kind from key_points limit 1`)[0]?.kind ?? "underpass";
    await sql`
      insert into cases (id, station_id, status, urgency, lat, lng, place_text, source, received_at, last_call_at)
      select gen_random_uuid(), (${stations}::uuid[])[1 + g % ${stations.length}],
        'open', (${URGENCIES}::text[])[1 + g % 4],
        45.60 + (g % 70) * 0.004, 126.45 + (g / 70) * 0.004, 'bench place ' || g, 'public_hotline',
        now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval
      from generate_series(1, ${size.cases}) g`;
    await sql`
      insert into key_points (station_id, name, kind, lat, lng, address, notes)
      select (${stations}::uuid[])[1 + g % ${stations.length}], 'Bench point ' || g, ${kind},
        45.60 + (g % 50) * 0.005, 126.45 + (g / 50) * 0.005, 'Bench street ' || g, 'bench notes for point ' || g
      from generate_series(1, ${size.keyPoints}) g`;
    // The moving half in patrol1's station (patrol1 reports their fixes), the rest spread out.
    const moving = Math.floor(size.vehicles / 2);
    const movingIds = (
      await sql<{ id: string }[]>`
      insert into vehicles (station_id, call_sign, plate, status, last_lat, last_lng, last_position_at)
      select ${patrolStation}::uuid, 'MOV-' || g, 'M' || g, 'available', 45.7 + (g % 15) * 0.01, 126.6 + (g / 15) * 0.01, now()
      from generate_series(1, ${moving}) g returning id`
    ).map((r) => r.id);
    await sql`
      insert into vehicles (station_id, call_sign, plate, status, last_lat, last_lng, last_position_at)
      select (${stations}::uuid[])[1 + g % ${stations.length}], 'STILL-' || g, 'S' || g, 'available',
        45.65 + (g % 15) * 0.01, 126.5 + (g / 15) * 0.01, now()
      from generate_series(1, ${size.vehicles - moving}) g`;
    return { movingIds };
  } finally {
    await sql.end();
  }
}

/** Live traffic until stopped: calls at `perSecond` (operator) and a fix per moving vehicle every 5 s. */
function liveTraffic(
  url: string,
  cookies: { operator: string; patrol: string },
  movingIds: string[],
  perSecond: number,
) {
  let running = true;
  let calls = 0;
  let fixes = 0;
  let failed = 0;
  const post = (p: string, cookie: string, body: unknown) =>
    fetch(`${url}${p}`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify(body),
    })
      .then(async (r) => {
        await r.arrayBuffer();
        if (!r.ok) failed++;
      })
      .catch(() => {
        failed++;
      });
  const callLoop = (async () => {
    const start = performance.now();
    for (let i = 0; running; i++) {
      const wait = start + (i * 1000) / perSecond - performance.now();
      if (wait > 2) await sleep(wait);
      calls++;
      void post("/api/sightings", cookies.operator, {
        id: randomUUID(),
        source: "public_hotline",
        lat: 45.62 + (i % 60) * 0.005,
        lng: 126.5 + (Math.floor(i / 60) % 60) * 0.005,
        placeText: `live call ${i}`,
        newCase: true,
      });
    }
  })();
  const gpsLoop = (async () => {
    for (let round = 0; running; round++) {
      const t = performance.now();
      // One POST per second with a fifth of the vehicles: each vehicle reports every 5 s.
      const slice = movingIds.filter((_, i) => i % 5 === round % 5);
      if (slice.length) {
        fixes += slice.length;
        void post("/api/positions", cookies.patrol, {
          points: slice.map((vehicleId, i) => ({
            vehicleId,
            lat: 45.7 + (i % 15) * 0.01 + (round % 50) * 2e-4,
            lng: 126.6 + (i / 15) * 0.01,
            accuracy: 10,
            recordedAt: new Date().toISOString(),
          })),
        });
      }
      await sleep(Math.max(0, 1000 - (performance.now() - t)));
    }
  })();
  return {
    async stop() {
      running = false;
      await Promise.all([callLoop, gpsLoop]);
      return { calls, fixes, failed };
    },
  };
}

interface PageFigures {
  firstRenderMs: number;
  keyP95: number;
  keyP50: number;
  keys: number;
  frameP95: number;
  frameP50: number;
  frames: number;
  heapStartMb: number;
  heapEndMb: number;
  domNodes: number;
  gets: number;
}

/**
 * The page-side probes: key → next frame latency and rAF intervals (while `__framing`). A string, not
 * a function: tsx would wrap a function's inner names in a helper the page does not have.
 */
const PROBES = `
  window.__keys = [];
  window.__frames = [];
  window.__framing = false;
  window.addEventListener("keydown", (e) => {
    const t0 = e.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - t0), 0));
  }, true);
  let last = 0;
  window.__probeLoop = (t) => {
    if (window.__framing) {
      if (last) window.__frames.push(t - last);
      last = t;
    } else last = 0;
    requestAnimationFrame(window.__probeLoop);
  };
  requestAnimationFrame(window.__probeLoop);
`;

async function heapAfterGcMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  return usedSize / 2 ** 20;
}

async function measurePage(browser: Browser, url: string, live: boolean, seconds: number) {
  // Service workers blocked: both pages load the same way, from the server (HTTP cache allowed).
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: "block" });
  // The floor: the same page, its live stream blocked (it loads everything over HTTP and hears nothing).
  if (!live) await context.route(/\/socket\.io\//, (r) => r.abort());
  const page = await context.newPage();
  await page.addInitScript({ content: PROBES });
  // Signed in through the page, as an operator does (the app keeps its session state, not only the cookie).
  await page.goto(`${url}/login`);
  await page.locator("input#username, input[autocomplete=username]").first().fill("operator");
  await page.locator("input[type=password]").first().fill("demo");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/duty/, { timeout: 180_000 });
  let gets = 0;
  page.on("request", (r) => {
    if (r.method() === "GET" && new URL(r.url()).pathname.startsWith("/api/")) gets++;
  });
  // First render: a fresh load of the duty room, signed in.
  const t0 = performance.now();
  await page.reload();
  await page.waitForFunction(
    () =>
      Number(document.querySelector("[data-testid=queue-title]")?.getAttribute("data-total") ?? 0) > 0 &&
      !!document.querySelector("[data-testid=warm-map]"),
    undefined,
    { timeout: 180_000, polling: 50 },
  );
  const firstRenderMs = performance.now() - t0;
  await page.waitForLoadState("networkidle").catch(() => {});
  const heapStartMb = await heapAfterGcMb(page);
  // Typing into the intake form for the first half, panning the map for the second.
  const typingEnd = performance.now() + (seconds * 1000) / 2;
  const field = page.locator('[data-testid=intake-form] input[id$="placeText"]').first();
  await field.click();
  const text = "桥洞下有人 under the bridge ";
  for (let i = 0; performance.now() < typingEnd; i++) {
    await page.keyboard.type(text[i % text.length]!);
    if (i % 40 === 39) await field.fill("");
    await sleep(80);
  }
  const box = (await page.getByTestId("warm-map").boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.evaluate(() => {
    (window as unknown as { __framing: boolean }).__framing = true;
  });
  const end = performance.now() + (seconds * 1000) / 2;
  for (let dir = 1; performance.now() < end; dir = -dir) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let s = 1; s <= 30; s++) await page.mouse.move(cx + dir * s * 8, cy + dir * s * 4);
    await page.mouse.up();
  }
  const figures = await page.evaluate(() => {
    const w = window as unknown as { __keys: number[]; __frames: number[]; __framing: boolean };
    w.__framing = false;
    return { keys: w.__keys.slice(), frames: w.__frames.slice(), dom: document.getElementsByTagName("*").length };
  });
  const heapEndMb = await heapAfterGcMb(page);
  await context.close();
  return {
    firstRenderMs,
    keyP95: percentile(figures.keys, 95),
    keyP50: percentile(figures.keys, 50),
    keys: figures.keys.length,
    frameP95: percentile(figures.frames, 95),
    frameP50: percentile(figures.frames, 50),
    frames: figures.frames.length,
    heapStartMb,
    heapEndMb,
    domNodes: figures.dom,
    gets,
  } satisfies PageFigures;
}

export async function dutyRoom(size: DutyRoomSize = dutyRoomSize()): Promise<BenchResult[]> {
  if (!existsSync(path.join(ROOT, "dist/web/index.html")))
    throw new Error("dist/web is missing: run `npm run build` first (the bench loads the built web app)");
  const db = await throwawayDatabase();
  const server = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo" });
  let browser: Browser | undefined;
  try {
    const { movingIds } = await seedCity(db.url, size);
    const cookies = { operator: await login(server.url, "operator"), patrol: await login(server.url, "patrol1") };
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox"],
    });
    const run = async (live: boolean) => {
      const traffic = liveTraffic(server.url, cookies, movingIds, size.callsPerSecond);
      try {
        const f = await measurePage(browser!, server.url, live, size.seconds);
        return { ...f, traffic: await traffic.stop(), load: os.loadavg()[0]! };
      } catch (err) {
        await traffic.stop();
        throw err;
      }
    };
    const ours = await run(true);
    const floor = await run(false);
    const city =
      `${size.cases.toLocaleString("en-US")} open cases + ${size.callsPerSecond}/s live, ${size.vehicles} vehicles ` +
      `(${movingIds.length} moving), ${size.keyPoints.toLocaleString("en-US")} key points`;
    const side = (label: string, f: typeof ours) =>
      `${label}: first render ${f.firstRenderMs.toFixed(0)} ms, keys p50 ${f.keyP50.toFixed(1)} / p95 ${f.keyP95.toFixed(1)} ms ` +
      `(${f.keys}), frames p50 ${f.frameP50.toFixed(1)} / p95 ${f.frameP95.toFixed(1)} ms (${f.frames}), heap after GC ` +
      `${f.heapStartMb.toFixed(1)} → ${f.heapEndMb.toFixed(1)} MB, ${f.domNodes} DOM nodes, ${f.gets} API GETs, ` +
      `traffic ${f.traffic.calls} calls + ${f.traffic.fixes} fixes (${f.traffic.failed} failed), load ${f.load.toFixed(1)}`;
    const details = `${city}; ${side("live", ours)}; ${side("floor (live updates off)", floor)}; headless Chromium`;
    return [
      result({
        name: "duty room typing",
        metric: "intake form key → next frame p95 (ms), calls arriving",
        ours: ours.keyP95,
        baseline: floor.keyP95,
        lowerIsBetter: true,
        details,
      }),
      result({
        name: "duty room panning",
        metric: "frame time p95 (ms) while dragging the map",
        ours: ours.frameP95,
        baseline: floor.frameP95,
        lowerIsBetter: true,
        details: `${city}; see duty room typing for the full figures`,
      }),
      result({
        name: "duty room heap",
        metric: `heap after GC growth over ${size.seconds} s live (MB)`,
        ours: Math.max(0, ours.heapEndMb - ours.heapStartMb),
        baseline: Math.max(0, floor.heapEndMb - floor.heapStartMb),
        lowerIsBetter: true,
        details:
          `live ${ours.heapStartMb.toFixed(1)} → ${ours.heapEndMb.toFixed(1)} MB; floor ${floor.heapStartMb.toFixed(1)} → ` +
          `${floor.heapEndMb.toFixed(1)} MB; ${city}`,
      }),
      result({
        name: "duty room first render",
        metric: "navigation → queue with its total and the map (ms)",
        ours: ours.firstRenderMs,
        baseline: floor.firstRenderMs,
        lowerIsBetter: true,
        details: `${city}; ${ours.gets} / ${floor.gets} API GETs per load (live / floor)`,
      }),
    ];
  } finally {
    await browser?.close();
    await server.stop();
    await db.drop();
  }
}

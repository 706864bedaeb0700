import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import WebSocket from "ws";
import { login, percentile, result, sleep, spawnServer, throwawayDatabase, type BenchResult } from "./lib.js";

const sighting = (id: string, i: number) => ({
  id,
  source: "public_hotline",
  lat: 45.7 + (i % 100) * 0.001,
  lng: 126.6 + Math.floor(i / 100) * 0.001,
  description: "bench",
  newCase: true,
});

async function batches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size)
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return out;
}

/**
 * Posts `count` sightings at `perSecond` and records when each dashboard saw each one. Returns,
 * per sighting, the ms from its POST until it was on all `dashboards` (the last arrival), and how
 * many sightings never reached all of them within 30 s.
 */
async function fanOut(
  post: (i: number, id: string) => Promise<void>,
  arrivals: Map<string, number[]>,
  count: number,
  perSecond: number,
  dashboards: number,
): Promise<{ onAll: number[]; incomplete: number }> {
  const sent = new Map<string, number>();
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    sent.set(id, performance.now());
    arrivals.set(id, []);
    await post(i, id);
    // Paced against the schedule, not after each answer, so a slow answer does not lower the rate.
    await sleep(Math.max(0, start + ((i + 1) * 1000) / perSecond - performance.now()));
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && [...arrivals.values()].some((a) => a.length < dashboards)) await sleep(50);
  const onAll: number[] = [];
  let incomplete = 0;
  for (const [id, times] of arrivals) {
    if (times.length < dashboards) incomplete++;
    else onAll.push(Math.max(...times) - sent.get(id)!);
  }
  return { onAll, incomplete };
}

/**
 * Sighting POST -> on all N connected dashboards, per sighting, p50/p99 over `count` sightings,
 * against raw ws + INSERT + broadcast of the inserted row.
 */
export async function intakeFanOut(dashboards = 500, count = 500, perSecond = 20): Promise<BenchResult[]> {
  const db = await throwawayDatabase();
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo" });
  const raw = await spawnServer({ DATABASE_URL: db.url, PORT: "0" }, "bench/baselines/raw-intake-server.ts");
  try {
    const cookie = await login(ours.url, "operator");
    const arrivals = new Map<string, number[]>();
    const socks: Socket[] = await batches(
      dashboards,
      100,
      () =>
        new Promise<Socket>((resolve, reject) => {
          const s = io(ours.url, {
            transports: ["websocket"],
            extraHeaders: { cookie },
            forceNew: true,
            reconnection: false,
          });
          s.on("event", (e) => {
            if (e.type !== "case.created") return;
            const call = (e.payload as { call?: { id: string } }).call;
            if (call) arrivals.get(call.id)?.push(performance.now());
          });
          s.once("replay:done", () => resolve(s));
          s.once("connect_error", reject);
        }),
    );
    const oursLat = await fanOut(
      async (i, id) => {
        const r = await fetch(`${ours.url}/api/sightings`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify(sighting(id, i)),
        });
        if (r.status !== 201) throw new Error(`POST ${r.status} ${await r.text()}`);
      },
      arrivals,
      count,
      perSecond,
      dashboards,
    );
    for (const s of socks) s.close();

    const rawArrivals = new Map<string, number[]>();
    const wss = await batches(
      dashboards,
      100,
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(raw.url.replace("http", "ws"));
          ws.on("message", (m) => {
            const e = JSON.parse(String(m)) as { payload: { id: string } };
            rawArrivals.get(e.payload.id)?.push(performance.now());
          });
          ws.once("open", () => resolve(ws));
          ws.once("error", reject);
        }),
    );
    const rawLat = await fanOut(
      async (i, id) => {
        const r = await fetch(`${raw.url}/intake`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(sighting(id, i)),
        });
        if (r.status !== 201) throw new Error(`raw POST ${r.status}`);
      },
      rawArrivals,
      count,
      perSecond,
      dashboards,
    );
    for (const w of wss) w.close();

    const delivered =
      `${count} sightings at ${perSecond}/s, each timed until on all ${dashboards} dashboards; ` +
      `incomplete ours ${oursLat.incomplete}, raw ${rawLat.incomplete}`;
    return [
      result({
        name: "intake fan-out p50",
        metric: `ms from sighting POST until on all ${dashboards} dashboards, p50 of sightings`,
        ours: percentile(oursLat.onAll, 50),
        baseline: percentile(rawLat.onAll, 50),
        lowerIsBetter: true,
        details: delivered,
      }),
      result({
        name: "intake fan-out p99",
        metric: `ms from sighting POST until on all ${dashboards} dashboards, p99 of sightings`,
        ours: percentile(oursLat.onAll, 99),
        baseline: percentile(rawLat.onAll, 99),
        lowerIsBetter: true,
        details: delivered,
      }),
    ];
  } finally {
    await ours.stop("SIGKILL");
    await raw.stop("SIGKILL");
    await db.drop();
  }
}

/** Sighting POST throughput with 50 concurrent connections, against raw postgres.js INSERT with the same pool. */
export async function intakeThroughput(connections = 50, seconds = 8): Promise<BenchResult> {
  const db = await throwawayDatabase();
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo", DB_POOL_SIZE: "20" });
  const raw = await spawnServer(
    { DATABASE_URL: db.url, PORT: "0", DB_POOL_SIZE: "20" },
    "bench/baselines/raw-intake-server.ts",
  );
  const load = async (url: string, headers: Record<string, string>) => {
    let done = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async (_, c) => {
        for (let i = 0; performance.now() < until; i++) {
          const r = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify(sighting(randomUUID(), c * 1000 + i)),
          });
          await r.arrayBuffer();
          if (r.status === 201) done++;
        }
      }),
    );
    return done / seconds;
  };
  try {
    const cookie = await login(ours.url, "operator");
    const o = await load(`${ours.url}/api/sightings`, { cookie });
    const b = await load(`${raw.url}/intake`, {});
    return result({
      name: "intake throughput",
      metric: `sightings/s at ${connections} connections`,
      ours: o,
      baseline: b,
      lowerIsBetter: false,
      details: `pool 20 both; ours validates, checks duplicates, computes urgency, writes case+call+event`,
    });
  } finally {
    await ours.stop("SIGKILL");
    await raw.stop("SIGKILL");
    await db.drop();
  }
}

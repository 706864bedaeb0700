import { io, type Socket } from "socket.io-client";
import WebSocket from "ws";
import {
  freePort,
  login,
  percentile,
  result,
  rssBytes,
  sleep,
  spawnServer,
  throwawayDatabase,
  type BenchResult,
} from "./lib.js";
import { RECONNECT } from "../shared/reconnect.js";

async function inBatches<T>(n: number, batch: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += batch)
    out.push(...(await Promise.all(Array.from({ length: Math.min(batch, n - i) }, (_, j) => make(i + j)))));
  return out;
}

function connectIo(
  url: string,
  cookie: string,
  opts: { lastEventId?: () => number | null; reconnection?: boolean; setup?: (s: Socket) => void } = {},
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, {
      transports: ["websocket"],
      extraHeaders: { cookie },
      forceNew: true,
      reconnection: opts.reconnection ?? false,
      // The desk app's back-off: the storm measures what ships.
      ...RECONNECT,
      auth: (cb) => cb({ lastEventId: opts.lastEventId?.() ?? null }),
    });
    opts.setup?.(s);
    s.once("replay:done", () => resolve(s));
    s.once("connect_error", reject);
  });
}

function connectWs(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace("http", "ws"));
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Memory per idle authenticated socket at N connections, against plain ws. */
export async function idleSocketMemory(n = 10_000): Promise<BenchResult> {
  const db = await throwawayDatabase();
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo" });
  const base = await spawnServer({ PORT: "0" }, "bench/baselines/ws-server.ts");
  try {
    const cookie = await login(ours.url, "operator");
    await sleep(1000);
    const r0 = rssBytes(ours.proc.pid!);
    const socks = await inBatches(n, 250, () => connectIo(ours.url, cookie));
    await sleep(3000);
    const perOurs = (rssBytes(ours.proc.pid!) - r0) / n;
    for (const s of socks) s.close();

    const b0 = rssBytes(base.proc.pid!);
    const wss = await inBatches(n, 250, () => connectWs(base.url));
    await sleep(3000);
    const perBase = (rssBytes(base.proc.pid!) - b0) / n;
    for (const w of wss) w.close();
    return result({
      name: "idle socket memory",
      metric: `server RSS per idle socket at ${n.toLocaleString("en-US")} (bytes)`,
      ours: perOurs,
      baseline: perBase,
      lowerIsBetter: true,
      details: `Socket.IO with session auth and rooms vs plain ws; ${n} sockets held`,
    });
  } finally {
    await ours.stop("SIGKILL");
    await base.stop("SIGKILL");
    await db.drop();
  }
}

/**
 * Reconnect storm: N dashboards connected, the server is killed (SIGKILL) and restarted on the
 * same port, events are written right away; time until every dashboard has reconnected and holds
 * every event exactly once. Baseline: N plain ws clients reconnecting to a restarted ws server.
 */
export async function reconnectStorm(n = 500, events = 50): Promise<BenchResult> {
  const db = await throwawayDatabase();
  const port = String(await freePort());
  let server = await spawnServer({ DATABASE_URL: db.url, PORT: port, SEED: "demo" });
  try {
    const cookie = await login(server.url, "admin");
    const state = Array.from({ length: n }, () => ({ last: null as number | null, ids: [] as number[] }));
    const socks = await inBatches(n, 100, (i) =>
      connectIo(server.url, cookie, {
        lastEventId: () => state[i]!.last,
        reconnection: true,
        setup: (s) => {
          s.on("event", (e) => {
            state[i]!.ids.push(e.id);
            state[i]!.last = e.id;
          });
          s.on("replay:done", (d) => {
            if (state[i]!.last === null || d.lastEventId > state[i]!.last!) state[i]!.last = d.lastEventId;
          });
        },
      }),
    );
    await server.stop("SIGKILL");
    server = await spawnServer({ DATABASE_URL: db.url, PORT: port, SEED: "demo" });
    const t0 = performance.now();
    const adminCookie = await login(server.url, "admin");
    const regions = (await (await fetch(`${server.url}/api/regions`, { headers: { cookie: adminCookie } })).json()) as {
      items: { id: string }[];
    };
    for (let i = 0; i < events; i++) {
      await fetch(`${server.url}/api/stations`, {
        method: "POST",
        headers: { cookie: adminCookie, "content-type": "application/json" },
        body: JSON.stringify({
          code: `RS${i}`,
          name: `storm ${i}`,
          regionId: regions.items[0]!.id,
          lat: 45.7,
          lng: 126.6,
        }),
      });
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !state.every((s) => s.ids.length >= events)) await sleep(20);
    const ours = performance.now() - t0;
    const complete = state.filter((s) => s.ids.length === events && new Set(s.ids).size === events).length;
    if (process.env.BENCH_DEBUG) {
      const hist = new Map<number, number>();
      for (const s of state) hist.set(s.ids.length, (hist.get(s.ids.length) ?? 0) + 1);
      console.log({ connected: socks.filter((s) => s.connected).length, hist: [...hist] });
    }
    for (const s of socks) s.close();

    const baseline = await replayingWsStorm(db.url, n, events);
    return result({
      name: "reconnect storm",
      metric: `ms until ${n} dashboards are back with all ${events} events`,
      ours,
      baseline,
      lowerIsBetter: true,
      details:
        `${complete}/${n} dashboards complete, each event exactly once; baseline = ${n} plain ws clients ` +
        `(same back-off) reconnecting to a restarted ws server that replays the same events from a table ` +
        `(bench/baselines/ws-replay-server.ts; no auth, rooms or presentation)`,
    });
  } finally {
    await server.stop("SIGKILL");
    await db.drop();
  }
}

/**
 * The fair floor of the storm: N plain ws clients on a ws server over an events table; the server
 * is killed and restarted on the same port, the same number of events are written, and each client
 * reconnects with the desk's back-off (shared/reconnect.ts) and `?after=<last id>`, getting the
 * missed events replayed from the table and the rest live. Milliseconds until all hold every event
 * exactly once.
 */
async function replayingWsStorm(dbUrl: string, n: number, events: number): Promise<number> {
  const port = String(await freePort());
  const entry = "bench/baselines/ws-replay-server.ts";
  let srv = await spawnServer({ PORT: port, DATABASE_URL: dbUrl }, entry);
  const state = Array.from({ length: n }, () => ({ last: 0, ids: [] as number[], ws: null as WebSocket | null }));
  let stopped = false;
  const backoff = (attempt: number) => {
    const d = Math.min(RECONNECT.reconnectionDelayMax, RECONNECT.reconnectionDelay * 2 ** attempt);
    return d * (1 + (Math.random() * 2 - 1) * RECONNECT.randomizationFactor);
  };
  const open = (i: number, attempt = 0): Promise<void> =>
    new Promise((resolve) => {
      const s = state[i]!;
      const ws = new WebSocket(`ws://127.0.0.1:${port}/?after=${s.last}`);
      s.ws = ws;
      let up = false;
      ws.on("open", () => {
        up = true;
        resolve();
      });
      ws.on("message", (data) => {
        const m = JSON.parse(String(data)) as { id?: number };
        if (m.id !== undefined && m.id > s.last) {
          s.ids.push(m.id);
          s.last = m.id;
        }
      });
      ws.on("error", () => {});
      ws.on("close", () => {
        if (stopped) return resolve();
        setTimeout(() => void open(i, up ? 0 : attempt + 1).then(resolve), backoff(up ? 0 : attempt));
      });
    });
  try {
    await inBatches(n, 100, (i) => open(i));
    await srv.stop("SIGKILL");
    srv = await spawnServer({ PORT: port, DATABASE_URL: dbUrl }, entry);
    const t0 = performance.now();
    for (let i = 0; i < events; i++)
      await fetch(`${srv.url}/event`, { method: "POST", body: JSON.stringify({ storm: i }) });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !state.every((s) => s.ids.length >= events)) await sleep(20);
    const took = performance.now() - t0;
    const complete = state.filter((s) => s.ids.length === events && new Set(s.ids).size === events).length;
    if (complete !== n) throw new Error(`ws floor: only ${complete}/${n} clients hold every event exactly once`);
    return took;
  } finally {
    stopped = true;
    for (const s of state) s.ws?.close();
    await srv.stop("SIGKILL");
  }
}

export { percentile };

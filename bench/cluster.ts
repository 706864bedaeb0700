/**
 * Capacity of a two-node cluster on one PostgreSQL, on loopback. Bounded: about a minute, then it
 * stops its nodes and drops its database by itself.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/cluster.ts [sockets] [seconds]
 *
 * 1. Baseline: the same commit shape as server/events (insert the event row, pg_notify, commit)
 *    written with raw postgres.js transactions, no HTTP: the database's own ceiling.
 * 2. Events: admins create stations through both nodes for N seconds while listeners on both nodes
 *    receive them; commits/s, socket deliveries/s, and commit-to-receipt latency on the other node.
 * 3. Sockets: opens `sockets` idle authenticated websockets split over the nodes, reports the time
 *    to connect them, each node's memory, and how long one event takes to reach all of them.
 */
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { io, type Socket } from "socket.io-client";
import { testDatabaseUrl } from "../server/env.js";
import { signedIn, type TestClient } from "../test/helpers/http.js";
import { spawnNode, type ClusterNode } from "./cluster-node.js";
import { api } from "../shared/api/index.js";

const SOCKETS = Number(process.argv[2] ?? 2000);
const SECONDS = Number(process.argv[3] ?? 10);
const LANES_PER_NODE = Number(process.argv[4] ?? 8);
const LISTENERS_PER_NODE = Number(process.argv[5] ?? 5);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};
const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};

type Sock = Socket;
function connect(url: string, cookie: string, onEvent?: (e: { id: number; at: string }) => void): Promise<Sock> {
  return new Promise((resolve, reject) => {
    const s = io(url, {
      transports: ["websocket"],
      extraHeaders: { cookie },
      auth: { lastEventId: null },
      reconnection: false,
      forceNew: true,
      timeout: 20_000,
    });
    if (onEvent) s.on("event", onEvent);
    s.once("replay:done", () => resolve(s));
    s.once("connect_error", reject);
  });
}

async function main() {
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) throw new Error("set TEST_DATABASE_URL to a PostgreSQL the bench may create a database on");
  const name = `wl_bench_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const nodes: ClusterNode[] = [];
  const sockets: Sock[] = [];
  const hardStop = setTimeout(() => {
    console.error("bench: time limit reached");
    process.exit(2);
  }, 180_000);
  try {
    const [a, b] = await Promise.all([
      spawnNode("A", { DATABASE_URL: dbUrl, SEED: "demo", DB_POOL_SIZE: "10" }),
      spawnNode("B", { DATABASE_URL: dbUrl, SEED: "none", DB_POOL_SIZE: "10" }),
    ]);
    nodes.push(a!, b!);
    const admins: TestClient[] = await Promise.all(nodes.map((n) => signedIn(n.url, "admin")));
    const regionId = (await admins[0]!.call(api.stations.regions)).body.items[0]!.id as string;
    const sql = postgres(dbUrl, { max: 2 * LANES_PER_NODE, onnotice: () => {} });
    const pg = await sql`select current_setting('synchronous_commit') as sc, current_setting('fsync') as fs`;
    console.log(
      `PostgreSQL synchronous_commit=${pg[0]!.sc} fsync=${pg[0]!.fs}; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
    );

    // 1. Raw baseline, same concurrency as phase 2.
    await sql`create table bench_events (id bigserial primary key, payload jsonb not null, at timestamptz not null default now())`;
    let raw = 0;
    const rawUntil = Date.now() + SECONDS * 500;
    await Promise.all(
      Array.from({ length: 2 * LANES_PER_NODE }, async () => {
        while (Date.now() < rawUntil) {
          await sql.begin(async (tx) => {
            const [r] = await tx`insert into bench_events (payload) values (${tx.json({ code: "x" })}) returning id`;
            await tx`select pg_notify('bench', ${String(r!.id)})`;
          });
          raw++;
        }
      }),
    );
    const rawRate = raw / (SECONDS / 2);
    console.log(
      `baseline  raw event commits: ${rawRate.toFixed(0)}/s (${2 * LANES_PER_NODE} connections, ${SECONDS / 2} s)`,
    );

    // 2. Events through both nodes, listeners on both.
    let delivered = 0;
    const crossLatency: number[] = [];
    const origin = new Map<string, number>(); // station code -> node index that committed it
    for (let i = 0; i < nodes.length; i++) {
      for (let k = 0; k < LISTENERS_PER_NODE; k++) {
        sockets.push(
          await connect(nodes[i]!.url, admins[i]!.cookie, (e) => {
            delivered++;
            const code = (e as unknown as { payload: { code?: string } }).payload.code;
            if (k === 0 && code && origin.get(code) !== i) crossLatency.push(Date.now() - Date.parse(e.at));
          }),
        );
      }
    }
    let committed = 0;
    let failures = 0;
    let seq = 0;
    const cpu0 = nodes.map((n) => cpuSeconds(n.child.pid!));
    const t0 = Date.now();
    const until = t0 + SECONDS * 1000;
    await Promise.all(
      nodes.flatMap((_, i) =>
        Array.from({ length: LANES_PER_NODE }, async () => {
          while (Date.now() < until) {
            const code = `B${i}_${seq++}`;
            origin.set(code, i);
            const r = await admins[i]!.call(api.stations.create, {
              body: { code, name: code, regionId, lat: 45.7, lng: 126.6 },
            });
            if (r.status === 201) committed++;
            else failures++;
          }
        }),
      ),
    );
    const elapsed = (Date.now() - t0) / 1000;
    await sleep(2500); // let the pumps drain
    const cpu = nodes.map((n, i) => ((cpuSeconds(n.child.pid!) - cpu0[i]!) / elapsed) * 100);
    const expected = committed * sockets.length;
    console.log(
      `events    committed through 2 nodes: ${(committed / elapsed).toFixed(0)}/s (${committed} in ${elapsed.toFixed(1)} s, ${failures} failed, ${2 * LANES_PER_NODE} HTTP writers); ratio to raw baseline ${(committed / elapsed / rawRate).toFixed(2)}`,
    );
    console.log(
      `          socket deliveries: ${(delivered / elapsed).toFixed(0)}/s to ${sockets.length} listeners (${delivered}/${expected} delivered)`,
    );
    console.log(
      `          commit -> receipt on the other node: p50 ${pct(crossLatency, 50)} ms, p99 ${pct(crossLatency, 99)} ms`,
    );
    console.log(`          node CPU while writing: A ${cpu[0]!.toFixed(0)}%, B ${cpu[1]!.toFixed(0)}% of one core`);

    // 3. Idle sockets held, then one event fanned out to all of them.
    const rss0 = nodes.map((n) => rssMb(n.child.pid!));
    let got = 0;
    const c0 = Date.now();
    const idle: Sock[] = [];
    for (let opened = 0; opened < SOCKETS;) {
      const batch = Math.min(100, SOCKETS - opened);
      idle.push(
        ...(await Promise.all(
          Array.from({ length: batch }, (_, j) => {
            const i = (opened + j) % nodes.length;
            return connect(nodes[i]!.url, admins[i]!.cookie, () => {
              got++;
            });
          }),
        )),
      );
      opened += batch;
    }
    sockets.push(...idle);
    const connectS = (Date.now() - c0) / 1000;
    await sleep(1000);
    const rss1 = nodes.map((n) => rssMb(n.child.pid!));
    console.log(
      `sockets   ${SOCKETS} idle websockets opened in ${connectS.toFixed(1)} s (${(SOCKETS / connectS).toFixed(0)}/s); node RSS A ${rss0[0]} -> ${rss1[0]} MB, B ${rss0[1]} -> ${rss1[1]} MB (${(((rss1[0]! - rss0[0]! + (rss1[1]! - rss0[1]!)) * 1024) / SOCKETS).toFixed(0)} kB per socket)`,
    );
    const f0 = Date.now();
    await admins[0]!.call(api.stations.create, {
      body: { code: "FANOUT", name: "fan-out", regionId, lat: 45.7, lng: 126.6 },
    });
    while (got < SOCKETS && Date.now() - f0 < 20_000) await sleep(5);
    console.log(`          one event reached ${got}/${SOCKETS} of them in ${Date.now() - f0} ms`);
    await sql.end();
  } finally {
    for (const s of sockets) s.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
    clearTimeout(hardStop);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

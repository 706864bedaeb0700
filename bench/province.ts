/**
 * Province-scale simulation, scaled down to this machine and reported as ratios (issue 20).
 *
 *   npm run bench -- province          (scale 1 with a failover, then a 10× step, also with one)
 *   npx tsx bench/province.ts [scale]  (one run, figures printed)
 *
 * On a primary + synchronous standby of its own (bench/pg-pair.ts, deploy/replication/local-pair.sh,
 * on free loopback ports), three app nodes as OS processes (bench/cluster-node.ts) with the
 * multi-host DATABASE_URL and the standby as DATABASE_REPLICA_URL. Load, per unit of `scale`:
 * 20 more stations, 30 phones sending a fix every 5 s (retried with the same fix on 503), intake at
 * 2 sightings/s plus a burst of 5 every 4 s (retried with the same id on 503), 1 admin dashboard per
 * node, and one head reading campaign totals (served by the replica) 5 times a second right after a
 * crew's encounters. After WARM_S the primary is stopped as a crash would and the standby promoted as
 * soon as a write has felt it; the load runs on for AFTER_S. Bounded (hard stop after 6 minutes),
 * loopback only, removes its clusters.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import postgres from "postgres";
import { createPairDatabase, startPgPair, type PgPair } from "./pg-pair.js";
import { spawnNode, type ClusterNode } from "./cluster-node.js";
import { percentile, result, sleep, type BenchResult } from "./lib.js";
import { signedIn, type TestClient } from "../test/helpers/http.js";
import { EventRecorder, waitFor } from "../test/helpers/socket.js";
import { api } from "../shared/api/index.js";

const NODES = 3;
const WARM_S = Number(process.env.PROVINCE_WARM_S ?? 10);
const AFTER_S = Number(process.env.PROVINCE_AFTER_S ?? 12);
const CASE_TYPES = new Set(["case.created", "call.added"]);

/** CPU seconds (user + system) of one process. */
function cpuSeconds(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
/** CPU seconds of a postmaster and all its children (the backends). */
function clusterCpuSeconds(postmaster: number): number {
  let total = cpuSeconds(postmaster);
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(f[1]) === postmaster) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      /* gone */
    }
  }
  return total;
}
/** Busy and total jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } {
  const v = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3]! + v[4]!;
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
const loadavg = () => os.loadavg()[0]!;
const metric = (text: string, name: string) => {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
};

/**
 * Who waits on a lock and who holds it: each waiting backend with the lock it wants, and the state
 * and statement of the first backend blocking it (pg_blocking_pids), counted by kind over the run.
 */
async function sampleLockWaits(sql: postgres.Sql, kinds: Map<string, number>): Promise<void> {
  const rows = await sql<{ kind: string }[]>`
    select coalesce(l.locktype, '?') || ' ' || coalesce(l.relation::regclass::text, '') || ' ' || coalesce(l.mode, '')
      || ' | waiter: ' || left(regexp_replace(w.query, '[[:space:]]+', ' ', 'g'), 90)
      || ' | blocker ' || coalesce(b.state, '?') || ' (' || coalesce(b.wait_event_type || '/' || b.wait_event, 'running') || '): '
      || left(regexp_replace(coalesce(b.query, ''), '[[:space:]]+', ' ', 'g'), 90) as kind
    from pg_stat_activity w
    left join pg_locks l on l.pid = w.pid and not l.granted
    left join lateral (select (pg_blocking_pids(w.pid))[1] as pid) bp on true
    left join pg_stat_activity b on b.pid = bp.pid
    where w.wait_event_type = 'Lock'`.catch(() => []);
  for (const r of rows) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
}

export interface ProvinceReport {
  scale: number;
  intake: { acked: number; stored: number; offered: number; shed: number; unavailable: number; other: number };
  fixes: { acked: number; stored: number; failed: number };
  dashboards: { delivered: number; committed: number; inOrderOnce: boolean }[];
  noIntakeS: number;
  promoteS: number;
  lagMs: { p50: number; max: number; samples: number };
  totalsReads: { count: number; older: number; replica: number; primary: number };
  steady: {
    intakePerS: number;
    fixesPerS: number;
    machineCpu: number;
    nodeCpu: number[];
    pgCpu: number;
    poolWaiting: number;
    poolInUse: number;
    poolSize: number;
    pumpLagEvents: number;
    lockWaits: number;
    deliveryP50: number;
    deliveryP99: number;
    load: number;
  };
  limit: string;
}

export async function provinceRun(scale = 1): Promise<ProvinceReport> {
  let pair: PgPair | undefined;
  const nodes: ClusterNode[] = [];
  const dashboards: EventRecorder[] = [];
  let sql: postgres.Sql | undefined;
  const cleanup = async () => {
    for (const d of dashboards) d.close();
    await Promise.all(nodes.map((n) => Promise.race([n.stop(), sleep(5000).then(() => n.kill())])));
    await sql?.end({ timeout: 1 }).catch(() => {});
    await pair?.down();
  };
  // Bounded: past the limit the clusters and nodes are removed all the same, then the process exits.
  const hardStop = setTimeout(
    () => {
      console.error("province: time limit reached, cleaning up");
      void cleanup().finally(() => process.exit(2));
    },
    Number(process.env.PROVINCE_LIMIT_S ?? 420) * 1000,
  );
  const t00 = Date.now();
  const log = (m: string) =>
    console.log(`[province ×${scale} +${((Date.now() - t00) / 1000).toFixed(0)} s, load ${loadavg().toFixed(1)}] ${m}`);
  try {
    pair = await startPgPair("sync");
    await createPairDatabase(pair, "wl");
    log(`pair up: primary ${pair.primaryPort}, standby ${pair.standbyPort}`);
    const env = {
      DATABASE_URL: pair.multiHostUrl("wl"),
      DATABASE_REPLICA_URL: pair.url(pair.standbyPort, "wl"),
      DB_POOL_SIZE: "8",
      JOBS_ENABLED: "false",
    };
    nodes.push(await spawnNode("A", { ...env, SEED: "demo" }, 180_000));
    nodes.push(
      ...(await Promise.all(
        Array.from({ length: NODES - 1 }, (_, i) =>
          spawnNode(String.fromCharCode(66 + i), { ...env, SEED: "none" }, 180_000),
        ),
      )),
    );
    log("nodes up");
    const primaryPid = Number(readFileSync(`${pair.dir}/primary/postmaster.pid`, "utf8").split("\n")[0]);
    sql = postgres(pair.url(pair.primaryPort, "wl"), { max: 2, onnotice: () => {} });

    // Stations and the phones' vehicles (in patrol1's station, whose account the phones use).
    const [home] = await sql<{ region_id: string; station_id: string }[]>`
      select s.region_id, u.station_id from users u join stations s on s.id = u.station_id where u.username = 'patrol1'`;
    const { region_id: regionId, station_id: patrolStation } = home!;
    await sql`insert into stations (code, name, region_id, lat, lng)
      select 'P' || g, 'Province station ' || g, ${regionId}::uuid, 45.6 + g * 0.001, 126.5
      from generate_series(1, ${20 * scale}) g`;
    const phones = 30 * scale;
    const vehicleIds = (
      await sql<{ id: string }[]>`
      insert into vehicles (station_id, call_sign, plate, status, last_lat, last_lng)
      select ${patrolStation}::uuid, 'PV-' || g, 'PV' || g, 'available', 45.7, 126.6
      from generate_series(1, ${phones}) g returning id`
    ).map((r) => r.id);
    const stationCount = (await sql<{ n: number }[]>`select count(*)::int as n from stations`)[0]!.n;

    const node = (i: number) => nodes[i % nodes.length]!;
    // A province's stations each take their own calls: one operator per province station (10 per
    // unit of scale), spread over the nodes. PROVINCE_ONE_STATION=1 sends all intake through the
    // demo operator's one station instead (that station's intake lock is then the first limit).
    const oneStation = process.env.PROVINCE_ONE_STATION === "1";
    const intakeStations = oneStation ? 0 : 10 * scale;
    await sql`insert into users (username, display_name, password_hash, role, station_id)
      select 'op-' || lower(s.code), 'Operator ' || s.code, (select password_hash from users where username = 'operator'),
        'operator', s.id
      from stations s where s.code like 'P%' order by s.code limit ${intakeStations}`;
    const opNames = oneStation
      ? ["operator"]
      : (
          await sql<{ username: string }[]>`select username from users where username like 'op-p%' order by username`
        ).map((r) => r.username);
    const ops = await Promise.all(
      (oneStation ? nodes.map(() => "operator") : opNames).map((u, i) => signedIn(node(i).url, u)),
    );
    const patrols = await Promise.all(nodes.map((n) => signedIn(n.url, "patrol1")));
    const [supervisor, head, crew] = await Promise.all([
      signedIn(node(0).url, "supervisor"),
      signedIn(node(1).url, "head"),
      signedIn(node(2).url, "patrol1"),
    ]);
    for (let i = 0; i < NODES * scale; i++) {
      const admin = await signedIn(node(i).url, "admin");
      dashboards.push(new EventRecorder(node(i).url, admin.cookie));
    }
    await Promise.all(dashboards.map((d) => d.ready(1, 60_000)));
    // Commit → receipt on every dashboard (event.at to arrival), kept with the time of arrival.
    const latencies: { t: number; ms: number }[] = [];
    for (const d of dashboards)
      d.socket.on("event", (e) => latencies.push({ t: Date.now(), ms: Date.now() - Date.parse(e.at) }));
    const startId = Number((await sql<{ m: string }[]>`select coalesce(max(id), 0)::text as m from events`)[0]!.m);

    // The totals reader's campaign and the crew's sortie.
    const day = (d: number) => new Date(Date.now() + 8 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);
    const city = (await supervisor.call(api.stations.regions)).body.items.find((r) => r.level === "city")!;
    const campaign = await supervisor.call(api.campaigns.create, {
      body: { name: "province", regionId: city.id, startsOn: day(-1), endsOn: day(1), alertLevel: "yellow" },
    });
    const vehicle = (await crew.call(api.vehicles.list)).body.items.find((v) => v.callSign === "DL-03")!;
    const sortie = await crew.call(api.patrols.startSortie, {
      body: { id: randomUUID(), vehicleId: vehicle.id, crewCount: 2 },
    });
    if (campaign.status !== 201 || sortie.status !== 201)
      throw new Error(`setup failed: ${campaign.status} ${sortie.status}`);

    log(`${dashboards.length} dashboards ready, load starting`);
    let stop = false;
    const t0 = Date.now();
    const ackTimes: number[] = [];
    const acked: string[] = [];
    let offered = 0;
    let shed = 0;
    let inFlight = 0;
    let unavailable = 0;
    let other = 0;
    const otherStatus: Record<number, number> = {};
    const MAX_IN_FLIGHT = 40 * scale;
    /** One request repeated (same body) on 503 until acknowledged, as the phone's outbox does. */
    const retrying = async (send: () => Promise<{ status: number; headers: Headers }>): Promise<boolean> => {
      for (let attempt = 0; attempt < 60 && !(stop && attempt > 30); attempt++) {
        let r: { status: number; headers: Headers };
        try {
          r = await send();
        } catch {
          r = { status: 0, headers: new Headers() };
        }
        if (r.status >= 200 && r.status < 300) return true;
        if (r.status === 503) unavailable++;
        else {
          other++;
          otherStatus[r.status] = (otherStatus[r.status] ?? 0) + 1;
        }
        await sleep(Number(r.headers.get("retry-after") ?? 1) * 100);
      }
      return false;
    };
    const sighting = (k: number) => {
      if (inFlight >= MAX_IN_FLIGHT) {
        shed++;
        return;
      }
      offered++;
      inFlight++;
      const body = {
        id: randomUUID(),
        source: "public_hotline" as const,
        lat: 45.7 + (k % 50) * 0.002,
        lng: 126.6 + Math.floor(k / 50) * 0.0001,
        description: `province ${k}`,
        newCase: true,
      };
      const op = ops[k % ops.length]!;
      void retrying(() => op.call(api.cases.createSighting, { body })).then((ok) => {
        inFlight--;
        if (ok) {
          acked.push(body.id);
          ackTimes.push(Date.now());
        }
      });
    };
    // Intake: steady 2×scale per second, plus a burst of 5×scale every 4 s.
    const intake = (async () => {
      let k = 0;
      for (let tick = 0; !stop; tick++) {
        const n = 2 * scale + (tick % 16 === 0 ? 5 * scale : 0);
        for (let j = 0; j < n; j++) sighting(k++);
        await sleep(250);
      }
    })();
    // Phones: each a fix every 5 s, spread over the period, through the nodes in turn.
    let fixesAcked = 0;
    let fixesFailed = 0;
    const fixesPending: Promise<void>[] = [];
    const phonesLoop = (async () => {
      for (let round = 0; !stop; round++) {
        const roundStart = Date.now();
        for (let p = 0; p < phones && !stop; p++) {
          const due = roundStart + (p * 5000) / phones;
          if (due > Date.now()) await sleep(due - Date.now());
          const client = patrols[p % patrols.length]!;
          const fix = {
            vehicleId: vehicleIds[p]!,
            lat: 45.7 + p * 1e-4,
            lng: 126.6 + round * 1e-4,
            accuracy: 10,
            recordedAt: new Date(t0 + round * 5000).toISOString(),
          };
          fixesPending.push(
            retrying(() => client.call(api.patrols.positions, { body: { points: [fix] } })).then((ok) => {
              if (ok) fixesAcked++;
              else fixesFailed++;
            }),
          );
        }
        const rest = roundStart + 5000 - Date.now();
        if (rest > 0 && !stop) await sleep(rest);
      }
    })();
    // Totals reader: a crew's encounter, then the head's totals read must include it (read on the replica).
    let encountersAcked = 0;
    let totalsReads = 0;
    let totalsOlder = 0;
    const found = async () =>
      (await head.call(api.totals.get, { params: { id: campaign.body.id }, query: { stationId: vehicle.stationId } }))
        .body?.figures?.foundPersonTimes;
    const baseFound = (await found()) ?? 0;
    const reader = (async () => {
      for (let i = 0; !stop; i++) {
        if (i % 5 === 0) {
          const body = {
            id: randomUUID(),
            sortieId: sortie.body.id,
            lat: 45.75,
            lng: 126.62 + i * 1e-5,
            found: true,
            outcome: "street_aid" as const,
          };
          if (await retrying(() => crew.call(api.encounters.create, { body }))) encountersAcked++;
        }
        const need = baseFound + encountersAcked;
        try {
          const got = await found();
          if (typeof got === "number") {
            totalsReads++;
            if (got < need) totalsOlder++;
          }
        } catch {
          /* during the failover */
        }
        await sleep(200);
      }
    })();
    // Samplers: replica lag (health), pools and pumps (/metrics), lock waits (pg_stat_activity).
    const lags: number[] = [];
    const lockWaitKinds = new Map<string, number>();
    const samples: { pool: number[]; inUse: number[]; size: number[]; pump: number[]; locks: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const h = await fetch(`${node(0).url}/api/health`, { signal: AbortSignal.timeout(5000) })
          .then((r) => r.json() as Promise<{ replica?: { lagMs: number | null } }>)
          .catch(() => undefined);
        if (typeof h?.replica?.lagMs === "number") lags.push(h.replica.lagMs);
        const texts = await Promise.all(
          nodes.map((n) =>
            fetch(`${n.url}/metrics`, { signal: AbortSignal.timeout(5000) })
              .then((r) => r.text())
              .catch(() => ""),
          ),
        );
        const locks = sql
          ? await sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock'`
              .then((r) => r[0]!.n)
              .catch(() => NaN)
          : NaN;
        if (sql) await sampleLockWaits(sql, lockWaitKinds);
        samples.push({
          pool: texts.map((t) => metric(t, "warmline_db_pool_waiting")),
          inUse: texts.map((t) => metric(t, "warmline_db_pool_in_use")),
          size: texts.map((t) => metric(t, "warmline_db_pool_size")),
          pump: texts.map((t) => metric(t, "warmline_event_pump_lag_events")),
          locks,
        });
        await sleep(500);
      }
    })();

    // Steady window: the last WARM_S - 3 seconds before the stop.
    await sleep(3000);
    const s0 = {
      t: Date.now(),
      acked: acked.length,
      fixes: fixesAcked,
      m: machineTicks(),
      nodes: nodes.map((n) => cpuSeconds(n.child.pid!)),
      pg: clusterCpuSeconds(primaryPid),
      sample: samples.length,
    };
    await sleep((WARM_S - 3) * 1000);
    const s1 = {
      t: Date.now(),
      acked: acked.length,
      fixes: fixesAcked,
      m: machineTicks(),
      nodes: nodes.map((n) => cpuSeconds(n.child.pid!)),
      pg: clusterCpuSeconds(primaryPid),
      sample: samples.length,
      load: loadavg(),
    };
    const dt = (s1.t - s0.t) / 1000;
    const steadySamples = samples.slice(s0.sample, s1.sample);
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
    const fin = (xs: number[]) => xs.filter(Number.isFinite);
    const window = latencies.filter((l) => l.t >= s0.t && l.t <= s1.t).map((l) => l.ms);
    const steady: ProvinceReport["steady"] = {
      intakePerS: (s1.acked - s0.acked) / dt,
      fixesPerS: (s1.fixes - s0.fixes) / dt,
      machineCpu: ((s1.m.busy - s0.m.busy) / (s1.m.total - s0.m.total)) * 100,
      nodeCpu: nodes.map((_, i) => ((s1.nodes[i]! - s0.nodes[i]!) / dt) * 100),
      pgCpu: ((s1.pg - s0.pg) / dt) * 100,
      poolWaiting: avg(fin(steadySamples.flatMap((s) => s.pool))),
      poolInUse: avg(fin(steadySamples.flatMap((s) => s.inUse))),
      poolSize: avg(fin(steadySamples.flatMap((s) => s.size))),
      pumpLagEvents: avg(fin(steadySamples.flatMap((s) => s.pump))),
      lockWaits: avg(fin(steadySamples.map((s) => s.locks))),
      deliveryP50: percentile(window, 50),
      deliveryP99: percentile(window, 99),
      load: s1.load,
    };

    // Failover: stop the primary as a crash, promote once a write has felt it (at most 2 s later).
    const stoppedAt = Date.now();
    const unavailableAtStop = unavailable;
    await pair.stopPrimary();
    log("primary stopped");
    await waitFor(() => unavailable > unavailableAtStop, 2000).catch(() => {});
    const p0 = Date.now();
    await pair.promote();
    const promoteS = (Date.now() - p0) / 1000;
    log(`standby promoted in ${promoteS.toFixed(1)} s`);
    await sleep(AFTER_S * 1000);
    stop = true;
    sampling = false;
    log(
      `load stopped, draining: ${acked.length} sightings acknowledged, ${inFlight} in flight, ${unavailable} answers 503, ${other} other ${JSON.stringify(otherStatus)}; fixes ${fixesAcked}; totals reads ${totalsReads}`,
    );
    // Bounded: a request still unanswered 20 s after the load stopped is left (and counted) rather than awaited.
    const bounded = (p: Promise<unknown>) => Promise.race([p, sleep(20_000).then(() => "timeout")]);
    const drained = await bounded(Promise.all([intake, phonesLoop, reader, sampler, ...fixesPending]));
    if (drained === "timeout") log(`drain timed out: ${inFlight} sightings in flight`);
    if (drained === "timeout") for (const n of nodes) log(`node ${n.name} stderr tail: ${n.stderr().slice(-600)}`);
    await waitFor(() => inFlight === 0, 5_000).catch(() => {});
    log(`drained (${inFlight} in flight)`);

    // Time without intake: the longest gap between acknowledgements from 1 s before the stop on.
    const times = [...ackTimes].sort((a, b) => a - b).filter((t) => t >= stoppedAt - 1000);
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
    const firstAfter = times.find((t) => t > stoppedAt);
    const noIntakeS = Math.max(gap, firstAfter ? firstAfter - stoppedAt : AFTER_S * 1000) / 1000;

    // What the new primary holds.
    await sql.end({ timeout: 1 }).catch(() => {});
    sql = postgres(pair.url(pair.standbyPort, "wl"), { max: 2, onnotice: () => {} });
    const stored = (
      await sql<
        { n: number }[]
      >`select count(*)::int as n from calls where ${acked.length ? sql`id in ${sql(acked)}` : sql`false`}`
    )[0]!.n;
    const fixesStored = (
      await sql<{ n: number }[]>`select count(*)::int as n from positions where vehicle_id in ${sql(vehicleIds)}`
    )[0]!.n;
    const committed = (
      await sql<{ id: string }[]>`select events.id::text as id from events where events.id > ${startId}
        and type in ('case.created', 'call.added') order by events.id`
    ).map((r) => Number(r.id));
    const last = committed.at(-1) ?? startId;
    await Promise.all(dashboards.map((d) => waitFor(() => (d.lastEventId ?? 0) >= last, 15_000).catch(() => {})));
    const topWaits = [...lockWaitKinds].sort((a, b) => b[1] - a[1]).slice(0, 8);
    for (const [k, n] of topWaits) log(`lock wait seen ${n}×: ${k}`);
    log(`checked the new primary: ${stored}/${acked.length} sightings, ${committed.length} case events`);
    const perDashboard = [];
    for (const d of dashboards) {
      const ids = d.events.filter((e) => e.id > startId && CASE_TYPES.has(e.type)).map((e) => e.id);
      const all = d.events.map((e) => e.id);
      const increasing = all.every((id, i) => i === 0 || id > all[i - 1]!);
      const back = all.findIndex((id, i) => i > 0 && id <= all[i - 1]!);
      if (back > 0)
        log(
          `dashboard ${dashboards.indexOf(d)}: ${all.length - new Set(all).size} repeats; first step back at #${back}: ` +
            d.events
              .slice(Math.max(0, back - 3), back + 3)
              .map((e) => `${e.id}:${e.type}`)
              .join(" "),
        );
      const differs = ids.findIndex((id, i) => id !== committed[i]);
      if (differs >= 0 || ids.length !== committed.length)
        log(
          `dashboard ${dashboards.indexOf(d)}: ${ids.length}/${committed.length} case events; first difference at #${differs}: got ${ids[differs]}, committed ${committed[differs]}; ` +
            `delivered not committed: ${ids
              .filter((id) => !committed.includes(id))
              .slice(0, 5)
              .join(",")}; committed not delivered: ${committed
              .filter((id) => !ids.includes(id))
              .slice(0, 5)
              .join(",")}`,
        );
      perDashboard.push({
        delivered: ids.length,
        committed: committed.length,
        inOrderOnce: increasing && ids.length === committed.length && ids.every((id, i) => id === committed[i]),
      });
    }
    const reads = await Promise.all(
      nodes.map((n) =>
        fetch(`${n.url}/api/health`, { signal: AbortSignal.timeout(5000) })
          .then((r) => r.json() as Promise<{ replica?: { reads: { replica: number; primary: number } } }>)
          .catch(() => undefined),
      ),
    );

    // The first limit: what is saturated in the steady window, in the order it would bind.
    const flags: string[] = [];
    if (steady.machineCpu >= 85) flags.push(`CPU (machine ${steady.machineCpu.toFixed(0)} % busy)`);
    if (steady.poolWaiting >= 0.5)
      flags.push(
        `pool (${steady.poolWaiting.toFixed(1)} queries waiting per node, ${steady.poolInUse.toFixed(1)}/${steady.poolSize} in use)`,
      );
    if (steady.lockWaits >= 0.5) flags.push(`lock (${steady.lockWaits.toFixed(1)} backends waiting on a lock)`);
    if (steady.pumpLagEvents >= 20 || steady.deliveryP99 > 2000)
      flags.push(
        `pump (${steady.pumpLagEvents.toFixed(0)} events behind, delivery p99 ${steady.deliveryP99.toFixed(0)} ms)`,
      );
    const limit = flags.length ? flags.join("; ") : "none saturated";

    const report: ProvinceReport = {
      scale,
      intake: { acked: acked.length, stored, offered, shed, unavailable, other },
      fixes: { acked: fixesAcked, stored: fixesStored, failed: fixesFailed },
      dashboards: perDashboard,
      noIntakeS,
      promoteS,
      lagMs: { p50: percentile(lags, 50), max: lags.length ? Math.max(...lags) : NaN, samples: lags.length },
      totalsReads: {
        count: totalsReads,
        older: totalsOlder,
        replica: reads.reduce((a, r) => a + (r?.replica?.reads.replica ?? 0), 0),
        primary: reads.reduce((a, r) => a + (r?.replica?.reads.primary ?? 0), 0),
      },
      steady,
      limit,
    };
    console.log(
      `\nprovince ×${scale}: ${stationCount} stations, ${phones} phones, ${dashboards.length} dashboards on ${NODES} nodes, load ${loadavg().toFixed(1)}\n` +
        JSON.stringify(report, null, 1),
    );
    return report;
  } finally {
    await cleanup();
    clearTimeout(hardStop);
  }
}

/** `npm run bench -- province`: scale 1, then the 10× step, as ratios. */
export async function province(): Promise<BenchResult[]> {
  const one = await provinceRun(1);
  const ten = await provinceRun(Number(process.env.PROVINCE_STEP ?? 10));
  const out: BenchResult[] = [];
  for (const r of [one, ten]) {
    const tag = `province ×${r.scale}`;
    const dashOk = r.dashboards.filter((d) => d.inOrderOnce).length;
    const minDelivered = Math.min(...r.dashboards.map((d) => d.delivered));
    out.push(
      result({
        name: `${tag} writes stored/acked`,
        metric: "intake sightings stored on the new primary / acknowledged",
        ours: r.intake.stored,
        baseline: r.intake.acked,
        lowerIsBetter: false,
        details: `fixes stored ${r.fixes.stored} / acknowledged ${r.fixes.acked} (${r.fixes.failed} given up); ${r.intake.unavailable} answers 503 (retried with the same id), ${r.intake.other} other non-2xx; ${r.intake.shed} sightings not sent (in-flight cap)`,
      }),
      result({
        name: `${tag} events delivered/committed`,
        metric: "case events on the worst dashboard / committed (each once, in order)",
        ours: minDelivered,
        baseline: r.dashboards[0]?.committed ?? 0,
        lowerIsBetter: false,
        details: `${dashOk}/${r.dashboards.length} dashboards got every committed event once, in id order`,
      }),
      result({
        name: `${tag} seconds without intake`,
        metric: "longest gap between acknowledged sightings around the failover (s) / pg_promote time (s)",
        ours: r.noIntakeS,
        baseline: r.promoteS,
        lowerIsBetter: true,
        details: `promotion started once a write had answered 503 (≤ 2 s after the stop)`,
      }),
      result({
        name: `${tag} replica lag`,
        metric: "max replica lag seen by the totals reader (ms) / REPLICA_MAX_LAG_MS",
        ours: r.lagMs.max,
        baseline: 5000,
        lowerIsBetter: true,
        details: `p50 ${r.lagMs.p50} ms over ${r.lagMs.samples} samples; ${r.totalsReads.count} totals reads right after an encounter, ${r.totalsReads.older} older than it; routed to replica ${r.totalsReads.replica}, to primary ${r.totalsReads.primary}`,
      }),
    );
  }
  const s1 = one.steady;
  const s10 = ten.steady;
  out.push(
    result({
      name: `province ×${ten.scale} intake rate`,
      metric: `sightings/s acknowledged at ×${ten.scale} / ×${ten.scale} the ×1 rate (steady, before the failover)`,
      ours: s10.intakePerS,
      baseline: s1.intakePerS * ten.scale,
      lowerIsBetter: false,
      details:
        `first limit at ×${ten.scale}: ${ten.limit}. ×1: machine CPU ${s1.machineCpu.toFixed(0)} %, nodes ${s1.nodeCpu.map((c) => c.toFixed(0)).join("/")} %, PostgreSQL ${s1.pgCpu.toFixed(0)} %, pool waiting ${s1.poolWaiting.toFixed(1)}, lock waits ${s1.lockWaits.toFixed(1)}, pump lag ${s1.pumpLagEvents.toFixed(0)} events, delivery p50/p99 ${s1.deliveryP50}/${s1.deliveryP99} ms, load ${s1.load.toFixed(1)}. ` +
        `×${ten.scale}: machine CPU ${s10.machineCpu.toFixed(0)} %, nodes ${s10.nodeCpu.map((c) => c.toFixed(0)).join("/")} %, PostgreSQL ${s10.pgCpu.toFixed(0)} %, pool waiting ${s10.poolWaiting.toFixed(1)} (in use ${s10.poolInUse.toFixed(1)}/${s10.poolSize}), lock waits ${s10.lockWaits.toFixed(1)}, pump lag ${s10.pumpLagEvents.toFixed(0)} events, delivery p50/p99 ${s10.deliveryP50}/${s10.deliveryP99} ms, fixes ${s10.fixesPerS.toFixed(1)}/s, load ${s10.load.toFixed(1)}`,
    }),
  );
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  provinceRun(Number(process.argv[2] ?? 1))
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}

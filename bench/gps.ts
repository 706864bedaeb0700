import postgres from "postgres";
import { login, percentile, result, sleep, spawnServer, throwawayDatabase, type BenchResult } from "./lib.js";

/**
 * GPS ingest: `phones` patrol phones each POST one fix to /api/positions every `periodS` seconds
 * (start times spread evenly over the period), for `seconds`. Latency is from the moment a fix is
 * due to the moment it is stored (2xx). Baseline (bench/baselines/raw-gps-server.ts): the same
 * schedule over HTTP to a raw node:http server doing the same group commit (up to two flushes at
 * once, one transaction each) into a plain table, without auth, checks or events. One fix per POST is the worst case for the server (real phones batch, see web/src/phone/geo.ts).
 */
export async function gpsIngest(phones = 2000, periodS = 5, seconds = 20): Promise<BenchResult[]> {
  const db = await throwawayDatabase();
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo", DB_POOL_SIZE: "20" }).catch(
    async (err: unknown) => {
      await db.drop();
      throw err;
    },
  );
  const sqlc = postgres(db.url, { max: 4, onnotice: () => {} });
  try {
    // Vehicles for the phones, straight into the database, in station A (patrol1's station).
    const stationId = (
      await sqlc<{ station_id: string }[]>`
      select station_id from users where username = 'patrol1'`
    )[0]!.station_id;
    const ids = (
      await sqlc<{ id: string }[]>`
      insert into vehicles (station_id, call_sign, plate, status, last_lat, last_lng)
      select ${stationId}::uuid, 'GPS-' || g, 'B' || g, 'available', 45.7 + (g % 100) * 0.001, 126.6 + (g / 100) * 0.001
      from generate_series(1, ${phones}) g returning id`
    ).map((r) => r.id);
    const cookie = await login(ours.url, "patrol1");
    const t0 = Date.now();

    const schedule = async (send: (phone: number, round: number, due: number) => Promise<void>) => {
      const rounds = Math.floor(seconds / periodS);
      const start = performance.now() + 200;
      const pending: Promise<void>[] = [];
      const total = rounds * phones;
      for (let k = 0; k < total; k++) {
        const round = Math.floor(k / phones);
        const phone = k % phones;
        const due = start + round * periodS * 1000 + (phone * periodS * 1000) / phones;
        const wait = due - performance.now();
        if (wait > 4) await sleep(wait);
        pending.push(send(phone, round, due));
      }
      await Promise.all(pending);
      return (performance.now() - start) / 1000;
    };
    const fix = (phone: number, round: number) => ({
      vehicleId: ids[phone]!,
      lat: 45.7 + (phone % 100) * 0.001 + round * 1e-4,
      lng: 126.6 + Math.floor(phone / 100) * 0.001,
      accuracy: 10,
      recordedAt: new Date(t0 + round * periodS * 1000).toISOString(),
    });

    /** Drives one server with the schedule: one POST per fix, latency from due to 2xx. */
    const drive = async (url: string, headers: Record<string, string>) => {
      const lat: number[] = [];
      const byRound: number[][] = [];
      let failed = 0;
      let busy = 0;
      let firstError = "";
      const elapsed = await schedule(async (phone, round, due) => {
        try {
          const r = await fetch(url, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ points: [fix(phone, round)] }),
          });
          await r.arrayBuffer();
          if (r.ok) {
            lat.push(performance.now() - due);
            (byRound[round] ??= []).push(performance.now() - due);
          } else {
            failed++;
            if (r.status === 503) busy++;
            firstError ||= `HTTP ${r.status}`;
          }
        } catch (err) {
          // Connect timeouts or resets when the server falls behind: counted, and the run goes on.
          failed++;
          firstError ||= String((err as { cause?: { code?: string } }).cause?.code ?? err);
        }
      });
      return { lat, byRound, failed, busy, firstError, elapsed };
    };

    const o = await drive(`${ours.url}/api/positions`, { cookie });
    const storedOurs = (await sqlc<{ n: number }[]>`select count(*)::int as n from positions`)[0]!.n;
    await ours.stop("SIGKILL");

    // Baseline: raw node:http server, same group commit (two flushes at most, one INSERT + one UPDATE per flush).
    const raw = await spawnServer(
      { DATABASE_URL: db.url, PORT: "0", DB_POOL_SIZE: "20" },
      "bench/baselines/raw-gps-server.ts",
    );
    const b = await drive(`${raw.url}/positions`, {}).finally(() => raw.stop("SIGKILL"));
    const storedRaw = (await sqlc<{ n: number }[]>`select count(*)::int as n from raw_positions`)[0]!.n;
    const oursLat = o.lat;
    const rawLat = b.lat;
    const oursByRound = o.byRound;
    const [oursElapsed, rawElapsed] = [o.elapsed, b.elapsed];
    const failures = (x: typeof o) =>
      `${x.failed} failed (${x.busy} of them 503)${x.firstError ? `, first: ${x.firstError}` : ""}`;

    // The first round also pays for cold start (JIT, the pool's first connections, 2,000 new TCP connections).
    const byRound = oursByRound.map((l, i) => `r${i + 1} ${percentile(l, 99).toFixed(0)}`).join(", ");
    const rate = `${phones} phones every ${periodS} s for ${seconds} s (${(phones / periodS).toFixed(0)} fixes/s offered)`;
    return [
      result({
        name: "gps ingest p99",
        metric: `ms from fix due to stored, p99, ${phones} phones / ${periodS} s`,
        ours: percentile(oursLat, 99),
        baseline: percentile(rawLat, 99),
        lowerIsBetter: true,
        details: `p50 ours ${percentile(oursLat, 50).toFixed(1)} ms vs raw ${percentile(rawLat, 50).toFixed(1)} ms; ours ${failures(o)}, raw ${failures(b)}; ours p99 by 5 s round (ms): ${byRound}; ${rate}`,
      }),
      result({
        name: "gps ingest rate",
        metric: `points/s stored, ${phones} phones / ${periodS} s`,
        ours: storedOurs / oursElapsed,
        baseline: storedRaw / rawElapsed,
        lowerIsBetter: false,
        details: `stored ${storedOurs} vs ${storedRaw}; ours: one POST per fix (session cached), fixes of concurrent requests group-committed, up to 2 flushes at once (in one transaction: vehicles+sorties query, one INSERT, one UPDATE, events) — raw: node:http server, same group commit (unnest INSERT into a plain table + UPDATE of the vehicles)`,
      }),
    ];
  } finally {
    await sqlc.end();
    await ours.stop("SIGKILL");
    await db.drop();
  }
}

import postgres from "postgres";
import { login, percentile, result, sleep, spawnServer, throwawayDatabase, type BenchResult } from "./lib.js";

/**
 * GPS ingest: `phones` patrol phones each POST one fix to /api/positions every `periodS` seconds
 * (start times spread evenly over the period), for `seconds`. Latency is from the moment a fix is
 * due to the moment it is stored (2xx). Baseline: the same schedule into a plain table, fixes
 * buffered and written by one batched postgres.js INSERT every 100 ms (latency = due -> flushed).
 * One fix per POST is the worst case for the server (real phones batch, see web/src/phone/geo.ts).
 */
export async function gpsIngest(phones = 2000, periodS = 5, seconds = 20): Promise<BenchResult[]> {
  const db = await throwawayDatabase();
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo", DB_POOL_SIZE: "20" });
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

    // Ours.
    const oursLat: number[] = [];
    const oursByRound: number[][] = [];
    let oursFailed = 0;
    let firstError = "";
    const oursElapsed = await schedule(async (phone, round, due) => {
      try {
        const r = await fetch(`${ours.url}/api/positions`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json" },
          body: JSON.stringify({ points: [fix(phone, round)] }),
        });
        await r.arrayBuffer();
        if (r.ok) {
          oursLat.push(performance.now() - due);
          (oursByRound[round] ??= []).push(performance.now() - due);
        } else {
          oursFailed++;
          firstError ||= `HTTP ${r.status}`;
        }
      } catch (err) {
        // Connect timeouts when the server falls behind: counted, and the run goes on.
        oursFailed++;
        firstError ||= String((err as { cause?: { code?: string } }).cause?.code ?? err);
      }
    });
    const storedOurs = (await sqlc<{ n: number }[]>`select count(*)::int as n from positions`)[0]!.n;

    // Baseline: plain table, batched INSERT every 100 ms.
    await sqlc`create table raw_positions (id bigserial primary key, vehicle_id uuid not null, lat float8 not null,
      lng float8 not null, accuracy_m real, recorded_at timestamptz not null, received_at timestamptz not null default now())`;
    const rawLat: number[] = [];
    let buffer: { due: number; row: [string, number, number, number, string] }[] = [];
    let flushing = true;
    const flusher = (async () => {
      while (flushing || buffer.length) {
        await sleep(100);
        const batch = buffer;
        buffer = [];
        if (!batch.length) continue;
        const rows = batch.map((b) => b.row);
        await sqlc`insert into raw_positions (vehicle_id, lat, lng, accuracy_m, recorded_at)
          select * from unnest(${rows.map((r) => r[0])}::uuid[], ${rows.map((r) => r[1])}::float8[], ${rows.map((r) => r[2])}::float8[],
            ${rows.map((r) => r[3])}::real[], ${rows.map((r) => r[4])}::timestamptz[])`;
        const now = performance.now();
        for (const b of batch) rawLat.push(now - b.due);
      }
    })();
    const rawElapsed = await schedule(async (phone, round, due) => {
      const f = fix(phone, round);
      buffer.push({ due, row: [f.vehicleId, f.lat, f.lng, f.accuracy, f.recordedAt] });
    });
    flushing = false;
    await flusher;
    const storedRaw = (await sqlc<{ n: number }[]>`select count(*)::int as n from raw_positions`)[0]!.n;

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
        details: `p50 ours ${percentile(oursLat, 50).toFixed(1)} ms vs raw ${percentile(rawLat, 50).toFixed(1)} ms (raw batches every 100 ms); ${oursFailed} failed${firstError ? ` (first: ${firstError})` : ""}; ours p99 by 5 s round (ms): ${byRound}; ${rate}`,
      }),
      result({
        name: "gps ingest rate",
        metric: `points/s stored, ${phones} phones / ${periodS} s`,
        ours: storedOurs / oursElapsed,
        baseline: storedRaw / rawElapsed,
        lowerIsBetter: false,
        details: `stored ${storedOurs} vs ${storedRaw}; ours: one POST per fix (session lookup each), fixes of concurrent requests group-committed (vehicle query, one INSERT, one UPDATE, events) — raw: unnest INSERT into a plain table`,
      }),
    ];
  } finally {
    await sqlc.end();
    await ours.stop("SIGKILL");
    await db.drop();
  }
}

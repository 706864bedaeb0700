import os from "node:os";
import { medianOfRuns, saveResults, type BenchResult } from "./lib.js";
import { idleSocketMemory, reconnectStorm } from "./sockets.js";
import { intakeFanOut, intakeThroughput } from "./intake.js";
import { gpsIngest } from "./gps.js";
import { nearestVehicle } from "./nearest.js";
import { campaignTotals } from "./totals.js";
import { mapMarkers } from "./markers.js";
import { phoneBundle } from "./bundle.js";
import { phoneLoad } from "./phone-load.js";
import { province } from "./province.js";
import { dutyRoom } from "./duty-room.js";

/**
 * `npm run bench [name ...]`: runs the benchmarks (all, or those named) BENCH_RUNS times each
 * (default 3), prints each run's figures with their same-run baseline, ratio and load average, and
 * merges the medians into bench/RESULTS.md. On a shared machine a single run says more about the
 * neighbours than about the code; the median of three, with the load of each, says both.
 */
const benches: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  "intake-fanout": () =>
    intakeFanOut(Number(process.env.BENCH_DASHBOARDS ?? 500), Number(process.env.BENCH_SIGHTINGS ?? 500), 20),
  "intake-throughput": () => intakeThroughput(50, 8),
  "idle-sockets": () => idleSocketMemory(Number(process.env.BENCH_SOCKETS ?? 10_000)),
  "reconnect-storm": () => reconnectStorm(500, 50),
  "gps-ingest": () =>
    gpsIngest(Number(process.env.BENCH_PHONES ?? 2000), 5, Number(process.env.BENCH_GPS_SECONDS ?? 20)),
  "nearest-vehicle": () => nearestVehicle(Number(process.env.BENCH_VEHICLES ?? 100_000)),
  "campaign-totals": () => campaignTotals(Number(process.env.BENCH_TOTALS_ROWS ?? 5_000_000), 150),
  "map-markers": () => mapMarkers(10_000),
  "phone-bundle": () => phoneBundle(),
  "phone-load": () => phoneLoad(),
  // Primary + standby of its own, 3 nodes, failover mid-run; ×1 then ×10 (PROVINCE_STEP). Not in the default set.
  province: () => province(),
  "duty-room": () => dutyRoom(),
};

const wanted = process.argv.slice(2);
/** Run only when named: they build their own PostgreSQL clusters and take minutes. */
const optIn = new Set(["province"]);
const repeat = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length ? !wanted.includes(name) : optIn.has(name)) continue;
  const runs: { results: BenchResult[]; load: number }[] = [];
  for (let i = 1; i <= repeat; i++) {
    process.stdout.write(`${name} run ${i}/${repeat} (load ${os.loadavg()[0]!.toFixed(1)}) ... `);
    try {
      const out = await run();
      const load = os.loadavg()[0]!;
      runs.push({ results: Array.isArray(out) ? out : [out], load });
      for (const r of runs.at(-1)!.results)
        console.log(
          `\n  ${r.metric}: ours ${r.ours.toFixed(2)}, baseline ${r.baseline.toFixed(2)}, ratio ${r.ratio.toFixed(2)}, load ${load.toFixed(1)} — ${r.details}`,
        );
    } catch (err) {
      console.log(`FAILED: ${err instanceof Error ? err.stack : err}`);
      process.exitCode = 1;
    }
  }
  results.push(...medianOfRuns(runs));
}
saveResults(results);
process.exit(process.exitCode ?? 0);

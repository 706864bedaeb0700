import { saveResults, type BenchResult } from "./lib.js";
import { idleSocketMemory, reconnectStorm } from "./sockets.js";
import { intakeFanOut, intakeThroughput } from "./intake.js";
import { gpsIngest } from "./gps.js";
import { nearestVehicle } from "./nearest.js";
import { campaignTotals } from "./totals.js";
import { mapMarkers } from "./markers.js";
import { phoneBundle } from "./bundle.js";

/**
 * `npm run bench [name ...]`: runs the benchmarks (all, or those named), prints each figure with
 * its same-run baseline and ratio, and merges them into bench/RESULTS.md.
 */
const benches: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  "intake-fanout": () => intakeFanOut(500, 100, 20),
  "intake-throughput": () => intakeThroughput(50, 8),
  "idle-sockets": () => idleSocketMemory(Number(process.env.BENCH_SOCKETS ?? 10_000)),
  "reconnect-storm": () => reconnectStorm(500, 50),
  "gps-ingest": () =>
    gpsIngest(Number(process.env.BENCH_PHONES ?? 2000), 5, Number(process.env.BENCH_GPS_SECONDS ?? 20)),
  "nearest-vehicle": () => nearestVehicle(Number(process.env.BENCH_VEHICLES ?? 100_000)),
  "campaign-totals": () => campaignTotals(Number(process.env.BENCH_TOTALS_ROWS ?? 5_000_000), 150),
  "map-markers": () => mapMarkers(10_000),
  "phone-bundle": () => phoneBundle(),
};

const wanted = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  process.stdout.write(`${name} ... `);
  try {
    const out = await run();
    for (const r of Array.isArray(out) ? out : [out]) {
      results.push(r);
      console.log(
        `\n  ${r.metric}: ours ${r.ours.toFixed(2)}, baseline ${r.baseline.toFixed(2)}, ratio ${r.ratio.toFixed(2)} — ${r.details}`,
      );
    }
  } catch (err) {
    console.log(`FAILED: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  }
}
saveResults(results);
process.exit(process.exitCode ?? 0);

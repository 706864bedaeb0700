import { saveResults, type BenchResult } from "./lib.js";
import { idleSocketMemory, reconnectStorm } from "./sockets.js";
import { intakeFanOut, intakeThroughput } from "./intake.js";

/**
 * `npm run bench [name ...]`: runs the benchmarks (all, or those named), prints each figure with
 * its same-run baseline and ratio, and merges them into bench/RESULTS.md.
 */
const benches: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  "intake-fanout": () => intakeFanOut(500, 100, 20),
  "intake-throughput": () => intakeThroughput(50, 8),
  "idle-sockets": () => idleSocketMemory(Number(process.env.BENCH_SOCKETS ?? 10_000)),
  "reconnect-storm": () => reconnectStorm(500, 50),
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
      console.log(`\n  ${r.metric}: ours ${r.ours.toFixed(2)}, baseline ${r.baseline.toFixed(2)}, ratio ${r.ratio.toFixed(2)} — ${r.details}`);
    }
  } catch (err) {
    console.log(`FAILED: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  }
}
saveResults(results);
process.exit(process.exitCode ?? 0);

import { saveResults, type BenchResult } from "./lib.js";
import { idleSocketMemory, reconnectStorm } from "./sockets.js";

/**
 * `npm run bench [name ...]`: runs the benchmarks (all, or those named), prints each figure with
 * its same-run baseline and ratio, and merges them into bench/RESULTS.md.
 */
const benches: Record<string, () => Promise<BenchResult>> = {
  "idle-sockets": () => idleSocketMemory(Number(process.env.BENCH_SOCKETS ?? 10_000)),
  "reconnect-storm": () => reconnectStorm(500, 50),
};

const wanted = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  process.stdout.write(`${name} ... `);
  try {
    const r = await run();
    results.push(r);
    console.log(`${r.metric}: ours ${r.ours.toFixed(2)}, baseline ${r.baseline.toFixed(2)}, ratio ${r.ratio.toFixed(2)} — ${r.details}`);
  } catch (err) {
    console.log(`FAILED: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  }
}
saveResults(results);
process.exit(process.exitCode ?? 0);

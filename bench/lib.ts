import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { createServer } from "node:net";
import postgres from "postgres";

/** One benchmark's outcome: our figure against a baseline measured in the same run. */
export interface BenchResult {
  name: string;
  /** What was measured, with units. */
  metric: string;
  ours: number;
  baseline: number;
  /** ours / baseline (for "lower is better" metrics a ratio > 1 means slower than the floor). */
  ratio: number;
  lowerIsBetter: boolean;
  /** Extra figures (p50/p99, counts) and remarks. */
  details: string;
  /**
   * Every run of the figure (run.ts repeats each benchmark, default 3 times) with the machine's
   * 1-minute load average when it ended; `ours`/`baseline` above are then the medians of these.
   */
  runs?: { ours: number; baseline: number; load: number }[];
}

export const ROOT = new URL("..", import.meta.url).pathname;

/** PostgreSQL the benchmarks create throwaway databases in. */
export function adminUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres"
  );
}

/** Creates a throwaway database; returns its URL and a drop function. */
export async function throwawayDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `wl_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    },
  };
}

/** A server started as its own OS process (so its memory and CPU are its own). */
export interface ChildServer {
  url: string;
  proc: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `npx tsx <entry>` with env and waits until it prints its URL. */
export async function spawnServer(env: Record<string, string>, entry = "server/index.ts"): Promise<ChildServer> {
  const proc = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "error", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: under a load of 20+ on two cores, tsx, migrations and the demo seed take minutes.
    // A server that missed it is killed, not left running.
    const timer = setTimeout(
      () => {
        proc.kill("SIGKILL");
        reject(new Error(`server did not start: ${out}`));
      },
      Number(process.env.BENCH_START_TIMEOUT_MS ?? 300_000),
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running on (http:\/\/[^\s]+)/) ?? out.match(/LISTENING (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace("localhost", "127.0.0.1"));
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (d: Buffer) => {
      out += d.toString();
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}: ${out}`));
    });
  });
  return {
    url,
    proc,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        // A process killed by a signal has no exit code but a signal code; waiting for "exit" again would hang.
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill(signal);
      }),
  };
}

/** Resident memory of a process in bytes (Linux). */
export function rssBytes(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) * 1024 : 0;
}

/** The p-th percentile (0..100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Signs in over HTTP and returns the session cookie. */
export async function login(url: string, username: string, password = "demo"): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login failed ${res.status}`);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The median of a list (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Folds repeated runs of one benchmark into one result per figure: ours and baseline are the
 * medians over the runs, the ratio is theirs, and the details are those of the run whose ours is
 * the median (so p50/p99 remarks belong to a real run), followed by every run's figures and load.
 * A run that failed is absent from `runs`: the count says so.
 */
export function medianOfRuns(runs: { results: BenchResult[]; load: number }[]): BenchResult[] {
  const names = [...new Set(runs.flatMap((r) => r.results.map((x) => x.name)))];
  return names.map((name) => {
    const each = runs.flatMap((r) => r.results.filter((x) => x.name === name).map((x) => ({ r: x, load: r.load })));
    const ours = median(each.map((e) => e.r.ours));
    const baseline = median(each.map((e) => e.r.baseline));
    const mid = [...each].sort((a, b) => a.r.ours - b.r.ours)[Math.floor((each.length - 1) / 2)]!;
    const list = each.map((e) => `${fmt(e.r.ours)}/${fmt(e.r.baseline)} @ load ${e.load.toFixed(1)}`).join("; ");
    return {
      ...mid.r,
      ours,
      baseline,
      ratio: baseline === 0 ? NaN : ours / baseline,
      details: `${mid.r.details} — median of ${each.length} run(s), ours/baseline per run: ${list}`,
      runs: each.map((e) => ({ ours: e.r.ours, baseline: e.r.baseline, load: e.load })),
    };
  });
}

/** Builds a result with its ratio. */
export function result(r: Omit<BenchResult, "ratio">): BenchResult {
  return { ...r, ratio: r.baseline === 0 ? NaN : r.ours / r.baseline };
}

const RESULTS_JSON = new URL("./results.json", import.meta.url).pathname;
const RESULTS_MD = new URL("./RESULTS.md", import.meta.url).pathname;

/** Merges results into bench/results.json and rewrites bench/RESULTS.md with machine and date. */
export function saveResults(results: BenchResult[], notes: Record<string, string> = {}): void {
  const prev: Record<string, BenchResult & { at: string }> = existsSync(RESULTS_JSON)
    ? JSON.parse(readFileSync(RESULTS_JSON, "utf8"))
    : {};
  const at = new Date().toISOString();
  for (const r of results) prev[r.name] = { ...r, at };
  writeFileSync(RESULTS_JSON, JSON.stringify(prev, null, 2) + "\n");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "# Benchmark results",
    "",
    `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}.`,
    "Every figure is measured against a baseline run in the same process run (`npm run bench`), on loopback, PostgreSQL 15 unless said.",
    "Ratio = ours / baseline. Each benchmark runs 3 times (BENCH_RUNS) and the table gives the median of ours and of",
    "the baseline; `load` is the machine's 1-minute load average at the end of each run (2 cores: above 2, processes",
    "wait for a CPU). Rows without per-run loads predate this rule (single runs).",
    "",
    "| benchmark | metric | ours | baseline | ratio | load per run | details | measured |",
    "|---|---|---:|---:|---:|---|---|---|",
    ...Object.values(prev).map(
      (r) =>
        `| ${r.name} | ${r.metric} | ${fmt(r.ours)} | ${fmt(r.baseline)} | ${Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : "—"} | ${r.runs?.map((x) => x.load.toFixed(1)).join(", ") ?? "—"} | ${r.details} | ${r.at.slice(0, 16).replace("T", " ")} |`,
    ),
    "",
    ...Object.entries(notes).flatMap(([k, v]) => [`## ${k}`, "", v, ""]),
  ];
  const existing = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, "utf8") : "";
  const analysis = existing.includes("<!-- analysis -->")
    ? existing.slice(existing.indexOf("<!-- analysis -->"))
    : "<!-- analysis -->\n";
  writeFileSync(RESULTS_MD, lines.join("\n") + "\n" + analysis);
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return "—";
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2);
}

/** A TCP port free on loopback right now (for restarting a server on the same port). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

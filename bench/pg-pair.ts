import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { ROOT, freePort } from "./lib.js";

const run = promisify(execFile);
const SCRIPT = join(ROOT, "deploy/replication/local-pair.sh");
/** Where Debian/Ubuntu put PostgreSQL 15; PGBIN overrides. */
export const PGBIN = process.env.PGBIN || "/usr/lib/postgresql/15/bin";

/** Whether this machine can run a local pair (PostgreSQL binaries and a postgres user to run them). */
export function pgBinariesAvailable(): boolean {
  return existsSync(join(PGBIN, "initdb")) && existsSync(join(PGBIN, "pg_basebackup"));
}

/**
 * A primary and a streaming standby of its own on free ports, made by deploy/replication/local-pair.sh
 * (so the deployment scripts are what the tests run). `down()` stops both and removes their folder.
 */
export interface PgPair {
  dir: string;
  primaryPort: number;
  standbyPort: number;
  /** URL of one server (primary or standby) and database. */
  url(port: number, db?: string): string;
  /** Multi-host URL the app uses: both servers, the writable one chosen at connect. */
  multiHostUrl(db: string): string;
  /** Stops the primary as a crash would (immediate shutdown). */
  stopPrimary(): Promise<void>;
  /** Promotes the standby (synchronous_standby_names reset, pg_promote waits until writable). */
  promote(): Promise<void>;
  down(): Promise<void>;
}

export async function startPgPair(mode: "sync" | "async" = "sync"): Promise<PgPair> {
  const dir = mkdtempSync(join(tmpdir(), "wl-pair-"));
  const primaryPort = await freePort();
  let standbyPort = await freePort();
  while (standbyPort === primaryPort) standbyPort = await freePort();
  const env = { ...process.env, PGBIN };
  const sh = (...args: string[]) => run("sh", [SCRIPT, ...args], { env, timeout: 120_000 });
  const pair: PgPair = {
    dir,
    primaryPort,
    standbyPort,
    url: (port, db = "postgres") => `postgres://postgres@127.0.0.1:${port}/${db}`,
    multiHostUrl: (db) =>
      `postgres://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/${db}?target_session_attrs=read-write`,
    stopPrimary: async () => void (await sh("stop-primary", dir)),
    promote: async () => void (await sh("promote", dir)),
    down: async () => void (await sh("down", dir).catch(() => {})),
  };
  try {
    await sh("up", dir, String(primaryPort), String(standbyPort), mode);
  } catch (err) {
    await pair.down();
    throw err;
  }
  return pair;
}

/** Creates a database on the primary (it reaches the standby by replication). */
export async function createPairDatabase(pair: PgPair, name: string): Promise<void> {
  const admin = postgres(pair.url(pair.primaryPort), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

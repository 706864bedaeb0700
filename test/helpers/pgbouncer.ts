import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where Debian's package puts the binary (it is not on a normal user's PATH). */
const CANDIDATES = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];

export function pgbouncerBinary(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** A PgBouncer in front of one PostgreSQL server, on a port and in a folder of its own. */
export interface PgBouncer {
  /** `upstreamUrl` with host and port replaced by the bouncer's. */
  url: string;
  port: number;
  /** Runs `SHOW <what>` on the bouncer's admin console (psql; the console speaks only simple queries). */
  show(what: "CLIENTS" | "SERVERS" | "POOLS"): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts PgBouncer in `mode` for the server of `upstreamUrl` (every database name passes through).
 * PgBouncer refuses to run as root, so as root it drops to the `postgres` user (`-u`).
 */
export async function startPgBouncer(upstreamUrl: string, mode: "session" | "transaction"): Promise<PgBouncer> {
  const bin = pgbouncerBinary();
  if (!bin) throw new Error("pgbouncer is not installed (apt-get install pgbouncer)");
  const upstream = new URL(upstreamUrl);
  const user = decodeURIComponent(upstream.username || "postgres");
  const password = decodeURIComponent(upstream.password);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "wl-pgbouncer-"));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, "users.txt"), `"${user}" "${password}"\n`);
  writeFileSync(
    join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${upstream.hostname} port=${upstream.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${join(dir, "users.txt")}`,
      `admin_users = ${user}`,
      `pool_mode = ${mode}`,
      "default_pool_size = 20",
      "max_client_conn = 200",
      "ignore_startup_parameters = extra_float_digits,options",
      "",
    ].join("\n"),
  );
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(bin, [...(asRoot ? ["-u", "postgres"] : []), join(dir, "pgbouncer.ini")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr!.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-10_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const url = new URL(upstreamUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  const psql = (sqlText: string, database = url.pathname.slice(1)) =>
    spawnSync(
      "psql",
      ["-X", "-Atq", "-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-c", sqlText],
      {
        encoding: "utf8",
        env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: "5" },
      },
    );
  // Listening once a query goes through (bounded: PgBouncer starts in milliseconds).
  for (let i = 0; ; i++) {
    const r = psql("select 1");
    if (r.status === 0) break;
    if (i === 100 || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`pgbouncer did not start: ${r.stderr}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: url.toString(),
    port,
    show: (what) => {
      const r = psql(`SHOW ${what}`, "pgbouncer");
      if (r.status !== 0) throw new Error(`SHOW ${what} failed: ${r.stderr}`);
      return r.stdout;
    },
    stop: async () => {
      child.kill("SIGINT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

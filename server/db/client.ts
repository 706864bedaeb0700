import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema/index.js";
import { PoolCounter, trackPglite, trackPostgres, type PoolStats } from "./pool-stats.js";

/** The drizzle database, whichever engine is underneath. Repos take this (or a transaction of it). */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; same API as Db. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either a database or a transaction: what repo functions accept. */
export type DbOrTx = Db | Tx;

/** An open database with its engine and a way to close it. */
export interface Database {
  db: Db;
  engine: "pglite" | "postgres";
  /** Raw postgres.js client when on PostgreSQL (NOTIFY, adapters). */
  pg?: import("postgres").Sql;
  /** A client with sessions of its own (LISTEN, session locks): `pg` unless a direct URL was given. */
  direct?: import("postgres").Sql;
  /**
   * The live feed's own connections (the event pump's reads and the broadcast's lookups), so
   * delivery to dashboards never queues behind requests waiting for the pool: in the province
   * simulation a full pool held two nodes' pumps 15 s behind. `db` itself on PGlite.
   */
  feed: Db;
  /** Connections in use and statements waiting for one (metrics). */
  pool(): PoolStats;
  close(): Promise<void>;
}

/**
 * The migrations folder: the nearest `migrations/` with a drizzle journal above this module. From
 * the sources (server/db/) and from the compiled bundle (dist/server.js) that is the project's own.
 */
function findMigrations(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "migrations");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error("migrations/meta/_journal.json not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}

export const MIGRATIONS_DIR = findMigrations();

/**
 * Opens PostgreSQL when `databaseUrl` is given, else embedded PGlite in `dataDir`
 * ("memory://" for an in-memory database).
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** Seconds to keep trying to reach a server before a query fails (postgres.js connect_timeout). */
  connectTimeoutSeconds?: number;
  /** Direct URL for LISTEN and session locks when `databaseUrl` is a transaction-mode pooler. */
  directUrl?: string;
  /** Named prepared statements (off behind a transaction-mode pooler). */
  prepare?: boolean;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const max = opts.poolSize ?? 20;
    const connect = (url: string, size: number) =>
      postgres(url, {
        max: size,
        onnotice: () => {},
        prepare: opts.prepare ?? true,
        // A database that cannot be reached fails requests (503) and /api/ready within seconds, not the default 30.
        connect_timeout: opts.connectTimeoutSeconds ?? 10,
        connection: { application_name: "warmline" },
        ...sessionAttrs(url),
      });
    const pg = connect(opts.databaseUrl, max);
    // LISTEN holds a connection of its own and the migration lock a reserved one: two at most.
    const direct = opts.directUrl ? connect(opts.directUrl, 2) : pg;
    const feedPg = connect(opts.databaseUrl, 2);
    const counter = new PoolCounter(max);
    trackPostgres(pg, counter);
    const db = drizzle({ client: pg, schema }) as unknown as Db;
    const feed = drizzle({ client: feedPg, schema }) as unknown as Db;
    const close = async () => {
      await Promise.all([
        pg.end({ timeout: 5 }),
        feedPg.end({ timeout: 5 }),
        direct === pg ? undefined : direct.end({ timeout: 5 }),
      ]);
    };
    return { db, engine: "postgres", pg, direct, feed, pool: () => counter.stats(), close };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (!opts.dataDir.startsWith("memory://")) mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create(opts.dataDir);
  const counter = new PoolCounter(1);
  trackPglite(client, counter);
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, engine: "pglite", feed: db, pool: () => counter.stats(), close: () => client.close() };
}

/**
 * libpq's `target_session_attrs=read-write` means "not a hot standby" there (it asks the server),
 * but postgres.js 3.4 decides read-write from default_transaction_read_only alone, which is off on a
 * hot standby: it would connect to the standby and every write would fail with 25006. `primary`
 * checks in_hot_standby, so a libpq-style URL is given that meaning here.
 */
function sessionAttrs(url: string): { target_session_attrs?: "primary" } {
  return /[?&]target_session_attrs=read-write(&|$)/.test(url) ? { target_session_attrs: "primary" } : {};
}

/**
 * Applies migrations/ on either engine. On PostgreSQL several nodes may start together, so the
 * migration runs under a session advisory lock held on a reserved connection.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.engine === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // The lock is a session lock: taken on the direct client, whose session a pooler cannot swap.
  const conn = await database.direct!.reserve();
  try {
    await conn`select pg_advisory_lock(727001)`;
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await conn`select pg_advisory_unlock(727001)`.catch(() => {});
    conn.release();
  }
}

/** Rows of a raw query, hiding the engines' different result shapes. */
export async function rawRows<T>(db: DbOrTx, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown;
  return Array.isArray(res) ? (res as T[]) : ((res as { rows?: T[] }).rows ?? []);
}

/**
 * The SQLSTATE of a database error, whichever engine raised it: postgres.js's PostgresError and
 * PGlite's DatabaseError both carry it as `code`, and drizzle wraps either in a DrizzleQueryError
 * whose `cause` is the driver's error, so the cause chain is walked (a few links at most).
 */
export function sqlState(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    // Node's own errors (EPIPE, …) also have a `code`; they come with a `syscall`, SQLSTATEs never do.
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !("syscall" in e)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

import { z } from "zod";
import { readFileSync } from "node:fs";
import { NewPassword, Username } from "../shared/api/users.js";

/**
 * A PostgreSQL URL, possibly multi-host (postgres://u@h1:5432,h2:5432/db?target_session_attrs=primary),
 * which WHATWG URL parsing (z.string().url()) refuses: postgres.js parses it itself.
 */
const PgUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// URL (hosts may be a comma-separated list)");

/**
 * Configuration. This is the only module that reads process.env: everything else receives an Env.
 * Invalid settings stop the process at start with a message naming the variable.
 */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    /** HTTP port for API, Socket.IO and the web app. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Interface to listen on. */
    HOST: z.string().default("0.0.0.0"),
    /** PostgreSQL URL; when unset the embedded PGlite database in DATA_DIR is used. */
    DATABASE_URL: PgUrl.optional(),
    /**
     * A streaming replica for reads that may lag (campaign totals, exports, reports, the supervisors'
     * comparison); unset = everything reads the primary. Used only with DATABASE_URL.
     */
    DATABASE_REPLICA_URL: PgUrl.optional(),
    /**
     * A direct (not pooled) connection to the primary, for what needs a session of its own: LISTEN and
     * the migration lock. Set it when DATABASE_URL goes through PgBouncer in transaction mode (then also
     * DB_PREPARE=false); unset = DATABASE_URL serves those too (direct, or PgBouncer in session mode).
     */
    DATABASE_DIRECT_URL: PgUrl.optional(),
    /** Named prepared statements; PgBouncer before 1.21 in transaction mode needs "false". */
    DB_PREPARE: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    /** Past this replay lag the replica is not used and lagging reads go to the primary. */
    REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
    /**
     * Longest wait for a lock inside a write transaction (PostgreSQL lock_timeout, set per
     * transaction so it passes through PgBouncer). Past it the write answers 503 + Retry-After and
     * the client retries with the same ids, instead of queueing behind a lock holder that does not
     * get CPU; 0 waits for ever.
     */
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
    /**
     * Longest time a request (other than file downloads and spreadsheet imports) may take before it
     * answers 503 DATABASE_UNAVAILABLE + Retry-After: a queue for pool connections has no timeout of
     * its own, and a caller told nothing cannot retry. The work may still commit afterwards; the
     * retry with the same ids then gets the stored result. 0 = no deadline.
     */
    REQUEST_DEADLINE_MS: z.coerce.number().int().min(0).max(3_600_000).default(20_000),
    /** How long postgres.js tries to reach a server (all hosts of the URL) before a query fails. */
    DB_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
    /** Folder of the built web app; unset = dist/web beside the server (where `npm run build` puts it). */
    WEB_DIR: z.string().min(1).optional(),
    /** Folder of the embedded database. "memory://" keeps it in memory (tests). */
    DATA_DIR: z.string().default("./data"),
    /** Password of the demo users created by the seed. */
    DEMO_PASSWORD: z.string().min(1).default("demo"),
    /**
     * What an empty database is filled with: "demo-history" the demo city with two weeks of a running
     * campaign behind it (calls, patrols, people, stays, supplies, daily reports); "demo" the demo city
     * alone (fixed figures: the tests use it); "none" nothing.
     */
    SEED: z.enum(["demo-history", "demo", "none"]).default("demo-history"),
    /**
     * The first administrator of an empty database (a real deployment starts with SEED=none): created
     * once, at the first start that finds no user at all; ignored afterwards. Give both or neither.
     */
    ADMIN_USERNAME: Username.optional(),
    /** Password of that first administrator (at least 8 characters); change it after signing in. */
    ADMIN_PASSWORD: NewPassword.optional(),
    /** Units of each supply item the demo seed puts in each station's stock (0 for none). */
    SEED_STOCK: z.coerce.number().int().min(0).max(1_000_000).default(200),
    /** Session lifetime in hours; a duty shift plus margin. */
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(14),
    /** Set the Secure flag on the session cookie (behind HTTPS). */
    COOKIE_SECURE: z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
    /**
     * Reverse proxies in front of the server that append to X-Forwarded-For (nginx: 1). The client's
     * address for the sign-in throttle is then the entry that many hops from the right, and the
     * same-origin check of writes and socket handshakes reads X-Forwarded-Host / X-Forwarded-Proto;
     * 0 uses the connection's peer and Host and ignores every X-Forwarded-* header. Never set it when
     * clients can reach the server directly: they could forge them.
     */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    /**
     * Bearer token for GET /metrics (Prometheus: `authorization: { credentials: ... }`). Without it
     * /metrics answers only requests from this machine's loopback that came through no proxy.
     */
    METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
    /** Log level. */
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** Size of the postgres.js pool. */
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /**
     * How often each node looks for committed events it was not told about (a NOTIFY lost with a
     * connection). Delivery normally follows the commit's NOTIFY, not this poll.
     */
    EVENT_POLL_MS: z.coerce.number().int().min(100).max(3_600_000).default(2000),
    /** Replays longer than this make the client reload over HTTP instead. */
    REPLAY_LIMIT: z.coerce.number().int().min(1).default(5000),
    /** IANA time zone that cuts report days (日报告) and daily totals; China has one zone, no DST. */
    REPORT_TIMEZONE: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, "not an IANA time zone")
      .default("Asia/Shanghai"),
    /**
     * Local time a report day starts (HH:MM). Report day D runs from D at this time to D+1 at this time:
     * with 08:00 (civil-affairs daily reports: 昨日8时至今日8时) one night's patrol is one report day.
     */
    REPORT_DAY_START: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (00:00..23:59)")
      .default("08:00"),
    /** Seconds a crew has to acknowledge a task before the duty room is alerted. */
    ACK_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
    /** At most one vehicle.position event per vehicle per this many seconds (the track itself is stored in full). */
    POSITION_BROADCAST_SECONDS: z.coerce.number().min(0).max(600).default(5),
    /**
     * Most GPS points waiting for the database at once; past it POST /api/positions answers 503 with
     * Retry-After (the phone keeps its fixes and resends) instead of queueing without end.
     */
    POSITIONS_QUEUE_MAX_POINTS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
    /**
     * Seconds a resolved session is reused without asking the database. Sign-out, a password reset
     * and a change of a user's role or scope on this node end it at once; on another node of a
     * cluster it keeps working for at most this long. 0 turns the cache off.
     */
    SESSION_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(3),
    /** Map tiles: Leaflet URL template, or "none" for a plain background. WGS-84 (OSM, Tianditu) or GCJ-02 (AMap, Tencent) per MAP_CRS. */
    MAP_TILE_URL: z.string().max(500).default("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"),
    /** Attribution shown on the map. */
    MAP_ATTRIBUTION: z.string().max(500).default("&copy; OpenStreetMap contributors"),
    /** Coordinate system the tiles are drawn in; positions are converted for display when gcj02. */
    MAP_CRS: z.enum(["wgs84", "gcj02"]).default("wgs84"),
    /** Comma-separated values for {s} in MAP_TILE_URL. */
    MAP_SUBDOMAINS: z.string().max(100).default("a,b,c"),
    /** Highest zoom the tiles offer. */
    MAP_MAX_ZOOM: z.coerce.number().int().min(1).max(22).default(18),
    /** Run scheduled jobs on this node ("false" for nodes that should only serve requests). */
    JOBS_ENABLED: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    /** How often this node looks for due job slots, in ms; bounds how late a job starts. */
    JOB_TICK_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /**
     * How outgoing messages to reporters are delivered (server/outbound): "log" writes them to the log
     * with the number masked (the default: nothing leaves the machine); "webhook" POSTs each as JSON
     * to OUTBOUND_WEBHOOK_URL (an SMS gateway or a partner's receiver).
     */
    OUTBOUND_SENDER: z.enum(["log", "webhook"]).default("log"),
    /** Where the webhook sender POSTs (http or https); required with OUTBOUND_SENDER=webhook. */
    OUTBOUND_WEBHOOK_URL: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), "must be an http:// or https:// URL")
      .optional(),
    /** Seconds the webhook sender waits for an answer before counting the attempt as failed (retried). */
    OUTBOUND_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(10),
    /** Attempts before a message that keeps failing is given up; a manual retry grants as many again. */
    OUTBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    /** Wait before the second attempt, in ms; doubles with each further attempt (at most an hour). */
    OUTBOUND_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    /** How often the delivery job looks for due messages, in ms (once per interval across the cluster). */
    OUTBOUND_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  })
  .refine((e) => e.OUTBOUND_SENDER !== "webhook" || e.OUTBOUND_WEBHOOK_URL !== undefined, {
    path: ["OUTBOUND_WEBHOOK_URL"],
    message: "required with OUTBOUND_SENDER=webhook",
  })
  .refine((e) => (e.ADMIN_USERNAME === undefined) === (e.ADMIN_PASSWORD === undefined), {
    path: ["ADMIN_PASSWORD"],
    message: "ADMIN_USERNAME and ADMIN_PASSWORD go together: set both or neither",
  });

export type Env = z.infer<typeof EnvSchema> & { VERSION: string };

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    return pkg.version;
  } catch {
    return "0.0.0";
  }
}

/**
 * Parses configuration from process.env, overridden by `overrides` (tests).
 * Throws an Error listing every bad variable.
 */
export function loadEnv(overrides: Record<string, string | undefined> = {}): Env {
  const merged = { ...process.env, ...overrides };
  for (const k of Object.keys(merged)) if (merged[k] === "") delete merged[k];
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, VERSION: readVersion() };
}

/** Test-only settings (the suite's PostgreSQL), read here so nothing else touches process.env. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

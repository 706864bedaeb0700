import { sqlState } from "./client.js";

/**
 * SQLSTATEs that mean "the database cannot serve you now", not "your statement is wrong":
 * too many connections (53300), cannot connect now / starting up (57P03), terminated by an
 * administrator, a crash or a failover (57P01, 57P02), the connection-exception class 08, and a
 * write reaching a server that is (still) a standby (25006, in the moments of a switch-over), and a
 * lock not granted within DB_LOCK_TIMEOUT_MS (55P03: the holder is slow, the request was fine).
 */
const UNAVAILABLE_STATES = new Set(["53300", "53000", "57P01", "57P02", "57P03", "25006", "55P03"]);
const unavailableState = (state: string) => UNAVAILABLE_STATES.has(state) || state.startsWith("08");

/**
 * postgres.js's own connection errors and Node's socket errors: the server could not be reached or
 * the connection dropped. (postgres.js raises these with `code` set to the names below.)
 */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/**
 * True when `err` (or an error it wraps: drizzle puts the driver's error in `cause`) says the
 * database is out of reach or out of connections. A FATAL error at connection time (a database
 * dropped, CONNECT revoked, a role's CONNECTION LIMIT reached) is one too: no statement ran.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state && unavailableState(state)) return true;
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const { code, severity } = e as { code?: unknown; severity?: unknown };
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    if (severity === "FATAL" || severity === "PANIC") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Seconds a client is told to wait before trying again (Retry-After): about one failover's
 * detection and promotion. The request may have committed before its connection died, so clients
 * retry with the same ids, which the creates treat idempotently.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

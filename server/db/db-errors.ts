import { sqlState } from "./client.js";

/**
 * Connection-level failures postgres.js reports with its own codes (no SQLSTATE): the server went
 * away mid-query, could not be reached within connect_timeout, or the pool was closed under it.
 */
const DRIVER_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);

/**
 * SQLSTATEs that say "this server cannot take it now", not "this request is wrong": connection
 * exceptions (class 08), the server shutting down or starting (57P01..57P03, as in a failover),
 * too many connections (53300), and a write reaching a server that is (still) a standby (25006).
 */
function unavailableState(state: string): boolean {
  return state.startsWith("08") || ["57P01", "57P02", "57P03", "53300", "25006"].includes(state);
}

/**
 * True when `err` (or an error in its cause chain, as drizzle wraps driver errors) means the
 * database is unreachable or switching over. Such a request did not necessarily fail to commit
 * (the connection may have died after COMMIT was sent), so callers answer 503 with Retry-After and
 * clients retry with the same ids, which the creates treat idempotently.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const state = sqlState(err);
  if (state) return unavailableState(state);
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && DRIVER_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Seconds a client should wait before retrying after a 503: about one failover's detection and promotion. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

import type { z } from "zod";
import type { ErrorCode, ValidationIssue } from "../../shared/errors.js";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/unavailable.js";

/** An error meant for the caller: a status, a stable code and a message. Anything else is a 500. */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
    /** Response headers that belong to the error (e.g. Retry-After on 429). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** 400 for a single bad field, named in the message. */
export function fieldError(path: string, message: string): AppError {
  return new AppError(400, "VALIDATION_FAILED", `${path}: ${message}`, [{ path, message }]);
}

export const notFound = (what: string) => new AppError(404, "NOT_FOUND", `${what} not found`);
export const forbidden = (why = "Not allowed for your role or station") => new AppError(403, "FORBIDDEN", why);
export const unauthenticated = () => new AppError(401, "UNAUTHENTICATED", "Sign in first");
export const versionConflict = (what: string) =>
  new AppError(409, "VERSION_CONFLICT", `${what} was changed by someone else; reload and try again`);

/** Turns zod issues into a 400 whose message names the first offending field. */
export function validationError(where: "body" | "query" | "params", error: z.ZodError): AppError {
  const issues: ValidationIssue[] = error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join("."),
    message: i.message,
  }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new AppError(400, "VALIDATION_FAILED", `${first.path}: ${first.message}${more}`, issues);
}

/**
 * 409 INSUFFICIENT_STOCK: taking `path`'s quantity would leave a station's store or a vehicle's
 * load below zero. The message names the field and the item; the issue carries the field for clients.
 */
export function insufficientStock(path: string, message: string): AppError {
  return new AppError(409, "INSUFFICIENT_STOCK", `${path}: ${message}`, [{ path, message }]);
}

/** 503 DATABASE_UNAVAILABLE with Retry-After: the database is out of reach or out of connections. */
export const databaseUnavailable = () =>
  new AppError(503, "DATABASE_UNAVAILABLE", "The database is not available right now; try again shortly", undefined, {
    "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS),
  });

/**
 * The caller-facing form of any error: an AppError as is; a database outage or pool exhaustion
 * (postgres.js connection errors, too many clients, shutdown) as 503 with Retry-After, since the
 * request itself was fine; undefined for anything else, which is a bug (500).
 */
export function asAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (isDatabaseUnavailable(err)) return databaseUnavailable();
  return undefined;
}

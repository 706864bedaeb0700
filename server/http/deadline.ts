import type { MiddlewareHandler } from "hono";
import type { Endpoint } from "../../shared/api/endpoint.js";
import type { AppEnv } from "./context.js";
import { databaseUnavailable } from "./errors.js";
import { open311Failure } from "./router.js";

/** A declared path as a pattern: `:param` one segment, `.:format` an extension. */
function pathPattern(path: string): RegExp {
  const body = path
    .split("/")
    .map((seg) =>
      seg
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace(/\\\.:\w+$/, "\\.[A-Za-z]+")
        .replace(/^:\w+$/, "[^/]+")
        .replace(/^(.+?):\w+/, "$1[^/]+"),
    )
    .join("/");
  return new RegExp(`^${body}$`);
}

/**
 * Answers 503 DATABASE_UNAVAILABLE + Retry-After once a request has run `ms` (REQUEST_DEADLINE_MS):
 * a query queued for a pool connection has no timeout of its own, and a request stuck behind a full
 * pool or a lock holder that gets no CPU would otherwise leave its caller with no answer at all, so
 * neither a phone's outbox nor a partner could retry. Covers the session lookup and the handler.
 * The work runs on; if it commits after all, the retry (same ids) gets the stored result.
 * File downloads and endpoints declared `slow` (a whole spreadsheet in one transaction) are exempt.
 */
export function requestDeadline(
  ms: number,
  contract: Record<string, Record<string, Endpoint>>,
): MiddlewareHandler<AppEnv> {
  const exempt = Object.values(contract)
    .flatMap((noun) => Object.values(noun))
    .filter((ep) => ep.produces || ep.slow)
    .map((ep) => ({ method: ep.method, pattern: pathPattern(ep.path) }));
  const isExempt = (method: string, path: string) => exempt.some((e) => e.method === method && e.pattern.test(path));
  return async (c, next) => {
    if (isExempt(c.req.method, c.req.path)) return next();
    let timer: NodeJS.Timeout | undefined;
    let passed = false;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), ms);
    });
    const work = next().then(
      () => "done" as const,
      (err: unknown) => {
        if (passed) c.get("log").warn("request failed after its deadline", { error: String(err) });
        throw err;
      },
    );
    try {
      if ((await Promise.race([work, late])) === "done") return;
    } finally {
      clearTimeout(timer);
    }
    passed = true;
    work.catch(() => {}); // reported above; the caller has its 503
    c.get("log").warn("request deadline passed; answered 503", { deadlineMs: ms });
    if (c.req.path.startsWith("/open311/")) return open311Failure(c, databaseUnavailable());
    throw databaseUnavailable();
  };
}

import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { randomUUID } from "node:crypto";
import type { AppEnv } from "./context.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/metrics.js";
import { AppError } from "./errors.js";
import { crossOriginReason } from "./origin.js";

/**
 * The route pattern that answered ("/api/cases/:id"), never the raw path: it bounds the metrics'
 * label values and keeps ids, names and query strings (phone numbers) out of the access log.
 */
function routeOf(c: Context<AppEnv>): string {
  return matchedRoutes(c)[c.req.routeIndex]?.path ?? "*";
}

/**
 * Gives every request an id (honouring X-Request-Id from a proxy) and a child logger; when it ends,
 * writes one access-log line (method, route pattern, status, ms, request id, user id: no path, query
 * or body, which may carry personal data) and observes its duration in the metrics.
 */
export function requestContext(log: Logger, metrics?: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const id = incoming && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set("requestId", id);
    c.set("log", log.child({ requestId: id }));
    c.header("X-Request-Id", id);
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const route = routeOf(c);
    const status = c.res.status;
    c.get("log").info("request", {
      method: c.req.method,
      route,
      status,
      ms: Math.round(ms),
      userId: c.get("user")?.id ?? null,
    });
    metrics?.httpDuration.observe({ method: c.req.method, route, status: String(status) }, ms / 1000);
  };
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuses state-changing requests from another origin (403 CROSS_ORIGIN), by the rule the Socket.IO
 * handshake uses too (origin.ts). `trustedHops` is TRUST_PROXY: X-Forwarded-* count only behind it.
 */
export function sameOriginWrites(trustedHops: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const why = crossOriginReason((name) => c.req.header(name), trustedHops);
      if (why) throw new AppError(403, "CROSS_ORIGIN", `Cross-origin writes are not allowed (${why})`);
    }
    await next();
  };
}

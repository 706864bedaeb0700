import type { MiddlewareHandler } from "hono";
import { randomUUID } from "node:crypto";
import type { AppEnv } from "./context.js";
import type { Logger } from "../logger.js";
import { AppError } from "./errors.js";
import { crossOriginReason } from "./origin.js";

/** Gives every request an id (honouring X-Request-Id from a proxy), a child logger, and an access log line. */
export function requestContext(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const id = incoming && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set("requestId", id);
    c.set("log", log.child({ requestId: id }));
    c.header("X-Request-Id", id);
    const started = performance.now();
    await next();
    c.get("log").debug("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
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

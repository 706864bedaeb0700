import type { MiddlewareHandler } from "hono";
import { randomUUID } from "node:crypto";
import type { AppEnv } from "./context.js";
import type { Logger } from "../logger.js";
import { AppError } from "./errors.js";

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
      method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started),
    });
  };
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuses state-changing requests from another origin. Browsers send Origin on cross-site writes;
 * requests without it (curl, partners' servers) are not a CSRF vector and pass.
 */
export function sameOriginWrites(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header("origin");
      const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
      if (origin && origin !== "null") {
        let originHost = "";
        try { originHost = new URL(origin).host; } catch { /* unparsable origin is refused below */ }
        if (originHost !== host) throw new AppError(403, "CROSS_ORIGIN", "Cross-origin writes are not allowed");
      } else if (origin === "null") {
        throw new AppError(403, "CROSS_ORIGIN", "Cross-origin writes are not allowed");
      }
    }
    await next();
  };
}

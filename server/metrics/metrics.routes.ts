import type { Hono } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { timingSafeEqual } from "node:crypto";
import type { AppEnv } from "../http/context.js";
import type { Services } from "../services.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may scrape: a request bearing METRICS_TOKEN, or one from this machine's loopback that no
 * proxy forwarded (a local nginx also connects from loopback, so a forwarding header means it came
 * from outside). Everyone else gets 404, as if there were no such path.
 */
function mayScrape(c: Parameters<typeof getConnInfo>[0], token: string | undefined): boolean {
  const auth = c.req.header("authorization");
  if (token && auth?.startsWith("Bearer ")) return sameSecret(auth.slice(7).trim(), token);
  if (auth) return false;
  const forwarded = c.req.header("x-forwarded-for") ?? c.req.header("forwarded") ?? c.req.header("x-real-ip");
  return !forwarded && LOOPBACK.test(getConnInfo(c).remote.address ?? "");
}

/** GET /metrics: Prometheus text exposition of this process (not under /api: no session, no JSON). */
export function metricsRoutes(app: Hono<AppEnv>, s: Services): void {
  app.get("/metrics", async (c) => {
    if (!mayScrape(c, s.env.METRICS_TOKEN)) return c.text("Not found", 404);
    return c.body(await s.metrics.text(), 200, { "content-type": s.metrics.contentType, "cache-control": "no-store" });
  });
}

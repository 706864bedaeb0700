import type { Context, Hono } from "hono";
import type { Endpoint, EndpointInput, EndpointOutput } from "../../shared/api/endpoint.js";
import { AppError, fieldError, forbidden, validationError, unauthenticated } from "./errors.js";
import type { AppEnv } from "./context.js";
import type { SessionUser } from "../auth/session-user.js";

/** Handler for one endpoint: validated input in, a value the response schema accepts out. */
export type Handler<E extends Endpoint> = (
  input: EndpointInput<E>,
  ctx: { c: Context<AppEnv>; user: E["access"] extends "public" ? SessionUser | undefined : SessionUser },
) => Promise<EndpointOutput<E>>;

/** Path of the first string holding a NUL character: PostgreSQL text cannot store one. */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNul(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

function refuseNul(value: unknown, where: string): void {
  const hit = findNul(value, where);
  if (hit) throw fieldError(hit, "must not contain NUL characters");
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, "MALFORMED_JSON", "body: not valid JSON");
  }
}

/**
 * Wires one declared endpoint: requires a session unless public and one of the declared roles,
 * validates params, query and body with its zod schemas (400 naming the field), calls the handler and strips the result down to
 * the response schema, so nothing undeclared leaves the server.
 */
export function mount<E extends Endpoint>(app: Hono<AppEnv>, ep: E, handler: Handler<E>): void {
  app.on(ep.method, ep.path, async (c) => {
    const user = c.get("user");
    if (ep.access !== "public" && !user) throw unauthenticated();
    // The endpoint's declared roles are the policy table: refuse before reading any input.
    if (Array.isArray(ep.access) && user && !ep.access.includes(user.role)) throw forbidden(`This needs one of the roles: ${ep.access.join(", ")}`);
    const input = { params: {}, query: {}, body: undefined } as Record<string, unknown>;
    if (ep.params) {
      refuseNul(c.req.param(), "params");
      const r = ep.params.safeParse(c.req.param());
      if (!r.success) throw validationError("params", r.error);
      input.params = r.data;
    }
    if (ep.query) {
      refuseNul(c.req.query(), "query");
      const r = ep.query.safeParse(c.req.query());
      if (!r.success) throw validationError("query", r.error);
      input.query = r.data;
    }
    if (ep.body) {
      const json = await readJson(c);
      refuseNul(json, "body");
      const r = ep.body.safeParse(json);
      if (!r.success) throw validationError("body", r.error);
      input.body = r.data;
    }
    const result = await handler(input as unknown as EndpointInput<E>, { c, user: user as never });
    const status = ep.status ?? 200;
    if (status === 204) return c.body(null, 204);
    return c.json(ep.response.parse(result) as object, status);
  });
}

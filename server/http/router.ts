import type { Context, Hono } from "hono";
import type { Endpoint, EndpointInput, EndpointOutput } from "../../shared/api/endpoint.js";
import { AppError, validationError, unauthenticated } from "./errors.js";
import type { AppEnv } from "./context.js";
import type { SessionUser } from "../auth/session-user.js";

/** Handler for one endpoint: validated input in, a value the response schema accepts out. */
export type Handler<E extends Endpoint> = (
  input: EndpointInput<E>,
  ctx: { c: Context<AppEnv>; user: E["access"] extends "public" ? SessionUser | undefined : SessionUser },
) => Promise<EndpointOutput<E>>;

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
 * Wires one declared endpoint: validates params, query and body with its zod schemas (400 naming
 * the field), requires a session unless public, calls the handler and strips the result down to
 * the response schema, so nothing undeclared leaves the server.
 */
export function mount<E extends Endpoint>(app: Hono<AppEnv>, ep: E, handler: Handler<E>): void {
  app.on(ep.method, ep.path, async (c) => {
    const user = c.get("user");
    if (ep.access !== "public" && !user) throw unauthenticated();
    const input = { params: {}, query: {}, body: undefined } as Record<string, unknown>;
    if (ep.params) {
      const r = ep.params.safeParse(c.req.param());
      if (!r.success) throw validationError("params", r.error);
      input.params = r.data;
    }
    if (ep.query) {
      const r = ep.query.safeParse(c.req.query());
      if (!r.success) throw validationError("query", r.error);
      input.query = r.data;
    }
    if (ep.body) {
      const r = ep.body.safeParse(await readJson(c));
      if (!r.success) throw validationError("body", r.error);
      input.body = r.data;
    }
    const result = await handler(input as unknown as EndpointInput<E>, { c, user: user as never });
    const status = ep.status ?? 200;
    if (status === 204) return c.body(null, 204);
    return c.json(ep.response.parse(result) as object, status);
  });
}

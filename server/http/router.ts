import type { Context, Hono } from "hono";
import { stream } from "hono/streaming";
import type { Endpoint, EndpointInput, EndpointOutput, FileBody } from "../../shared/api/endpoint.js";
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

/** A form-encoded body as a flat object of its string fields (files are ignored). */
async function readForm(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError(400, "VALIDATION_FAILED", "body: not a readable form");
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form)) if (typeof v === "string") out[k] = v;
  return out;
}

async function readBody(c: Context<AppEnv>, ep: Endpoint): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (ep.bodyEncoding === "json-or-form" && !type.includes("application/json")) return readForm(c);
  return readJson(c, ep.bodyEncoding === "json-or-form");
}

async function readJson(c: Context<AppEnv>, objectOnly = false): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new AppError(400, "MALFORMED_JSON", objectOnly ? "body: not a JSON object" : "body: not valid JSON");
  }
  if (objectOnly && (!v || typeof v !== "object" || Array.isArray(v))) throw new AppError(400, "MALFORMED_JSON", "body: not a JSON object");
  return v;
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987), so 中文 names survive. */
function disposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Sends a file: headers (type, name, X-Total-Rows) first, then the body. A streamed body is read
 * chunk by chunk as the client takes it; when the client goes away the producer is stopped (its
 * generator returns, so no more pages are read from the database).
 */
function sendFile(c: Context<AppEnv>, type: string, file: FileBody) {
  const headers: Record<string, string> = {
    "content-type": type.startsWith("text/") ? `${type}; charset=utf-8` : type,
    "content-disposition": disposition(file.filename),
    "cache-control": "no-store",
  };
  if (file.totalRows !== undefined) {
    headers["x-total-rows"] = String(file.totalRows);
    headers["access-control-expose-headers"] = "x-total-rows";
  }
  const body = file.body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    return c.body(typeof body === "string" ? body : new Uint8Array(body), 200, headers);
  }
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return stream(c, async (out) => {
    for await (const chunk of body) {
      if (out.aborted) break;
      await out.write(chunk);
    }
  }, async (err) => {
    // Headers are gone already: all that can be done is to log and cut the body short, which the
    // browser reports as a failed download rather than a silently truncated file.
    (c.get("log")).error("file stream failed", { err: err instanceof Error ? err.stack : String(err), path: c.req.path });
  });
}

/** Turns a failure into GeoReport v2's error array (never a stack or our own shape). */
function open311Failure(c: Context<AppEnv>, err: unknown) {
  if (err instanceof AppError) {
    return c.json([{ code: err.status, description: err.message.replace(/^body\./, "") }], err.status);
  }
  c.get("log").error("open311 error", { err: err instanceof Error ? err.stack : String(err), path: c.req.path });
  return c.json([{ code: 500, description: `Internal error; quote request id ${c.get("requestId") ?? "?"}` }], 500);
}

/**
 * Wires one declared endpoint: requires a session unless public and one of the declared roles,
 * validates params, query and body with its zod schemas (400 naming the field), calls the handler and strips the result down to
 * the response schema, so nothing undeclared leaves the server.
 */
export function mount<E extends Endpoint>(app: Hono<AppEnv>, ep: E, handler: Handler<E>): void {
  app.on(ep.method, ep.path, async (c) => {
    if (ep.errors !== "open311") return serve(c, ep, handler);
    try {
      return await serve(c, ep, handler);
    } catch (err) {
      return open311Failure(c, err);
    }
  });
}

/** One request to a mounted endpoint: session, role, input, handler, response. */
async function serve<E extends Endpoint>(c: Context<AppEnv>, ep: E, handler: Handler<E>) {
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
    const json = await readBody(c, ep);
    refuseNul(json, "body");
    if (ep.rawBody) {
      input.body = json ?? {};
    } else {
      const r = ep.body.safeParse(json);
      if (!r.success) throw validationError("body", r.error);
      input.body = r.data;
    }
  }
  const result = await handler(input as unknown as EndpointInput<E>, { c, user: user as never });
  if (ep.produces) return sendFile(c, ep.produces, result as FileBody);
  const status = ep.status ?? 200;
  if (status === 204) return c.body(null, 204);
  return c.json(ep.response.parse(result) as object, status);
}

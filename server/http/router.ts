import type { Context, Hono } from "hono";
import { stream } from "hono/streaming";
import type { Endpoint, EndpointInput, EndpointOutput, FileBody } from "../../shared/api/endpoint.js";
import { AppError, asAppError, fieldError, forbidden, validationError, unauthenticated } from "./errors.js";
import type { AppEnv } from "./context.js";
import type { SessionUser } from "../auth/session-user.js";
import { OPEN311_ERROR_XML } from "../../shared/api/open311.js";
import { declaredParams, honoPath, toXml, wantsXml } from "./formats.js";

/** Handler for one endpoint: validated input in, a value the response schema accepts out. */
type Handler<E extends Endpoint> = (
  input: EndpointInput<E>,
  ctx: { c: Context<AppEnv>; user: E["access"] extends "public" ? SessionUser | undefined : SessionUser },
) => Promise<EndpointOutput<E>>;

/** Deepest nesting of arrays and objects a request may carry; real inputs are a few levels deep. */
const MAX_DEPTH = 32;

/**
 * Walks a decoded input once, without recursion (a deeply nested body must not exhaust the stack,
 * which would be a 500): refuses nesting deeper than {@link MAX_DEPTH} and strings holding a NUL
 * character, which PostgreSQL text cannot store. Both 400, naming where.
 */
function refuseNulAndDepth(value: unknown, where: string): void {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: where, depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) throw fieldError(path, "must not contain NUL characters");
    } else if (v && typeof v === "object") {
      if (depth >= MAX_DEPTH) throw fieldError(path, `nested deeper than ${MAX_DEPTH} levels`);
      for (const [k, child] of Object.entries(v)) stack.push({ v: child, path: `${path}.${k}`, depth: depth + 1 });
    }
  }
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

/** True for `application/json` and the `application/*+json` family, whatever the parameters. */
function isJsonType(type: string): boolean {
  const media = type.split(";")[0]!.trim();
  return media === "application/json" || /^application\/[\w.+-]+\+json$/.test(media);
}

/** Form encodings the Open311 endpoints take, as GeoReport v2 clients post them. */
const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/**
 * The request body, decoded by its declared type. JSON endpoints take only JSON: another type with a
 * body is 415, so a `text/plain` post (which a page on any site may send without a CORS check) is
 * never read as JSON. An empty body is left to the schema, whatever its type.
 */
async function readBody(c: Context<AppEnv>, ep: Endpoint): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  const media = type.split(";")[0]!.trim();
  if (ep.bodyEncoding === "json-or-form" && FORM_TYPES.has(media)) return readForm(c);
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  if (!isJsonType(type)) {
    const accepted =
      ep.bodyEncoding === "json-or-form" ? "application/json or application/x-www-form-urlencoded" : "application/json";
    throw new AppError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `body: Content-Type ${media.slice(0, 100) || "(none)"} is not accepted; send ${accepted}`,
    );
  }
  return parseJson(text, ep.bodyEncoding === "json-or-form");
}

function parseJson(text: string, objectOnly: boolean): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new AppError(400, "MALFORMED_JSON", objectOnly ? "body: not a JSON object" : "body: not valid JSON");
  }
  if (objectOnly && (!v || typeof v !== "object" || Array.isArray(v)))
    throw new AppError(400, "MALFORMED_JSON", "body: not a JSON object");
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
  return stream(
    c,
    async (out) => {
      for await (const chunk of body) {
        if (out.aborted) break;
        await out.write(chunk);
      }
    },
    async (err) => {
      // Headers are gone already: all that can be done is to log and cut the body short, which the
      // browser reports as a failed download rather than a silently truncated file.
      c.get("log").error("file stream failed", {
        err: err instanceof Error ? err.stack : String(err),
        path: c.req.path,
      });
    },
  );
}

const JSON_UTF8 = "application/json; charset=utf-8";
const XML_UTF8 = "text/xml; charset=utf-8";

/** An Open311 answer in the format its path asks for (`.xml` or `.json`), both declaring UTF-8. */
export function open311Reply(c: Context<AppEnv>, value: unknown, status: number, xml = OPEN311_ERROR_XML) {
  const headers = { "content-type": wantsXml(c.req.path) ? XML_UTF8 : JSON_UTF8 };
  const body = wantsXml(c.req.path) ? toXml(value, xml) : JSON.stringify(value);
  return c.body(body, status as 200, headers);
}

/** Turns a failure into GeoReport v2's errors, in the requested format (never a stack or our own shape). */
export function open311Failure(c: Context<AppEnv>, err: unknown) {
  // Ours, or the database out of reach (503 + Retry-After, like every other endpoint).
  const known = asAppError(err);
  if (known) {
    for (const [k, v] of Object.entries(known.headers ?? {})) c.header(k, v);
    return open311Reply(c, [{ code: known.status, description: known.message.replace(/^body\./, "") }], known.status);
  }
  c.get("log").error("open311 error", { err: err instanceof Error ? err.stack : String(err), path: c.req.path });
  const description = `Internal error; quote request id ${c.get("requestId") ?? "?"}`;
  return open311Reply(c, [{ code: 500, description }], 500);
}

/**
 * Wires one declared endpoint: requires a session unless public and one of the declared roles,
 * validates params, query and body with its zod schemas (400 naming the field), calls the handler and strips the result down to
 * the response schema, so nothing undeclared leaves the server.
 */
export function mount<E extends Endpoint>(app: Hono<AppEnv>, ep: E, handler: Handler<E>): void {
  app.on(ep.method, honoPath(ep.path), async (c) => {
    try {
      const res = await serve(c, ep, handler);
      observer?.(ep, res.status);
      return res;
    } catch (err) {
      if (ep.errors !== "open311") {
        observer?.(ep, err instanceof AppError ? err.status : 500);
        throw err;
      }
      const res = open311Failure(c, err);
      observer?.(ep, res.status);
      return res;
    }
  });
}

/** Sees the status of every answer of a mounted endpoint (tests check them against the OpenAPI document). */
type ResponseObserver = (ep: Endpoint, status: number) => void;
let observer: ResponseObserver | undefined;
/** Installs (or removes) the one response observer. */
export function observeResponses(fn: ResponseObserver | undefined): void {
  observer = fn;
}

/** One request to a mounted endpoint: session, role, input, handler, response. */
async function serve<E extends Endpoint>(c: Context<AppEnv>, ep: E, handler: Handler<E>) {
  const user = c.get("user");
  if (ep.access !== "public" && !user) throw unauthenticated();
  // The endpoint's declared roles are the policy table: refuse before reading any input.
  if (Array.isArray(ep.access) && user && !ep.access.includes(user.role))
    throw forbidden(`This needs one of the roles: ${ep.access.join(", ")}`);
  const input = { params: {}, query: {}, body: undefined } as Record<string, unknown>;
  if (ep.params) {
    const raw = declaredParams(ep.path, c.req.param());
    refuseNulAndDepth(raw, "params");
    const r = ep.params.safeParse(raw);
    if (!r.success) throw validationError("params", r.error);
    input.params = r.data;
  }
  if (ep.query) {
    refuseNulAndDepth(c.req.query(), "query");
    const r = ep.query.safeParse(c.req.query());
    if (!r.success) throw validationError("query", r.error);
    input.query = r.data;
  }
  if (ep.body) {
    const json = await readBody(c, ep);
    refuseNulAndDepth(json, "body");
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
  if (ep.errors === "open311") return open311Reply(c, ep.response.parse(result), status, ep.xml);
  return c.json(ep.response.parse(result) as object, status);
}

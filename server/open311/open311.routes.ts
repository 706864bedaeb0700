import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Open311RequestQuery, type Open311Error } from "../../shared/api/open311.js";
import type { AppEnv } from "../http/context.js";
import { AppError, validationError } from "../http/errors.js";
import type { Services } from "../services.js";

const BASE = "/open311/v2";

/** Errors in the GeoReport v2 shape: `[{ code, description }]` with the HTTP status as code. */
function open311Error(c: Context<AppEnv>, status: number, description: string) {
  const body: Open311Error[] = [{ code: status, description }];
  return c.json(body, status as 400);
}

/** Runs a handler, turning every failure into the spec's error array (never a stack or our own shape). */
function handle(s: Services, fn: (c: Context<AppEnv>) => Promise<unknown>) {
  return async (c: Context<AppEnv>) => {
    try {
      const out = await fn(c);
      return c.json(out as object, c.req.method === "POST" ? 201 : 200);
    } catch (err) {
      if (err instanceof AppError) return open311Error(c, err.status, err.message.replace(/^body\./, ""));
      (c.get("log") ?? s.log).error("open311 error", { err: err instanceof Error ? err.stack : String(err), path: c.req.path });
      return open311Error(c, 500, `Internal error; quote request id ${c.get("requestId") ?? "?"}`);
    }
  };
}

/** The POST body as a flat object: form-encoded (as the spec says) or JSON. */
async function readBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type.includes("application/json")) {
    const text = await c.req.text();
    try {
      const v: unknown = text.trim() ? JSON.parse(text) : {};
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch { /* refused below */ }
    throw new AppError(400, "MALFORMED_JSON", "body: not a JSON object");
  }
  const form = await c.req.parseBody();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Wires Open311 GeoReport v2 (JSON format) under /open311/v2. */
export function open311Routes(app: Hono<AppEnv>, s: Services): void {
  app.use(`${BASE}/*`, bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => c.json([{ code: 413, description: "body: larger than 64 KiB" }], 413, { Connection: "close" }),
  }));
  app.get(`${BASE}/services.json`, handle(s, async () => s.open311.services()));
  app.post(`${BASE}/requests.json`, handle(s, async (c) => s.open311.create(await readBody(c))));
  app.get(`${BASE}/requests.json`, handle(s, async (c) => {
    const q = Open311RequestQuery.safeParse(c.req.query());
    if (!q.success) throw validationError("query", q.error);
    return s.open311.list(q.data);
  }));
  app.get(`${BASE}/requests/:file`, handle(s, async (c) => {
    const file = c.req.param("file") ?? "";
    if (!file.endsWith(".json")) throw new AppError(404, "NOT_FOUND", "only the .json format is served");
    return s.open311.get(file.slice(0, -".json".length));
  }));
  app.all(`${BASE}/*`, (c) => open311Error(c, 404, `No endpoint ${c.req.method} ${c.req.path}; JSON format only`));
}

import { readFile, stat } from "node:fs/promises";
import { join, normalize } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { Context, MiddlewareHandler } from "hono";
import { getMimeType } from "hono/utils/mime";
import type { AppEnv } from "./context.js";

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

type Encoding = "br" | "gzip";

/** Below this a response is sent as it is: the headers would outweigh what compression saves. */
const COMPRESS_MIN_BYTES = 1024;

/** Text the browser decodes itself; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|map|txt)$/;

/**
 * The encoding to send, from Accept-Encoding (brotli first, it is ~10-20 % smaller than gzip on
 * our bundles); undefined for identity. `q=0` refuses an encoding.
 */
function pickEncoding(accept: string | undefined): Encoding | undefined {
  if (!accept) return undefined;
  const q = new Map<string, number>();
  for (const part of accept.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    q.set(name!.trim(), qp ? Number(qp.slice(2)) || 0 : 1);
  }
  const ok = (e: string) => (q.get(e) ?? q.get("*") ?? 0) > 0;
  return ok("br") ? "br" : ok("gzip") ? "gzip" : undefined;
}

/**
 * Files are compressed once per version and kept: brotli at its best quality for small chunks (up
 * to 96 KB: the phone's entry and shared code, ~0.3 s each at most), quality 5 above (React, Leaflet,
 * antd, the desk entry), which takes ~0.01-0.3 s instead of 1-5 s and loses ~10 %: the first
 * request for a file waits for it, and on a busy two-core machine quality 11 on a megabyte held
 * pages past their load timeout.
 */
function compress(buf: Buffer, enc: Encoding, forFile: boolean): Promise<Buffer> {
  if (enc === "gzip") return gz(buf, { level: forFile ? 9 : 6 });
  const quality = !forFile ? 4 : buf.length <= 96 * 1024 ? 11 : 5;
  return brotli(buf, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  });
}

interface Cached {
  mtimeMs: number;
  size: number;
  raw: Buffer;
  encoded: Partial<Record<Encoding, Promise<Buffer>>>;
}

/**
 * The built web app served from memory: each file read once per version (path, size, mtime — a
 * rebuild is picked up without a restart) and each compressed variant made once, on first demand.
 */
export function createWebFiles(root: string) {
  const cache = new Map<string, Cached>();

  async function load(rel: string): Promise<Cached | undefined> {
    if (rel.includes("%") || /(?:^|[/\\])\.{1,2}(?:$|[/\\])|[/\\]{2,}|\\/.test(rel)) return undefined;
    const file = normalize(join(root, rel));
    if (!file.startsWith(normalize(root + "/"))) return undefined;
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const entry: Cached = { mtimeMs: st.mtimeMs, size: st.size, raw: await readFile(file), encoded: {} };
    cache.set(file, entry);
    return entry;
  }

  /** The file at `rel` (a URL path) as a response, compressed when the client takes it; undefined if absent. */
  async function respond(c: Context<AppEnv>, rel: string, status: 200 | 404 = 200): Promise<Response | undefined> {
    const f = await load(rel);
    if (!f) return undefined;
    const type = getMimeType(rel) ?? "application/octet-stream";
    const headers: Record<string, string> = { "Content-Type": type };
    let body: Buffer = f.raw;
    if (COMPRESSIBLE.test(rel) && f.raw.length >= COMPRESS_MIN_BYTES) {
      headers["Vary"] = "Accept-Encoding";
      const enc = pickEncoding(c.req.header("accept-encoding"));
      if (enc) {
        body = await (f.encoded[enc] ??= compress(f.raw, enc, true));
        headers["Content-Encoding"] = enc;
      }
    }
    headers["Content-Length"] = String(body.length);
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    if (c.req.method === "HEAD") return c.body(null, status);
    return c.body(new Uint8Array(body), status);
  }

  /** Middleware: any GET/HEAD for a file of the build; anything else goes on down the chain. */
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const res = await respond(c, c.req.path);
    return res ?? next();
  };

  return { middleware, respond, has: async (rel: string) => !!(await load(rel)) };
}

/**
 * API answers in JSON of at least 1 KB are compressed (lists, figures, the map); small answers
 * and files (exports stream, and set their own type) are left alone.
 */
export const compressJson: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const res = c.res;
  if (!/^application\/json/i.test(res.headers.get("content-type") ?? "") || res.headers.has("content-encoding")) return;
  if (c.req.method === "HEAD" || !res.body || res.status === 204 || res.status === 304) return;
  const enc = pickEncoding(c.req.header("accept-encoding"));
  const raw = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get("content-type")!;
  const body = enc && raw.length >= COMPRESS_MIN_BYTES ? await compress(raw, enc, false) : raw;
  // Hono copies the old response's headers (all but the type) onto the new one, cookies included.
  c.res = new Response(new Uint8Array(body), { status: res.status, statusText: res.statusText });
  c.res.headers.set("Content-Type", type);
  c.res.headers.set("Content-Length", String(body.length));
  c.res.headers.set("Vary", "Accept-Encoding");
  if (body !== raw) c.res.headers.set("Content-Encoding", enc!);
};

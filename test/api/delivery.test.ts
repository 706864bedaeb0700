import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with exactly the headers given (fetch would add Accept-Encoding and decode on its own). */
function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const decode = (r: Raw) =>
  r.headers["content-encoding"] === "br"
    ? brotliDecompressSync(r.body)
    : r.headers["content-encoding"] === "gzip"
      ? gunzipSync(r.body)
      : r.body;

/** Compressible text of a given size, like a minified bundle (repetitive, but not trivially). */
const text = (n: number) =>
  Array.from({ length: Math.ceil(n / 40) }, (_, i) => `function f${i}(a){return a+${i * 7}}`)
    .join(";")
    .slice(0, n);

describe(`delivery: compressed and cached web files and API answers [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  const web = mkdtempSync(join(tmpdir(), "wl-web-"));
  const bundle = text(50_000);
  const phonePage = `<!doctype html><html><head><title>m</title></head><body>${text(3000)}</body></html>`;

  beforeAll(async () => {
    // A built web app in miniature: the two pages, a fingerprinted bundle, a tiny chunk, an image,
    // the service worker.
    mkdirSync(join(web, "assets"));
    writeFileSync(join(web, "index.html"), `<!doctype html><html><body>${text(2000)}</body></html>`);
    writeFileSync(join(web, "m.html"), phonePage);
    writeFileSync(join(web, "assets/m-AbC123.js"), bundle);
    writeFileSync(join(web, "assets/tiny-XyZ789.js"), "export const x=1;");
    writeFileSync(join(web, "assets/icon-Q1w2E3.png"), Buffer.alloc(4000, 7));
    writeFileSync(join(web, "sw.js"), text(5000));
    tdb = await createTestDatabase();
    srv = await tdb.start({ WEB_DIR: web });
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
    rmSync(web, { recursive: true, force: true });
  });

  it("sends a fingerprinted bundle brotli- or gzip-compressed as the client accepts, cached for a year", async () => {
    const url = `${srv.url}/assets/m-AbC123.js`;
    const br = await get(url, { "accept-encoding": "gzip, deflate, br" });
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["vary"]).toBe("Accept-Encoding");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(br.headers["content-type"]).toMatch(/javascript/);
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(bundle.length / 4);
    expect(decode(br).toString()).toBe(bundle);

    const gz = await get(url, { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(decode(gz).toString()).toBe(bundle);
    // br refused with q=0: gzip.
    expect((await get(url, { "accept-encoding": "br;q=0, gzip" })).headers["content-encoding"]).toBe("gzip");

    const plain = await get(url);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers["vary"]).toBe("Accept-Encoding");
    expect(plain.body.toString()).toBe(bundle);
    const head = await get(url, { "accept-encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(br.headers["content-length"]);
  });

  it("leaves small files and images uncompressed", async () => {
    const tiny = await get(`${srv.url}/assets/tiny-XyZ789.js`, { "accept-encoding": "br, gzip" });
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body.toString()).toBe("export const x=1;");
    expect(tiny.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const png = await get(`${srv.url}/assets/icon-Q1w2E3.png`, { "accept-encoding": "br, gzip" });
    expect(png.headers["content-encoding"]).toBeUndefined();
    expect(png.body.length).toBe(4000);
  });

  it("sends the pages and the service worker compressed but never cached without asking", async () => {
    for (const path of ["/m", "/m/tasks", "/duty"]) {
      const page = await get(`${srv.url}${path}`, { accept: "text/html", "accept-encoding": "br" });
      expect(page.status, path).toBe(200);
      expect(page.headers["cache-control"], path).toBe("no-cache");
      expect(page.headers["content-encoding"], path).toBe("br");
      expect(page.headers["content-type"], path).toMatch(/^text\/html/);
      if (path.startsWith("/m")) expect(decode(page).toString(), path).toBe(phonePage);
    }
    const sw = await get(`${srv.url}/sw.js`, { "accept-encoding": "gzip" });
    expect(sw.headers["cache-control"]).toBe("no-cache");
    expect(sw.headers["content-encoding"]).toBe("gzip");
    // A path the app does not have stays a 404, compressed or not.
    const missing = await get(`${srv.url}/nowhere`, { accept: "text/html", "accept-encoding": "br" });
    expect(missing.status).toBe(404);
    expect((await get(`${srv.url}/assets/missing.js`, { "accept-encoding": "br" })).status).toBe(404);
  });

  it("compresses API JSON of 1 KB or more, and only that", async () => {
    const big = await get(`${srv.url}/api/openapi.json`, { "accept-encoding": "gzip, br" });
    expect(big.status).toBe(200);
    expect(big.headers["content-encoding"]).toBe("br");
    expect(big.headers["vary"]).toBe("Accept-Encoding");
    const doc = JSON.parse(decode(big).toString()) as { openapi: string };
    expect(doc.openapi).toMatch(/^3\./);
    const small = await get(`${srv.url}/api/health`, { "accept-encoding": "gzip, br" });
    expect(small.status).toBe(200);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toBeTruthy();
  });

  it("keeps the session cookie single when a compressed answer sets it", async () => {
    const res = await fetch(`${srv.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: srv.url },
      body: JSON.stringify({ username: "operator", password: "demo" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toHaveLength(1);
  });
});

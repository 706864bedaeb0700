import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { result, ROOT, type BenchResult } from "./lib.js";

/** Relative JS imports in a chunk: static (`import ... from "./x.js"`) and dynamic (`import("./x.js")`, any quotes). */
function importsOf(code: string): { statics: string[]; dynamics: string[] } {
  return {
    statics: [
      ...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^"'`()]*?from\s*)?["'`](\.\.?\/[^"'`]+\.js)["'`]/g),
    ].map((m) => m[1]!),
    dynamics: [...code.matchAll(/import\(\s*["'`](\.\.?\/[^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]!),
  };
}

/**
 * JS an HTML page loads up front (module script + modulepreloads, following static imports), gzipped;
 * and, apart, what its dynamic imports load on demand (each lazy chunk with its own static imports
 * that the page has not loaded already, e.g. the phone's task map with Leaflet).
 */
function pageJs(
  htmlFile: string,
  distDir: string,
): { gzip: number; raw: number; files: string[]; lazy: number; lazyFiles: string[] } {
  const html = readFileSync(htmlFile, "utf8");
  const entry = [
    ...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
  ].map((m) => (m[1] ?? m[2])!);
  const fileOf = (url: string) => path.join(distDir, url.replace(/^\//, ""));
  const walk = (start: string[], skip: Set<string>) => {
    const queue = [...start];
    const seen = new Set<string>();
    const lazy = new Set<string>();
    let gzip = 0,
      raw = 0;
    while (queue.length) {
      const url = queue.shift()!;
      const file = fileOf(url);
      if (seen.has(file) || skip.has(file)) continue;
      seen.add(file);
      const buf = readFileSync(file);
      raw += buf.length;
      gzip += gzipSync(buf, { level: 9 }).length;
      const dir = path.dirname(url);
      const { statics, dynamics } = importsOf(buf.toString("utf8"));
      for (const u of statics) queue.push(path.posix.join(dir, u));
      for (const u of dynamics) lazy.add(path.posix.join(dir, u));
    }
    return { seen, lazy, gzip, raw };
  };
  const first = walk(entry, new Set());
  const later = walk([...first.lazy], first.seen);
  return {
    gzip: first.gzip,
    raw: first.raw,
    files: [...first.seen].map((f) => path.basename(f)),
    lazy: later.gzip,
    lazyFiles: [...later.seen].map((f) => path.basename(f)),
  };
}

function vite(args: string[], cwd: string): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), ...args], {
    cwd,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`vite ${args.join(" ")} failed: ${r.stderr || r.stdout}`);
}

/**
 * Gzipped JS the phone page (/m/, dist/web/m.html) loads up front, after a fresh production build,
 * against a minimal React + ReactDOM app built with the same Vite (plugin-react, es2022) in a temp
 * dir under node_modules/.cache (so it resolves the same react/react-dom).
 */
export async function phoneBundle(): Promise<BenchResult> {
  vite(["build", "--config", "web/vite.config.ts", "--logLevel", "error"], ROOT);
  const ours = pageJs(path.join(ROOT, "dist/web/m.html"), path.join(ROOT, "dist/web"));

  const tmp = path.join(ROOT, "node_modules/.cache/warmline-bench-react-min");
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.join(tmp, "src"), { recursive: true });
  writeFileSync(
    path.join(tmp, "index.html"),
    `<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>`,
  );
  writeFileSync(
    path.join(tmp, "src/main.jsx"),
    `import { useState } from "react";
import { createRoot } from "react-dom/client";
function App() { const [n, setN] = useState(0); return <button onClick={() => setN(n + 1)}>clicked {n}</button>; }
createRoot(document.getElementById("root")).render(<App />);
`,
  );
  writeFileSync(
    path.join(tmp, "vite.config.mjs"),
    `import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
export default defineConfig({ plugins: [react()], build: { target: "es2022", outDir: "dist" } });
`,
  );
  vite(["build", "--config", "vite.config.mjs", "--logLevel", "error"], tmp);
  const base = pageJs(path.join(tmp, "dist/index.html"), path.join(tmp, "dist"));
  if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  return result({
    name: "phone bundle",
    metric: "gzipped JS bytes the phone page loads up front",
    ours: ours.gzip,
    baseline: base.gzip,
    lowerIsBetter: true,
    details:
      `ours ${ours.files.join(", ")} (${Math.round(ours.raw / 1024)} KiB raw${ours.lazy ? `; on demand +${Math.round(ours.lazy / 1024)} KiB gz: ${ours.lazyFiles.join(", ")}` : ""}); ` +
      `baseline: minimal React 19 + ReactDOM app, same Vite (${Math.round(base.raw / 1024)} KiB raw); gzip -9`,
  });
}

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { result, ROOT, type BenchResult } from "./lib.js";

/** JS an HTML page loads up front (module script + modulepreloads, following static imports), gzipped. */
function pageJs(htmlFile: string, distDir: string): { gzip: number; raw: number; files: string[]; lazy: number } {
  const html = readFileSync(htmlFile, "utf8");
  const queue = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)]
    .map((m) => (m[1] ?? m[2])!);
  const seen = new Set<string>();
  const lazy = new Set<string>();
  let gzip = 0, raw = 0;
  while (queue.length) {
    const url = queue.shift()!;
    const file = path.join(distDir, url.replace(/^\//, ""));
    if (seen.has(file)) continue;
    seen.add(file);
    const buf = readFileSync(file);
    raw += buf.length;
    gzip += gzipSync(buf, { level: 9 }).length;
    const code = buf.toString("utf8");
    const dir = path.dirname(url);
    // Static imports of the chunk are loaded too; dynamic ones only when used (listed apart).
    for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^"'()]*?from\s*)?["'](\.\.?\/[^"']+\.js)["']/g)) queue.push(path.posix.join(dir, m[1]!));
    for (const m of code.matchAll(/import\(\s*["'](\.\.?\/[^"']+\.js)["']\s*\)/g)) lazy.add(path.posix.join(dir, m[1]!));
  }
  const lazyBytes = [...lazy].filter((u) => !seen.has(path.join(distDir, u.replace(/^\//, ""))))
    .reduce((s, u) => s + gzipSync(readFileSync(path.join(distDir, u.replace(/^\//, ""))), { level: 9 }).length, 0);
  return { gzip, raw, files: [...seen].map((f) => path.basename(f)), lazy: lazyBytes };
}

function vite(args: string[], cwd: string): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), ...args], { cwd, encoding: "utf8" });
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
  writeFileSync(path.join(tmp, "index.html"), `<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>`);
  writeFileSync(path.join(tmp, "src/main.jsx"), `import { useState } from "react";
import { createRoot } from "react-dom/client";
function App() { const [n, setN] = useState(0); return <button onClick={() => setN(n + 1)}>clicked {n}</button>; }
createRoot(document.getElementById("root")).render(<App />);
`);
  writeFileSync(path.join(tmp, "vite.config.mjs"), `import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
export default defineConfig({ plugins: [react()], build: { target: "es2022", outDir: "dist" } });
`);
  vite(["build", "--config", "vite.config.mjs", "--logLevel", "error"], tmp);
  const base = pageJs(path.join(tmp, "dist/index.html"), path.join(tmp, "dist"));
  if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true });
  return result({
    name: "phone bundle", metric: "gzipped JS bytes the phone page loads up front",
    ours: ours.gzip, baseline: base.gzip, lowerIsBetter: true,
    details: `ours ${ours.files.join(", ")} (${Math.round(ours.raw / 1024)} KiB raw${ours.lazy ? `, +${Math.round(ours.lazy / 1024)} KiB gz lazy` : ""}); `
      + `baseline: minimal React 19 + ReactDOM app, same Vite (${Math.round(base.raw / 1024)} KiB raw); gzip -9`,
  });
}

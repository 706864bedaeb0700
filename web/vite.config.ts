import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

// The web app lives in web/ but imports the contract from ../shared, and its output goes to
// ../dist/web where the server (server/app.ts WEB_DIST) serves it. Two HTML entries: the desktop
// app (index.html) and the patrol phone page (m.html), built separately so the phone never
// downloads antd.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const backend = process.env.WARMLINE_API ?? "http://127.0.0.1:3000";

export default defineConfig({
  root: here("."),
  // Absolute asset URLs: the phone page is served at /m/... and must still find /assets/*.
  base: "/",
  plugins: [react()],
  build: {
    outDir: here("../dist/web"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // Report gzip sizes; the phone bundle budget is checked by eye from this output.
    reportCompressedSize: true,
    rolldownOptions: {
      input: { index: here("index.html"), m: here("m.html") },
      output: {
        // antd is large and changes less often than our code: its own chunk caches well.
        // React is captured first, by a higher-priority group, because the antd group also
        // pulls in its dependencies, and the phone page must never load the antd chunk.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 },
            { name: "antd", test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    // Only the dev server is allowed to read ../shared (outside root).
    fs: { allow: [here("..")] },
    // changeOrigin stays false: the server compares Origin with Host to refuse cross-site
    // writes, so the proxied request must keep the browser's Host header.
    proxy: {
      "/api": { target: backend },
      "/socket.io": { target: backend, ws: true },
    },
  },
});

import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

// The web app lives in web/ but imports the contract from ../shared, and its output goes to
// ../dist/web where the server (server/app.ts WEB_DIST) serves it. Two HTML entries: the desktop
// app (index.html) and the patrol phone page (m.html), built separately so the phone never
// downloads antd.
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const backend = process.env.WARMLINE_API ?? "http://127.0.0.1:3000";

/**
 * Dev only: mirror the server's routing (server/app.ts), where /m and /m/* serve the phone page.
 * Without this, Vite's SPA fallback would answer /m/ with the desktop app.
 */
function phoneRoutes(): Plugin {
  return {
    name: "warmline-phone-routes",
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = req.url?.split("?")[0] ?? "";
        if (path === "/m" || (path.startsWith("/m/") && !path.includes("."))) req.url = "/m.html";
        next();
      });
    },
  };
}

export default defineConfig({
  root: here("."),
  // Absolute asset URLs: the phone page is served at /m/... and must still find /assets/*.
  base: "/",
  plugins: [react(), phoneRoutes()],
  build: {
    outDir: here("../dist/web"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // Report gzip sizes; the phone bundle budget is checked by eye from this output.
    reportCompressedSize: true,
    // The antd chunk is ~900 kB minified (~280 kB gzipped) and loads only on the desktop, where
    // it is cached across releases of our own code; warn only beyond that.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      input: { index: here("index.html"), m: here("m.html") },
      output: {
        // antd is large and changes less often than our code: its own chunk caches well.
        // React is captured first, by a higher-priority group, because the antd group also
        // pulls in its dependencies, and the phone page must never load the antd chunk.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 },
            // Leaflet is shared by the desk and the phone's lazily loaded task map: without its own
            // group the "common" group below would pull it into the phone's first download. The
            // text-only map helper goes with it, for the same reason (it imports Leaflet).
            { name: "leaflet", test: /node_modules[\\/]leaflet[\\/]|web[\\/]src[\\/]map[\\/]safe-content\.ts$/, priority: 15 },
            { name: "antd", test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+)[\\/]/, priority: 10 },
            // What both pages load (session, API core, event stream, socket.io), under a clear name.
            { name: "common", minShareCount: 2, priority: 5 },
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

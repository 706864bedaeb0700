import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { VitePWA } from "vite-plugin-pwa";
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

/**
 * The files the phone page can ever load: its entry chunk, everything it imports statically or
 * lazily (the task map too), their CSS and assets. Recorded while bundling so the service worker
 * precaches exactly these and never the desk's antd or chart chunks.
 */
const phoneFiles = new Set<string>();
function phoneChunks(): Plugin {
  return {
    name: "warmline-phone-chunks",
    apply: "build",
    generateBundle(_opts, bundle) {
      phoneFiles.clear();
      const entry = Object.values(bundle).find((c) => c.type === "chunk" && c.isEntry && c.name === "m");
      const visit = (file: string) => {
        if (phoneFiles.has(file)) return;
        phoneFiles.add(file);
        const c = bundle[file];
        if (c?.type !== "chunk") return;
        for (const f of [...c.imports, ...c.dynamicImports]) visit(f);
        for (const f of [...(c.viteMetadata?.importedCss ?? []), ...(c.viteMetadata?.importedAssets ?? [])]) visit(f);
      };
      if (entry) visit(entry.fileName);
    },
  };
}

/**
 * The phone page as an installable app: manifest, icons and a Workbox service worker that
 * precaches the phone's shell and chunks so it opens with no signal. Scope /m/: the desk is
 * never controlled. No runtime caching at all: /api and /socket.io always go to the network.
 * registerType "prompt": a new version waits until the page says it is a safe moment
 * (web/src/phone/pwa.ts), so an update never lands mid-sortie.
 */
const pwa = VitePWA({
  registerType: "prompt",
  injectRegister: false,
  scope: "/m/",
  base: "/",
  filename: "sw.js",
  manifestFilename: "manifest.webmanifest",
  manifest: {
    id: "/m/",
    name: "暖线巡查 Warmline Patrol",
    short_name: "暖线巡查",
    description: "暖线外展巡查车组手机页：任务、出车、记录人员，离线可用。",
    lang: "zh-CN",
    start_url: "/m/",
    scope: "/m/",
    display: "standalone",
    orientation: "portrait",
    background_color: "#ffffff",
    theme_color: "#e85d04",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  },
  workbox: {
    globPatterns: ["m.html", "assets/*.{js,css,png,svg,woff2}", "icons/*.png"],
    // Only what the phone loads (see phoneChunks); m.html and the icons always.
    manifestTransforms: [
      async (entries) => ({
        manifest: entries.filter(
          (e) => !e.url.startsWith("assets/") || phoneFiles.has(e.url) || phoneFiles.size === 0,
        ),
        warnings: [],
      }),
    ],
    navigateFallback: "m.html",
    navigateFallbackAllowlist: [/^\/m(\/|$)/],
    navigateFallbackDenylist: [/^\/api\//, /^\/socket\.io\//],
    runtimeCaching: [],
    cleanupOutdatedCaches: true,
    clientsClaim: false,
    skipWaiting: false,
    maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
    sourcemap: false,
  },
});

export default defineConfig({
  root: here("."),
  // Absolute asset URLs: the phone page is served at /m/... and must still find /assets/*.
  base: "/",
  plugins: [react(), phoneRoutes(), phoneChunks(), pwa],
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

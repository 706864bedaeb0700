/**
 * The web app's own client routes (web/src/desk/DeskRoutes.tsx; the phone page is /m and /m/...).
 * Only these get the app's HTML as a 200; any other path is a 404, so a probe or a scraper asking
 * for /healthz, /metrics.json or /api/anything never mistakes the app's page for an answer.
 * test/unit/web-routes.test.ts checks this list against DeskRoutes.tsx.
 */
const DESK_ROUTES: readonly string[] = ["/", "/login", "/duty", "/duty/feed", "/station", "/admin"];

/** Which page a path belongs to, or undefined when the web app has no such route. */
export function webPageFor(path: string): "index.html" | "m.html" | undefined {
  const p = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  if (DESK_ROUTES.includes(p)) return "index.html";
  if (p === "/m" || (p.startsWith("/m/") && !p.includes("."))) return "m.html";
  return undefined;
}

/** True when the client asks for a page (a browser navigating), not for data or a file. */
export function acceptsHtml(accept: string | undefined): boolean {
  return !!accept && /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept);
}

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { fileURLToPath } from "node:url";
import { api } from "../shared/api/index.js";
import type { ErrorBody } from "../shared/errors.js";
import type { AppEnv } from "./http/context.js";
import { asAppError } from "./http/errors.js";
import { acceptsHtml, webPageFor } from "./http/web-routes.js";
import { compressJson, createWebFiles } from "./http/compression.js";
import { requestContext, sameOriginWrites } from "./http/middleware.js";
import { buildOpenApi } from "./http/openapi.js";
import { requestDeadline } from "./http/deadline.js";
import { buildAsyncApi } from "./http/asyncapi.js";
import { sessionMiddleware } from "./auth/auth.middleware.js";
import type { Services } from "./services.js";
import { authRoutes } from "./auth/auth.routes.js";
import { campaignsRoutes } from "./campaigns/campaigns.routes.js";
import { checkInsRoutes } from "./check-ins/check-ins.routes.js";
import { casesRoutes } from "./cases/cases.routes.js";
import { dispatchRoutes } from "./dispatch/dispatch.routes.js";
import { distributionsRoutes } from "./distributions/distributions.routes.js";
import { encountersRoutes } from "./encounters/encounters.routes.js";
import { exportsRoutes } from "./exports/exports.routes.js";
import { identificationRoutes } from "./identification/identification.routes.js";
import { weatherRoutes } from "./weather/weather.routes.js";
import { importsRoutes } from "./imports/imports.routes.js";
import { healthRoutes } from "./health/health.routes.js";
import { keypointsRoutes } from "./keypoints/keypoints.routes.js";
import { metricsRoutes } from "./metrics/metrics.routes.js";
import { mapRoutes } from "./map/map.routes.js";
import { open311Routes } from "./open311/open311.routes.js";
import { outcomesRoutes } from "./outcomes/outcomes.routes.js";
import { outboundRoutes } from "./outbound/outbound.routes.js";
import { placesRoutes } from "./places/places.routes.js";
import { patrolLogsRoutes } from "./patrol-logs/patrol-logs.routes.js";
import { patrolsRoutes } from "./patrols/patrols.routes.js";
import { peopleRoutes } from "./people/people.routes.js";
import { regionsRoutes } from "./regions/regions.routes.js";
import { reportsRoutes } from "./reports/reports.routes.js";
import { sheltersRoutes } from "./shelters/shelters.routes.js";
import { stationsRoutes } from "./stations/stations.routes.js";
import { suppliesRoutes } from "./supplies/supplies.routes.js";
import { totalsRoutes } from "./totals/totals.routes.js";
import { usersRoutes } from "./users/users.routes.js";
import { vehiclesRoutes } from "./vehicles/vehicles.routes.js";

/** What every noun's `<noun>.routes.ts` exports: it mounts that noun's endpoints on the app. */
type NounRoutes = (app: Hono<AppEnv>, s: Services) => void;

/**
 * Every noun's routes, mounted in this order (one line per noun folder). No two nouns declare
 * overlapping paths, so the order only matters inside a noun's own file.
 */
const routes: readonly NounRoutes[] = [
  authRoutes,
  campaignsRoutes,
  checkInsRoutes,
  casesRoutes,
  dispatchRoutes,
  distributionsRoutes,
  encountersRoutes,
  exportsRoutes,
  identificationRoutes,
  importsRoutes,
  healthRoutes,
  keypointsRoutes,
  mapRoutes,
  metricsRoutes,
  open311Routes,
  outcomesRoutes,
  outboundRoutes,
  patrolLogsRoutes,
  patrolsRoutes,
  peopleRoutes,
  placesRoutes,
  regionsRoutes,
  reportsRoutes,
  sheltersRoutes,
  stationsRoutes,
  suppliesRoutes,
  totalsRoutes,
  usersRoutes,
  vehiclesRoutes,
  weatherRoutes,
];

/** Where `npm run build` puts the web app. */
export const WEB_DIST = fileURLToPath(new URL("../dist/web", import.meta.url));

function errorJson(
  code: ErrorBody["error"]["code"],
  message: string,
  issues?: ErrorBody["error"]["issues"],
): ErrorBody {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}

/** Builds the Hono app: API under /api, the OpenAPI document, and the built web app. */
export function buildApp(s: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext(s.log, s.metrics));
  if (s.env.REQUEST_DEADLINE_MS > 0) {
    const deadline = requestDeadline(s.env.REQUEST_DEADLINE_MS, api);
    app.use("/api/*", deadline);
    app.use("/open311/*", deadline);
  }
  app.use("/api/*", sameOriginWrites(s.env.TRUST_PROXY));
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: 1024 * 1024,
      // The rest of the body is never read, so the connection cannot be reused: say so.
      onError: (c) => c.json(errorJson("PAYLOAD_TOO_LARGE", "body: larger than 1 MiB"), 413, { Connection: "close" }),
    }),
  );
  app.use("/api/*", sessionMiddleware(s.auth));
  app.use("/api/*", compressJson);

  for (const mountNoun of routes) mountNoun(app, s);

  const openapi = buildOpenApi(api, s.env.VERSION);
  app.get("/api/openapi.json", (c) => c.json(openapi));
  const asyncapi = buildAsyncApi(s.env.VERSION);
  app.get("/api/asyncapi.json", (c) => c.json(asyncapi));
  app.all("/api/*", (c) => c.json(errorJson("NOT_FOUND", `No endpoint ${c.req.method} ${c.req.path}`), 404));

  // The built app is read on first request, not at start, so a rebuild never stops the server;
  // each file is kept in memory, compressed once (server/http/compression.ts).
  const web = createWebFiles(s.env.WEB_DIR ?? WEB_DIST);
  const notBuilt = "Web app not built: run `npm run build` (npm start does it).";
  // Hashed assets never change under their name; the service worker, the manifest and the pages
  // must be asked for again each time, or a phone would keep an old version forever.
  app.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.ok) c.header("Cache-Control", "public, max-age=31536000, immutable");
  });
  app.use("*", async (c, next) => {
    await next();
    if (!c.req.path.startsWith("/api/") && !c.req.path.startsWith("/assets/") && c.res.ok)
      c.header("Cache-Control", "no-cache");
  });
  // Files of the build (assets, icons); a missing one falls through to the 404 below.
  app.use("*", web.middleware);
  // The app's page only for its own routes and only to a browser asking for HTML; a path the app
  // does not have is a 404 (with the app's page for a browser, which shows its not-found screen).
  app.get("*", async (c) => {
    const html = acceptsHtml(c.req.header("accept"));
    const name = webPageFor(c.req.path);
    if (!html) return c.text("Not found", 404);
    const status = name ? 200 : 404;
    const file = (await web.has(name ?? "index.html")) ? (name ?? "index.html") : "index.html";
    return (await web.respond(c, file, status)) ?? c.text(notBuilt, name ? 503 : 404);
  });
  app.all("*", (c) => c.text("Not found", 404));

  app.onError((err, c) => {
    const known = asAppError(err);
    if (known) {
      if (known.status === 503) (c.get("log") ?? s.log).warn("database unavailable", { err: String(err) });
      return c.json(errorJson(known.code, known.message, known.issues), known.status, known.headers);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json(
        errorJson(err.status === 413 ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED", err.message || "Bad request"),
        err.status,
      );
    }
    (c.get("log") ?? s.log).error("unhandled error", {
      err: err instanceof Error ? err.stack : String(err),
      path: c.req.path,
    });
    return c.json(errorJson("INTERNAL", `Internal error; quote request id ${c.get("requestId") ?? "?"}`), 500);
  });
  return app;
}

import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { open311Api } from "../../shared/api/open311.js";
import type { AppEnv } from "../http/context.js";
import { AppError } from "../http/errors.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

const BASE = "/open311/v2";

/**
 * Wires Open311 GeoReport v2 (JSON format) under /open311/v2 from the declarations in
 * shared/api/open311.ts; `mount` answers failures in the spec's error array.
 */
export function open311Routes(app: Hono<AppEnv>, s: Services): void {
  app.use(
    `${BASE}/*`,
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.json([{ code: 413, description: "body: larger than 64 KiB" }], 413, { Connection: "close" }),
    }),
  );
  mount(app, open311Api.services, async () => s.open311.services());
  // The service checks the partner key before the fields (403 before 400), so it gets the raw body.
  mount(app, open311Api.create, async ({ body }) => s.open311.create(body));
  mount(app, open311Api.list, async ({ query }) => s.open311.list(query));
  mount(app, open311Api.get, async ({ params }) => {
    if (!params.file.endsWith(".json")) throw new AppError(404, "NOT_FOUND", "only the .json format is served");
    return s.open311.get(params.file.slice(0, -".json".length));
  });
  app.all(`${BASE}/*`, (c) =>
    c.json([{ code: 404, description: `No endpoint ${c.req.method} ${c.req.path}; JSON format only` }], 404),
  );
}

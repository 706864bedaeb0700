import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { open311Api } from "../../shared/api/open311.js";
import type { AppEnv } from "../http/context.js";
import { mount, open311Reply } from "../http/router.js";
import type { Services } from "../services.js";

/**
 * Wires Open311 GeoReport v2 (XML and JSON) under /open311 from the declarations in
 * shared/api/open311.ts; `mount` answers in the format of the path's extension, failures included.
 */
export function open311Routes(app: Hono<AppEnv>, s: Services): void {
  app.use(
    "/open311/*",
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => {
        c.header("Connection", "close");
        return open311Reply(c, [{ code: 413, description: "body: larger than 64 KiB" }], 413);
      },
    }),
  );
  mount(app, open311Api.discovery, async (_, { c }) => s.open311.discovery(new URL(c.req.url).origin));
  mount(app, open311Api.services, async () => s.open311.services());
  mount(app, open311Api.definition, async ({ params }) => s.open311.definition(params.service_code));
  // The service checks the partner key before the fields (403 before 400), so it gets the raw body.
  mount(app, open311Api.create, async ({ body }, { c }) =>
    s.open311.create({ ...body, api_key: body.api_key ?? c.req.query("api_key") }),
  );
  mount(app, open311Api.list, async ({ query }) => s.open311.list(query));
  mount(app, open311Api.get, async ({ params }) => s.open311.get(params.id));
  mount(app, open311Api.token, async ({ params }) => s.open311.token(params.token));
  // Anything else under /open311 is the spec's 404, never the web app's page.
  app.all("/open311/*", (c) => {
    const description = `No endpoint ${c.req.method} ${c.req.path.slice(0, 200)}; paths end in .xml or .json`;
    return open311Reply(c, [{ code: 404, description }], 404);
  });
}

import type { Hono } from "hono";
import { importsApi } from "../../shared/api/imports.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the spreadsheet imports: template, preview, import. */
export function importsRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, importsApi.template, async ({ params }, { user }) => s.imports.template(user, params.kind));
  mount(app, importsApi.preview, async ({ params, body }, { user }) => s.imports.preview(user, params.kind, body));
  mount(app, importsApi.commit, async ({ params, body }, { user }) => s.imports.commit(user, params.kind, body));
}

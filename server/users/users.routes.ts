import type { Hono } from "hono";
import { usersApi } from "../../shared/api/users.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the user management endpoints (admin only). */
export function usersRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, usersApi.list, async ({ query }, { user }) => s.users.list(user, query));
  mount(app, usersApi.get, async ({ params }, { user }) => s.users.get(user, params.id));
  mount(app, usersApi.create, async ({ body }, { user }) => s.users.create(user, body));
  mount(app, usersApi.update, async ({ params, body }, { user }) => s.users.update(user, params.id, body));
  mount(app, usersApi.resetPassword, async ({ params, body }, { user }) =>
    s.users.resetPassword(user, params.id, body.password),
  );
}

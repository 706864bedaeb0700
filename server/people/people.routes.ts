import type { Hono } from "hono";
import { peopleApi } from "../../shared/api/people.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the people registry. */
export function peopleRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, peopleApi.list, async ({ query }, { user }) => s.people.list(user, query));
  mount(app, peopleApi.get, async ({ params }, { user }) => s.people.get(user, params.id));
  mount(app, peopleApi.create, async ({ body }, { user }) => s.people.create(user, body));
  mount(app, peopleApi.update, async ({ params, body }, { user }) => s.people.update(user, params.id, body));
  mount(app, peopleApi.familySearch, async ({ params, body }, { user }) =>
    s.people.familySearch(user, params.id, body),
  );
  mount(app, peopleApi.duplicates, async ({ params }, { user }) => ({
    items: await s.people.duplicates(user, params.id),
  }));
  mount(app, peopleApi.merge, async ({ params, body }, { user }) =>
    s.people.merge(user, params.id, body.intoId, body.version),
  );
  mount(app, peopleApi.stationReads, async ({ query }, { user }) => ({
    items: await s.people.stationReads(user, query),
  }));
  mount(app, peopleApi.unidentified, async ({ query }, { user }) => s.people.unidentified(user, query));
  mount(app, peopleApi.identify, async ({ params, body }, { user }) => s.people.identify(user, params.id, body));
  mount(app, peopleApi.reads, async ({ params }, { user }) => ({ items: await s.people.reads(user, params.id) }));
}

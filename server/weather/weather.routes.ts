import type { Hono } from "hono";
import { weatherApi } from "../../shared/api/weather.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires weather in, the cold rule's proposals, their confirmation and the backtest. */
export function weatherRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, weatherApi.readings, async ({ query }, { user }) => ({ items: await s.weather.readings(user, query) }));
  mount(app, weatherApi.enter, async ({ body }, { user }) => s.weather.enter(user, body));
  mount(app, weatherApi.upload, async ({ body }, { user }) => s.weather.upload(user, body));
  // The service checks the partner key before the fields (401/403 before 400), so it gets the raw body.
  mount(app, weatherApi.push, async ({ body }, { c }) =>
    s.weather.push({ ...body, api_key: body.api_key ?? c.req.header("x-api-key") ?? c.req.query("api_key") }),
  );
  mount(app, weatherApi.proposal, async ({ query }, { user }) => s.weather.proposal(user, query.stationId, query.date));
  mount(app, weatherApi.confirm, async ({ params }, { user }) => s.weather.confirm(user, params.id));
  mount(app, weatherApi.rule, async ({ params }) => s.weather.rule(params.id));
  mount(app, weatherApi.setRule, async ({ params, body }, { user }) => s.weather.setRule(user, params.id, body));
  mount(app, weatherApi.backtest, async ({ body }, { user }) => s.weather.backtest(user, body));
}

import type { Hono } from "hono";
import { identificationApi as api } from "../../shared/api/identification.js";
import { identificationPhotoApi as photo } from "../../shared/api/identification-photo.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";

/** Wires the identification workbench (甄别寻亲). */
export function identificationRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, api.setDeadlines, async ({ params, body }, { user }) =>
    s.identificationOverview.setDeadlines(user, params.id, body),
  );
  mount(app, api.list, async ({ query }, { user }) => ({
    items: await s.identificationOverview.list(user, query.stationId),
  }));
  mount(app, api.figures, async ({ query }, { user }) => s.identificationOverview.figures(user, query));
  mount(app, api.match, async ({ body }, { user }) => s.identificationMatch.match(user, body));
  mount(app, api.decide, async ({ body }, { user }) => s.identificationMatch.decide(user, body));
  mount(app, api.open, async ({ params, body }, { user }) => s.identification.open(user, params.id, body));
  mount(app, api.get, async ({ params }, { user }) => s.identification.get(user, params.id));
  mount(app, api.update, async ({ params, body }, { user }) => s.identification.update(user, params.id, body));
  mount(app, api.addClue, async ({ params, body }, { user }) => s.identification.addClue(user, params.id, body));
  mount(app, api.addStep, async ({ params, body }, { user }) => s.identification.addStep(user, params.id, body));
  mount(app, api.close, async ({ params, body }, { user }) => s.identification.close(user, params.id, body));
  mount(app, photo.recordConsent, async ({ params, body }, { user }) =>
    s.identificationPhoto.recordConsent(user, params.id, body),
  );
  mount(app, photo.withdrawConsent, async ({ params, body }, { user }) =>
    s.identificationPhoto.withdrawConsent(user, params.id, body),
  );
  mount(app, photo.upload, async ({ params, body }, { user }) => s.identificationPhoto.upload(user, params.id, body));
  mount(app, photo.get, async ({ params }, { user }) => s.identificationPhoto.get(user, params.id));
  mount(app, api.notice, async ({ params, body }, { user }) => s.identification.notice(user, params.id, body));
}

import type { authApi } from "../../../shared/api/auth.js";
import type { stationsApi } from "../../../shared/api/stations.js";
import { ref } from "../api/http.js";

/**
 * Runtime-light handles on the endpoints both pages need. `ref<typeof X>` checks method and
 * path against the declaration in shared/api at compile time, without bundling zod.
 */
export const routes = {
  login: ref<typeof authApi.login>({ method: "POST", path: "/api/auth/login" }),
  logout: ref<typeof authApi.logout>({ method: "POST", path: "/api/auth/logout" }),
  me: ref<typeof authApi.me>({ method: "GET", path: "/api/auth/me" }),
  stations: ref<typeof stationsApi.list>({ method: "GET", path: "/api/stations" }),
};

import type { vehiclesApi } from "../../../shared/api/vehicles.js";
import type { dispatchApi } from "../../../shared/api/dispatch.js";
import type { patrolsApi } from "../../../shared/api/patrols.js";
import type { encountersApi } from "../../../shared/api/encounters.js";
import { ref } from "../api/http.js";

/** Runtime-light handles on the fleet endpoints the phone calls (no zod in the phone bundle). */
export const fleetRoutes = {
  vehicles: ref<typeof vehiclesApi.list>({ method: "GET", path: "/api/vehicles" }),
  load: ref<typeof vehiclesApi.load>({ method: "GET", path: "/api/vehicles/:id/load" }),
  tasks: ref<typeof dispatchApi.list>({ method: "GET", path: "/api/assignments" }),
  sorties: ref<typeof patrolsApi.sorties>({ method: "GET", path: "/api/sorties" }),
  openPatrols: ref<typeof patrolsApi.openPatrols>({ method: "GET", path: "/api/patrols/open" }),
  encounters: ref<typeof encountersApi.list>({ method: "GET", path: "/api/encounters" }),
  positions: ref<typeof patrolsApi.positions>({ method: "POST", path: "/api/positions" }),
};

/** Paths of the writes that go through the outbox (method POST, body with a client id or a version). */
export const OUTBOX_PATHS = {
  startSortie: "/api/sorties/start",
  endSortie: (id: string) => `/api/sorties/${id}/end`,
  taskStatus: (id: string) => `/api/assignments/${id}/status`,
  encounter: "/api/encounters",
  visit: "/api/keypoint-visits",
} as const;

import type { suppliesApi } from "../../../shared/api/supplies.js";
import type { keypointsApi } from "../../../shared/api/keypoints.js";

/** Endpoints of other domains the phone reads: station stock (to load) and key points (to check). */
export const otherRoutes = {
  stock: ref<typeof suppliesApi.stock>({ method: "GET", path: "/api/supplies/stock" }),
  keyPoints: ref<typeof keypointsApi.list>({ method: "GET", path: "/api/keypoints" }),
};

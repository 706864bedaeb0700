import type { vehiclesApi } from "../../../shared/api/vehicles.js";
import type { dispatchApi } from "../../../shared/api/dispatch.js";
import type { patrolsApi } from "../../../shared/api/patrols.js";
import type { encountersApi } from "../../../shared/api/encounters.js";
import type { checkInsApi } from "../../../shared/api/check-ins.js";
import { ref } from "../api/http.js";

/** Runtime-light handles on the fleet endpoints the phone calls (no zod in the phone bundle). */
export const fleetRoutes = {
  vehicles: ref<typeof vehiclesApi.list>({ method: "GET", path: "/api/vehicles" }),
  load: ref<typeof vehiclesApi.load>({ method: "GET", path: "/api/vehicles/:id/load" }),
  tasks: ref<typeof dispatchApi.list>({ method: "GET", path: "/api/assignments" }),
  openPatrols: ref<typeof patrolsApi.openPatrols>({ method: "GET", path: "/api/patrols/open" }),
  positions: ref<typeof patrolsApi.positions>({ method: "POST", path: "/api/positions" }),
  checkInStatus: ref<typeof checkInsApi.status>({ method: "GET", path: "/api/sorties/:id/check-in" }),
};

/** The writes that go through the outbox (each body carries a client id or a version, so replays are safe). */
export const outboxWrites = {
  startSortie: ref<typeof patrolsApi.startSortie>({ method: "POST", path: "/api/sorties/start" }),
  endSortie: ref<typeof patrolsApi.endSortie>({ method: "POST", path: "/api/sorties/:id/end" }),
  taskStatus: ref<typeof dispatchApi.setStatus>({ method: "POST", path: "/api/assignments/:id/status" }),
  encounter: ref<typeof encountersApi.create>({ method: "POST", path: "/api/encounters" }),
  visit: ref<typeof patrolsApi.visitKeyPoint>({ method: "POST", path: "/api/keypoint-visits" }),
  checkIn: ref<typeof checkInsApi.checkIn>({ method: "POST", path: "/api/check-ins" }),
  panic: ref<typeof checkInsApi.panic>({ method: "POST", path: "/api/panics" }),
};

import type { suppliesApi } from "../../../shared/api/supplies.js";
import type { keypointsApi } from "../../../shared/api/keypoints.js";

/** Endpoints of other domains the phone reads: station stock (to load) and key points (to check). */
export const otherRoutes = {
  stock: ref<typeof suppliesApi.stock>({ method: "GET", path: "/api/supplies/stock" }),
  keyPoints: ref<typeof keypointsApi.list>({ method: "GET", path: "/api/keypoints" }),
};

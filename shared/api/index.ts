import { authApi } from "./auth.js";
import { healthApi } from "./health.js";
import { stationsApi } from "./stations.js";
import { vehiclesApi } from "./vehicles.js";
import { dispatchApi } from "./dispatch.js";
import { patrolsApi } from "./patrols.js";
import { encountersApi } from "./encounters.js";
import { casesApi } from "./cases.js";
import { keypointsApi } from "./keypoints.js";
import { mapApi } from "./map.js";
import { peopleApi } from "./people.js";
import { suppliesApi } from "./supplies.js";
import { sheltersApi } from "./shelters.js";
import { campaignsApi } from "./campaigns.js";
import { reportsApi } from "./reports.js";
import { totalsApi } from "./totals.js";
import { exportsApi } from "./exports.js";
import { open311Api } from "./open311.js";
import { usersApi } from "./users.js";
import { distributionsApi } from "./distributions.js";
import { patrolLogsApi } from "./patrol-logs.js";
import { regionsApi } from "./regions.js";
import { importsApi } from "./imports.js";
import { placesApi } from "./places.js";
import { identificationApi } from "./identification.js";
import { outcomesApi } from "./outcomes.js";
import { outboundApi } from "./outbound.js";
import { checkInsApi } from "./check-ins.js";
import { weatherApi } from "./weather.js";
import { identificationPhotoApi } from "./identification-photo.js";
import type { Endpoint } from "./endpoint.js";

export * from "./endpoint.js";
export * from "./common.js";
export * from "./auth.js";
export * from "./health.js";
export * from "./stations.js";
export * from "./cases.js";
export * from "./keypoints.js";
export * from "./map.js";
export * from "./open311.js";
export * from "./vehicles.js";
export * from "./dispatch.js";
export * from "./patrols.js";
export * from "./encounters.js";
export * from "./people.js";
export * from "./supplies.js";
export * from "./shelters.js";
export * from "./campaigns.js";
export * from "./reports.js";
export * from "./totals.js";
export * from "./exports.js";
export * from "./users.js";
export * from "./distributions.js";
export * from "./patrol-logs.js";
export * from "./regions.js";
export * from "./imports.js";
export * from "./places.js";
export * from "./identification.js";
export * from "./outcomes.js";
export * from "./outbound.js";
export * from "./check-ins.js";
export * from "./weather.js";
export * from "./identification-photo.js";

/** Every endpoint, grouped by domain noun; the OpenAPI document is generated from this. */
export const api = {
  auth: authApi,
  health: healthApi,
  stations: stationsApi,
  cases: casesApi,
  keypoints: keypointsApi,
  map: mapApi,
  vehicles: vehiclesApi,
  dispatch: dispatchApi,
  patrols: patrolsApi,
  encounters: encountersApi,
  people: peopleApi,
  supplies: suppliesApi,
  shelters: sheltersApi,
  campaigns: campaignsApi,
  reports: reportsApi,
  totals: totalsApi,
  exports: exportsApi,
  open311: open311Api,
  users: usersApi,
  distributions: distributionsApi,
  patrolLogs: patrolLogsApi,
  regions: regionsApi,
  imports: importsApi,
  places: placesApi,
  identification: identificationApi,
  outcomes: outcomesApi,
  outbound: outboundApi,
  checkIns: checkInsApi,
  weather: weatherApi,
  identificationPhoto: identificationPhotoApi,
} satisfies Record<string, Record<string, Endpoint>>;

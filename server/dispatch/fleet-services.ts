import type { Env } from "../env.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { JobRunner } from "../jobs/job-runner.js";
import { VehiclesService } from "../vehicles/vehicles.service.js";
import { PatrolsService } from "../patrols/patrols.service.js";
import { PatrolLogsService } from "../patrol-logs/patrol-logs.service.js";
import { PositionsService } from "../positions/positions.service.js";
import { EncountersService } from "../encounters/encounters.service.js";
import { DispatchService } from "./dispatch.service.js";

/** The fleet side of the product: vehicles, dispatch, patrols, positions, encounters. */
export interface FleetServices {
  vehicles: VehiclesService;
  dispatch: DispatchService;
  patrols: PatrolsService;
  patrolLogs: PatrolLogsService;
  positions: PositionsService;
  encounters: EncountersService;
}

/** How often the unacknowledged-task check runs; an alert is at most this late after the timeout. */
export const UNACK_CHECK_MS = 5_000;

/**
 * Builds the fleet services and registers the unacknowledged-task alert on the cluster-wide job
 * runner (one node runs each slot; the alert itself is also guarded per task in the database).
 */
export function createFleetServices(env: Env, db: Db, eventLog: EventLog, jobs: JobRunner): FleetServices {
  const dispatch = new DispatchService(db, eventLog, env.ACK_TIMEOUT_SECONDS);
  jobs.register({
    name: "dispatch.unacknowledged", everyMs: UNACK_CHECK_MS,
    run: async (ctx) => {
      const n = await dispatch.raiseUnacknowledgedAlerts();
      if (n) ctx.log.info("unacknowledged task alerts raised", { count: n });
    },
  });
  return {
    vehicles: new VehiclesService(db, eventLog),
    dispatch,
    patrols: new PatrolsService(db, eventLog),
    patrolLogs: new PatrolLogsService(db, eventLog),
    positions: new PositionsService(db, eventLog, env.POSITION_BROADCAST_SECONDS),
    encounters: new EncountersService(db, eventLog),
  };
}

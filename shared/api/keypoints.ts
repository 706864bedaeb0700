import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, Lat, Lng } from "./common.js";
import { AlertLevel, KeyPointKind } from "../vocab.js";

/** How overdue a key point's patrol is (shared/cadence.ts keyPointDueState). */
export const KeyPointDueState = z.enum(["ok", "due", "overdue"]).describe("Patrol due state of a key point");
export type KeyPointDueState = z.infer<typeof KeyPointDueState>;

/** A key point (重点点位) with when it was last visited and whether a visit is due. */
export const KeyPointStatus = z.object({
  /** Key point id. */
  id: Id,
  /** Station that patrols it. */
  stationId: Id.describe("Station that patrols it"),
  /** Name, e.g. "新华桥桥洞". */
  name: z.string().describe("Name"),
  /** Kind of place. */
  kind: KeyPointKind,
  /** Position, WGS-84. */
  lat: Lat,
  lng: Lng,
  /** Street address. */
  address: z.string().describe("Address"),
  /** Last check of the key point (巡查点位), null if never. */
  lastVisitedAt: z.string().nullable().describe("Last visit, ISO time; null if never"),
  /** ok, due (last quarter of the interval) or overdue. */
  dueState: KeyPointDueState,
  /** Cadence in hours at the alert level used. */
  intervalHours: z.number().describe("Patrol interval at the current alert level, hours"),
  /** Alert level of the running campaign over the station; null when none (cadence of blue). */
  alertLevel: AlertLevel.nullable().describe("Alert level used; null when no campaign runs"),
});
export type KeyPointStatus = z.infer<typeof KeyPointStatus>;

/** Key point endpoints. */
export const keypointsApi = {
  list: endpoint({
    method: "GET", path: "/api/keypoints", tag: "keypoints", access: "any",
    summary: "Active key points in scope with last visit and due state",
    query: z.object({ stationId: Id.optional().describe("Only this station (within scope)") }),
    response: z.object({ items: z.array(KeyPointStatus) }),
  }),
};

import type { Urgency } from "../../../shared/vocab.js";
import type { VehicleStatus } from "../../../shared/status.js";
import type { KeyPointDueState } from "../../../shared/api/keypoints.js";

/**
 * Colours shared by the map and the lists, so a red dot and a red tag mean the same thing. Those
 * behind white labels (vehicles, stations, shelters) are dark enough for 4.5:1 (WCAG AA).
 */
export const URGENCY_COLOR: Record<Urgency, string> = {
  critical: "#a8071a",
  high: "#fa541c",
  medium: "#faad14",
  low: "#1677ff",
};
/** antd Tag colours for urgency. */
export const URGENCY_TAG: Record<Urgency, string> = {
  critical: "#a8071a",
  high: "volcano",
  medium: "gold",
  low: "blue",
};
export const VEHICLE_COLOR: Record<VehicleStatus, string> = {
  off_duty: "#6b6b6b",
  available: "#237804",
  dispatched: "#ad4e00",
  en_route: "#874d00",
  on_scene: "#722ed1",
  transporting: "#1d39c4",
  out_of_service: "#595959",
};
export const DUE_COLOR: Record<KeyPointDueState, string> = { ok: "#52c41a", due: "#faad14", overdue: "#f5222d" };
export const PLACE_COLOR = { station: "#006d75", shelter: "#00676b" } as const;

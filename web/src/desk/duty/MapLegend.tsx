import { DUE_COLOR, PLACE_COLOR, URGENCY_COLOR, VEHICLE_COLOR } from "../../map/colors.js";
import { useDutyTexts } from "./texts.js";

/** The map's legend, in the markers' own shapes (diamond cases, square places, chip vehicles). */
export function MapLegend() {
  const tx = useDutyTexts();
  return (
    <span className="wl-duty-legend">
      {(["critical", "high", "medium", "low"] as const).map((u) => (
        <span key={u}>
          <i className="is-diamond" style={{ background: URGENCY_COLOR[u] }} />
          {tx.urgency[u]}
        </span>
      ))}
      <i className="is-small" style={{ background: DUE_COLOR.overdue }} />
      {tx.map.keyPoints}
      <i style={{ background: PLACE_COLOR.shelter }} />
      {tx.map.shelters}
      <i className="is-chip" style={{ background: VEHICLE_COLOR.available }} />
      {tx.map.vehicles}
    </span>
  );
}

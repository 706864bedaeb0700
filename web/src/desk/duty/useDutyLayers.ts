import { useMemo } from "react";
import type { Case } from "../../../../shared/api/cases.js";
import type { CrewAlert } from "../../../../shared/api/check-ins.js";
import type { Station } from "../../../../shared/api/stations.js";
import { urgencyRank } from "../../../../shared/urgency.js";
import type { MapLayer } from "../../map/WarmMap.js";
import { DUE_COLOR, PLACE_COLOR, URGENCY_COLOR, VEHICLE_COLOR } from "../../map/colors.js";
import { isolate } from "../../map/safe-content.js";
import type { useMapData } from "./map-data.js";
import { fmt, useDutyTexts } from "./texts.js";

/** Crew alerts on the map: the panic red, darker than any status colour. */
const CREW_ALERT_COLOR = "#a8071a";

/**
 * What the duty-room map shows, one layer per kind, each kind in its own shape: places (stations,
 * shelters) as labelled squares, key points as small squares in their due colour, vehicles as
 * labelled chips in their status colour, cases as diamonds in their urgency colour (a critical case
 * and an overdue key point are both red, but never the same shape).
 */
export function useDutyLayers(
  data: ReturnType<typeof useMapData>,
  stations: readonly Station[],
  cases: readonly Case[],
  crewAlerts: readonly CrewAlert[] = [],
): MapLayer[] {
  const tx = useDutyTexts();
  // One memo per layer: a live case rebuilds the cases layer only, a GPS fix the vehicles layer
  // only, never the two thousand key points beside them.
  const { shelters, sheltersAvailable, keyPoints, vehicles } = data;
  const places = useMemo(
    () =>
      sheltersAvailable
        ? shelters
            .filter((p) => p.active)
            .map((p) => ({
              id: p.id,
              lat: p.lat,
              lng: p.lng,
              shape: "square" as const,
              color: p.kind === "station" ? PLACE_COLOR.station : PLACE_COLOR.shelter,
              label: `${p.kind === "station" ? tx.map.stationShort : tx.map.shelterShort} ${p.free}`,
              title: `${isolate(p.name)} · ${fmt(tx.map.free, { n: p.free })} / ${p.capacity}`,
            }))
        : stations.map((st) => ({
            id: st.id,
            lat: st.lat,
            lng: st.lng,
            shape: "square" as const,
            color: PLACE_COLOR.station,
            label: st.code,
            title: `${isolate(st.name)} · ${fmt(tx.map.beds, { n: st.beds })}`,
          })),
    [shelters, sheltersAvailable, stations, tx],
  );
  const keyPointLayer = useMemo(
    () =>
      keyPoints.map((k) => ({
        id: k.id,
        lat: k.lat,
        lng: k.lng,
        shape: "square" as const,
        color: DUE_COLOR[k.dueState],
        title: `${tx.map.keyPoint} ${isolate(k.name)} · ${tx.map.due[k.dueState]} · ${k.lastVisitedAt ? fmt(tx.map.lastVisit, { t: new Date(k.lastVisitedAt).toLocaleString() }) : tx.map.never}`,
      })),
    [keyPoints, tx],
  );
  const vehicleLayer = useMemo(
    () =>
      vehicles
        .filter((v) => v.lastLat !== null && v.lastLng !== null)
        .map((v) => ({
          id: v.id,
          lat: v.lastLat!,
          lng: v.lastLng!,
          shape: "chip" as const,
          color: VEHICLE_COLOR[v.status],
          label: v.callSign,
          title: `${isolate(v.callSign)} · ${tx.vehicleStatus[v.status]}${v.lastPositionAt ? ` · ${new Date(v.lastPositionAt).toLocaleTimeString()}` : ""}`,
        })),
    [vehicles, tx],
  );
  const caseLayer = useMemo(
    () =>
      cases.map((c) => ({
        id: c.id,
        lat: c.lat,
        lng: c.lng,
        shape: "diamond" as const,
        color: URGENCY_COLOR[c.urgency],
        rank: urgencyRank(c.urgency),
        radius: 8 + urgencyRank(c.urgency),
        title: `${tx.urgency[c.urgency]} · ${isolate(c.placeText || c.description || "")}${c.callerCount > 1 ? ` · ×${c.callerCount}` : ""}`,
      })),
    [cases, tx],
  );
  // A crew in trouble at its last known position, labelled above the vehicles' chips.
  const alertLayer = useMemo(
    () =>
      crewAlerts
        .filter((a) => a.position)
        .map((a) => ({
          id: a.id,
          lat: a.position!.lat,
          lng: a.position!.lng,
          shape: "chip" as const,
          color: CREW_ALERT_COLOR,
          marked: true,
          label: `${a.kind === "panic" ? "SOS" : "⏰"} ${a.callSign}`,
          title: `${isolate(a.callSign)} · ${new Date(a.position!.at).toLocaleTimeString()}`,
        })),
    [crewAlerts],
  );
  return useMemo(
    () => [
      { key: "places", points: places },
      { key: "keyPoints", points: keyPointLayer },
      { key: "vehicles", points: vehicleLayer },
      { key: "cases", cluster: true, points: caseLayer },
      { key: "crewAlerts", points: alertLayer },
    ],
    [places, keyPointLayer, vehicleLayer, caseLayer, alertLayer],
  );
}

import { useMemo, useState } from "react";
import { Alert, Space, Typography } from "antd";
import type { LatLng } from "../../../../shared/geo.js";
import { urgencyRank } from "../../../../shared/urgency.js";
import { useResync } from "../../realtime/hooks.js";
import { useSession } from "../../shared-ui/session.js";
import { useStations } from "../data/stations.js";
import { ConnectionStatus } from "../components/ConnectionStatus.js";
import { WarmMap, type MapLayer } from "../../map/WarmMap.js";
import { DUE_COLOR, PLACE_COLOR, URGENCY_COLOR, VEHICLE_COLOR } from "../../map/colors.js";
import { isolate } from "../../map/safe-content.js";
import { useQueue } from "./cases-store.js";
import { useMapData } from "./map-data.js";
import { IntakeForm } from "./IntakeForm.js";
import { QueueList } from "./QueueList.js";
import { CaseDrawer } from "./CaseDrawer.js";
import { fmt, useDutyTexts } from "./texts.js";
import "./duty.css";

/** Where the map opens when the user's station is not known yet (the demo city). */
const DEFAULT_CENTER: LatLng = { lat: 45.7605, lng: 126.63 };

/**
 * The duty room: call intake on the left, the live map in the middle, the queue on the right, and
 * a case drawer over the map. Everything is live from the event stream: every change by anyone
 * appears on every open duty-room screen without reload; a resync reloads over HTTP.
 */
export function DutyRoomPage() {
  const tx = useDutyTexts();
  const s = useSession();
  const me = s.status === "signedIn" ? s.me : null;
  const { stations } = useStations();
  const queue = useQueue();
  const data = useMapData();
  const [picked, setPicked] = useState<LatLng | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // The case a call was just filed into: highlighted in the queue, without opening the drawer,
  // because the operator's next move is usually the next call.
  const [highlight, setHighlight] = useState<string | null>(null);
  const [mapPane, setMapPane] = useState<HTMLDivElement | null>(null);
  const [resynced, setResynced] = useState(false);
  useResync(() => setResynced(true));

  const home = stations.find((st) => st.id === me?.stationId) ?? stations[0];
  const center = home ? { lat: home.lat, lng: home.lng } : DEFAULT_CENTER;
  const alertLevel =
    data.keyPoints.find((k) => k.stationId === me?.stationId)?.alertLevel ?? data.keyPoints[0]?.alertLevel ?? null;
  const canTakeCalls = me?.role === "operator" || me?.role === "head";
  const focus = useMemo(() => {
    const c = queue.cases.find((x) => x.id === selected);
    return c ? { lat: c.lat, lng: c.lng } : null;
    // Only when the selection changes, not on every update of the case.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const layers: MapLayer[] = useMemo(() => {
    const places = data.sheltersAvailable
      ? data.shelters
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
        }));
    return [
      { key: "places", points: places },
      {
        key: "keyPoints",
        points: data.keyPoints.map((k) => ({
          id: k.id,
          lat: k.lat,
          lng: k.lng,
          shape: "dot" as const,
          radius: 5,
          color: DUE_COLOR[k.dueState],
          title: `${isolate(k.name)} · ${tx.map.due[k.dueState]} · ${k.lastVisitedAt ? fmt(tx.map.lastVisit, { t: new Date(k.lastVisitedAt).toLocaleString() }) : tx.map.never}`,
        })),
      },
      {
        key: "vehicles",
        points: data.vehicles
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
      },
      {
        key: "cases",
        cluster: true,
        points: queue.cases.map((c) => ({
          id: c.id,
          lat: c.lat,
          lng: c.lng,
          shape: "dot" as const,
          color: URGENCY_COLOR[c.urgency],
          rank: urgencyRank(c.urgency),
          radius: 7 + urgencyRank(c.urgency),
          title: `${tx.urgency[c.urgency]} · ${isolate(c.placeText || c.description || "")}${c.callerCount > 1 ? ` · ×${c.callerCount}` : ""}`,
        })),
      },
    ];
  }, [data, stations, queue.cases, tx]);

  return (
    <div className="wl-duty" data-testid="duty-room">
      <div className="wl-duty-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tx.title}
        </Typography.Title>
        <Space size="large">
          <span className="wl-duty-legend">
            <i style={{ background: URGENCY_COLOR.critical }} />
            {tx.urgency.critical}
            <i style={{ background: URGENCY_COLOR.high }} />
            {tx.urgency.high}
            <i style={{ background: URGENCY_COLOR.medium }} />
            {tx.urgency.medium}
            <i style={{ background: URGENCY_COLOR.low }} />
            {tx.urgency.low}
            <i style={{ background: DUE_COLOR.overdue, borderRadius: "50%" }} />
            {tx.map.keyPoints}
            <i style={{ background: PLACE_COLOR.shelter }} />
            {tx.map.shelters}
          </span>
          <ConnectionStatus />
        </Space>
      </div>
      {resynced && (
        <Alert type="warning" showIcon closable={{ onClose: () => setResynced(false) }} title={tx.resynced} />
      )}
      <div className={`wl-duty-grid${canTakeCalls ? "" : " no-intake"}`}>
        {canTakeCalls && (
          <div className="wl-duty-left">
            <IntakeForm
              picked={picked}
              onPick={setPicked}
              keyPoints={data.keyPoints}
              alertLevel={alertLevel}
              onFiled={setHighlight}
            />
          </div>
        )}
        <div className="wl-duty-map" ref={setMapPane}>
          <WarmMap
            config={data.config}
            layers={layers}
            center={center}
            picked={picked}
            focus={focus}
            onPick={canTakeCalls ? setPicked : undefined}
            onSelect={(layer, id) => {
              if (layer === "cases") setSelected(id);
            }}
            texts={{
              noTiles: tx.map.noTiles,
              tilesDown: tx.map.tilesDown,
              cluster: (n) => fmt(tx.map.cluster, { count: n }),
            }}
          />
        </div>
        <div className="wl-duty-right">
          <QueueList cases={queue.cases} selectedId={selected ?? highlight} onSelect={setSelected} />
        </div>
      </div>
      <CaseDrawer caseId={selected} queue={queue.cases} onClose={() => setSelected(null)} container={mapPane} />
    </div>
  );
}

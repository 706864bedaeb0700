import { memo, useEffect, useMemo, useRef, useState } from "react";
import { Alert, Space, Typography } from "antd";
import type { LatLng } from "../../../../shared/geo.js";
import { useResync } from "../../realtime/hooks.js";
import { useSession } from "../../shared-ui/session.js";
import { useStations } from "../data/stations.js";
import { ConnectionStatus } from "../components/ConnectionStatus.js";
import { WarmMap } from "../../map/WarmMap.js";
import { UnackedAlerts } from "../dispatch/UnackedAlerts.js";
import { CrewAlerts, useCrewAlerts } from "./CrewAlerts.js";
import { loadMore, setQueueFilter, useQueue } from "./cases-store.js";
import { useMapData } from "./map-data.js";
import { useDutyLayers } from "./useDutyLayers.js";
import { IntakeForm } from "./IntakeForm.js";
import { QueueList } from "./QueueList.js";
import { CaseDrawer } from "./CaseDrawer.js";
import { AttentionControl } from "./AttentionControl.js";
import { MapLegend } from "./MapLegend.js";
import { markRecommended } from "./recommended-marks.js";
import { fmt, useDutyTexts } from "./texts.js";
import "./duty.css";

/** The intake form renders only when its own props change, never because a live event re-rendered the page. */
const Intake = memo(IntakeForm);

/** Where the map opens when the user's station is not known yet (the demo city). */
const DEFAULT_CENTER: LatLng = { lat: 45.7605, lng: 126.63 };
/** How many of the recommended vehicles the map keeps in view beside the case. */
const FIT_VEHICLES = 3;

/**
 * The duty room: call intake on the left, the live map in the middle, the queue on the right. An
 * opened case takes the queue's column, so the map stays visible beside it, fitted to the case and
 * the vehicles recommended for it. Everything is live from the event stream: every change by anyone
 * appears on every open duty-room screen without reload; a resync reloads over HTTP. By keyboard:
 * a skip link jumps past the map to the queue; Alt+D opens the case just filed (or the one selected)
 * with focus on its first recommended vehicle's Dispatch button.
 */
export function DutyRoomPage() {
  const tx = useDutyTexts();
  const s = useSession();
  const me = s.status === "signedIn" ? s.me : null;
  const { stations } = useStations();
  const queue = useQueue();
  const data = useMapData();
  const [picked, setPicked] = useState<LatLng | null>(null);
  // Where to centre the map: a place found by name or a key point chosen in the intake form.
  const [focus, setFocus] = useState<LatLng | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [recommended, setRecommended] = useState<{ caseId: string; vehicleIds: string[] } | null>(null);
  // The case a call was just filed into: highlighted in the queue, without opening the drawer,
  // because the operator's next move is usually the next call.
  const [highlight, setHighlight] = useState<string | null>(null);
  const [casePane, setCasePane] = useState<HTMLDivElement | null>(null);
  // Alt+D: each press asks the dispatch panel to put focus on the first recommended vehicle.
  const [focusRec, setFocusRec] = useState(0);
  const toOpen = useRef<string | null>(null);
  toOpen.current = highlight ?? selected;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.code !== "KeyD") return;
      e.preventDefault();
      const id = toOpen.current;
      if (!id) return;
      setSelected(id);
      setFocusRec((n) => n + 1);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const [resynced, setResynced] = useState(false);
  useResync(() => setResynced(true));

  const home = stations.find((st) => st.id === me?.stationId) ?? stations[0];
  const center = home ? { lat: home.lat, lng: home.lng } : DEFAULT_CENTER;
  const alertLevel =
    data.keyPoints.find((k) => k.stationId === me?.stationId)?.alertLevel ?? data.keyPoints[0]?.alertLevel ?? null;
  const canTakeCalls = me?.role === "operator" || me?.role === "head";
  const crewAlerts = useCrewAlerts();
  const layers = useDutyLayers(data, stations, queue.cases, crewAlerts.items);

  const selectedCase = queue.cases.find((x) => x.id === selected) ?? null;
  const recIds = recommended?.caseId === selected ? recommended.vehicleIds.slice(0, FIT_VEHICLES) : [];
  const fitKey = selectedCase ? `${selectedCase.id}|${recIds.join(",")}` : null;
  const fit = useMemo(() => {
    if (!selectedCase) return null;
    const points: LatLng[] = [{ lat: selectedCase.lat, lng: selectedCase.lng }];
    for (const id of recIds) {
      const v = data.vehicles.find((x) => x.id === id);
      if (v && v.lastLat !== null && v.lastLng !== null) points.push({ lat: v.lastLat, lng: v.lastLng });
    }
    return { key: fitKey!, points };
    // Only when the case or the recommended set changes, not on every vehicle position.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fitKey]);
  const shownLayers = useMemo(
    () => markRecommended(layers, recIds, (n) => fmt(tx.map.recommended, { n })),
    // recIds is rebuilt on each render; its content is in fitKey.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [layers, fitKey, tx],
  );

  return (
    <div className="wl-duty" data-testid="duty-room">
      {/* The map is out of the Tab order (its facts are in the queue and the case): this jumps past it. */}
      <a
        href="#wl-queue"
        className="wl-skip"
        data-testid="skip-to-queue"
        onClick={(e) => {
          e.preventDefault();
          const first = document.querySelector<HTMLElement>("#wl-queue .wl-duty-qitem");
          (first ?? document.getElementById("wl-queue"))?.focus();
        }}
      >
        {tx.intake.skipToQueue}
      </a>
      <div className="wl-duty-head">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tx.title}
        </Typography.Title>
        <Space size="large">
          <MapLegend />
          <AttentionControl cases={queue.cases} loaded={queue.loaded} openedId={selected} />
          <ConnectionStatus />
        </Space>
      </div>
      <CrewAlerts items={crewAlerts.items} onAcknowledged={crewAlerts.reload} onShowOnMap={setFocus} />
      <UnackedAlerts onOpenCase={setSelected} />
      {resynced && (
        <Alert type="warning" showIcon closable={{ onClose: () => setResynced(false) }} title={tx.resynced} />
      )}
      <div className={`wl-duty-grid${canTakeCalls ? "" : " no-intake"}${selected ? " has-case" : ""}`}>
        {canTakeCalls && (
          <div className="wl-duty-left">
            <Intake
              picked={picked}
              onPick={setPicked}
              onFocus={setFocus}
              keyPoints={data.keyPoints}
              alertLevel={alertLevel}
              onFiled={setHighlight}
            />
          </div>
        )}
        <div className="wl-duty-map" data-testid="duty-map-pane">
          <WarmMap
            config={data.config}
            layers={shownLayers}
            center={center}
            picked={picked}
            focus={focus}
            fit={fit}
            fitOnLoad={data.loaded && queue.loaded}
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
        <div className="wl-duty-right" ref={setCasePane}>
          <QueueList
            cases={queue.cases}
            total={queue.total}
            complete={queue.complete}
            loadingMore={queue.loadingMore}
            filter={queue.filter}
            stations={stations}
            selectedId={selected ?? highlight}
            onSelect={setSelected}
            onFilter={setQueueFilter}
            onNeedMore={loadMore}
          />
        </div>
      </div>
      <CaseDrawer
        caseId={selected}
        queue={queue.cases}
        onClose={() => setSelected(null)}
        container={casePane}
        onRecommendations={(caseId, vehicleIds) => setRecommended({ caseId, vehicleIds })}
        focusFirstRecommendation={focusRec}
      />
    </div>
  );
}

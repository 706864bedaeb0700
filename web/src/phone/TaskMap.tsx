import { useEffect, useRef, useState } from "react";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import "./task-map.css";
import type { mapApi, MapConfig } from "../../../shared/api/map.js";
import { wgs84ToGcj02, type LatLng } from "../../../shared/geo.js";
import { call, ref } from "../api/http.js";
import { labelIcon } from "../map/safe-content.js";
import { keepOutOfTabOrder } from "../map/out-of-tab-order.js";

/**
 * The current task on a map, for the phone. Loaded with a dynamic import (see Patrol.tsx), so
 * Leaflet is not in the phone's first download. Shows the task, the phone's own latest fix, the
 * vehicle's last reported position, a line from the phone to the task with its distance, and a
 * metric scale: all drawn by us, so the map is useful on a plain background when no tile server
 * is configured or reachable (the usual case on a weak signal). Positions arrive in WGS-84 and
 * are converted for display when the configured tiles are GCJ-02 (AMap, Tencent), as on the desk.
 */

/** Texts the page passes in (its own i18n). */
export interface TaskMapTexts {
  task: string;
  me: string;
  noTiles: string;
  tilesDown: string;
  fit: string;
}

export interface TaskMapProps {
  task: LatLng & { title: string };
  me: (LatLng & { accuracy?: number | null }) | null;
  vehicle: (LatLng & { callSign: string }) | null;
  /** The distance label, already rounded and translated ("1.2 km"); null when there is no start point. */
  distance: string | null;
  texts: TaskMapTexts;
}

const configRef = ref<typeof mapApi.config>({ method: "GET", path: "/api/map/config" });
let configOnce: Promise<MapConfig | null> | null = null;
/** The tile configuration, fetched once per page; null (plain background) when it cannot be had. */
const loadConfig = () =>
  (configOnce ??= call(configRef).catch(() => {
    configOnce = null;
    return null;
  }));

const icon = (className: string, text: string, size: [number, number]) =>
  labelIcon({
    text,
    className,
    wrapperClassName: "ph-map-divicon",
    iconSize: size,
    iconAnchor: [size[0] / 2, size[1] / 2],
  });

/** The map (default export for React.lazy). */
/** @public loaded with import() by TaskMapLazy.tsx */
export default function TaskMap(props: TaskMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const drawn = useRef<L.LayerGroup | null>(null);
  const [config, setConfig] = useState<MapConfig | null>(null);
  const [tiles, setTiles] = useState<"loading" | "ok" | "none" | "down">("loading");
  const gcj = config?.crs === "gcj02";
  const show = (p: LatLng): L.LatLngTuple => {
    const d = gcj ? wgs84ToGcj02(p) : p;
    return [d.lat, d.lng];
  };

  useEffect(() => {
    // No zoom or fade animations: an animation still running when React unmounts the map (StrictMode
    // mounts twice; the task may clear) or resizes its box made Leaflet read "_leaflet_pos" of a
    // removed pane. Every later call checks the map is still the live one.
    const m = L.map(box.current!, {
      zoomControl: true,
      attributionControl: true,
      zoomSnap: 0.5,
      zoomAnimation: false,
      fadeAnimation: false,
      markerZoomAnimation: false,
      // The card around it says where the task is in words; the map is for the eye only.
      keyboard: false,
    }).setView([props.task.lat, props.task.lng], 15);
    const stopWatching = keepOutOfTabOrder(box.current!);
    L.control.scale({ metric: true, imperial: false, position: "bottomleft", maxWidth: 140 }).addTo(m);
    drawn.current = L.layerGroup().addTo(m);
    map.current = m;
    let alive = true;
    void loadConfig().then((c) => {
      if (!alive) return;
      setConfig(c);
      if (!c) setTiles("down");
    });
    // The box is laid out after mount (lazy chunk, card growing): size the map once it is.
    const ro = new ResizeObserver(() => {
      if (alive && map.current === m) m.invalidateSize({ animate: false });
    });
    ro.observe(box.current!);
    const frame = requestAnimationFrame(() => {
      if (alive && map.current === m) m.invalidateSize({ animate: false });
    });
    return () => {
      alive = false;
      stopWatching();
      cancelAnimationFrame(frame);
      ro.disconnect();
      m.remove();
      map.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Tiles when configured; "down" when nothing has loaded a few seconds after the first failure.
  useEffect(() => {
    const m = map.current;
    if (!m || !config) return;
    if (!config.tileUrl) {
      setTiles("none");
      return;
    }
    let loaded = false;
    let downTimer: ReturnType<typeof setTimeout> | undefined;
    const layer = L.tileLayer(config.tileUrl, {
      attribution: config.attribution,
      subdomains: config.subdomains.length ? config.subdomains : "abc",
      maxZoom: config.maxZoom,
    });
    layer.on("tileload", () => {
      loaded = true;
      clearTimeout(downTimer);
      setTiles("ok");
    });
    layer.on("tileerror", () => {
      if (!loaded && !downTimer)
        downTimer = setTimeout(() => {
          if (!loaded) setTiles("down");
        }, 3000);
    });
    layer.addTo(m);
    return () => {
      clearTimeout(downTimer);
      layer.remove();
    };
  }, [config]);

  const fit = () => {
    const m = map.current;
    if (!m) return;
    const pts = [props.task, ...(props.me ? [props.me] : []), ...(props.vehicle ? [props.vehicle] : [])].map(show);
    if (pts.length === 1) m.setView(pts[0]!, 16, { animate: false });
    else m.fitBounds(L.latLngBounds(pts), { padding: [56, 56], maxZoom: 17, animate: false });
  };

  // Markers, the line and its label; refit when the task changes or the first fix arrives.
  const hadMe = useRef(false);
  const taskKey = `${props.task.lat},${props.task.lng}`;
  useEffect(() => {
    const g = drawn.current;
    if (!g) return;
    g.clearLayers();
    const task = show(props.task);
    const from = props.me ?? props.vehicle;
    if (from) {
      const a = show(from);
      L.polyline([a, task], { color: "#0b0b0b", weight: 4, dashArray: "10 8", interactive: false }).addTo(g);
      if (props.distance) {
        const mid: L.LatLngTuple = [(a[0] + task[0]) / 2, (a[1] + task[1]) / 2];
        L.marker(mid, {
          icon: icon("ph-map-dist", props.distance, [96, 32]),
          interactive: false,
          keyboard: false,
          zIndexOffset: 500,
        }).addTo(g);
      }
    }
    if (props.vehicle) {
      L.marker(show(props.vehicle), {
        icon: icon("ph-map-vehicle", props.vehicle.callSign, [72, 30]),
        keyboard: false,
        title: props.vehicle.callSign,
        zIndexOffset: 100,
      }).addTo(g);
    }
    if (props.me) {
      const me = show(props.me);
      if (props.me.accuracy && props.me.accuracy > 15) {
        L.circle(me, {
          radius: props.me.accuracy,
          color: "#1a56db",
          weight: 1,
          fillOpacity: 0.1,
          interactive: false,
        }).addTo(g);
      }
      L.marker(me, {
        icon: icon("ph-map-me", "", [26, 26]),
        keyboard: false,
        title: props.texts.me,
        zIndexOffset: 300,
      }).addTo(g);
    }
    L.marker(task, {
      icon: icon("ph-map-task", props.texts.task, [64, 40]),
      keyboard: false,
      title: props.task.title,
      zIndexOffset: 1000,
    }).addTo(g);
    if (!hadMe.current && props.me) {
      hadMe.current = true;
      fit();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.task, props.me, props.vehicle, props.distance, config]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(fit, [taskKey, config]);

  return (
    <div className="ph-map-wrap">
      <div ref={box} className="ph-map" data-testid="task-map" data-tiles={tiles} aria-hidden="true" />
      {(tiles === "none" || tiles === "down") && (
        <p className="ph-map-notice" role="note">
          {tiles === "none" ? props.texts.noTiles : props.texts.tilesDown}
        </p>
      )}
      <button type="button" className="ph-btn ph-btn-secondary ph-map-fit" onClick={fit}>
        {props.texts.fit}
      </button>
    </div>
  );
}

import { useEffect, useRef, useState } from "react";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import type { MapConfig } from "../../../shared/api/map.js";
import { gcj02ToWgs84, wgs84ToGcj02, type LatLng } from "../../../shared/geo.js";
import { gridCluster } from "./cluster.js";
import { textTooltip } from "./safe-content.js";
import { clusterIcon, singleMarker, type MapPoint } from "./markers.js";
import "./map.css";

/**
 * A reusable Leaflet map for the desktop pages. Positions come in WGS-84 (as stored); when the
 * tiles are GCJ-02 (AMap, Tencent) they are converted for display, and clicks are converted back,
 * so markers line up with the streets of any configured tile source. Without tiles (none
 * configured, or the tile server unreachable) the map still works on a plain background and says so.
 */

export type { MapPoint } from "./markers.js";

/** A set of points drawn together. */
export interface MapLayer {
  key: string;
  points: readonly MapPoint[];
  /** Group nearby points into counted bubbles (open cases when many). */
  cluster?: boolean;
}

interface WarmMapProps {
  config: MapConfig | null;
  layers: readonly MapLayer[];
  /** Initial centre, WGS-84. */
  center: LatLng;
  zoom?: number;
  /** A point clicked on the map, converted back to WGS-84. */
  onPick?: (p: LatLng) => void;
  /** A marker clicked. */
  onSelect?: (layerKey: string, id: string) => void;
  /** A chosen position (e.g. the place of the call being logged), WGS-84. */
  picked?: LatLng | null;
  /** Texts for the notices (the page passes its i18n). */
  texts: { noTiles: string; tilesDown: string; cluster: (n: number) => string };
  /** Centre on this position when it changes (WGS-84). */
  focus?: LatLng | null;
  /**
   * Fit the view to these positions (WGS-84) whenever `key` changes: the case being dispatched and
   * the vehicles recommended for it. Takes precedence over `focus`.
   */
  fit?: { key: string; points: readonly LatLng[] } | null;
  /** Fit the view to every marker the first time there are any (the page's first load). */
  fitOnLoad?: boolean;
  height?: number | string;
}

/** Margin around fitted markers, so chips and their labels are not cut at the edge. */
const FIT_PADDING: L.PointExpression = [48, 48];

const CLUSTER_CELL_PX = 56;
/** Below this many points a layer is never clustered (a handful of cases reads best one by one). */
const CLUSTER_MIN = 12;
/**
 * Above this many single markers in view, they are drawn as dots on one canvas (label in the
 * tooltip) instead of labelled DOM chips: thousands of styled chips cost seconds of style and
 * layout per frame, a canvas of dots a few milliseconds, and at that density labels overlap anyway.
 */
const DENSE_LIMIT = 400;

/** The map component. */
export function WarmMap(props: WarmMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layerGroup = useRef<L.LayerGroup | null>(null);
  const canvas = useRef<L.Canvas | null>(null);
  const pickMarker = useRef<L.CircleMarker | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [tiles, setTiles] = useState<"ok" | "none" | "down">("ok");
  const gcj = props.config?.crs === "gcj02";
  const toDisplay = (p: LatLng): L.LatLngExpression => {
    const d = gcj ? wgs84ToGcj02(p) : p;
    return [d.lat, d.lng];
  };

  // The map itself, once.
  useEffect(() => {
    const m = L.map(box.current!, { zoomControl: true, attributionControl: true, preferCanvas: false }).setView(
      [props.center.lat, props.center.lng],
      props.zoom ?? 13,
    );
    map.current = m;
    layerGroup.current = L.layerGroup().addTo(m);
    canvas.current = L.canvas({ padding: 0.5 });
    m.on("click", (e: L.LeafletMouseEvent) => {
      const cur = latest.current;
      if (!cur.onPick) return;
      const shown = { lat: e.latlng.lat, lng: e.latlng.lng };
      cur.onPick(cur.config?.crs === "gcj02" ? gcj02ToWgs84(shown) : shown);
    });
    // Leaflet measures its box once; the duty room's panes can resize it.
    const ro = new ResizeObserver(() => m.invalidateSize());
    ro.observe(box.current!);
    return () => {
      ro.disconnect();
      m.remove();
      map.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Tiles from the run-time configuration; a plain background when none or unreachable.
  useEffect(() => {
    const m = map.current;
    const cfg = props.config;
    if (!m || !cfg) return;
    if (!cfg.tileUrl) {
      setTiles("none");
      return;
    }
    setTiles("ok");
    let loaded = false;
    let downTimer: ReturnType<typeof setTimeout> | undefined;
    const layer = L.tileLayer(cfg.tileUrl, {
      attribution: cfg.attribution,
      subdomains: cfg.subdomains.length ? cfg.subdomains : "abc",
      maxZoom: cfg.maxZoom,
    });
    layer.on("tileload", () => {
      loaded = true;
      clearTimeout(downTimer);
      setTiles("ok");
    });
    // One failed tile is noise; failures with nothing loaded for a few seconds mean "no tile server".
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
  }, [props.config]);

  // Markers, re-clustered on zoom. Markers are kept by id and only touched when they change, and
  // only those near the view are in the DOM: a live update to one vehicle among thousands of
  // points moves one marker instead of rebuilding them all.
  const shown = useRef(new Map<string, { layer: L.Layer; sig: string }>());
  useEffect(() => {
    const m = map.current;
    const group = layerGroup.current;
    if (!m || !group) return;
    const draw = () => {
      const cur = latest.current;
      const view = m.getBounds().pad(0.5);
      const wanted = new Set<string>();
      let singles = 0;
      for (const layer of cur.layers) {
        if (layer.cluster && layer.points.length >= CLUSTER_MIN) continue;
        for (const p of layer.points) if (view.contains(toDisplay(p))) singles++;
      }
      const dense = singles > DENSE_LIMIT;
      const place = (key: string, sig: string, at: L.LatLngExpression, make: () => L.Layer) => {
        wanted.add(key);
        const have = shown.current.get(key);
        if (have && have.sig === sig) {
          const mk = have.layer as L.Marker;
          const ll = L.latLng(at);
          if (!mk.getLatLng().equals(ll)) mk.setLatLng(ll);
          return;
        }
        have?.layer.remove();
        const layer = make().addTo(group);
        shown.current.set(key, { layer, sig });
      };
      for (const layer of cur.layers) {
        const emit = (p: MapPoint) => () => latest.current.onSelect?.(layer.key, p.id);
        const single = (p: MapPoint) => {
          const at = toDisplay(p);
          if (!view.contains(at)) return;
          const sig = `${dense ? "dense" : p.shape}|${p.color}|${p.label ?? ""}|${p.title}|${p.radius ?? ""}|${p.marked ? 1 : 0}`;
          place(`${layer.key}:${p.id}`, sig, at, () =>
            singleMarker(p, at, dense ? canvas.current : null).on("click", emit(p)),
          );
        };
        if (!layer.cluster || layer.points.length < CLUSTER_MIN) {
          layer.points.forEach(single);
          continue;
        }
        const projected = layer.points.map((p) => {
          const pt = m.project(toDisplay(p), m.getZoom());
          return { item: p, x: pt.x, y: pt.y };
        });
        for (const c of gridCluster(projected, CLUSTER_CELL_PX)) {
          if (c.items.length === 1) {
            single(c.items[0]!);
            continue;
          }
          const at = m.unproject(L.point(c.x, c.y), m.getZoom());
          if (!view.contains(at)) continue;
          const top = c.items.reduce((a, b) => ((b.rank ?? 0) > (a.rank ?? 0) ? b : a));
          const cell = `${Math.floor(c.x / CLUSTER_CELL_PX)}:${Math.floor(c.y / CLUSTER_CELL_PX)}`;
          place(`${layer.key}:cluster:${m.getZoom()}:${cell}`, `${c.items.length}|${top.color}`, at, () =>
            textTooltip(
              L.marker(at, { icon: clusterIcon(c.items.length, top.color) }),
              latest.current.texts.cluster(c.items.length),
            ).on("click", () => m.setView(at, Math.min(m.getZoom() + 2, m.getMaxZoom()))),
          );
        }
      }
      for (const [key, have] of shown.current) {
        if (!wanted.has(key)) {
          have.layer.remove();
          shown.current.delete(key);
        }
      }
    };
    draw();
    m.on("zoomend moveend", draw);
    return () => {
      m.off("zoomend moveend", draw);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.layers, props.config]);

  // The position being picked for a new call.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    pickMarker.current?.remove();
    pickMarker.current = null;
    if (props.picked) {
      pickMarker.current = L.circleMarker(toDisplay(props.picked), {
        radius: 11,
        color: "#b3261e",
        weight: 3,
        fill: false,
        dashArray: "4 3",
        // Named so a test can find where the call is placed on the map.
        className: "wl-picked",
      }).addTo(m);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.picked, props.config]);

  useEffect(() => {
    if (props.focus && map.current && !props.fit) map.current.panTo(toDisplay(props.focus));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.focus]);

  const fitTo = (points: readonly LatLng[]) => {
    const m = map.current;
    if (!m || !points.length) return;
    // The pane may just have changed size (a drawer opened beside it): measure before fitting.
    m.invalidateSize();
    const bounds = L.latLngBounds(points.map(toDisplay));
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) m.setView(bounds.getCenter(), Math.max(m.getZoom(), 15));
    else m.fitBounds(bounds, { padding: FIT_PADDING, maxZoom: 16 });
  };
  useEffect(() => {
    if (props.fit) fitTo(props.fit.points);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.fit?.key]);

  const fittedOnLoad = useRef(false);
  useEffect(() => {
    if (!props.fitOnLoad || fittedOnLoad.current) return;
    const all = props.layers.flatMap((l) => l.points);
    if (!all.length) return;
    fittedOnLoad.current = true;
    fitTo(all);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.layers, props.fitOnLoad]);

  return (
    <div className="wl-map-wrap" style={{ height: props.height ?? "100%" }}>
      <div ref={box} className="wl-map" data-testid="warm-map" data-tiles={tiles} />
      {tiles !== "ok" && (
        <div className="wl-map-notice" role="status">
          {tiles === "none" ? props.texts.noTiles : props.texts.tilesDown}
        </div>
      )}
    </div>
  );
}

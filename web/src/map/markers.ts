import L from "leaflet";
import { labelIcon, textTooltip } from "./safe-content.js";

/** Marker shapes: each kind of thing has its own, so colour is never the only cue. */
export type MarkerShape = "dot" | "chip" | "square" | "diamond";

/** One thing on the map. */
export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  /** Fill colour. */
  color: string;
  /**
   * Marker shape: diamonds for cases, labelled chips for vehicles (drawn above their position, so
   * a vehicle parked at its station does not hide the station's square), squares for places (a
   * small unlabelled square for a key point), dots for anything else.
   */
  shape: MarkerShape;
  /** Short text in the marker (chips and squares). */
  label?: string;
  /** Tooltip text, shown as text (never markup; see safe-content.ts). */
  title: string;
  /** Higher is more important: the cluster takes the colour of its highest-ranked member. */
  rank?: number;
  /** Dot radius (diamond half-size) in pixels. */
  radius?: number;
  /**
   * Marked out for the operator (a chip recommended for the open case): a heavier dark outline, a
   * halo and a larger label, so it reads without relying on colour. The label carries the rank.
   */
  marked?: boolean;
}

/** Stacking by shape: vehicles over cases over places, so the thing a dispatcher picks is on top. */
const Z_OFFSET: Record<MarkerShape, number> = { square: 0, dot: 100, diamond: 500, chip: 1000 };

function chipIcon(p: MapPoint): L.DivIcon {
  const square = p.shape === "square";
  return labelIcon({
    text: p.label ?? "",
    className: square
      ? p.label
        ? "wl-map-square"
        : "wl-map-square is-small"
      : `wl-map-chip${p.marked ? " is-marked" : ""}`,
    wrapperClassName: "wl-map-divicon",
    background: p.color,
    // A zero-size wrapper sits exactly on the point; the label places itself around it in CSS.
    iconSize: square && !p.label ? [12, 12] : [0, 0],
  });
}

function diamondIcon(p: MapPoint): L.DivIcon {
  const r = p.radius ?? 8;
  return labelIcon({
    text: "",
    className: "wl-map-diamond",
    wrapperClassName: "wl-map-divicon",
    background: p.color,
    iconSize: [r * 2, r * 2],
  });
}

export function clusterIcon(n: number, color: string): L.DivIcon {
  const size = n < 10 ? 30 : n < 100 ? 36 : 44;
  return labelIcon({
    text: String(n),
    className: "wl-map-cluster",
    wrapperClassName: "wl-map-divicon",
    background: color,
    iconSize: [size, size],
  });
}

/** A single marker for `p` at the display position `at`, with its tooltip (text only). */
export function singleMarker(p: MapPoint, at: L.LatLngExpression, dense: L.Canvas | null): L.Layer {
  if (dense && !p.marked) {
    const title = p.label && !p.title.includes(p.label) ? `${p.label} · ${p.title}` : p.title;
    const dot = L.circleMarker(at, {
      renderer: dense,
      radius: p.radius ?? 6,
      color: "#fff",
      weight: 1.5,
      fillColor: p.color,
      fillOpacity: 1,
    });
    return textTooltip(dot, title, { direction: "top" });
  }
  if (p.shape === "dot") {
    const dot = L.circleMarker(at, {
      radius: p.radius ?? 8,
      color: "#fff",
      weight: 2,
      fillColor: p.color,
      fillOpacity: 0.95,
    });
    return textTooltip(dot, p.title, { direction: "top" });
  }
  const icon = p.shape === "diamond" ? diamondIcon(p) : chipIcon(p);
  const mk = L.marker(at, { icon, keyboard: false, zIndexOffset: Z_OFFSET[p.shape] + (p.marked ? 500 : 0) });
  // Which point a marker shows, for tests and the accessibility tree (an id, never free text).
  mk.on("add", () => {
    mk.getElement()?.setAttribute("data-point", p.id);
    if (p.marked) mk.getElement()?.setAttribute("data-marked", "true");
  });
  // Chips sit above their point, so their tooltip opens further up; the rest open to the right,
  // away from the chips.
  return textTooltip(
    mk,
    p.title,
    p.shape === "chip" ? { direction: "top", offset: [0, -22] } : { direction: "right", offset: [8, 0] },
  );
}

import L from "leaflet";

/**
 * The only place map code puts words on a Leaflet map. Leaflet treats a string given to
 * `bindTooltip`, `bindPopup`, `setContent` or `divIcon({ html })` as HTML (it assigns innerHTML),
 * and every word on our maps — a key point's name, a caller's description of a place, a partner's
 * address string, a call sign — was typed by someone we do not control. So these helpers take
 * plain text only and build the DOM themselves with textContent; there is no variant that takes
 * markup. eslint.config.js refuses the Leaflet calls above anywhere but in this file.
 */

/** An element holding `text` as text (never parsed), isolated for bidi so a stray U+202E stays inside it. */
function textElement(text: string, className?: string, tag: "div" | "span" = "span"): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.style.unicodeBidi = "isolate";
  el.textContent = text;
  return el;
}

/**
 * `text` between Unicode isolate marks (FSI … PDI), for composing one line from someone's text and
 * ours: a U+202E in a key point's name then cannot reverse the status and time that follow it.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** Binds a tooltip showing `text` literally. */
export function textTooltip<T extends L.Layer>(layer: T, text: string, options?: L.TooltipOptions): T {
  return layer.bindTooltip(textElement(text), options);
}

/** Binds a popup showing `text` literally. */
function textPopup<T extends L.Layer>(layer: T, text: string, options?: L.PopupOptions): T {
  return layer.bindPopup(textElement(text), options);
}

/** What a labelled marker icon looks like. */
interface LabelIconOptions {
  /** The label, shown literally. */
  text: string;
  /** Class of the label element (chip, square, cluster bubble...). */
  className: string;
  /** Class of Leaflet's wrapper element. */
  wrapperClassName: string;
  /** Fill colour of the label. */
  background?: string;
  iconSize?: L.PointExpression;
  iconAnchor?: L.PointExpression;
}

/** A marker icon whose label is text: a DOM node built here, never an HTML string. */
export function labelIcon(o: LabelIconOptions): L.DivIcon {
  const el = textElement(o.text, o.className, "div");
  if (o.background) el.style.background = o.background;
  // Leaflet appends an HTMLElement as it is; only a string `html` would be parsed.
  return L.divIcon({ html: el, className: o.wrapperClassName, iconSize: o.iconSize, iconAnchor: o.iconAnchor });
}

import { XMLBuilder } from "fast-xml-parser";
import type { XmlShape } from "../../shared/api/endpoint.js";

/**
 * Paths whose last part carries the format as an extension (`services.:format`, `requests/:id.:format`),
 * as Open311 GeoReport v2 spells them. Hono cannot match a parameter after a literal inside one
 * segment, so such a segment is matched whole by a regular expression and split here.
 */
const FORMAT_SEGMENT = /^(.*)\.:format$/;
const EXT = "\\.(?:json|xml)";

/** The Hono route of a declared path. */
export function honoPath(path: string): string {
  return path
    .split("/")
    .map((seg) => {
      const m = FORMAT_SEGMENT.exec(seg);
      if (!m) return seg;
      const prefix = m[1]!;
      if (prefix.startsWith(":")) return `${prefix}{.+${EXT}}`;
      return `:format{${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${EXT}}`;
    })
    .join("/");
}

/** Hono's parameters of a declared path, with `format` split off its segment. */
export function declaredParams(path: string, raw: Record<string, string>): Record<string, string> {
  const out = { ...raw };
  for (const seg of path.split("/")) {
    const m = FORMAT_SEGMENT.exec(seg);
    if (!m) continue;
    const name = m[1]!.startsWith(":") ? m[1]!.slice(1) : "format";
    const value = raw[name] ?? "";
    const dot = value.lastIndexOf(".");
    out.format = value.slice(dot + 1);
    if (name !== "format") out[name] = value.slice(0, dot);
  }
  return out;
}

/** True when a request path asks for XML by its extension. */
export const wantsXml = (path: string): boolean => path.endsWith(".xml");

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, newline and carriage return, and U+FFFE/F). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const builder = new XMLBuilder({ processEntities: true, suppressEmptyNode: true, format: false });

/** One value as the builder's tree: arrays under `lists` get their child element, null is empty. */
function tree(value: unknown, shape: XmlShape, key?: string): unknown {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) {
    const child = key ? shape.lists?.[key] : shape.item;
    return { [child ?? "item"]: value.map((v) => tree(v, shape)) };
  }
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tree(v, shape, k)]));
  }
  if (typeof value === "string") return value.replace(NOT_XML, "\ufffd");
  return String(value);
}

/**
 * A response as an XML document under the shape's element names. Text is escaped by the builder
 * (`&`, `<`, `>`, quotes); characters XML cannot hold become U+FFFD, so a partner's control
 * characters never break a reader's parser.
 */
export function toXml(value: unknown, shape: XmlShape): string {
  const body = builder.build({ [shape.root]: tree(value, shape) }) as string;
  return `<?xml version="1.0" encoding="utf-8"?>${body}`;
}

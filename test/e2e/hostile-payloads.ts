import { z } from "zod";
import type { Endpoint } from "../../shared/api/endpoint.js";

/**
 * Hostile text generated from the contract: the free-text string fields of an endpoint's zod body
 * (strings without an enum, a format or a pattern), each filled with a payload that calls
 * `window.__xss(tag)` if it is ever parsed as markup. The tag names the payload kind and the field
 * (through a short id, because fields such as a call sign hold only 32 characters), so a hit says
 * exactly which field leaked.
 */

/** The payload kinds: three ways to run script from markup, a link, bidi override, sheer size. */
export const KINDS = ["script", "img", "svg", "href", "rtl", "long"] as const;
type Kind = (typeof KINDS)[number];

/** Length of the "long" payload before the field's own maximum cuts it. */
const LONG = 10_000;

/** Fields that hold secrets or codes, never text shown on a screen. */
// A partner list's `csv` is a file's content (its cells are read as data, each shown as text where the
// list's rows are shown); the list's name and the decision's note are the free text planted there.
const NOT_TEXT = new Set(["password", "api_key", "service_code", "jurisdiction_id", "csv"]);

/**
 * The payload text of `kind` tagged `tag`. Written without quotes around attributes and with the
 * bare global `__xss`, so the markup still fits (and would still run) in 32-character fields.
 */
function payload(kind: Kind, tag: string): string {
  const t = `${kind}:${tag}`;
  switch (kind) {
    case "script":
      return `<script>__xss('${t}')</script>`;
    case "img":
      return `<img src=x onerror=__xss('${t}')>`;
    case "svg":
      return `<svg onload=__xss('${t}')>`;
    case "href":
      return `javascript:__xss('${t}')`;
    case "rtl":
      return `\u202E${t} gpj.exe`;
    case "long":
      return `${t} ${"冷".repeat(LONG - t.length - 1)}`;
  }
}

type JS = {
  type?: string | string[];
  properties?: Record<string, JS>;
  items?: JS;
  enum?: unknown[];
  anyOf?: JS[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  maxItems?: number;
};

/** One free-text field of a body: where it is, its maximum length, and whether it is a list of texts. */
interface TextField {
  path: string[];
  max: number;
  list: boolean;
  maxItems: number;
}

const isText = (s: JS) => {
  const types = Array.isArray(s.type) ? s.type : [s.type];
  return types.includes("string") && !s.enum && !s.format && !s.pattern;
};

/** The free-text fields of a zod body schema, read from its JSON schema (input side). */
export function freeTextFields(schema: z.ZodType): TextField[] {
  const out: TextField[] = [];
  const walk = (s: JS, path: string[]) => {
    if (s.anyOf) {
      const text = s.anyOf.find(isText);
      if (text) {
        walk(text, path);
        return;
      }
      for (const alt of s.anyOf) walk(alt, path);
      return;
    }
    if (s.properties) {
      for (const [k, v] of Object.entries(s.properties)) if (!NOT_TEXT.has(k)) walk(v, [...path, k]);
      return;
    }
    if (s.type === "array" && s.items && isText(s.items)) {
      out.push({ path, max: s.items.maxLength ?? LONG, list: true, maxItems: s.maxItems ?? KINDS.length });
      return;
    }
    if (isText(s)) out.push({ path, max: s.maxLength ?? LONG, list: false, maxItems: 1 });
  };
  walk(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JS, []);
  return out;
}

/** A record of what was planted: which field each tag stands for, and the texts stored. */
export class HostileText {
  private readonly names: string[] = [];
  private readonly texts = new Map<string, string[]>();
  /** Every field name this run filled. */
  get fields(): readonly string[] {
    return this.names;
  }

  /** The short tag of a field ("f12"), registering it on first use. */
  tag(field: string): string {
    let i = this.names.indexOf(field);
    if (i < 0) i = this.names.push(field) - 1;
    return `f${i}`;
  }

  /** "img in keypoints.create.name" for a hit's tag "img:f3". */
  describe(hit: string): string {
    const m = /^(\w+):f(\d+)$/.exec(hit);
    return m ? `${m[1]} in ${this.names[Number(m[2])] ?? "?"}` : hit;
  }

  /** Every text planted in `field` ("keypoints.create.name"), as the server keeps it (cut to the maximum). */
  planted(field: string): readonly string[] {
    const v = this.texts.get(field);
    if (!v?.length) throw new Error(`nothing was planted in ${field}`);
    return v;
  }

  /**
   * `base` with every free-text field of `ep`'s body filled: in record number `variant`, the
   * field number j holds kind KINDS[(variant + j) % 6], so six records give every field every
   * kind; a list field holds one entry of each kind (as many as it may).
   */
  body(endpointName: string, ep: Endpoint, base: Record<string, unknown>, variant: number): Record<string, unknown> {
    if (!ep.body) throw new Error(`${endpointName} has no body`);
    const out = structuredClone(base);
    freeTextFields(ep.body).forEach((f, j) => {
      const field = `${endpointName}.${f.path.join(".")}`;
      const tag = this.tag(field);
      const value = f.list
        ? KINDS.slice(0, f.maxItems).map((k) => payload(k, tag).slice(0, f.max))
        : payload(KINDS[(variant + j) % KINDS.length]!, tag).slice(0, f.max);
      this.texts.set(field, [...(this.texts.get(field) ?? []), ...(Array.isArray(value) ? value : [value])]);
      let at: Record<string, unknown> = out;
      for (const key of f.path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
      at[f.path[f.path.length - 1]!] = value;
    });
    return out;
  }
}

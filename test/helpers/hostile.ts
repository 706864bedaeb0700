import fc from "fast-check";
import { z } from "zod";

/** Strings that have broken real systems: SQL and HTML metacharacters, unicode edge cases, sizes. */
export const HOSTILE_STRINGS = [
  "",
  " ",
  "'; drop table events; --",
  '" or 1=1 --',
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "\u0000",
  "\uFFFF",
  "\uD800",
  "😀🚑",
  "桥洞 地下通道",
  "ﷺ",
  "\u202E",
  "../../etc/passwd",
  "%00",
  "${7*7}",
  "{{7*7}}",
  "x".repeat(5000),
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
];

/** Numbers outside every sane range. */
const HOSTILE_NUMBERS = [
  0,
  -1,
  1,
  -0,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  0.1,
  91,
  -181,
  2 ** 31,
  -(2 ** 31) - 1,
];

type JS = {
  type?: string | string[];
  properties?: Record<string, JS>;
  items?: JS;
  enum?: unknown[];
  anyOf?: JS[];
  format?: string;
};

/**
 * Values shaped roughly like `schema` (right keys, mostly right types) but filled with hostile
 * content, so the fuzzing reaches past "not an object" into services and SQL.
 */
export function hostileFor(schema: JS, depth = 0): fc.Arbitrary<unknown> {
  const junk = fc.oneof(
    fc.constantFrom<unknown>(...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, null, true, [], {}),
    fc.jsonValue(),
  );
  if (depth > 3) return junk;
  if (schema.anyOf?.length) return fc.oneof(...schema.anyOf.map((s) => hostileFor(s, depth + 1)), junk);
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), junk);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const props = schema.properties ?? {};
      const rec: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) rec[k] = hostileFor(v, depth + 1);
      return fc.oneof({ weight: 5, arbitrary: fc.record(rec, { requiredKeys: [] }) }, { weight: 1, arbitrary: junk });
    }
    case "array":
      return fc.oneof(fc.array(hostileFor(schema.items ?? {}, depth + 1), { maxLength: 5 }), junk);
    case "string":
      return fc.oneof(
        schema.format === "uuid" ? fc.uuid() : fc.string({ maxLength: 40 }),
        fc.constantFrom(...HOSTILE_STRINGS),
        junk,
      );
    case "number":
    case "integer":
      return fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.constantFrom(...HOSTILE_NUMBERS), junk);
    case "boolean":
      return fc.oneof(fc.boolean(), junk);
    default:
      return junk;
  }
}

/** JSON schema of a zod schema's input side. */
export function inputSchema(schema: z.ZodType): JS {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JS;
}

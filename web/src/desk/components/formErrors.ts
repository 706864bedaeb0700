import type { FormInstance } from "antd";
import type { z } from "zod";
import { fieldErrors, issuesToFields } from "../../api/issues.js";

/**
 * Puts problems on the form fields they belong to, whether found in the browser (the same zod
 * schema the server uses) or by the server ("body.unitValueFen: …" lands on the yuan field via
 * `rename`). Returns what belongs to no field, for the form's banner.
 */
export function showFieldErrors(
  form: FormInstance,
  errors: Record<string, string>,
  fields: readonly string[],
  rename: Record<string, string> = {},
): string {
  const known = new Set(fields);
  const placed: { name: string; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const [path, msg] of Object.entries(errors)) {
    const name = rename[path] ?? path;
    if (known.has(name)) placed.push({ name, errors: [msg] });
    else rest.push(`${path}: ${msg}`);
  }
  form.setFields(placed as never);
  return rest.join("; ");
}

/** Field problems of a server failure (see api/issues.ts). */
export const serverFieldErrors = (err: unknown) => fieldErrors(err, "body");

/** Field problems of a body checked in the browser with its shared schema; empty when valid. */
export function localFieldErrors(schema: z.ZodType, body: unknown): Record<string, string> {
  const r = schema.safeParse(body);
  if (r.success) return {};
  return issuesToFields(
    r.error.issues.map((i) => ({ path: ["body", ...i.path.map(String)].join("."), message: i.message })),
    "body",
  );
}

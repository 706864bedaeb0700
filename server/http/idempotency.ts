import { AppError } from "./errors.js";

/**
 * The one rule for a create repeated with a client id it used before (outbox replays, double taps,
 * a lost response): the same content gets the first result back; different content is refused
 * with 409 IDEMPOTENCY_MISMATCH naming the id and the fields, because answering with the first
 * record would silently lose what the second request said.
 *
 * Compared are the fields the request sets (undefined ones are left out, as the server then chose
 * a default such as "now") that the stored row also has, as stored: numbers by value (float4
 * columns round), times by instant, strings trimmed, empty string and null alike (services store
 * "" as null), lists of plain values as sets (services drop duplicates), objects by the keys the
 * request sets. Fields the row does not have (a load, a merge hint) are not compared.
 *
 * A versioned row that was changed since it was created (version > 1) no longer shows what its
 * first request sent: it is compared only on the fields that never change after creation, which
 * the call site names in `fixed`.
 */
export function assertSameRequest(
  what: string,
  id: string,
  stored: object,
  sent: object,
  opts: {
    /** Fields not to compare (the server may store something else for the same request). */
    skip?: readonly string[];
    /** Fields still compared on a row changed since its creation. */
    fixed?: readonly string[];
    /** Times the server moves back to its own clock when they lie in its future: a later one sent again matches. */
    clamped?: readonly string[];
  } = {},
): void {
  const row = stored as Record<string, unknown>;
  const edited = typeof row.version === "number" && row.version > 1;
  const differing: string[] = [];
  for (const [key, value] of Object.entries(sent)) {
    if (key === "id" || value === undefined || !(key in row) || opts.skip?.includes(key)) continue;
    if (edited && !opts.fixed?.includes(key)) continue;
    if (opts.clamped?.includes(key) && instant(value) > instant(row[key])) continue;
    if (!same(row[key], value)) differing.push(key);
  }
  if (!differing.length) return;
  throw new AppError(
    409,
    "IDEMPOTENCY_MISMATCH",
    `body.id: ${id} was already used for a ${what} with different content (${differing.join(", ")}); a new ${what} needs a new id`,
    differing.map((f) => ({ path: `body.${f}`, message: `differs from the ${what} first sent with id ${id}` })),
  );
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");
const isPlain = (v: unknown) => v === null || typeof v !== "object" || v instanceof Date;

function instant(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "string" || typeof v === "number") return new Date(v).getTime();
  return NaN;
}

function same(stored: unknown, sent: unknown): boolean {
  if (blank(stored) || blank(sent)) return blank(stored) && blank(sent);
  if (stored instanceof Date || sent instanceof Date) return instant(stored) === instant(sent);
  if (typeof stored === "number" || typeof sent === "number") {
    const a = Number(stored),
      b = Number(sent);
    return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  if (typeof stored === "string" && typeof sent === "string") return stored.trim() === sent.trim();
  if (Array.isArray(stored) && Array.isArray(sent)) {
    if (stored.every(isPlain) && sent.every(isPlain)) {
      const key = (v: unknown) => (typeof v === "string" ? v.trim() : JSON.stringify(v));
      const a = new Set(stored.map(key)),
        b = new Set(sent.map(key));
      return a.size === b.size && [...a].every((v) => b.has(v));
    }
    return stored.length === sent.length && stored.every((v, i) => same(v, sent[i]));
  }
  if (
    stored &&
    sent &&
    typeof stored === "object" &&
    typeof sent === "object" &&
    !Array.isArray(stored) &&
    !Array.isArray(sent)
  ) {
    const row = stored as Record<string, unknown>;
    return Object.entries(sent).every(([k, v]) => v === undefined || same(row[k], v));
  }
  return stored === sent;
}

import { URGENCIES, type Urgency } from "./vocab.js";
import { ACTIVE_CASE_STATUSES, type CaseStatus } from "./machines.js";

/**
 * The duty-room queue's order, filters and page cursor, declared once for the server's SQL and the
 * browser's live list: most urgent first, then longest waiting, then id (so the order is total and
 * a page boundary never splits ties differently on the two ends).
 */

/** Position of an urgency in the queue: critical 0 … low 3 (the SQL ORDER BY uses the same numbers). */
function queueUrgencyOrder(u: Urgency): number {
  return URGENCIES.indexOf(u);
}

/** What places a case in the queue. */
export interface QueueKey {
  urgency: Urgency;
  receivedAt: string;
  id: string;
}

/** Negative when `a` comes before `b` in the queue. */
export function compareQueueKey(a: QueueKey, b: QueueKey): number {
  const d = queueUrgencyOrder(a.urgency) - queueUrgencyOrder(b.urgency);
  if (d) return d;
  const t = Date.parse(a.receivedAt) - Date.parse(b.receivedAt);
  if (t) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The queue statuses a list may ask for: all active ones, or one of them. */
export type QueueStatus = "active" | CaseStatus;

/** Which cases a queue shows (the list endpoint's filters). */
export interface QueueFilter {
  status: QueueStatus;
  urgency?: Urgency | undefined;
  stationId?: string | undefined;
  /** Only cases waiting at least this many minutes since their first call. */
  minWaitMin?: number | undefined;
}

/** True when the case belongs in a queue with this filter at `now` (ms). */
export function matchesQueueFilter(
  c: { status: string; urgency: Urgency; stationId: string; receivedAt: string },
  f: QueueFilter,
  now: number,
): boolean {
  if (f.status === "active" ? !ACTIVE_CASE_STATUSES.includes(c.status as CaseStatus) : c.status !== f.status)
    return false;
  if (f.urgency && c.urgency !== f.urgency) return false;
  if (f.stationId && c.stationId !== f.stationId) return false;
  if (f.minWaitMin && now - Date.parse(c.receivedAt) < f.minWaitMin * 60_000) return false;
  return true;
}

/** A page cursor: "the queue after this case", as `<urgency order>.<received ms>.<id>`. */
export const QUEUE_CURSOR_PATTERN = /^[0-3]\.\d{1,15}\.[0-9a-f-]{36}$/;

export function encodeQueueCursor(k: QueueKey): string {
  return `${queueUrgencyOrder(k.urgency)}.${Date.parse(k.receivedAt)}.${k.id}`;
}

export function decodeQueueCursor(cursor: string): { order: number; receivedAt: Date; id: string } {
  const [order, ms, id] = cursor.split(".");
  return { order: Number(order), receivedAt: new Date(Number(ms)), id: id! };
}

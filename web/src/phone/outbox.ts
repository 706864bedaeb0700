import { ApiError, send } from "../api/http.js";
import {
  outboxRequest,
  storedEntry,
  type OutboxEntry,
  type QueueableEndpoint,
  type QueueArgs,
  type QueueTarget,
} from "./outbox-request.js";

export type { OutboxEntry } from "./outbox-request.js";

/**
 * The phone's outbox: every write is stored in IndexedDB first, then sent in order. The server
 * makes each one idempotent (client UUIDs; a replayed status step is a no-op), so sending an
 * entry twice after a lost response is harmless. The screen shows what waits and what the server
 * confirmed. A rejected entry (4xx other than 401) is set aside with its error instead of
 * blocking the queue behind it forever; network errors and 5xx stop the flush until later.
 *
 * Retries after a failure back off (1 s, 2 s, 4 s ... capped at RETRY_MAX_MS) so hours in a dead
 * zone cost little battery, but the browser's `online` event (and the page coming back to the
 * foreground) sends at once: a request possibly hanging on the dead connection is aborted and the
 * queue is flushed again. Each request also times out, so one hung send cannot stall the queue.
 */
const RETRY_MAX_MS = 30_000;
const REQUEST_TIMEOUT_MS = 20_000;

/** A finished entry: confirmed by the server or rejected with a reason. */
interface OutboxDone extends OutboxEntry {
  result: "confirmed" | "rejected";
  /** The server's English message, for support only: the crew sees the text for `code`. */
  error?: string;
  /** The stable error code of a rejection (shared/error-messages.ts has its words). */
  code?: string;
  at: string;
}

const DB = "warmline-phone";
const STORE = "outbox";
const DONE_KEY = "warmline.outbox.done";
const DONE_KEEP = 30;

let dbPromise: Promise<IDBDatabase> | null = null;
function db(): Promise<IDBDatabase> {
  return (dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "seq", autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }));
}

function tx<T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const t = d.transaction(STORE, mode);
        const r = work(t.objectStore(STORE));
        t.oncomplete = () => resolve(r.result);
        t.onerror = () => reject(t.error);
      }),
  );
}

let waiting: OutboxEntry[] = [];
let done: OutboxDone[] = readDone();
/** An entry is on the wire (what the crew sees); `flushing` only keeps two flushes from overlapping. */
let sending = false;
let flushing = false;
const listeners = new Set<() => void>();
let snapshot = { waiting, done, sending };
const notify = () => {
  snapshot = { waiting, done, sending };
  for (const l of listeners) l();
};

function readDone(): OutboxDone[] {
  try {
    return JSON.parse(localStorage.getItem(DONE_KEY) ?? "[]") as OutboxDone[];
  } catch {
    return [];
  }
}
function pushDone(d: OutboxDone): void {
  done = [d, ...done].slice(0, DONE_KEEP);
  try {
    localStorage.setItem(DONE_KEY, JSON.stringify(done));
  } catch {
    /* best effort */
  }
}

async function reload(): Promise<void> {
  waiting = (await tx("readonly", (s) => s.getAll() as IDBRequest<Parameters<typeof storedEntry>[0][]>)).map(
    storedEntry,
  );
  notify();
}

let inFlight: AbortController | null = null;

async function sendEntry(e: OutboxEntry): Promise<void> {
  const ctl = new AbortController();
  inFlight = ctl;
  const timer = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
  try {
    await send(e.method, e.path, e.body, ctl.signal);
  } finally {
    clearTimeout(timer);
    if (inFlight === ctl) inFlight = null;
  }
}

let failures = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let again = false;
let holdTimer: ReturnType<typeof setTimeout> | undefined;

/** Next try after `failures` failed flushes in a row: doubling from 1 s, capped, with jitter so phones do not retry in step. */
function retryDelay(failures: number): number {
  const base = Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + Math.random() * 0.2));
}

/** Sends waiting entries in order until the queue is empty or the signal is gone. */
async function flush(): Promise<void> {
  if (flushing) {
    again = true;
    return;
  }
  flushing = true;
  again = false;
  clearTimeout(retryTimer);
  let failed = false;
  try {
    await reload();
    // Urgent entries (a panic) first; one refused because what it refers to is still queued (a
    // panic right after an offline 出车) is tried once more after the rest.
    const ordered = [...waiting.filter((w) => w.urgent), ...waiting.filter((w) => !w.urgent)];
    const deferred = new Set<number>();
    for (let i = 0; i < ordered.length; i++) {
      const e = ordered[i]!;
      if (aside.has(e.seq!)) continue;
      // A step still in its undo window holds the queue (order matters); try again when it ends.
      const held = e.holdUntil ? Date.parse(e.holdUntil) - Date.now() : 0;
      if (held > 0) {
        holdTimer ??= setTimeout(() => {
          holdTimer = undefined;
          void flush();
        }, held);
        break;
      }
      if (!sending) {
        // Shown only when something goes out: an empty flush (page load, the minute's safety net)
        // must not look like a send that ended, which makes the screen read everything again.
        sending = true;
        notify();
      }
      try {
        await sendEntry(e);
        pushDone({ ...e, result: "confirmed", at: new Date().toISOString() });
      } catch (err) {
        const status = err instanceof ApiError ? err.status : 0;
        if (status === 0 || status === 401 || status >= 500 || status === 429) {
          failed = true;
          break;
        } // try again later
        if (e.urgent && !deferred.has(e.seq!) && i < ordered.length - 1) {
          deferred.add(e.seq!);
          ordered.push(e);
          continue;
        }
        pushDone({
          ...e,
          result: "rejected",
          error: err instanceof Error ? err.message : String(err),
          code: err instanceof ApiError ? err.code : "UNKNOWN",
          at: new Date().toISOString(),
        });
      }
      await tx("readwrite", (s) => s.delete(e.seq!));
      waiting = waiting.filter((w) => w.seq !== e.seq);
      notify();
    }
  } catch {
    failed = true; // IndexedDB trouble: try again later
  } finally {
    flushing = false;
    failures = failed ? failures + 1 : 0;
    if (sending) {
      sending = false;
      notify();
    }
  }
  if (again) void flush();
  else if (failed) retryTimer = setTimeout(() => void flush(), retryDelay(failures));
}

/** The network is back (or the page is in front again): abort a send that may hang on the old connection and flush now. */
function flushNow(): void {
  failures = 0;
  if (flushing) {
    again = true;
    inFlight?.abort();
    return;
  }
  void flush();
}

/**
 * Queues a call of a declared write endpoint (stored before anything is sent) and tries to send at
 * once: `enqueue(writes.encounter, { body }, label)`. `label` is what the crew sees, translated.
 */
export async function enqueue<E extends QueueableEndpoint>(
  ep: QueueTarget<E>,
  args: QueueArgs<E>,
  label: string,
  opts: { holdMs?: number; urgent?: boolean } = {},
): Promise<number> {
  const entry = outboxRequest(ep, args, label);
  if (opts.holdMs) entry.holdUntil = new Date(Date.now() + opts.holdMs).toISOString();
  if (opts.urgent) entry.urgent = true;
  const seq = Number(await tx("readwrite", (s) => s.add(entry)));
  await reload();
  if (opts.urgent && flushing) void sendAside({ ...entry, seq });
  else void flush();
  return seq;
}

/** Urgent entries being sent beside a flush busy with another entry. */
const aside = new Set<number>();

/**
 * Sends an urgent entry now, beside the flush in progress (which may hang on a dead connection for
 * up to REQUEST_TIMEOUT_MS). On success it leaves the queue; on any failure it stays at the head of
 * the queue for the flush (the server answers a repeat of the same id with the first result).
 */
async function sendAside(e: OutboxEntry): Promise<void> {
  aside.add(e.seq!);
  again = true;
  try {
    await send(e.method, e.path, e.body, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
    pushDone({ ...e, result: "confirmed", at: new Date().toISOString() });
    await tx("readwrite", (s) => s.delete(e.seq!));
    waiting = waiting.filter((w) => w.seq !== e.seq);
    notify();
  } catch {
    /* left queued, first in line */
  } finally {
    aside.delete(e.seq!);
  }
}

/**
 * Takes back an entry still in its hold (undo window): true when it was deleted before anything
 * was sent, false when it is gone already or its hold ended (then it is, or will be, sent).
 */
export async function withdraw(seq: number): Promise<boolean> {
  await reload();
  const e = waiting.find((w) => w.seq === seq);
  if (!e?.holdUntil || Date.parse(e.holdUntil) <= Date.now()) return false;
  await tx("readwrite", (s) => s.delete(seq));
  await reload();
  return true;
}

export const outbox = {
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  get: () => snapshot,
};

// Send when the signal returns; failures retry with back-off; a slow safety net besides.
if (typeof window !== "undefined") {
  window.addEventListener("online", flushNow);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flushNow();
  });
  setInterval(() => {
    if (!flushing) void flush();
  }, 60_000);
  void reload()
    .then(flush)
    .catch(() => {});
}

import { useEffect, useSyncExternalStore } from "react";
import { api, call } from "../../api/client.js";
import type { Case } from "../../../../shared/api/cases.js";
import type { DomainEvent } from "../../../../shared/events.js";
import { encodeQueueCursor, type QueueFilter } from "../../../../shared/queue.js";
import { eventStream } from "../../realtime/socket.js";
import { session } from "../../shared-ui/session.js";
import { QueueWindow } from "./queue-window.js";

/**
 * The duty-room queue: the first page over HTTP, further pages as the operator scrolls, and the
 * true number of matching cases; kept current from the event stream, so every duty-room screen
 * shows every change by anyone without reloading. Events carry presented cases with versions and
 * are applied as deltas (queue-window.ts); a case leaving the filter leaves memory. Events about a
 * case that do not carry it (dispatch) re-read that case; a resync or a filter change reloads.
 */
interface QueueState {
  cases: readonly Case[];
  /** Cases matching the filter on the server, in all pages. */
  total: number;
  /** True when every matching case is held (no further page). */
  complete: boolean;
  filter: QueueFilter;
  loaded: boolean;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

/** The first screen shows about twenty rows; a page covers several screens of scrolling. */
const PAGE = 100;
/** How long a recount waits for more ambiguous events before asking the server. */
const RECOUNT_AFTER_MS = 1_000;
/** With a waiting-time filter, cases age into it with no event: the count is re-read this often. */
const AGE_RECOUNT_MS = 60_000;
const DEFAULT_FILTER: QueueFilter = { status: "active" };

let win = new QueueWindow(DEFAULT_FILTER);
let state: QueueState = snapshot({ loaded: false, loading: false, loadingMore: false, error: null });
const listeners = new Set<() => void>();
/** Bumped by every reload, so an answer to an older request is dropped. */
let generation = 0;
let inflight: Promise<void> | null = null;
let notifyQueued = false;
/** Cases events brought while a first page was on its way, applied when it lands. */
let pending: { c: Case; isNew: boolean }[] = [];

function snapshot(flags: Pick<QueueState, "loaded" | "loading" | "loadingMore" | "error">): QueueState {
  // Only the four flags are taken from `flags`: callers pass the whole previous state, whose cases
  // and total must not overwrite the window's current ones.
  const { loaded, loading, loadingMore, error } = flags;
  return {
    cases: win.items,
    total: win.total,
    complete: win.complete,
    filter: win.filter,
    loaded,
    loading,
    loadingMore,
    error,
  };
}

/** Publishes the window; listeners run once per burst of events (a replay brings hundreds at once). */
function publish(patch: Partial<Pick<QueueState, "loaded" | "loading" | "loadingMore" | "error">> = {}): void {
  state = snapshot({ ...state, ...patch });
  if (notifyQueued) return;
  notifyQueued = true;
  queueMicrotask(() => {
    notifyQueued = false;
    for (const l of listeners) l();
  });
}

function pageQuery(after?: string) {
  const f = win.filter;
  return {
    status: f.status,
    urgency: f.urgency,
    stationId: f.stationId,
    minWaitMin: f.minWaitMin,
    after,
    limit: PAGE,
  };
}

async function load(): Promise<void> {
  const gen = ++generation;
  win = new QueueWindow(win.filter);
  pending = [];
  publish({ loading: true, loadingMore: false, error: null });
  const p = (async () => {
    try {
      const r = await call(api.cases.list, { query: pageQuery() });
      if (gen !== generation) return;
      win.appendPage(r.items, r.total, r.nextCursor !== null);
      publish({ loaded: true, loading: false });
      applyPending();
    } catch (error) {
      if (gen === generation) publish({ loading: false, error });
    }
  })();
  inflight = p;
  await p;
  if (inflight === p) inflight = null;
}

/** Fetches the page after the window's boundary (the operator scrolled near the end). */
export async function loadMore(): Promise<void> {
  if (!state.loaded || state.loadingMore || inflight || win.boundary === null) return;
  const gen = generation;
  publish({ loadingMore: true });
  try {
    const r = await call(api.cases.list, { query: pageQuery(encodeQueueCursor(win.boundary)) });
    if (gen !== generation) return;
    win.appendPage(r.items, r.total, r.nextCursor !== null);
    publish({ loadingMore: false });
  } catch (error) {
    if (gen === generation) publish({ loadingMore: false, error });
  }
  if (gen === generation) applyPending();
}

let recountTimer: ReturnType<typeof setTimeout> | null = null;
function recountSoon(): void {
  if (recountTimer) return;
  recountTimer = setTimeout(() => {
    recountTimer = null;
    void recount();
  }, RECOUNT_AFTER_MS);
}
async function recount(): Promise<void> {
  if (!state.loaded) return;
  const gen = generation;
  try {
    const r = await call(api.cases.list, { query: { ...pageQuery(), limit: 1 } });
    if (gen === generation && win.setTotal(r.total)) publish();
  } catch {
    /* the next event or resync settles it */
  }
}
setInterval(() => {
  if (state.loaded && win.filter.minWaitMin) void recount();
}, AGE_RECOUNT_MS);

/** Shows only the cases matching `filter` (reloads from the first page). */
export function setQueueFilter(filter: QueueFilter): void {
  win = new QueueWindow(filter);
  void load();
}

/** Applies what events brought while a page was on its way (the page may hold older versions). */
function applyPending(): void {
  const missed = pending;
  pending = [];
  for (const m of missed) upsertCase(m.c, m.isNew);
}

/** Applies a case as an event carries it (newer versions only). */
export function upsertCase(next: Case, isNew = false): void {
  if (state.loading || state.loadingMore) {
    pending.push({ c: next, isNew });
    return;
  }
  const r = win.apply(next, Date.now(), isNew);
  if (r === "recount") recountSoon();
  else if (r === "changed") publish();
}

const refetching = new Set<string>();
async function refetch(id: string): Promise<void> {
  if (refetching.has(id)) return;
  refetching.add(id);
  try {
    const { calls: _calls, ...c } = await call(api.cases.get, { params: { id } });
    upsertCase(c);
  } catch {
    /* out of scope or gone: the next resync settles it */
  } finally {
    refetching.delete(id);
  }
}

/** The presented cases an event carries, where the event contract puts them. */
function casesIn(e: DomainEvent): Case[] {
  switch (e.type) {
    case "case.created":
    case "call.added":
    case "case.updated":
      return [e.payload.case];
    case "case.merged":
      return [e.payload.from, e.payload.into];
    case "case.unmerged":
      return [e.payload.from, e.payload.to];
    default:
      return [];
  }
}

eventStream.subscribe((e) => {
  if (!state.loaded && !state.loading) return;
  const cases = casesIn(e);
  for (const c of cases) upsertCase(c, e.type === "case.created");
  // Another module's event about a case (dispatch, encounters) without the case itself.
  if (!cases.length && "caseId" in e.payload && typeof e.payload.caseId === "string") void refetch(e.payload.caseId);
});
eventStream.onResync(() => {
  if (state.loaded) void load();
});
// Signing out forgets the queue (the next user may see other stations); "loading" is the session
// being checked at start, not a sign-out, and must not drop a page already on its way.
session.subscribe(() => {
  if (session.get().status !== "signedOut") return;
  generation++;
  win = new QueueWindow(DEFAULT_FILTER);
  pending = [];
  publish({ loaded: false, loading: false, loadingMore: false, error: null });
});

const queueStore = {
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  get: (): QueueState => state,
};

/** The queue, loading it on first use. */
export function useQueue(): QueueState & { reload: () => Promise<void> } {
  const s = useSyncExternalStore(queueStore.subscribe, queueStore.get, queueStore.get);
  // Also after a reset while mounted (sign-out and back in), not only on first use.
  useEffect(() => {
    if (!state.loaded && !state.loading) void load();
  }, [s.loaded, s.loading]);
  return { ...s, reload: load };
}

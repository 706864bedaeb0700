import { useEffect, useSyncExternalStore } from "react";
import { api, call } from "../../api/client.js";
import type { Case } from "../../../../shared/api/cases.js";
import type { DomainEvent } from "../../../../shared/events.js";
import { ACTIVE_CASE_STATUSES, type CaseStatus } from "../../../../shared/status.js";
import { compareQueue } from "../../../../shared/urgency.js";
import { eventStream } from "../../realtime/socket.js";
import { session } from "../../shared-ui/session.js";

/**
 * The active queue (open, dispatched, on scene), loaded over HTTP once and then kept current from
 * the event stream, so every duty-room screen shows every change by anyone without reloading.
 * Events carry presented cases with versions: an upsert keeps the newer version, a case leaving
 * the active statuses leaves the queue. Events about cases that do not carry the case (e.g. from
 * dispatch) make us re-read that case; a resync reloads everything.
 */
interface QueueState {
  cases: readonly Case[];
  loaded: boolean;
  loading: boolean;
  error: unknown;
}

let state: QueueState = { cases: [], loaded: false, loading: false, error: null };
const listeners = new Set<() => void>();
let inflight: Promise<void> | null = null;

function set(patch: Partial<QueueState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

const isActive = (c: Case) => ACTIVE_CASE_STATUSES.includes(c.status as CaseStatus);

async function load(): Promise<void> {
  if (inflight) return inflight;
  set({ loading: true, error: null });
  inflight = (async () => {
    try {
      const r = await call(api.cases.list, { query: { status: "active", limit: 500 } });
      set({ cases: [...r.items].sort(compareQueue), loaded: true, loading: false });
    } catch (error) {
      set({ loading: false, error });
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

/** Inserts, replaces (newer version only) or removes a case. */
export function upsertCase(next: Case): void {
  const current = state.cases.find((c) => c.id === next.id);
  if (current && current.version > next.version) return;
  const rest = state.cases.filter((c) => c.id !== next.id);
  set({ cases: (isActive(next) ? [...rest, next] : rest).sort(compareQueue) });
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
  if (!state.loaded) return;
  const cases = casesIn(e);
  for (const c of cases) upsertCase(c);
  // Another module's event about a case (dispatch, encounters) without the case itself.
  if (!cases.length && "caseId" in e.payload && typeof e.payload.caseId === "string") void refetch(e.payload.caseId);
});
eventStream.onResync(() => {
  if (state.loaded) void load();
});
session.subscribe(() => {
  if (session.get().status !== "signedIn") state = { cases: [], loaded: false, loading: false, error: null };
});

const queueStore = {
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  get: (): QueueState => state,
  reload: load,
};

/** The queue, loading it on first use. */
export function useQueue(): QueueState & { reload: () => Promise<void> } {
  const s = useSyncExternalStore(queueStore.subscribe, queueStore.get, queueStore.get);
  useEffect(() => {
    if (!state.loaded && !state.loading) void load();
  }, []);
  return { ...s, reload: load };
}

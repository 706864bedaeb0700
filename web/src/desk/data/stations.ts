import { useEffect, useSyncExternalStore } from "react";
import { api, call } from "../../api/client.js";
import { Station, type Region } from "../../../../shared/api/stations.js";
import { eventStream } from "../../realtime/socket.js";
import { session } from "../../shared-ui/session.js";

/**
 * Stations and regions in the user's scope, loaded once and kept current from the event stream:
 * several pages (header, duty room, station list, admin) read the same data, and none of them
 * should poll. A `station.*` event carries the presented station, which is upserted by version;
 * anything unexpected, or a resync, falls back to reloading over HTTP.
 */
interface StationsState {
  stations: readonly Station[];
  regions: readonly Region[];
  loading: boolean;
  error: unknown;
  loaded: boolean;
}

const EMPTY: StationsState = { stations: [], regions: [], loading: false, error: null, loaded: false };
let state: StationsState = EMPTY;
let inflight: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(patch: Partial<StationsState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

async function load(): Promise<void> {
  if (inflight) return inflight;
  set({ loading: true, error: null });
  inflight = (async () => {
    try {
      const [s, r] = await Promise.all([call(api.stations.list), call(api.stations.regions)]);
      set({ stations: sortStations(s.items), regions: r.items, loading: false, loaded: true });
    } catch (error) {
      set({ loading: false, error });
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}

function sortStations(items: readonly Station[]): Station[] {
  return [...items].sort((a, b) => a.code.localeCompare(b.code));
}

/** Inserts or replaces a station, ignoring versions older than what we hold. */
export function upsertStation(next: Station): void {
  const current = state.stations.find((s) => s.id === next.id);
  if (current && current.version >= next.version) return;
  set({ stations: sortStations([...state.stations.filter((s) => s.id !== next.id), next]) });
}

eventStream.subscribe((e) => {
  // A region created, renamed or moved reshapes the tree (and, for a supervisor, which stations are in scope).
  if ((e.type === "region.created" || e.type === "region.updated") && state.loaded) { void load(); return; }
  if ((e.type !== "station.created" && e.type !== "station.updated") || !state.loaded) return;
  upsertStation(e.payload);
});
eventStream.onResync(() => {
  if (state.loaded) void load();
});
// Another user's scope is another list: drop it on sign-out.
session.subscribe(() => {
  if (session.get().status !== "signedIn") state = EMPTY;
});

const stationsStore = {
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  get: (): StationsState => state,
  reload: load,
};

/** The stations state, loading it on first use. */
export function useStations(): StationsState & { reload: () => Promise<void> } {
  const s = useSyncExternalStore(stationsStore.subscribe, stationsStore.get, stationsStore.get);
  useEffect(() => {
    if (!state.loaded && !state.loading && !state.error) void load();
  }, []);
  return { ...s, reload: load };
}

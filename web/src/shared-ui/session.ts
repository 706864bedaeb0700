import { useSyncExternalStore } from "react";
import type { LoginInput, Me } from "../../../shared/api/auth.js";
import { call, onUnauthenticated } from "../api/http.js";
import { eventStream } from "../realtime/socket.js";
import { routes } from "./routes.js";

/**
 * Who is signed in, shared by both pages. The session itself is an HttpOnly cookie the page
 * cannot read, so the truth is always GET /api/auth/me; this store caches its answer and starts
 * or stops the live event stream with the session.
 */
type SessionState =
  { status: "loading" } | { status: "signedOut"; reason?: "expired" | "logout" } | { status: "signedIn"; me: Me };

let state: SessionState = { status: "loading" };
/** Set by the phone page: keep the last user so a cold start with no signal still opens the page. */
let remember = false;
const ME_KEY = "warmline.session.me";
function rememberMe(me: Me | null): void {
  if (!remember) return;
  try {
    if (me) localStorage.setItem(ME_KEY, JSON.stringify(me));
    else localStorage.removeItem(ME_KEY);
  } catch {
    /* best effort */
  }
}
function rememberedMe(): Me | null {
  try {
    return remember ? (JSON.parse(localStorage.getItem(ME_KEY) ?? "null") as Me | null) : null;
  } catch {
    return null;
  }
}
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  rememberMe(next.status === "signedIn" ? next.me : null);
  if (next.status === "signedIn") eventStream.start();
  else eventStream.stop();
  for (const l of listeners) l();
}

/** Asks the server who we are; a 401 simply means signed out. */
async function probe(): Promise<void> {
  try {
    set({ status: "signedIn", me: await call(routes.me) });
  } catch (err) {
    // Keep a known user through a network blip; only the server saying 401 signs us out.
    const status = (err as { status?: number }).status;
    const known = !status && state.status === "loading" ? rememberedMe() : null;
    if (known) set({ status: "signedIn", me: known });
    else if (status === 401 || state.status === "loading") set({ status: "signedOut" });
  }
}

let started = false;

export const session = {
  /** Loads the session once per page; later calls are no-ops. */
  init(opts: { remember?: boolean } = {}): void {
    if (started) return;
    started = true;
    remember = !!opts.remember;
    onUnauthenticated(() => {
      if (state.status === "signedIn") set({ status: "signedOut", reason: "expired" });
    });
    // The socket refusing our cookie means the session ended; confirm over HTTP first, after a
    // pause so that a server briefly disagreeing with itself cannot make us spin.
    eventStream.onAuthError(() => setTimeout(() => void probe(), 2000));
    void probe();
  },
  async login(input: LoginInput): Promise<Me> {
    const me = await call(routes.login, { body: input });
    set({ status: "signedIn", me });
    return me;
  },
  async logout(): Promise<void> {
    try {
      await call(routes.logout);
    } finally {
      // Even if the request failed (offline), leave the signed-in screens at once: on a shared
      // duty-room PC the next person must not keep working as this user. The error still
      // propagates so the caller can say the server did not hear it.
      set({ status: "signedOut", reason: "logout" });
    }
  },
  subscribe(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  get: (): SessionState => state,
};

/** The session state, re-rendering on change. */
export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}

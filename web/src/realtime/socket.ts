import { io, type Socket } from "socket.io-client";
import { forgetInFlightReads } from "../api/http.js";
import type {
  ClientToServerEvents,
  DomainEvent,
  ReplayDone,
  ResyncRequired,
  ServerToClientEvents,
} from "../../../shared/events.js";
import { RECONNECT } from "../../../shared/reconnect.js";

/**
 * The live event stream. The server pushes committed domain events with monotonic ids; on every
 * (re)connect we send the last id we applied and the server replays what we missed, so a dropped
 * connection loses nothing. If we are too far behind, the server says `resync` and the pages
 * reload their state over HTTP instead.
 *
 * Framework-free on purpose: the desktop app and the phone page share it, and React binds to it
 * through ./hooks.ts.
 */

/** What the header shows. "offline" also covers "the browser has no network" and "stopped". */
export type StreamStatus = "connected" | "reconnecting" | "offline";

type EventListener = (e: DomainEvent) => void;
type ResyncListener = (info: ResyncRequired) => void;
type AuthErrorListener = () => void;

type WarmlineSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const STORAGE_KEY = "warmline.lastEventId";
/**
 * After this many failed attempts in a row we stop saying "reconnecting" and say "offline": with the
 * back-off of shared/reconnect.ts, about 6 s without a server (as before the quicker back-off).
 */
const OFFLINE_AFTER_ATTEMPTS = 6;
/** Pause before retrying a handshake the server refused for a reason other than the session. */
const RETRY_REFUSED_MS = 5000;

function readStoredId(): number | null {
  try {
    const v = Number(sessionStorage.getItem(STORAGE_KEY));
    return Number.isSafeInteger(v) && v > 0 ? v : null;
  } catch {
    return null; // storage can be disabled (private mode, embedded webviews)
  }
}

function storeId(id: number | null): void {
  try {
    if (id === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, String(id));
  } catch {
    /* best effort: the in-memory id still works for this page's lifetime */
  }
}

class EventStream {
  private socket: WarmlineSocket | null = null;
  // sessionStorage survives a reload of the tab (a phone killing the page in the background)
  // but not a new tab, which starts fresh from HTTP state anyway.
  private lastId: number | null = readStoredId();
  private failedAttempts = 0;
  private status: StreamStatus = "offline";
  private readonly events = new Set<EventListener>();
  private readonly resyncs = new Set<ResyncListener>();
  private readonly authErrors = new Set<AuthErrorListener>();
  private readonly statusListeners = new Set<() => void>();

  constructor() {
    if (typeof window !== "undefined") {
      window.addEventListener("online", this.onBrowserOnline);
      window.addEventListener("offline", this.recomputeStatus);
    }
  }

  /** Opens the stream (after sign-in: the session cookie authenticates the handshake). */
  start(): void {
    if (this.socket) {
      if (!this.socket.active) this.socket.connect();
      return;
    }
    const socket: WarmlineSocket = io({
      path: "/socket.io",
      // Long-polling fallback is not worth its bytes and its sticky-session needs behind a
      // load balancer; every browser we target speaks WebSocket.
      transports: ["websocket"],
      withCredentials: true,
      // A callback, not an object: it is evaluated on every reconnect, so the server always
      // gets the id we actually reached.
      auth: (cb) => cb({ lastEventId: this.lastId }),
      ...RECONNECT,
    });
    socket.on("connect", () => {
      this.failedAttempts = 0;
      this.recomputeStatus();
    });
    socket.on("disconnect", (reason) => {
      // socket.io does not reconnect after the server closed the socket itself: a node shutting
      // down gracefully, or our session ended (signed out elsewhere, password reset, account
      // switched off). Reconnect anyway: another node takes over, or the handshake is refused
      // as UNAUTHENTICATED and the app shows the sign-in page.
      if (reason === "io server disconnect")
        setTimeout(() => {
          if (this.socket === socket && !socket.active) socket.connect();
        }, 1000);
      this.recomputeStatus();
    });
    socket.on("connect_error", (err) => {
      this.failedAttempts++;
      // A handshake refused by the server's middleware is not retried by socket.io itself.
      // Without a session that is right (tell the app); any other refusal is the server's
      // trouble, so try again later rather than stay offline for good.
      if (!socket.active) {
        if (err.message === "UNAUTHENTICATED") for (const l of this.authErrors) l();
        else
          setTimeout(() => {
            if (this.socket === socket && !socket.active) socket.connect();
          }, RETRY_REFUSED_MS);
      }
      this.recomputeStatus();
    });
    socket.io.on("reconnect_attempt", this.recomputeStatus);
    socket.on("event", (e) => this.accept(e));
    socket.on("replay:done", (info: ReplayDone) => {
      // The server has sent everything up to info.lastEventId that we may see; ids we were not
      // sent were out of our scope, so skipping past them avoids replaying them again.
      this.advance(info.lastEventId);
    });
    socket.on("resync", (info: ResyncRequired) => {
      this.setLastId(info.lastEventId);
      forgetInFlightReads();
      for (const l of this.resyncs) l(info);
    });
    this.socket = socket;
    this.recomputeStatus();
  }

  /** Closes the stream and forgets the position (sign-out: the next user has another scope). */
  stop(): void {
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.failedAttempts = 0;
    this.setLastId(null);
    this.recomputeStatus();
  }

  /** Listens to new domain events, each delivered once and in id order. */
  subscribe(listener: EventListener): () => void {
    this.events.add(listener);
    return () => this.events.delete(listener);
  }

  /** Listens to "reload your state over HTTP" requests. */
  onResync(listener: ResyncListener): () => void {
    this.resyncs.add(listener);
    return () => this.resyncs.delete(listener);
  }

  /** Listens to the server refusing the socket for lack of a session. */
  onAuthError(listener: AuthErrorListener): () => void {
    this.authErrors.add(listener);
    return () => this.authErrors.delete(listener);
  }

  /** For useSyncExternalStore. */
  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  getStatus = (): StreamStatus => this.status;
  getLastEventId = (): number | null => this.lastId;

  private accept(e: DomainEvent): void {
    // Replay and live push can overlap around a reconnect; ids make delivery exactly-once.
    if (this.lastId !== null && e.id <= this.lastId) return;
    this.setLastId(e.id);
    // Reloads this event prompts must not join a read that started before it.
    forgetInFlightReads();
    for (const l of this.events) {
      try {
        l(e);
      } catch (err) {
        // One broken listener must not starve the others or stall the stream.
        console.error("event listener failed", err);
      }
    }
  }

  private advance(id: number): void {
    if (this.lastId === null || id > this.lastId) this.setLastId(id);
  }

  private setLastId(id: number | null): void {
    this.lastId = id;
    storeId(id);
  }

  private onBrowserOnline = (): void => {
    // Skip the backoff wait: the network just came back, try now.
    if (this.socket && !this.socket.connected) {
      this.socket.disconnect();
      this.socket.connect();
    }
    this.recomputeStatus();
  };

  private recomputeStatus = (): void => {
    const s = this.socket;
    let next: StreamStatus;
    if (s?.connected) next = "connected";
    else if (!s || !s.active) next = "offline";
    else if (typeof navigator !== "undefined" && navigator.onLine === false) next = "offline";
    else next = this.failedAttempts >= OFFLINE_AFTER_ATTEMPTS ? "offline" : "reconnecting";
    if (next === this.status) return;
    this.status = next;
    for (const l of this.statusListeners) l();
  };
}

/** The one stream per page. */
export const eventStream = new EventStream();

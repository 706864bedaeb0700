import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, DomainEvent, EventType, ServerToClientEvents } from "../../shared/events.js";

/** A real Socket.IO client that records every event it receives, as a dashboard would apply them. */
export class EventRecorder {
  readonly events: DomainEvent[] = [];
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  lastEventId: number | null;
  replayDone = 0;
  resyncs = 0;
  /** Set when the server refused the handshake. */
  connectError: Error | undefined;

  constructor(url: string, cookie: string, lastEventId: number | null = null, opts: { reconnection?: boolean } = {}) {
    this.lastEventId = lastEventId;
    this.socket = io(url, {
      transports: ["websocket"],
      extraHeaders: cookie ? { cookie } : {},
      auth: (cb) => cb({ lastEventId: this.lastEventId }),
      reconnection: opts.reconnection ?? true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      forceNew: true,
    });
    this.socket.on("event", (e) => {
      this.events.push(e);
      this.lastEventId = Math.max(this.lastEventId ?? 0, e.id);
    });
    this.socket.on("replay:done", (d) => {
      this.replayDone++;
      if (this.lastEventId === null || d.lastEventId > this.lastEventId) this.lastEventId = d.lastEventId;
    });
    this.socket.on("resync", () => {
      this.resyncs++;
    });
    this.socket.on("connect_error", (err) => {
      this.connectError = err;
    });
    this.socket.on("connect", () => {
      this.connectError = undefined;
    });
  }

  /** Resolves once the `n`th replay (1 = first connection) is complete; rejects on a refused handshake. */
  ready(n = 1, timeoutMs = 10_000): Promise<void> {
    return waitFor(
      () => this.replayDone >= n,
      timeoutMs,
      () => this.connectError,
    );
  }

  /** Events of one type, in arrival order. */
  ofType<T extends EventType>(type: T): Extract<DomainEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  }

  close(): void {
    this.socket.close();
  }
}

/** Polls until `cond` holds; fails with a clear message on timeout or when `error` returns one. */
export async function waitFor(cond: () => boolean, timeoutMs = 10_000, error?: () => Error | undefined): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    const e = error?.();
    if (e) throw e;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

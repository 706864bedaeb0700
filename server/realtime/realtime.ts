import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { ROLES, type Role } from "../../shared/roles.js";
import { SocketHandshake, type ClientToServerEvents, type ServerToClientEvents } from "../../shared/events.js";
import type { Database, Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { AuthService } from "../auth/auth.service.js";
import type { SessionUser } from "../auth/session-user.js";
import { tokenFromCookieHeader } from "../auth/auth.middleware.js";
import { crossOriginReason } from "../http/origin.js";
import type { EventLog } from "../events/event-log.js";
import { EVENTS_CHANNEL, listEventsAfter, type EventRow } from "../events/events.repo.js";
import { EventPump } from "./event-pump.js";
import { presentEventFor } from "./events.presenter.js";
import { EventIdentityAudit } from "./identity-audit.js";
import { stationRegionChain } from "../stations/stations.repo.js";
import { SerialQueue } from "./serial-queue.js";

interface SocketData {
  user: SessionUser;
  token: string;
  tokenHash: string;
  expiresAt: Date;
}
type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const PAGE = 1000;
/**
 * How often every socket's session is checked again. A socket authenticates once, at its handshake;
 * without this, a signed-out, expired, reset or switched-off account would keep receiving events
 * until its next reconnect. Account changes that end sessions trigger a check at once.
 */
const SESSION_SWEEP_MS = 60_000;
/** User events after which that user's sessions are gone (users.service records them). */
const SESSION_ENDING = (row: EventRow) =>
  row.type === "user.password_reset" ||
  (row.type === "user.updated" && (row.payload as { sessionsEnded?: boolean }).sessionsEnded === true);
/** Channel on which a node tells the others that a session was signed out (payload: its token hash). */
const SESSION_ENDED_CHANNEL = "warmline_session_ended";
/** setTimeout's longest delay; a session lasting longer (SESSION_TTL_HOURS up to 30 days) re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const stationRoom = (stationId: string, role: Role) => `st:${stationId}:${role}`;
const allRoom = (role: Role) => `all:${role}`;
const roleRoom = (role: Role) => `role:${role}`;
const regionRoom = (regionId: string, role: Role) => `rg:${regionId}:${role}`;

/**
 * Rooms a user's socket joins: everything for admins, a region subtree for supervisors (so a
 * station opened after they signed in still reaches them), else their stations.
 */
function roomsFor(user: SessionUser): string[] {
  const rooms = [roleRoom(user.role)];
  if (user.allStations) rooms.push(allRoom(user.role));
  else if (user.role === "supervisor" && user.regionId) rooms.push(regionRoom(user.regionId, user.role));
  else for (const sid of user.stationIds) rooms.push(stationRoom(sid, user.role));
  return rooms;
}

export interface Realtime {
  io: IoServer;
  /** Highest event id pushed by this process. */
  lastPushedId(): number;
  /** How long delivery has been held at a gap in the event ids, 0 when it is not (the feed's lag). */
  deliveryWaitingMs(): number;
  /** Sockets connected to this node, by the signed-in user's role (metrics). */
  socketsByRole(): Record<Role, number>;
  close(): Promise<void>;
}

/** What startRealtime is given. */
interface RealtimeOptions {
  httpServer: HttpServer;
  database: Database;
  auth: AuthService;
  eventLog: EventLog;
  log: Logger;
  replayLimit: number;
  /** Interval of the look for events no NOTIFY announced. */
  pollMs: number;
  /** TRUST_PROXY: the handshake's Origin is checked by the same rule as HTTP writes. */
  trustProxy: number;
}

/**
 * Socket.IO on the HTTP server: authenticates the handshake with the session cookie, replays what
 * a client missed from the events table, then streams committed events to rooms by station and role.
 * The pump follows the events table itself (woken by local commits, NOTIFY from other nodes, and a
 * slow poll), so every node pushes every event in id order and a lost push is never final.
 */
export async function startRealtime(opts: RealtimeOptions): Promise<Realtime> {
  const { database, log } = opts;
  const db = database.db;
  // Delivery reads and writes on the feed's own connections; replays (many at once after a
  // failover) stay on the shared pool so they cannot hold the pump back.
  const identityAudit = new EventIdentityAudit(database.feed, log);
  const queue = new SerialQueue((err) => log.error("realtime task failed", { err: String(err) }));
  const sessions = new SocketSessions(opts.auth, log);

  const broadcast = roomBroadcast(database.feed, identityAudit, sessions, () => io);
  const pump = new EventPump(database.feed, queue, broadcast, log);
  await pump.start();
  const kick = pump.kick;

  // Attached only now, with its auth middleware right after: no handshake is accepted before.
  const io: IoServer = new Server(opts.httpServer, {
    path: "/socket.io",
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  sessions.attach(io);
  io.use(handshakeAuth(opts, sessions));
  io.on("connection", (socket: IoSocket) => {
    if (sessions.endedRecently(socket.data.tokenHash)) {
      socket.disconnect(true);
      return;
    }
    sessions.armExpiry(socket);
    // The upgrade request (parser, buffers, socket refs) is not needed once authenticated; the
    // handshake already holds its headers. Dropping it saves kilobytes per idle socket.
    (socket.conn as { request: unknown }).request = null;
    const hs = SocketHandshake.safeParse(socket.handshake.auth ?? {});
    const afterId = hs.success ? (hs.data.lastEventId ?? null) : null;
    void queue.push(() => replay(db, pump, identityAudit, opts.replayLimit, socket, afterId));
    socket.on("ping", (ack) => {
      if (typeof ack === "function") ack(new Date().toISOString());
    });
  });

  let nodes: OtherNodes | undefined;
  opts.auth.onSessionEnded((tokenHash) => {
    sessions.disconnectSession(tokenHash);
    nodes?.tellSessionEnded(tokenHash);
  });
  if (database.pg && database.direct) nodes = await listenToOtherNodes(database, kick, sessions, log);
  opts.eventLog.onCommit((rows) => {
    pump.offer(rows);
    nodes?.announceCommit();
  });
  const poll = setInterval(kick, opts.pollMs);
  poll.unref();
  const sweep = setInterval(() => void sessions.sweep(), SESSION_SWEEP_MS);
  sweep.unref();

  return {
    io,
    lastPushedId: () => pump.watermark,
    deliveryWaitingMs: () => pump.waitingMs,
    // Every socket is in its role's room (roomsFor), so the rooms' sizes count the sockets.
    socketsByRole: () =>
      Object.fromEntries(ROLES.map((r) => [r, io.of("/").adapter.rooms.get(roleRoom(r))?.size ?? 0])) as Record<
        Role,
        number
      >,
    async close() {
      pump.stop();
      clearInterval(poll);
      clearInterval(sweep);
      await nodes?.unlisten().catch(() => {});
      await queue.drain();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

/**
 * Delivers one committed event to the rooms of its station (and region chain) for every role the
 * contract gives it to, presented for that role, after the identity audit allows it.
 */
function roomBroadcast(db: Db, identityAudit: EventIdentityAudit, sessions: SocketSessions, io: () => IoServer) {
  // Region chain per station, for supervisors' rooms; dropped when a station or a region changes.
  const chains = new Map<string, string[]>();
  const regionChain = async (stationId: string) => {
    let chain = chains.get(stationId);
    if (!chain) chains.set(stationId, (chain = await stationRegionChain(db, stationId)));
    return chain;
  };
  return async (row: EventRow) => {
    // A session that expired since the last delivery loses its sockets before this event goes out,
    // even if its expiry timer has not fired yet (timers may run late on a busy process).
    sessions.dropExpiredSockets();
    if (SESSION_ENDING(row)) void sessions.sweep();
    if (row.stationId && row.type.startsWith("station.")) chains.delete(row.stationId);
    // A moved region changes the chain of every station below it.
    if (row.type === "region.updated") chains.clear();
    const chain = row.stationId ? await regionChain(row.stationId) : [];
    for (const role of ROLES) {
      const e = presentEventFor(row, role);
      if (!e) continue;
      const target =
        row.stationId === null
          ? [roleRoom(role)]
          : [stationRoom(row.stationId, role), allRoom(role), ...chain.map((r) => regionRoom(r, role))];
      if (
        !(await identityAudit.live(row, role, async () =>
          (await io().in(target).fetchSockets()).map((s) => s.data.user),
        ))
      )
        continue;
      io().to(target).emit("event", e);
    }
  };
}

/**
 * Sends a (re)connecting socket what it missed after `afterId`, page by page up to the pump's
 * watermark (or tells it to resync past the replay limit), then joins its rooms: from then on the
 * pump's deliveries reach it, so nothing falls between replay and live.
 */
async function replay(
  db: Db,
  pump: EventPump,
  identityAudit: EventIdentityAudit,
  replayLimit: number,
  socket: IoSocket,
  afterId: number | null,
): Promise<void> {
  const user = socket.data.user;
  let sent = 0;
  if (afterId !== null && afterId < pump.watermark) {
    const scope = user.allStations ? undefined : user.stationIds;
    let cursor = afterId;
    while (cursor < pump.watermark && socket.connected) {
      const rows = await listEventsAfter(db, {
        afterId: cursor,
        upToId: pump.watermark,
        stationIds: scope,
        limit: PAGE,
      });
      if (!rows.length) break;
      if (sent + rows.length > replayLimit) {
        socket.emit("resync", { lastEventId: pump.watermark });
        sent = -1;
        break;
      }
      const maySend = await identityAudit.replayed(rows, user);
      for (const r of rows) {
        if (!maySend(r)) continue;
        const e = presentEventFor(r, user.role);
        if (e) {
          socket.emit("event", e);
          sent++;
        }
      }
      cursor = rows[rows.length - 1]!.id;
    }
  }
  if (!socket.connected) return;
  await socket.join(roomsFor(user));
  socket.emit("replay:done", { lastEventId: pump.watermark, replayed: Math.max(sent, 0) });
}

/** The handshake: same origin, then a live session from the cookie that was not just signed out. */
function handshakeAuth(opts: RealtimeOptions, sessions: SocketSessions) {
  return async (socket: IoSocket, next: (err?: Error) => void) => {
    try {
      // A page on another site could otherwise open a socket with the user's cookie and read the feed.
      const headers = socket.handshake.headers;
      const why = crossOriginReason((name) => {
        const v = headers[name];
        return Array.isArray(v) ? v.join(", ") : v;
      }, opts.trustProxy);
      if (why) return next(new Error("CROSS_ORIGIN"));
      const token = tokenFromCookieHeader(headers.cookie);
      const session = await opts.auth.sessionForToken(token);
      // Signed out while this handshake was reading the session: too late to be found by the sign-out.
      if (!session || !token || sessions.endedRecently(session.tokenHash)) return next(new Error("UNAUTHENTICATED"));
      socket.data.user = session.user;
      socket.data.token = token;
      socket.data.tokenHash = session.tokenHash;
      socket.data.expiresAt = session.expiresAt;
      next();
    } catch (err) {
      opts.log.error("socket auth failed", { err: String(err) });
      next(new Error("INTERNAL"));
    }
  };
}

/**
 * The session's end, for a socket: its expiry (a timer, plus the check before each delivery), its
 * sign-out on this node (at once, before the sign-out is answered) or on another (by NOTIFY), and a
 * periodic sweep that disconnects sockets whose session is gone (the client then finds its session
 * gone and shows the sign-in page).
 */
class SocketSessions {
  private io: IoServer | undefined;
  private readonly expiryTimers = new WeakMap<IoSocket, NodeJS.Timeout>();
  private earliestExpiry = Infinity;
  /**
   * Sessions signed out in the last minute: a handshake that read its session just before the
   * sign-out and connects just after it would otherwise slip past both (the sweep is the backstop).
   */
  private readonly ended = new Map<string, number>();
  private sweeping = false;

  constructor(
    private readonly auth: AuthService,
    private readonly log: Logger,
  ) {}

  attach(io: IoServer): void {
    this.io = io;
  }

  private sockets(): IoSocket[] {
    return this.io ? ([...this.io.of("/").sockets.values()] as IoSocket[]) : [];
  }

  endedRecently(tokenHash: string): boolean {
    return this.ended.has(tokenHash);
  }

  armExpiry(socket: IoSocket): void {
    const at = socket.data.expiresAt.getTime();
    this.earliestExpiry = Math.min(this.earliestExpiry, at);
    const left = at - Date.now();
    if (left <= 0) {
      socket.disconnect(true);
      return;
    }
    const timer = setTimeout(
      () => (Date.now() >= at ? socket.disconnect(true) : this.armExpiry(socket)),
      Math.min(left, MAX_TIMER_MS),
    );
    timer.unref();
    this.expiryTimers.set(socket, timer);
    socket.once("disconnect", () => clearTimeout(this.expiryTimers.get(socket)));
  }

  dropExpiredSockets(): void {
    const now = Date.now();
    if (now < this.earliestExpiry) return;
    this.earliestExpiry = Infinity;
    for (const s of this.sockets()) {
      if (s.data.expiresAt.getTime() <= now) s.disconnect(true);
      else this.earliestExpiry = Math.min(this.earliestExpiry, s.data.expiresAt.getTime());
    }
  }

  disconnectSession(tokenHash: string): void {
    const now = Date.now();
    for (const [h, at] of this.ended) if (now - at > SESSION_SWEEP_MS) this.ended.delete(h);
    this.ended.set(tokenHash, now);
    for (const s of this.sockets()) if (s.data.tokenHash === tokenHash) s.disconnect(true);
  }

  /** One query for every distinct session of the connected sockets. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const sockets = this.sockets();
      if (!sockets.length) return;
      const live = await this.auth.liveTokens([...new Set(sockets.map((s) => s.data.token))]);
      for (const s of sockets) if (!live.has(s.data.token)) s.disconnect(true);
    } catch (err) {
      this.log.warn("session sweep failed", { err: String(err) });
    } finally {
      this.sweeping = false;
    }
  }
}

/** PostgreSQL only: NOTIFY between the nodes for committed events and ended sessions. */
interface OtherNodes {
  unlisten(): Promise<void>;
  /** Tells the other nodes a session was signed out here (its token hash). */
  tellSessionEnded(tokenHash: string): void;
  /** Tells the other nodes events were committed (coalesced). */
  announceCommit(): void;
}

async function listenToOtherNodes(
  database: Database,
  kick: () => void,
  sessions: SocketSessions,
  log: Logger,
): Promise<OtherNodes> {
  const pg = database.pg!;
  // LISTEN needs a session that stays this node's: behind a transaction-mode pooler, the direct one.
  const listener = database.direct!;
  const sub = await listener.listen(EVENTS_CHANNEL, kick, kick);
  const ended = await listener.listen(SESSION_ENDED_CHANNEL, (hash) => sessions.disconnectSession(hash));
  // NOTIFY after commit, not inside the writing transaction: PostgreSQL serialises the commits of
  // notifying transactions, which would undo group commit. Coalesced: one in flight, one pending.
  // A process dying between commit and NOTIFY leaves the other nodes to their poll.
  let inFlight = false;
  let pending = false;
  return {
    unlisten: async () => {
      await sub.unlisten();
      await ended.unlisten();
    },
    // Also on this node's own NOTIFY (harmless: its sockets are gone already). A lost NOTIFY leaves
    // the other nodes to the sweep.
    tellSessionEnded: (hash: string) => {
      void pg`select pg_notify(${SESSION_ENDED_CHANNEL}, ${hash})`.catch((err) =>
        log.warn("session notify failed", { err: String(err) }),
      );
    },
    announceCommit: () => {
      if (inFlight) {
        pending = true;
        return;
      }
      inFlight = true;
      void (async () => {
        do {
          pending = false;
          await pg`select pg_notify(${EVENTS_CHANNEL}, '')`.catch((err) =>
            log.warn("notify failed", { err: String(err) }),
          );
        } while (pending);
        inFlight = false;
      })();
    },
  };
}

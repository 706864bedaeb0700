import { createHash, randomBytes } from "node:crypto";
import type { LoginInput } from "../../shared/api/auth.js";
import type { Db } from "../db/client.js";
import { AppError } from "../http/errors.js";
import { allStationIds, stationIdsInRegion } from "../stations/stations.repo.js";
import * as repo from "./auth.repo.js";
import { DUMMY_HASH, verifyPassword } from "./password.js";
import type { SessionUser } from "./session-user.js";
import { LoginThrottle } from "./login-throttle.service.js";

/** How a session token is stored (and named between nodes): never the token itself. */
const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** Told the hash of a session that has just ended on this node (sockets on it must go at once). */
type SessionEndedListener = (tokenHash: string) => void;

/** A resolved session as the middleware and the socket handshake use it. */
interface ResolvedSession {
  user: SessionUser;
  expiresAt: Date;
  tokenHash: string;
}

/** Most sessions remembered at once; the oldest go first (a duty room has a few hundred). */
const SESSION_CACHE_MAX = 10_000;

/** Event types after which remembered sessions may be wrong (role, scope, password, the station list of admins). */
const SESSION_INVALIDATING_EVENT = /^(user|station|region)\./;

/**
 * Sign-in, sessions, and turning a session into a user with a resolved station scope.
 *
 * Resolved sessions are remembered for `cacheSeconds` (SESSION_CACHE_SECONDS) so a phone posting
 * a fix every few seconds costs no session query each time. Revocation stays prompt: a sign-out on
 * this node forgets its session before it is answered, and any committed user, station or region
 * change on this node forgets them all (a reset password, a role or scope change, a switched-off
 * account, a new station for admins). On another node of a cluster a revoked session keeps working
 * for at most `cacheSeconds`.
 */
export class AuthService {
  private readonly throttle: LoginThrottle;
  private readonly endedListeners: SessionEndedListener[] = [];
  private readonly cache = new Map<string, { until: number; session: ResolvedSession }>();

  constructor(
    private readonly db: Db,
    private readonly sessionTtlHours: number,
    private readonly cacheSeconds = 0,
  ) {
    this.throttle = new LoginThrottle(db);
  }

  /** Forgets every remembered session when committed events change who may do what (wired to the event log). */
  forgetOnEvents(events: { type: string }[]): void {
    if (events.some((e) => SESSION_INVALIDATING_EVENT.test(e.type))) this.cache.clear();
  }

  /** Checks the password and opens a session; returns the user and the cookie token. */
  async login(input: LoginInput, address: string): Promise<{ user: SessionUser; token: string; expiresAt: Date }> {
    const refused = await this.throttle.refusal(input.username, address);
    if (refused) {
      const minutes = Math.ceil(refused.retryAfterSeconds / 60);
      throw new AppError(
        429,
        "RATE_LIMITED",
        `Too many failed sign-ins from here; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
        undefined,
        { "Retry-After": String(refused.retryAfterSeconds) },
      );
    }
    // Accounts are stored in lower case (shared/api/users.ts Username); "Patrol1" typed on a phone is patrol1.
    const row = await repo.findUserByUsername(this.db, input.username.trim().toLowerCase());
    const ok = await verifyPassword(input.password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !ok) {
      await this.throttle.fail(input.username, address);
      throw new AppError(401, "INVALID_CREDENTIALS", "Wrong username or password");
    }
    await this.throttle.succeed(input.username, address);
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + this.sessionTtlHours * 3600_000);
    await repo.insertSession(this.db, hashToken(token), row.id, expiresAt);
    return { user: await this.toSessionUser(row), token, expiresAt };
  }

  /**
   * Ends the session behind `token`, then tells the listeners (realtime) before returning, so its
   * sockets are gone by the time the sign-out is answered: not one more event reaches them.
   */
  async logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    await repo.deleteSession(this.db, tokenHash);
    this.cache.delete(tokenHash);
    for (const listener of this.endedListeners) listener(tokenHash);
  }

  /** Registers a listener for sessions ended on this node (sign-out). */
  onSessionEnded(listener: SessionEndedListener): void {
    this.endedListeners.push(listener);
  }

  /** The user behind a session token, or undefined when it is unknown or expired. */
  async userForToken(token: string | undefined): Promise<SessionUser | undefined> {
    return (await this.sessionForToken(token))?.user;
  }

  /** The user and the session's expiry behind a token (the socket handshake keeps both). */
  async sessionForToken(token: string | undefined): Promise<ResolvedSession | undefined> {
    if (!token || token.length > 200) return undefined;
    const tokenHash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(tokenHash);
    if (hit && hit.until > now && hit.session.expiresAt.getTime() > now) return hit.session;
    this.cache.delete(tokenHash);
    const row = await repo.findSessionUser(this.db, tokenHash);
    if (!row) return undefined;
    const session = { user: await this.toSessionUser(row.user), expiresAt: row.expiresAt, tokenHash };
    // Only sessions that exist are remembered: an unknown token is asked about every time.
    if (this.cacheSeconds > 0) {
      if (this.cache.size >= SESSION_CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(tokenHash, { until: now + this.cacheSeconds * 1000, session });
    }
    return session;
  }

  /** Which of `tokens` still belong to a live session (expired, signed out, reset or switched-off ones do not). */
  async liveTokens(tokens: string[]): Promise<Set<string>> {
    const byHash = new Map(tokens.filter((t) => t.length <= 200).map((t) => [hashToken(t), t]));
    const live = await repo.liveSessionHashes(this.db, [...byHash.keys()]);
    return new Set([...live].map((h) => byHash.get(h)!));
  }

  /** A user as services see them, for work the server does on their behalf at start (the demo history). */
  async actingAs(username: string): Promise<SessionUser | undefined> {
    const row = await repo.findUserByUsername(this.db, username);
    return row ? this.toSessionUser(row) : undefined;
  }

  private async toSessionUser(row: repo.UserRow): Promise<SessionUser> {
    let stationIds: string[] = row.stationId ? [row.stationId] : [];
    if (row.role === "admin") stationIds = await allStationIds(this.db);
    else if (row.role === "supervisor" && row.regionId) stationIds = await stationIdsInRegion(this.db, row.regionId);
    return {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      stationId: row.stationId,
      regionId: row.regionId,
      stationIds,
      allStations: row.role === "admin",
    };
  }
}

import { isIPv6 } from "node:net";
import type { DbOrTx } from "../db/client.js";
import * as repo from "./login-throttle.repo.js";

/** How often a node deletes expired rows, at most (it does so on a failed sign-in). */
const PRUNE_EVERY_MS = 60_000;

/** Limits of the sign-in throttle, each counted in one window. */
interface ThrottleLimits {
  /** Failures from one client address, any accounts; then that address may not sign in at all. */
  perAddress: number;
  /** Failures at one account from one address; then that address may not try that account. */
  perAccountFromAddress: number;
  /**
   * Failures at one account from anywhere; then only addresses that never failed at it in the
   * window may still try it. A guesser spread over many addresses gets one wrong guess per address.
   */
  perAccount: number;
  /** Window length in ms. */
  windowMs: number;
}

const DEFAULT_LIMITS: ThrottleLimits = {
  perAddress: 50,
  perAccountFromAddress: 10,
  perAccount: 100,
  windowMs: 15 * 60_000,
};

/** Why a sign-in is refused for now, and for how long (Retry-After). */
interface Refusal {
  reason: "address" | "account_from_address" | "account";
  retryAfterSeconds: number;
}

/**
 * Throttles sign-in so that guessing stops without a stranger being able to lock a crew out.
 *
 * Three counts of failures per window (`login_failures`):
 * - `a:<address>`: one client address, strict. A guesser at one address gets `perAddress` tries
 *   in all, whatever accounts they aim at.
 * - `p:<account>@<address>`: one account from one address; the old "ten wrong passwords" rule, but
 *   only for the address that typed them. The right password from anywhere else still gets in.
 * - `u:<account>`: one account from anywhere. Beyond `perAccount`, every address that has failed
 *   at this account in the window is refused, so a guesser spread over many addresses is slowed to
 *   one wrong guess per address per window, while a crew's own phones (which have not failed)
 *   sign in as usual. A success does not clear it, so signing in never hands a guesser fresh tries.
 * Sessions are never touched: a device already signed in keeps working whatever happens here.
 *
 * The counts live in the database, so every node shares one budget and a restart forgets nothing.
 * Each attempt costs one read, each failure one upsert that increments in place (no lost counts
 * under concurrency), a success one delete. Windows are timed on the database clock. Expired rows
 * are pruned by whichever node records a failure, at most once a minute per node.
 */
export class LoginThrottle {
  private lastPruneAt = 0;
  private readonly limits: ThrottleLimits;

  constructor(
    private readonly db: DbOrTx,
    limits: Partial<ThrottleLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Why a sign-in for this account from this address must be refused for now, or undefined. */
  async refusal(username: string, address: string): Promise<Refusal | undefined> {
    const k = keys(username, address);
    const live = await repo.liveLoginFailures(this.db, [k.address, k.pair, k.account], this.limits.windowMs);
    const at = (key: string) => live.get(key)?.count ?? 0;
    const refuse = (reason: Refusal["reason"], key: string): Refusal => ({
      reason,
      retryAfterSeconds: live.get(key)!.secondsLeft,
    });
    if (at(k.address) >= this.limits.perAddress) return refuse("address", k.address);
    if (at(k.pair) >= this.limits.perAccountFromAddress) return refuse("account_from_address", k.pair);
    // The pair's window, not the account's: the address may try again once its own failures expire.
    if (at(k.pair) > 0 && at(k.account) >= this.limits.perAccount) return refuse("account", k.pair);
    return undefined;
  }

  /** True when a sign-in for this account from this address must be refused for now. */
  async blocked(username: string, address: string): Promise<boolean> {
    return (await this.refusal(username, address)) !== undefined;
  }

  /** Records a failed attempt against the address, the account from it, and the account. */
  async fail(username: string, address: string): Promise<void> {
    const k = keys(username, address);
    await repo.addLoginFailures(this.db, [k.address, k.pair, k.account], this.limits.windowMs);
    if (Date.now() - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = Date.now();
      await repo.pruneLoginFailures(this.db, this.limits.windowMs);
    }
  }

  /**
   * After a success, forgets this address's failures at the account (a typo before the right
   * password). The address's own count and the account's stay: neither may be reset by a guesser
   * who also holds one valid account.
   */
  async succeed(username: string, address: string): Promise<void> {
    await repo.clearLoginFailures(this.db, keys(username, address).pair);
  }

  /** Deletes the rows whose window has passed; returns how many. */
  async prune(): Promise<number> {
    this.lastPruneAt = Date.now();
    return repo.pruneLoginFailures(this.db, this.limits.windowMs);
  }
}

/**
 * The account as sign-in looks it up (trimmed, lower-cased), so " Head " and "head" share one
 * budget; otherwise padding the name with spaces would buy a guesser fresh tries.
 */
const accountName = (username: string) => username.trim().toLowerCase();

/**
 * The address as counted: an IPv4-mapped IPv6 address as its IPv4, and an IPv6 address by its /64
 * (one subscriber's network; counting each address would let it rotate through 2^64 of them).
 */
export function addressBucket(address: string): string {
  const a = address
    .trim()
    .toLowerCase()
    .replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
  if (!isIPv6(a)) return a;
  const [head, tail = ""] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = a.includes("::") && tail ? tail.split(":") : [];
  const groups = a.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

function keys(username: string, address: string) {
  const account = accountName(username),
    from = addressBucket(address);
  return { address: `a:${from}`, pair: `p:${account}@${from}`, account: `u:${account}` };
}

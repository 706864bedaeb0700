import type { DbOrTx } from "../db/client.js";
import * as repo from "./login-throttle.repo.js";

/** How often a node deletes expired rows, at most (it does so on a failed sign-in). */
const PRUNE_EVERY_MS = 60_000;

/**
 * Counts failed sign-ins per account (`u:<lower-case name>`) and per client address (`a:<address>`)
 * in a fixed window; after too many within it, further attempts are refused (429) until it passes.
 *
 * The counts live in the database (`login_failures`), so every node shares one budget and a restart
 * forgets nothing: with N nodes a guesser still gets 10 tries per account, not 10·N. Each attempt
 * costs one read, each failure one upsert that increments in place (no lost counts under
 * concurrency), a success one delete. Windows are timed on the database clock. Expired rows are
 * pruned by whichever node records a failure, at most once a minute per node.
 */
export class LoginThrottle {
  private lastPruneAt = 0;

  constructor(
    private readonly db: DbOrTx,
    private readonly perAccount = 10,
    private readonly perAddress = 50,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** True when a sign-in for this account from this address must be refused for now. */
  async blocked(username: string, address: string): Promise<boolean> {
    const account = accountKey(username), from = addressKey(address);
    const live = await repo.liveLoginFailures(this.db, [account, from], this.windowMs);
    return (live.get(account) ?? 0) >= this.perAccount || (live.get(from) ?? 0) >= this.perAddress;
  }

  /** Records a failed attempt against the account and the address. */
  async fail(username: string, address: string): Promise<void> {
    await repo.addLoginFailures(this.db, [accountKey(username), addressKey(address)], this.windowMs);
    if (Date.now() - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = Date.now();
      await repo.pruneLoginFailures(this.db, this.windowMs);
    }
  }

  /** Clears the account's failures after a success (the address keeps its count). */
  async succeed(username: string): Promise<void> {
    await repo.clearLoginFailures(this.db, accountKey(username));
  }

  /** Deletes the rows whose window has passed; returns how many. */
  async prune(): Promise<number> {
    this.lastPruneAt = Date.now();
    return repo.pruneLoginFailures(this.db, this.windowMs);
  }
}

/**
 * The account's key: the name as sign-in looks it up (trimmed, lower-cased), so " Head " and "head"
 * share one budget; otherwise padding the name with spaces would buy a guesser fresh tries.
 */
const accountKey = (username: string) => `u:${username.trim().toLowerCase()}`;
/** The client address's key. */
const addressKey = (address: string) => `a:${address}`;

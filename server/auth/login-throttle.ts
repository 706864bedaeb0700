/**
 * Counts failed sign-ins per account and per address in memory; after too many within the window,
 * further attempts are refused (429) until it passes. Per process: with several nodes an attacker
 * gets N times the budget, still far from enough to guess a password.
 */
export class LoginThrottle {
  private failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly perAccount = 10,
    private readonly perAddress = 50,
    private readonly windowMs = 15 * 60_000,
  ) {}

  private over(key: string, limit: number, now: number): boolean {
    const f = this.failures.get(key);
    return !!f && f.resetAt > now && f.count >= limit;
  }

  /** True when a sign-in for this account from this address must be refused for now. */
  blocked(username: string, address: string, now = Date.now()): boolean {
    return this.over(`u:${username.toLowerCase()}`, this.perAccount, now) || this.over(`a:${address}`, this.perAddress, now);
  }

  /** Records a failed attempt. */
  fail(username: string, address: string, now = Date.now()): void {
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) {
      const f = this.failures.get(key);
      if (!f || f.resetAt <= now) this.failures.set(key, { count: 1, resetAt: now + this.windowMs });
      else f.count++;
    }
    if (this.failures.size > 100_000) this.prune(now);
  }

  /** Clears the account's failures after a success. */
  succeed(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }

  private prune(now: number): void {
    for (const [k, f] of this.failures) if (f.resetAt <= now) this.failures.delete(k);
  }
}

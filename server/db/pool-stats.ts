/**
 * Connection use of the database client, for /metrics. postgres.js keeps its pool queues private,
 * so this counts statements and transactions in flight through the client drizzle uses: a
 * statement holds a connection until it settles, a transaction for its whole body. More in flight
 * than the pool has connections means the rest wait in the client's queue.
 */
export interface PoolStats {
  /** Connections the client may open (1 for PGlite: one embedded backend, statements take turns). */
  size: number;
  /** Statements or transactions holding a connection now. */
  inUse: number;
  /** Statements or transactions queued for a connection. */
  waiting: number;
}

/** Counts work in flight; `stats()` splits it into in use and waiting by the pool size. */
export class PoolCounter {
  private inFlight = 0;
  constructor(readonly size: number) {}

  /** Counts `p` until it settles; returns `p` itself (no new promise, so the driver's object is kept). */
  track<T>(settle: (done: () => void) => T): T {
    this.inFlight++;
    let ended = false;
    return settle(() => {
      if (ended) return;
      ended = true;
      this.inFlight--;
    });
  }

  stats(): PoolStats {
    return {
      size: this.size,
      inUse: Math.min(this.inFlight, this.size),
      waiting: Math.max(0, this.inFlight - this.size),
    };
  }
}

/** What a postgres.js Query exposes that we hook: its own settle functions (set per instance). */
interface SettlingQuery {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Counts postgres.js statements (`unsafe`, which drizzle uses for every query) and transactions
 * (`begin`). A Query is lazy and has methods drizzle calls after creating it (`.values()`), so it is
 * returned as is and only its settle functions are wrapped: awaiting it here would start it early.
 */
export function trackPostgres(pg: import("postgres").Sql, counter: PoolCounter): void {
  const unsafe = pg.unsafe.bind(pg);
  const begin = pg.begin.bind(pg);
  pg.unsafe = ((...args: Parameters<typeof unsafe>) =>
    counter.track((done) => {
      const q = unsafe(...args) as unknown as SettlingQuery;
      const { resolve, reject } = q;
      q.resolve = (v) => (done(), resolve(v));
      q.reject = (e) => (done(), reject(e));
      return q;
    })) as unknown as typeof pg.unsafe;
  pg.begin = ((...args: unknown[]) =>
    counter.track((done) =>
      (begin as (...a: unknown[]) => Promise<unknown>)(...args).finally(done),
    )) as typeof pg.begin;
}

/** Counts PGlite statements and transactions; PGlite runs one at a time, the rest wait for its lock. */
export function trackPglite(client: import("@electric-sql/pglite").PGlite, counter: PoolCounter): void {
  for (const name of ["query", "exec", "transaction"] as const) {
    const original = (client[name] as (...a: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[name] = (...args: unknown[]) =>
      counter.track((done) => original(...args).finally(done));
  }
}

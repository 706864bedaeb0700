import { describe, expect, it } from "vitest";
import { FreshCache } from "../../server/totals/totals.cache.js";

/** A cache over a fake event log: `committed` is the highest visible event id, `watermark` the pump's. */
function setup(opts: { ttlMs?: number } = {}) {
  const log = { committed: 10, watermark: 10 as number | undefined, checks: 0 };
  let clock = 0;
  const cache = new FreshCache<string>({
    ttlMs: opts.ttlMs ?? 5000,
    maxEntries: 3,
    mark: () => log.watermark,
    changedSince: async (mark) => {
      log.checks++;
      return log.committed > mark;
    },
    now: () => clock,
  });
  let computed = 0;
  const deferred: ((v: string) => void)[] = [];
  /** A computation that finishes when `finish()` is called, answering with the log's state when it started. */
  const slow = () => {
    computed++;
    const seen = log.committed;
    return new Promise<string>((r) => deferred.push(() => r(`as of ${seen}`)));
  };
  const fast = () => {
    computed++;
    return Promise.resolve(`as of ${log.committed}`);
  };
  return {
    log,
    cache,
    slow,
    fast,
    computed: () => computed,
    finish: () => {
      for (const d of deferred.splice(0)) d("");
    },
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

describe("totals cache (FreshCache)", () => {
  it("five concurrent readers with nothing written share one computation", async () => {
    const s = setup();
    const first = s.cache.get("k", s.slow);
    const others = Array.from({ length: 4 }, () => s.cache.get("k", s.slow));
    await Promise.resolve();
    s.finish();
    expect(await Promise.all([first, ...others])).toEqual(Array(5).fill("as of 10"));
    expect(s.computed()).toBe(1);
    expect([s.cache.hits, s.cache.misses]).toEqual([4, 1]);
  });

  it("a reader who saw a write never joins a computation started before it: 2 computations, answers as of 10 and 11", async () => {
    const s = setup();
    const before = s.cache.get("k", s.slow);
    s.log.committed = 11; // a write commits (its event is visible); the pump has not caught up yet
    const after = s.cache.get("k", s.slow);
    await new Promise((r) => setTimeout(r, 0));
    s.finish();
    expect(await before).toBe("as of 10");
    expect(await after).toBe("as of 11");
    expect(s.computed()).toBe(2);
  });

  it("reuses a finished answer until an event commits past its watermark, then computes again (1 → 2 computations)", async () => {
    const s = setup();
    expect(await s.cache.get("k", s.fast)).toBe("as of 10");
    expect(await s.cache.get("k", s.fast)).toBe("as of 10");
    expect(s.computed()).toBe(1);
    s.log.committed = 12;
    expect(await s.cache.get("k", s.fast)).toBe("as of 12");
    expect(s.computed()).toBe(2);
    // The new answer was marked with the watermark of its start (10, the pump lagging): still recomputed
    // while the pump lags, reused once it has caught up.
    expect(await s.cache.get("k", s.fast)).toBe("as of 12");
    expect(s.computed()).toBe(3);
    s.log.watermark = 12;
    await s.cache.get("k", s.fast);
    expect(await s.cache.get("k", s.fast)).toBe("as of 12");
    expect(s.computed()).toBe(4);
  });

  it("caches nothing before the watermark is known: 3 reads, 3 computations", async () => {
    const s = setup();
    s.log.watermark = undefined;
    for (let i = 0; i < 3; i++) await s.cache.get("k", s.fast);
    expect(s.computed()).toBe(3);
    expect(s.log.checks).toBe(0);
  });

  it("keeps a finished answer at most ttlMs, but a running computation can be joined however long it runs", async () => {
    const s = setup({ ttlMs: 1000 });
    await s.cache.get("k", s.fast);
    s.tick(999);
    await s.cache.get("k", s.fast);
    expect(s.computed()).toBe(1);
    s.tick(1);
    await s.cache.get("k", s.fast);
    expect(s.computed()).toBe(2);
    const long = s.cache.get("j", s.slow);
    s.tick(5000);
    const joined = s.cache.get("j", s.slow);
    await new Promise((r) => setTimeout(r, 0));
    s.finish();
    expect([await long, await joined]).toEqual(["as of 10", "as of 10"]);
    expect(s.computed()).toBe(3);
    // The long answer's time to live starts when it finished, not when it started 5 s earlier.
    await s.cache.get("j", s.slow);
    expect(s.computed()).toBe(3);
    s.tick(1000);
    const again = s.cache.get("j", s.slow);
    await new Promise((r) => setTimeout(r, 0));
    s.finish();
    await again;
    expect(s.computed()).toBe(4);
  });

  it("asks about the events of each answer's own scope: a write in station b ends b's answer, not a's", async () => {
    const log = { watermark: 10, writes: [] as { id: number; station: string }[] };
    const cache = new FreshCache<string, string[]>({
      ttlMs: 5000,
      maxEntries: 10,
      mark: () => log.watermark,
      changedSince: async (mark, stations) => log.writes.some((w) => w.id > mark && stations.includes(w.station)),
    });
    let computed = 0;
    const compute = () => Promise.resolve(`#${++computed}`);
    expect(await cache.get("a", compute, ["a"])).toBe("#1");
    expect(await cache.get("b", compute, ["b"])).toBe("#2");
    log.writes.push({ id: 11, station: "b" });
    expect(await cache.get("a", compute, ["a"])).toBe("#1");
    expect(await cache.get("b", compute, ["b"])).toBe("#3");
  });

  it("does not keep a failed computation, and keys are separate (3 keys kept at most)", async () => {
    const s = setup();
    await expect(s.cache.get("k", () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
    expect(await s.cache.get("k", s.fast)).toBe("as of 10");
    for (const k of ["a", "b", "c"]) await s.cache.get(k, s.fast);
    const before = s.computed();
    await s.cache.get("k", s.fast); // evicted as the oldest of 4
    expect(s.computed()).toBe(before + 1);
  });
});

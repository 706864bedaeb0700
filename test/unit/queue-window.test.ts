import { describe, expect, it } from "vitest";
import type { Case } from "../../shared/api/cases.js";
import { compareQueueKey, type QueueKey } from "../../shared/queue.js";
import { URGENCIES, type Urgency } from "../../shared/vocab.js";
import { QueueWindow } from "../../web/src/desk/duty/queue-window.js";

const T0 = Date.parse("2026-01-10T20:00:00Z");
const STATION = "11111111-1111-4111-8111-111111111111";

/** A presented case; ids sort like their number so ties are predictable. */
function kase(n: number, urgency: Urgency, patch: Partial<Case> = {}): Case {
  const at = new Date(T0 + n * 1000).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    stationId: STATION,
    status: "open",
    urgency,
    urgencyReasons: [],
    computedUrgency: urgency,
    urgencyAlertLevel: null,
    urgencyOverridden: false,
    urgencyOverrideReason: null,
    lat: 45.76,
    lng: 126.63,
    placeText: `place ${n}`,
    keyPointId: null,
    peopleCount: 1,
    description: "",
    flags: [],
    temperatureC: null,
    notes: "",
    source: "public_hotline",
    callerCount: 1,
    mergedIntoId: null,
    receivedAt: at,
    lastCallAt: at,
    createdAt: at,
    updatedAt: at,
    dispatchedAt: null,
    onSceneAt: null,
    clearedAt: null,
    version: 1,
    ...patch,
  };
}

/** A window over the whole queue with a comparator that counts its calls. */
function counted(filter = { status: "active" as const }) {
  const calls = { n: 0 };
  const cmp = (a: QueueKey, b: QueueKey) => {
    calls.n++;
    return compareQueueKey(a, b);
  };
  return { win: new QueueWindow(filter, cmp), calls };
}

const sorted = (cs: readonly Case[]) => [...cs].sort(compareQueueKey);
const NOW = T0 + 3600_000;

describe("queue window: live cases applied as deltas", () => {
  it("a thousand live events touch only the cases they name, with no re-sort", () => {
    const { win, calls } = counted();
    const initial = sorted(Array.from({ length: 3000 }, (_, i) => kase(i, URGENCIES[i % 4]!)));
    win.appendPage(initial, initial.length, false);
    // What we expect the queue to be, kept by brute force beside the window.
    const truth = new Map(initial.map((c) => [c.id, c]));
    let next = 3000;
    let maxCompares = 0;
    const touched = new Set<string>();
    let replaced = 0;
    for (let e = 0; e < 1000; e++) {
      const before = win.items;
      const held = e % 4 === 0 ? [] : [...truth.values()];
      let ev: Case;
      let isNew = false;
      if (e % 4 === 0) {
        ev = kase(next++, URGENCIES[e % 3]!);
        isNew = true;
      } else {
        const cur = held[(e * 7919) % held.length]!;
        const patch: Partial<Case> =
          e % 4 === 1
            ? { status: "closed" }
            : e % 4 === 2
              ? { urgency: URGENCIES[(URGENCIES.indexOf(cur.urgency) + 1) % 4]! }
              : { callerCount: cur.callerCount + 1 };
        ev = { ...cur, ...patch, version: cur.version + 1 };
      }
      calls.n = 0;
      expect(win.apply(ev, NOW, isNew)).toBe("changed");
      maxCompares = Math.max(maxCompares, calls.n);
      if (ev.status === "closed") truth.delete(ev.id);
      else truth.set(ev.id, ev);
      touched.add(ev.id);
      // Every other entry is the very same object it was before this event.
      // (checked by hand and counted: three million expect() calls would take a minute)
      const beforeSet = new Set(before);
      for (const c of win.items) if (c.id !== ev.id && !beforeSet.has(c)) replaced++;
    }
    expect(replaced).toBe(0);
    // Two binary searches (find the old place, find the new one): log2(4000) ≈ 12 each.
    expect(maxCompares).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(4000)) + 2);
    expect(win.items).toEqual(sorted([...truth.values()]));
    expect(win.total).toBe(truth.size);
    // Closed cases left memory: the window holds exactly the open ones.
    expect(win.items.length).toBe(truth.size);
    expect(win.get(initial.find((c) => !truth.has(c.id))!.id)).toBeUndefined();
    // Untouched cases from the first load are still the objects the page brought.
    const first = new Map(initial.map((c) => [c.id, c]));
    for (const c of win.items) if (!touched.has(c.id)) expect(c).toBe(first.get(c.id));
  });

  it("an older or repeated version changes nothing and keeps the snapshot", () => {
    const { win } = counted();
    const a = kase(1, "high", { version: 3 });
    win.appendPage([a], 1, false);
    const snap = win.items;
    expect(win.apply({ ...a, version: 2, urgency: "low" }, NOW)).toBe("unchanged");
    expect(win.apply({ ...a }, NOW)).toBe("unchanged");
    expect(win.items).toBe(snap);
  });

  it("beyond the loaded pages: new cases are counted once, changes of unknown ones ask for a recount", () => {
    const { win } = counted();
    const page = sorted(Array.from({ length: 10 }, (_, i) => kase(i, "critical")));
    win.appendPage(page, 500, true);
    const late = kase(9000, "low");
    expect(win.apply(late, NOW, true)).toBe("changed");
    expect(win.total).toBe(501);
    expect(win.items).toHaveLength(10);
    expect(win.apply(late, NOW, true)).toBe("unchanged");
    expect(win.total).toBe(501);
    // A case closing beyond the window may or may not have been counted: the window cannot tell.
    expect(win.apply(kase(8000, "low", { status: "closed", version: 2 }), NOW)).toBe("recount");
    // A critical case sorts inside the window: held and counted.
    const early = new Date(T0 - 1000).toISOString();
    expect(win.apply(kase(9001, "critical", { receivedAt: early }), NOW, true)).toBe("changed");
    expect(win.items).toHaveLength(11);
    expect(win.total).toBe(502);
    // A held case that drops below the window's end leaves memory but stays counted.
    const held = win.items[0]!;
    expect(win.apply({ ...held, urgency: "low", version: held.version + 1 }, NOW)).toBe("changed");
    expect(win.get(held.id)).toBeUndefined();
    expect(win.total).toBe(502);
  });

  it("a filter keeps only matching cases", () => {
    const { win } = counted();
    const w = new QueueWindow({ status: "active", urgency: "critical" });
    w.appendPage([kase(1, "critical")], 1, false);
    expect(w.apply(kase(2, "low"), NOW, true)).toBe("unchanged");
    expect(w.apply({ ...kase(1, "critical"), urgency: "high", version: 2 }, NOW)).toBe("changed");
    expect(w.items).toHaveLength(0);
    expect(w.total).toBe(0);
    expect(win.items).toHaveLength(0);
  });
});

import type { Case } from "../../../../shared/api/cases.js";
import { compareQueueKey, matchesQueueFilter, type QueueFilter, type QueueKey } from "../../../../shared/queue.js";

/** What applying one live case did to the window. */
type ApplyResult =
  /** Nothing the screen shows changed (an older version, or a case outside the filter and window). */
  | "unchanged"
  /** The list or the total changed. */
  | "changed"
  /** The total may have changed but the window cannot tell (a case beyond the loaded pages): recount. */
  | "recount";

/**
 * The part of the queue the browser holds: the pages loaded so far, in queue order, and the true
 * number of cases matching the filter on the server. Live cases are applied as deltas: one binary
 * search and one splice; every untouched entry keeps its identity (so memoized rows do not render)
 * and nothing is re-sorted. A case that leaves the filter leaves memory.
 *
 * The window ends at `boundary`, the last case of the last page fetched (null once the last page
 * came: the window is the whole queue). A live case sorting after the boundary is not held (the
 * next page brings it); whether it was counted before is then unknown, and the caller recounts.
 */
export class QueueWindow {
  /** Held cases in queue order; a new array on every change (a React snapshot). */
  items: readonly Case[] = [];
  total = 0;
  boundary: QueueKey | null = null;
  private readonly byId = new Map<string, Case>();
  /** New cases counted without being held (beyond the loaded pages), so a repeated event counts once. */
  private readonly countedNew = new Set<string>();

  constructor(
    readonly filter: QueueFilter,
    private readonly cmp: (a: QueueKey, b: QueueKey) => number = compareQueueKey,
  ) {}

  /** True when every case matching the filter is held. */
  get complete(): boolean {
    return this.boundary === null;
  }

  /** Appends a page fetched after the current boundary (the first page when empty). */
  appendPage(page: readonly Case[], total: number, more: boolean): void {
    const fresh = page.filter((c) => !this.byId.has(c.id));
    for (const c of fresh) this.byId.set(c.id, c);
    this.items = this.items.concat(fresh);
    this.total = total;
    const last = page.at(-1);
    this.boundary = more && last ? { urgency: last.urgency, receivedAt: last.receivedAt, id: last.id } : null;
  }

  /** Sets the total from a recount. */
  setTotal(total: number): boolean {
    if (total === this.total) return false;
    this.total = total;
    return true;
  }

  /** The held case with this id. */
  get(id: string): Case | undefined {
    return this.byId.get(id);
  }

  /**
   * Applies a case as an event carries it. `isNew` says the case did not exist before the event
   * (case.created), so it was never counted.
   */
  apply(next: Case, now: number, isNew = false): ApplyResult {
    const cur = this.byId.get(next.id);
    if (cur && cur.version >= next.version) return "unchanged";
    const matches = matchesQueueFilter(next, this.filter, now);
    const inWindow = matches && (this.boundary === null || this.cmp(next, this.boundary) <= 0);
    if (cur) {
      if (!matches) this.total -= 1;
    } else if (matches) {
      // Not held: counted before only if it sorted beyond the loaded pages and matched then.
      if (isNew && !inWindow) {
        if (this.countedNew.has(next.id)) return "unchanged";
        this.countedNew.add(next.id);
      }
      if (inWindow || isNew) this.total += 1;
      else return "recount";
    } else {
      // Not held and not matching: it may have matched beyond the loaded pages before this change.
      return isNew || this.boundary === null ? "unchanged" : "recount";
    }
    if (!cur && !inWindow) return "changed";
    const items = this.items.slice();
    if (cur) {
      items.splice(this.indexOf(cur), 1);
      this.byId.delete(cur.id);
    }
    if (inWindow) {
      items.splice(this.insertionPoint(items, next), 0, next);
      this.byId.set(next.id, next);
    }
    this.items = items;
    return "changed";
  }

  /** First index whose case does not sort before `key` (binary search). */
  private insertionPoint(items: readonly Case[], key: QueueKey): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cmp(items[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of a held case: found by its own key, so no scan. */
  private indexOf(c: Case): number {
    const i = this.insertionPoint(this.items, c);
    return this.items[i] === c ? i : this.items.indexOf(c);
  }
}

import type { DomainEvent } from "../../../shared/events.js";
import { eventStream } from "./socket.js";

/**
 * The last N events received, newest first, kept outside React so the feed survives
 * navigation between pages. A bounded buffer: a busy night must not grow memory without end.
 */
export const FEED_SIZE = 100;

let items: readonly DomainEvent[] = [];
const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

eventStream.subscribe((e) => {
  items = [e, ...items].slice(0, FEED_SIZE);
  notify();
});

export const eventFeed = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Immutable snapshot, suitable for useSyncExternalStore. */
  get: (): readonly DomainEvent[] => items,
  clear(): void {
    items = [];
    notify();
  },
};

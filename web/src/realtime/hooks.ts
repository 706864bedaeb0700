import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from "react";
import type { DomainEvent, ResyncRequired } from "../../../shared/events.js";
import { eventStream, type StreamStatus } from "./socket.js";

/** Connection status of the live stream and the last event id applied, re-rendering on change. */
export function useEventStream(): { status: StreamStatus; lastEventId: number | null } {
  const status = useSyncExternalStore((l) => eventStream.onStatus(l), eventStream.getStatus, eventStream.getStatus);
  // lastEventId changes with every event; read it on render instead of subscribing to it.
  return { status, lastEventId: eventStream.getLastEventId() };
}

/**
 * Calls `listener` for every new domain event while the component is mounted. The latest
 * listener is kept in a ref so callers may pass an inline closure without resubscribing.
 */
export function useDomainEvents(listener: (e: DomainEvent) => void): void {
  const ref = useRef(listener);
  useLayoutEffect(() => {
    ref.current = listener;
  });
  useEffect(() => eventStream.subscribe((e) => ref.current(e)), []);
}

/** Calls `listener` when the server asks the page to reload its state over HTTP. */
export function useResync(listener: (info: ResyncRequired) => void): void {
  const ref = useRef(listener);
  useLayoutEffect(() => {
    ref.current = listener;
  });
  useEffect(() => eventStream.onResync((i) => ref.current(i)), []);
}

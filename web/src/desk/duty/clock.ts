import { useSyncExternalStore } from "react";

/**
 * One shared one-second clock for the duty room's timers. The timer runs only while something
 * subscribes, and only mounted timers subscribe: with a virtualized queue that is the rows on
 * screen, so a tick re-renders a score of timer labels, not every case.
 */
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
const subscribers = new Set<() => void>();

function subscribe(l: () => void): () => void {
  subscribers.add(l);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const s of subscribers) s();
    }, 1000);
  }
  return () => {
    subscribers.delete(l);
    if (!subscribers.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time (ms), re-rendering the caller once a second. */
export function useClock(): number {
  return useSyncExternalStore(subscribe, () => now);
}

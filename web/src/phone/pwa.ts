import { registerSW } from "virtual:pwa-register";

/**
 * The phone page's service worker (built by vite-plugin-pwa, see web/vite.config.ts): it serves the
 * page's shell and chunks from cache so the page opens with no signal. A new version is installed
 * in the background and then waits: it is applied only at a safe moment, when no sortie is active
 * and nothing waits in the outbox (`updateWhenSafe`), or on the next cold start, when the browser
 * activates it by itself. Never mid-sortie, where a reload would throw the crew out of a form.
 */
let update: ((reload?: boolean) => Promise<void>) | null = null;
let waiting = false;
let safe = false;

const apply = () => {
  if (waiting && safe && update) {
    waiting = false;
    void update(true);
  }
};

export function startServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  update = registerSW({
    immediate: true,
    onNeedRefresh() {
      waiting = true;
      apply();
    },
  });
}

/** Tells the updater whether now is a safe moment (no active sortie, empty outbox). */
export function updateWhenSafe(isSafe: boolean): void {
  safe = isSafe;
  apply();
}

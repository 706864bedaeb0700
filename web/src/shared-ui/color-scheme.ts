import { useSyncExternalStore } from "react";

/** What the page shows: the day theme or the night theme. */
export type Scheme = "light" | "dark";
/** What the user chose: follow the device, or one theme whatever the device says. */
export type SchemeChoice = Scheme | "auto";

const KEY = "warmline.colorScheme";
const listeners = new Set<() => void>();
const dark = () => typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;

function readChoice(): SchemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === "light" || v === "dark" ? v : "auto";
  } catch {
    return "auto";
  }
}

function current(): Scheme {
  const c = readChoice();
  return c === "auto" ? (dark() ? "dark" : "light") : c;
}

/** Marks the document (CSS reads html[data-theme]) and the browser's own controls and scrollbars. */
function apply(): void {
  const s = current();
  document.documentElement.dataset.theme = s;
  document.documentElement.style.colorScheme = s;
  for (const l of listeners) l();
}

let started = false;
/** Applies the theme before the first render and follows the device from then on. */
export function startColorScheme(): void {
  if (started) return;
  started = true;
  apply();
  if (typeof matchMedia === "function") matchMedia("(prefers-color-scheme: dark)").addEventListener("change", apply);
  // Another tab switched: follow it.
  addEventListener("storage", (e) => {
    if (e.key === KEY) apply();
  });
}

/** Remembers the choice on this device (crews share phones across shifts: it stays with the phone). */
export function setSchemeChoice(choice: SchemeChoice): void {
  try {
    if (choice === "auto") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  apply();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => void listeners.delete(l);
}

/** The theme shown now and the user's choice; re-renders when either changes. */
export function useColorScheme(): { scheme: Scheme; choice: SchemeChoice } {
  const scheme = useSyncExternalStore(subscribe, current);
  const choice = useSyncExternalStore(subscribe, readChoice);
  return { scheme, choice };
}

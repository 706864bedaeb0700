import { useEffect, useSyncExternalStore } from "react";

/**
 * The duty room's attention signal: a short beep (WebAudio, no sound file to load) and the window
 * title flashing while something needs the operator — a task nobody acknowledged, a new critical
 * case. The operator may be on another tab or looking at the phone; a banner alone is missed.
 * Reasons are raised and cleared by whoever owns them; the signal runs while any is raised.
 * Muting silences the beep only (the title and the banners stay); it is remembered per browser.
 */

const MUTE_KEY = "wl.attention.muted";
/** How often the beep repeats while a reason stands. */
const BEEP_EVERY_MS = 6_000;
/** Title flash period. */
const FLASH_EVERY_MS = 1_000;

type Reasons = ReadonlyMap<string, string>;
let reasons: Reasons = new Map();
/** Reasons that come first in the title and sound even when muted (a crew's panic). */
let urgent: ReadonlySet<string> = new Set();
let muted = readMuted();
const listeners = new Set<() => void>();

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === "1";
  } catch {
    return false;
  }
}

function emit(): void {
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/**
 * Raises (or re-labels) a reason for attention; `text` is what the title flashes. An `urgent`
 * reason (a crew's panic) goes before every other in the title and beeps even when muted.
 */
export function raiseAttention(key: string, text: string, opts: { urgent?: boolean } = {}): void {
  if (reasons.get(key) === text && urgent.has(key) === !!opts.urgent) return;
  const next = opts.urgent ? new Map([[key, text]]) : new Map<string, string>();
  for (const [k, v] of reasons) if (k !== key) next.set(k, v);
  if (!opts.urgent) next.set(key, text);
  reasons = next;
  const u = new Set(urgent);
  if (opts.urgent) u.add(key);
  else u.delete(key);
  urgent = u;
  emit();
}

/** Clears a reason; the signal stops when none is left. */
export function clearAttention(key: string): void {
  if (!reasons.has(key)) return;
  const next = new Map(reasons);
  next.delete(key);
  reasons = next;
  if (urgent.has(key)) urgent = new Set([...urgent].filter((k) => k !== key));
  emit();
}

/** Clears every reason whose key starts with `prefix` and is not in `keep`. */
export function clearAttentionExcept(prefix: string, keep: ReadonlySet<string>): void {
  const drop = [...reasons.keys()].filter((k) => k.startsWith(prefix) && !keep.has(k));
  if (!drop.length) return;
  const next = new Map(reasons);
  for (const k of drop) next.delete(k);
  reasons = next;
  urgent = new Set([...urgent].filter((k) => next.has(k)));
  emit();
}

export function setMuted(value: boolean): void {
  muted = value;
  try {
    localStorage.setItem(MUTE_KEY, value ? "1" : "0");
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  emit();
}

export function useAttention(): { reasons: Reasons; muted: boolean; urgent: boolean } {
  const r = useSyncExternalStore(subscribe, () => reasons);
  const m = useSyncExternalStore(subscribe, () => muted);
  const u = useSyncExternalStore(subscribe, () => urgent.size > 0);
  return { reasons: r, muted: m, urgent: u };
}

let audio: AudioContext | null = null;

/** Two short tones. Browsers start audio only after a user gesture; before that this is silent. */
function beep(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
    const t0 = audio.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + i * 0.2);
      gain.gain.exponentialRampToValueAtTime(0.3, t0 + i * 0.2 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.2 + 0.18);
      osc.connect(gain).connect(audio.destination);
      osc.start(t0 + i * 0.2);
      osc.stop(t0 + i * 0.2 + 0.2);
    }
  } catch {
    // No audio device: the title and the banner still show.
  }
}

/**
 * Runs the signal while any reason stands: the title alternates between the first reason and the
 * page's own title, and the beep repeats unless muted. Mount once per page.
 */
export function useAttentionSignal(formatTitle: (what: string) => string): void {
  const { reasons: r, muted: m, urgent: u } = useAttention();
  const first = r.values().next().value;
  const text = first === undefined ? null : formatTitle(first);
  useEffect(() => {
    if (text === null) return;
    const original = document.title;
    let on = true;
    const flash = setInterval(() => {
      on = !on;
      document.title = on ? text : original;
    }, FLASH_EVERY_MS);
    document.title = text;
    return () => {
      clearInterval(flash);
      document.title = original;
    };
  }, [text]);
  const active = text !== null;
  const silent = m && !u;
  useEffect(() => {
    if (!active || silent) return;
    beep();
    const timer = setInterval(beep, BEEP_EVERY_MS);
    return () => clearInterval(timer);
  }, [active, silent]);
}

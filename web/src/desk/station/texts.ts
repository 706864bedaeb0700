import { useEffect, useRef, useState } from "react";
import { useLanguage } from "../../i18n/index.js";
import { station as zh, type StationTexts } from "../../i18n/locales/zh-CN/station.js";
import { station as en } from "../../i18n/locales/en/station.js";
import { eventStream } from "../../realtime/socket.js";
import { fillTemplate } from "../../../../shared/plural.js";

/** The station page's texts in the current language, typed (same pattern as the duty room). */
export function useStationTexts(): StationTexts {
  const [lang] = useLanguage();
  return lang === "en" ? en : zh;
}

/** Fills "{{name}}" placeholders and picks "[[name:one|other]]" English plural forms (shared/plural.ts). */
export function fmt(text: string, vars: Record<string, string | number>): string {
  return fillTemplate(text, vars);
}

/** Yuan from fen, two decimals dropped when whole. */
export function yuan(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
}

/** Event type prefixes after which campaign totals (and the comparison built from them) may change. */
export const TOTALS_EVENTS = [
  "encounter",
  "patrol",
  "sortie",
  "keypoint",
  "key_point",
  "stay.",
  "supply",
  "person.family",
  "case",
  "distribution.",
  "identification.",
];

/**
 * Loads data and reloads it when an event whose type starts with one of `prefixes` arrives (and
 * after a resync), debounced: the page never depends on a push that could be lost, it only uses
 * pushes as a hint to refetch.
 */
export function useLive<T>(
  load: (() => Promise<T>) | null,
  deps: unknown[],
  prefixes: string[],
): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    if (!load) return;
    let live = true;
    setLoading(true);
    load()
      .then(
        (d) => {
          if (live) {
            setData(d);
            setError(null);
          }
        },
        (e) => {
          if (live) setError(e);
        },
      )
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, !!load]);
  useEffect(() => {
    const bump = () => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setTick((n) => n + 1), 400);
    };
    const offE = eventStream.subscribe((e) => {
      if (prefixes.some((p) => e.type.startsWith(p))) bump();
    });
    const offR = eventStream.onResync(bump);
    return () => {
      offE();
      offR();
      clearTimeout(timer.current);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [prefixes.join(",")]);
  return { data, error, loading, reload: () => setTick((n) => n + 1) };
}

import { useMemo, useSyncExternalStore } from "react";
import { DEFAULT_LANG, detectLanguage, storeLanguage, syncDocumentLang, type Lang } from "./lang.js";

/**
 * A minimal translator for the phone page over the same resource files the desktop feeds to
 * i18next. i18next plus react-i18next cost ~19 kB gzipped, a fifth of the phone's budget, for
 * features the phone does not use (backends, plural rules engines, formatters, context). This
 * keeps the parts that matter: typed dotted keys, `{{var}}` interpolation in i18next syntax,
 * fallback to zh-CN, language detection and the shared stored choice. The hook is shaped like
 * react-i18next's `useTranslation`, so components read the same on both pages.
 */

/** "a.b.c" for every string leaf of a resource object. */
type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

type Vars = Record<string, string | number>;
type TFn<T> = (key: Leaves<T>, vars?: Vars) => string;

function lookup(tree: unknown, key: string): string | undefined {
  let node = tree;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

function interpolate(text: string, vars: Vars | undefined): string {
  if (!vars) return text;
  // No HTML escaping on purpose: React escapes what it renders (same as escapeValue: false).
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function createI18nLite<R extends { common: object }>(bundles: { [N in keyof R]: Record<Lang, R[N]> }) {
  let lang: Lang = detectLanguage();
  syncDocumentLang(lang);
  const listeners = new Set<() => void>();
  const subscribe = (l: () => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  const getLang = () => lang;

  function translator<N extends keyof R>(ns: N, current: Lang): TFn<R[N]> {
    return (key, vars) => {
      const text = lookup(bundles[ns][current], key) ?? lookup(bundles[ns][DEFAULT_LANG], key) ?? key;
      return interpolate(text, vars);
    };
  }

  function setLanguage(next: Lang): void {
    storeLanguage(next);
    if (next === lang) return;
    lang = next;
    syncDocumentLang(next);
    for (const l of listeners) l();
  }

  function useLanguage(): [Lang, (lang: Lang) => void] {
    return [useSyncExternalStore(subscribe, getLang, getLang), setLanguage];
  }

  function useTranslation(): { t: TFn<R["common"]> };
  function useTranslation<N extends keyof R>(ns: N): { t: TFn<R[N]> };
  function useTranslation(ns: keyof R = "common"): { t: (key: never, vars?: Vars) => string } {
    const current = useSyncExternalStore(subscribe, getLang, getLang);
    // Stable per language, so `t` can sit in effect dependencies without re-running them.
    const t = useMemo(() => translator(ns, current), [ns, current]);
    return { t };
  }

  return { useTranslation, useLanguage, setLanguage, getLanguage: getLang };
}

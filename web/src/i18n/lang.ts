/**
 * Language choice, shared by both pages and free of i18next, so the phone page can use it
 * without bundling i18next (see ./lite.ts).
 */
export const LANGS = ["zh-CN", "en"] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = "zh-CN";

const STORAGE_KEY = "warmline.lang";

/** Maps any BCP-47 tag to a supported language ("zh-TW" -> zh-CN, "en-GB" -> en). */
export function toLang(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  const t = tag.toLowerCase();
  if (t.startsWith("zh")) return "zh-CN";
  if (t.startsWith("en")) return "en";
  return null;
}

/** The user's explicit choice if any, else the browser's preference, else Chinese. */
export function detectLanguage(): Lang {
  try {
    const stored = toLang(localStorage.getItem(STORAGE_KEY));
    if (stored) return stored;
  } catch {
    /* storage disabled: fall through to the browser's languages */
  }
  const prefs = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
  for (const p of prefs) {
    const l = toLang(p);
    if (l) return l;
  }
  return DEFAULT_LANG;
}

/** Remembers an explicit choice for the next visit (both pages share it). */
export function storeLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* the choice still applies to this page */
  }
}

/** Screen readers and CJK font selection both follow <html lang>. */
export function syncDocumentLang(lang: string): void {
  if (typeof document !== "undefined") document.documentElement.lang = toLang(lang) ?? DEFAULT_LANG;
}

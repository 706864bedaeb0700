import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";

/**
 * i18next set-up shared by both pages. Each page passes only the namespaces it uses, so the
 * phone bundle never carries the desktop texts. Resources are bundled (no HTTP backend): the
 * texts are small and the phone must work with a bad signal.
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

type Bundles = Record<string, Record<Lang, object>>;

/** Initialises i18next with the given namespaces; the first is the default namespace. */
export function initI18n(bundles: Bundles): I18n {
  const namespaces = Object.keys(bundles);
  const resources: Record<string, Record<string, object>> = {};
  for (const lang of LANGS) {
    resources[lang] = {};
    for (const ns of namespaces) resources[lang]![ns] = bundles[ns]![lang];
  }
  const lng = detectLanguage();
  void i18next.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: DEFAULT_LANG,
    supportedLngs: [...LANGS],
    ns: namespaces,
    defaultNS: namespaces[0],
    // React escapes text itself; escaping here would double-escape.
    interpolation: { escapeValue: false },
    // Resources are in memory: initialise synchronously so the first render is translated.
    initAsync: false,
    returnNull: false,
  });
  syncDocumentLang(lng);
  i18next.on("languageChanged", syncDocumentLang);
  return i18next;
}

function syncDocumentLang(lng: string): void {
  // Screen readers and CJK font selection both follow <html lang>.
  if (typeof document !== "undefined") document.documentElement.lang = toLang(lng) ?? DEFAULT_LANG;
}

/** Switches language and remembers the choice for the next visit. */
export function setLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* the choice still applies to this page */
  }
  void i18next.changeLanguage(lang);
}

/** The current language, re-rendering when it changes. */
export function useLanguage(): [Lang, (lang: Lang) => void] {
  const { i18n } = useTranslation();
  return [toLang(i18n.resolvedLanguage ?? i18n.language) ?? DEFAULT_LANG, setLanguage];
}

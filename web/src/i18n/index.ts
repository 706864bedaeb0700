import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import { choosePlurals } from "../../../shared/plural.js";
import { DEFAULT_LANG, LANGS, detectLanguage, storeLanguage, syncDocumentLang, toLang, type Lang } from "./lang.js";

export { LANGS, type Lang } from "./lang.js";

/**
 * i18next set-up for the desktop app. The page passes only the namespaces it uses. Resources
 * are bundled (no HTTP backend): the texts are small and must be there on the first render.
 * The phone page uses ./lite.ts over the same resource files instead, to stay small.
 */
export function initI18n(bundles: Record<string, Record<Lang, object>>): I18n {
  const namespaces = Object.keys(bundles);
  const resources: Record<string, Record<string, object>> = {};
  for (const lang of LANGS) {
    resources[lang] = {};
    for (const ns of namespaces) resources[lang]![ns] = bundles[ns]![lang];
  }
  const lng = detectLanguage();
  void i18next
    .use(initReactI18next)
    .use(englishPlurals)
    .init({
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
      postProcess: [englishPlurals.name],
    });
  syncDocumentLang(lng);
  i18next.on("languageChanged", syncDocumentLang);
  return i18next;
}

/**
 * "[[n:one|other]]" in a text picks the English form for the number passed as `n` ("1 vehicle",
 * "2 vehicles"), the same marks as the typed text objects and the report text (shared/plural.ts),
 * so one resource key serves both languages (Chinese texts have no marks).
 */
export const englishPlurals = {
  type: "postProcessor" as const,
  name: "englishPlurals",
  process: (value: string, _key: string | string[], options: Record<string, unknown>) => choosePlurals(value, options),
};

/** Switches language and remembers the choice for the next visit. */
function setLanguage(lang: Lang): void {
  storeLanguage(lang);
  void i18next.changeLanguage(lang);
}

/** The current language, re-rendering when it changes. */
export function useLanguage(): [Lang, (lang: Lang) => void] {
  const { i18n } = useTranslation();
  return [toLang(i18n.resolvedLanguage ?? i18n.language) ?? DEFAULT_LANG, setLanguage];
}

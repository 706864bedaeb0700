import { useLanguage } from "../../i18n/index.js";
import { dutyroom as zh, type DutyRoomTexts } from "../../i18n/locales/zh-CN/dutyroom.js";
import { dutyroom as en } from "../../i18n/locales/en/dutyroom.js";
import { fillTemplate } from "../../../../shared/plural.js";

/**
 * The duty room's texts in the current language, as a typed object (the keys are checked at
 * compile time like the rest of the app's i18n, without widening the shared i18next types).
 */
export function useDutyTexts(): DutyRoomTexts {
  const [lang] = useLanguage();
  return lang === "en" ? en : zh;
}

/** Fills "{{name}}" placeholders and picks "[[name:one|other]]" English plural forms (shared/plural.ts). */
export function fmt(text: string, vars: Record<string, string | number>): string {
  return fillTemplate(text, vars);
}

/** "zh" or "en" for shared/urgency.ts describeUrgency. */
export function useReasonLang(): "zh" | "en" {
  const [lang] = useLanguage();
  return lang === "en" ? "en" : "zh";
}

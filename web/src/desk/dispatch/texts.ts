import { useLanguage } from "../../i18n/index.js";
import { fleet as zh, type FleetTexts } from "../../i18n/locales/zh-CN/fleet.js";
import { fleet as en } from "../../i18n/locales/en/fleet.js";
import { fillTemplate } from "../../../../shared/plural.js";

/** Fleet texts in the current language, typed (same pattern as the duty room's texts). */
export function useFleetTexts(): FleetTexts {
  const [lang] = useLanguage();
  return lang === "en" ? en : zh;
}

/** Fills "{{name}}" placeholders and picks "[[name:one|other]]" English plural forms (shared/plural.ts). */
export function fmt(text: string, vars: Record<string, string | number>): string {
  return fillTemplate(text, vars);
}

import { useTranslation } from "react-i18next";
import { useLanguage } from "../../../i18n/index.js";
import { errorText } from "../../../i18n/errors.js";
import { ApiError } from "../../../api/http.js";
import { identification as zh, type IdentificationTexts } from "../../../i18n/locales/zh-CN/identification.js";
import { identification as en } from "../../../i18n/locales/en/identification.js";

/** The workbench's texts in the current language, typed. */
export function useIdTexts(): IdentificationTexts {
  const [lang] = useLanguage();
  return lang === "en" ? en : zh;
}

/** A failure as text with its stable code (e.g. "记录已被他人修改 (CONFLICT)"). */
export function useErrorWithCode(): (err: unknown) => string {
  const { t: tc } = useTranslation();
  return (err) => {
    const text = errorText(tc, err);
    return err instanceof ApiError ? `${text} (${err.code})` : text;
  };
}

/** A time in the browser's locale. */
export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

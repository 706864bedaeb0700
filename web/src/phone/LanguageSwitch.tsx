import { LANGS, type Lang } from "../i18n/lang.js";
import { useLanguage, useTranslation } from "./i18n.js";

const LABEL_KEY: Record<Lang, "language.zh" | "language.en"> = { "zh-CN": "language.zh", en: "language.en" };

/** Two big toggle buttons; each label is in its own language so anyone can find theirs. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const [lang, setLang] = useLanguage();
  return (
    <div className="ph-lang" role="group" aria-label={t("language.label")}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          className="ph-btn ph-btn-toggle"
          aria-pressed={lang === l}
          onClick={() => setLang(l)}
        >
          {t(LABEL_KEY[l])}
        </button>
      ))}
    </div>
  );
}

import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { LANGS, useLanguage, type Lang } from "../../i18n/index.js";

/** 中文 / English. Each option is labelled in its own language. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const [lang, setLang] = useLanguage();
  return (
    <Segmented<Lang>
      aria-label={t("language.label")}
      size="small"
      value={lang}
      onChange={setLang}
      options={LANGS.map((l) => ({ value: l, label: l === "en" ? t("language.en") : t("language.zh") }))}
    />
  );
}

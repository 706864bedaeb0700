import { setSchemeChoice, useColorScheme, type SchemeChoice } from "../shared-ui/color-scheme.js";
import { useTranslation } from "./i18n.js";

const CHOICES: readonly SchemeChoice[] = ["auto", "light", "dark"];

/** Day / night / follow the phone: three big toggles, like the language switch (48 px and up). */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const { choice } = useColorScheme();
  return (
    <div className="ph-theme" role="group" aria-label={t("theme.label")}>
      {CHOICES.map((c) => (
        <button
          key={c}
          type="button"
          className="ph-btn ph-btn-toggle ph-btn-small"
          aria-pressed={choice === c}
          onClick={() => setSchemeChoice(c)}
        >
          {t(`theme.${c}`)}
        </button>
      ))}
    </div>
  );
}

import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { setSchemeChoice, useColorScheme, type SchemeChoice } from "../../shared-ui/color-scheme.js";

/** Day / night / follow the device; the choice is kept on this computer. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const { choice } = useColorScheme();
  return (
    <Segmented<SchemeChoice>
      aria-label={t("theme.label")}
      size="small"
      value={choice}
      onChange={setSchemeChoice}
      options={(["auto", "light", "dark"] as const).map((c) => ({ value: c, label: t(`theme.${c}`) }))}
    />
  );
}

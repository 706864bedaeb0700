import { theme, type ThemeConfig } from "antd";
import type { Scheme } from "../shared-ui/color-scheme.js";

/**
 * The desk's antd themes, day and night, with every text colour at 4.5:1 or more on the surfaces it
 * sits on (WCAG 2.1 AA) — antd's own secondary grey is 3.4:1, its placeholder 1.8:1 — and controls
 * and focus at 3:1 or more. Tag colours are set in desk.css (antd derives them per preset).
 */
const LIGHT: ThemeConfig = {
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: "#b3261e",
    colorLink: "#0958d9",
    colorError: "#cf1322",
    colorSuccess: "#237804",
    colorWarning: "#ad6800",
    colorTextSecondary: "#595959",
    colorTextTertiary: "#666666",
    colorTextDescription: "#666666",
    colorTextPlaceholder: "#707070",
    // Borders of inputs, selects and checkboxes: 3:1 on white (antd's #d9d9d9 is 1.4:1).
    colorBorder: "#8c8c8c",
  },
};

const DARK: ThemeConfig = {
  algorithm: theme.darkAlgorithm,
  token: {
    // The day red is 2.9:1 on the night background; this one keeps white button text at 4.5:1
    // and reads as text on #141414.
    colorPrimary: "#d23a2f",
    colorLink: "#69b1ff",
    colorError: "#ff7875",
    colorSuccess: "#73d13d",
    colorWarning: "#ffc53d",
    colorTextSecondary: "rgba(255, 255, 255, 0.75)",
    colorTextTertiary: "rgba(255, 255, 255, 0.7)",
    colorTextDescription: "rgba(255, 255, 255, 0.7)",
    colorTextPlaceholder: "rgba(255, 255, 255, 0.6)",
    colorBorder: "#8c8c8c",
  },
  // The night algorithm derives the selected tab and menu item's red from the seed as #b6342b:
  // 3.5:1 on black, 2.3:1 on the menu's red tint. A light red keeps them at 4.5:1 or more.
  components: {
    Tabs: {
      itemSelectedColor: "#ff8a80",
      itemActiveColor: "#ff8a80",
      itemHoverColor: "#ffa39e",
      inkBarColor: "#ff8a80",
    },
    Menu: { itemSelectedColor: "#ffa39e", itemSelectedBg: "#2a1215" },
  },
};

export const deskTheme = (s: Scheme): ThemeConfig => (s === "dark" ? DARK : LIGHT);

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import { initI18n, useLanguage } from "../i18n/index.js";
import { common as commonZh } from "../i18n/locales/zh-CN/common.js";
import { common as commonEn } from "../i18n/locales/en/common.js";
import { desk as deskZh } from "../i18n/locales/zh-CN/desk.js";
import { desk as deskEn } from "../i18n/locales/en/desk.js";
import { session } from "../shared-ui/session.js";
import { startColorScheme, useColorScheme } from "../shared-ui/color-scheme.js";
import { deskTheme } from "./theme.js";
import { DeskRoutes } from "./DeskRoutes.js";
import "./desk.css";

// The desktop app: duty room, station head, supervisor and admin screens.
initI18n({ common: { "zh-CN": commonZh, en: commonEn }, desk: { "zh-CN": deskZh, en: deskEn } });
session.init();
startColorScheme();

/** antd's own texts (pagination, empty states, modals) follow the app language; its colours the theme. */
function Root() {
  const [lang] = useLanguage();
  const { scheme } = useColorScheme();
  return (
    <ConfigProvider locale={lang === "en" ? enUS : zhCN} theme={deskTheme(scheme)}>
      <AntApp>
        <BrowserRouter>
          <DeskRoutes />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

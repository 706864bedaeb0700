import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { initI18n } from "../i18n/index.js";
import { common as commonZh } from "../i18n/locales/zh-CN/common.js";
import { common as commonEn } from "../i18n/locales/en/common.js";
import { phone as phoneZh } from "../i18n/locales/zh-CN/phone.js";
import { phone as phoneEn } from "../i18n/locales/en/phone.js";
import { session } from "../shared-ui/session.js";
import { App } from "./App.js";
import "./phone.css";

// The patrol phone page: plain React and CSS only (no antd, no map yet) so it loads fast on a
// weak signal. Only the common and phone texts are bundled.
initI18n({ common: { "zh-CN": commonZh, en: commonEn }, phone: { "zh-CN": phoneZh, en: phoneEn } });
session.init();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { session } from "../shared-ui/session.js";
import { startColorScheme } from "../shared-ui/color-scheme.js";
import { App } from "./App.js";
import { startServiceWorker } from "./pwa.js";
import "./phone.css";

// The patrol phone page: plain React and CSS only (no antd, no map, no i18next) so it loads
// fast on a weak signal. Translations: ./i18n.ts.
// The phone remembers who signed in, so a cold start with no signal opens the patrol screen.
session.init({ remember: true });
startServiceWorker();
// Day or night theme before the first paint (the device setting, or the crew's own choice).
startColorScheme();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

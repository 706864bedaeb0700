import { errorTexts } from "../../../../../shared/error-messages.js";
import type { CommonTexts } from "../zh-CN/common.js";

export const common: CommonTexts = {
  app: { name: "Warmline", tagline: "Street outreach and relief dispatch" },
  language: { label: "Language", zh: "中文", en: "English" },
  theme: { label: "Theme", auto: "Device", light: "Day", dark: "Night" },
  login: {
    title: "Sign in",
    username: "Username",
    password: "Password",
    submit: "Sign in",
    submitting: "Signing in…",
    usernameRequired: "Enter your username",
    passwordRequired: "Enter your password",
    demoHint: "Demo accounts: operator, patrol1, head, supervisor, admin; password demo",
  },
  roles: {
    operator: "Hotline operator",
    patrol: "Patrol team",
    head: "Station head",
    supervisor: "Supervisor",
    admin: "Administrator",
  },
  stream: {
    connected: "Live",
    reconnecting: "Reconnecting",
    offline: "Offline",
    title: "Live event connection",
  },
  scope: { allStations: "All stations", noStation: "No station assigned" },
  actions: { logout: "Sign out", retry: "Retry", reload: "Reload" },
  loading: "Loading…",
  // One table for desk and phone: shared/error-messages.ts.
  errors: errorTexts("en"),
  errorsNext: errorTexts("en", "next"),
};

import "i18next";
import type { common } from "./locales/zh-CN/common.js";
import type { desk } from "./locales/zh-CN/desk.js";
import type { phone } from "./locales/zh-CN/phone.js";

// Typed keys: t("login.title") is checked against the zh-CN resources at compile time.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: { common: typeof common; desk: typeof desk; phone: typeof phone };
    returnNull: false;
  }
}

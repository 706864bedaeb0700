import { createI18nLite } from "../i18n/lite.js";
import { common as commonZh } from "../i18n/locales/zh-CN/common.js";
import { common as commonEn } from "../i18n/locales/en/common.js";
import { phone as phoneZh } from "../i18n/locales/zh-CN/phone.js";
import { phone as phoneEn } from "../i18n/locales/en/phone.js";
import { fleet as fleetZh } from "../i18n/locales/zh-CN/fleet.js";
import { fleet as fleetEn } from "../i18n/locales/en/fleet.js";

/** The phone page's translator: common and phone texts only, no i18next (see i18n/lite.ts). */
export const { useTranslation, useLanguage } = createI18nLite({
  common: { "zh-CN": commonZh, en: commonEn },
  phone: { "zh-CN": phoneZh, en: phoneEn },
  fleet: { "zh-CN": fleetZh, en: fleetEn },
});

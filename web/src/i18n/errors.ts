import { ApiError } from "../api/http.js";
import { common } from "./locales/zh-CN/common.js";

/** Keys of the error texts: one per shared ErrorCode, plus NETWORK and UNKNOWN (shared/error-messages.ts). */
type ErrorKey = keyof typeof common.errors;

/** What to do next after `err`, in the current language (the same table's second column). */
function errorNext(t: (key: `errorsNext.${ErrorKey}`) => string, err: unknown): string {
  if (err instanceof ApiError) return t(`errorsNext.${Object.hasOwn(common.errors, err.code) ? err.code : "INTERNAL"}`);
  return t("errorsNext.UNKNOWN");
}

/**
 * The user-facing text for a failure, in the current language. The UI branches on the stable
 * error code (shared/errors.ts) and never shows the server's English message as the headline.
 * Takes the page's `t` (i18next on the desktop, the lite translator on the phone).
 */
export function errorText(t: (key: `errors.${ErrorKey}`) => string, err: unknown): string {
  if (err instanceof ApiError) {
    // Every ErrorCode has a text (the resource type requires it); a code newer than this build
    // has none and gets the generic text rather than a raw key.
    if (Object.hasOwn(common.errors, err.code)) return t(`errors.${err.code}`);
    return t("errors.INTERNAL");
  }
  return t("errors.UNKNOWN");
}

/**
 * Extra detail worth showing under the headline: the server message for an internal error
 * carries the request id to quote to support; other messages repeat the headline in English.
 */
export function errorDetail(err: unknown): string | undefined {
  return err instanceof ApiError && err.code === "INTERNAL" ? err.message : undefined;
}

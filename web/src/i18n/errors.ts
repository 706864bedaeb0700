import { useTranslation } from "react-i18next";
import i18next, { type TFunction } from "i18next";
import { ApiError } from "../api/http.js";

/**
 * The user-facing text for a failure, in the current language. The UI branches on the stable
 * error code (shared/errors.ts) and never shows the server's English message as the headline.
 */
export function errorText(t: TFunction<"common">, err: unknown): string {
  if (err instanceof ApiError) {
    // Every ErrorCode has a text (the resource type requires it); a code newer than this build
    // has none and gets the generic text rather than a raw key.
    if (i18next.exists(`common:errors.${err.code}`)) return t(`errors.${err.code}`);
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

/** Hook form of {@link errorText}. */
export function useErrorText(): (err: unknown) => string {
  const { t } = useTranslation("common");
  return (err) => errorText(t, err);
}

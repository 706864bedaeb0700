/**
 * Stable error codes. Clients and tests branch on these, never on messages.
 * Adding a code is fine; renaming one is a breaking change. Kept free of zod so the phone page can
 * import it without the schema library.
 */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "MALFORMED_JSON",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "RATE_LIMITED",
  "FORBIDDEN",
  "CROSS_ORIGIN",
  "NOT_FOUND",
  "CONFLICT",
  "VERSION_CONFLICT",
  "INVALID_TRANSITION",
  "INSUFFICIENT_STOCK",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "IDEMPOTENCY_MISMATCH",
  "IMPORT_INVALID",
  "CONSENT_REQUIRED",
  "DATABASE_UNAVAILABLE",
  "NOT_READY",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

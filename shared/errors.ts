import { z } from "zod";

import { ERROR_CODES } from "./error-codes.js";

export { type ErrorCode } from "./error-codes.js";

/** One problem with one field of the input. */
export const ValidationIssue = z.object({
  /** Dotted path of the field, prefixed with where it came from: "body.name", "query.limit". */
  path: z.string().describe("Dotted path of the offending field, e.g. body.name"),
  /** Human-readable description of what is wrong with it. */
  message: z.string().describe("What is wrong with the field"),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/** The one error shape every endpoint returns. */
export const ErrorBody = z.object({
  error: z.object({
    /** Stable machine-readable code, see {@link ERROR_CODES}. */
    code: z.enum(ERROR_CODES).describe("Stable machine-readable error code"),
    /** Human-readable message; names the field for validation errors. */
    message: z.string().describe("Human-readable message"),
    /** Per-field problems, for VALIDATION_FAILED. */
    issues: z.array(ValidationIssue).optional().describe("Per-field problems"),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * The typed API client for the desktop app: `call(api.auth.login, { body })`.
 * No codegen: paths, inputs and outputs come from the endpoint declarations in shared/api.
 * This module pulls in the zod schemas (via `api`); the phone page uses ./http.ts with `ref()`
 * instead to stay small.
 */
export { api } from "../../../shared/api/index.js";
export type * from "../../../shared/api/index.js";
export { ApiError, call } from "./http.js";

import { afterAll, expect } from "vitest";
import type { Endpoint } from "../../shared/api/endpoint.js";
import { observeResponses } from "../../server/http/router.js";
import { errorStatuses } from "../../server/http/error-statuses.js";

/**
 * Setup file of the API test projects: records the status of every answer a declared endpoint gives
 * in this test file, and after the file checks that each error status is one its OpenAPI document
 * lists (the document's error responses come from `errorStatuses`, so checking against it is checking
 * the document). A 500 is never documented: it is a bug the test itself should catch.
 */
const seen = new Map<Endpoint, Set<number>>();
observeResponses((ep, status) => {
  if (status >= 400) (seen.get(ep) ?? seen.set(ep, new Set()).get(ep)!).add(status);
});

afterAll(() => {
  const missing: string[] = [];
  for (const [ep, statuses] of seen) {
    const documented = errorStatuses(ep) as number[];
    for (const st of statuses)
      if (st !== 500 && !documented.includes(st)) missing.push(`${ep.method} ${ep.path} ${st}`);
  }
  expect(missing, "error statuses answered in this file but missing from the OpenAPI document").toEqual([]);
});

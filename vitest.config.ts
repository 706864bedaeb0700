import { defineConfig } from "vitest/config";

// The API suite runs on embedded PGlite always, and again on PostgreSQL when TEST_DATABASE_URL is set
// (CI sets it): same test files, two projects, the engine chosen by TEST_ENGINE.
const onPostgres = !!process.env.TEST_DATABASE_URL;
// Every error status an API test sees must be in the endpoint's OpenAPI responses (checked per file).
const OPENAPI_COVERAGE = "test/helpers/openapi-coverage.ts";
// Migrates and seeds one template database per project run, which each API test file copies.
const TEMPLATE_DB = "test/helpers/template-db.ts";
// expect.poll waits 1 s by default: on a loaded two-core machine a page or a write takes longer,
// so polls wait up to 20 s (they end as soon as the condition holds; a poll never sets the pace).
const common = { testTimeout: 60_000, hookTimeout: 120_000, expect: { poll: { timeout: 20_000 } } };
// API test files share a worker's module cache (not its state: each file has its own database copy,
// server and clients, and the setup file re-runs per file). Re-importing the server's module graph
// for every file was a third of the API tier's CPU time on two cores.
const api = { ...common, isolate: false, setupFiles: [OPENAPI_COVERAGE], globalSetup: [TEMPLATE_DB] };

export default defineConfig({
  test: {
    // Two files at a time on a two-core machine (vitest's default is cores - 1, i.e. one): API files
    // spend much of their time waiting on PostgreSQL and sockets, so two overlap well. Tests are bound
    // by events and order, not by speed, so sharing the machine changes their timing, not their result.
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: { ...api, name: "api-pglite", include: ["test/api/**/*.test.ts"], env: { TEST_ENGINE: "pglite" } },
      },
      ...(onPostgres
        ? [
            {
              test: {
                ...api,
                name: "api-postgres",
                include: ["test/api/**/*.test.ts"],
                env: { TEST_ENGINE: "postgres" },
              },
            },
          ]
        : []),
      {
        test: {
          ...common,
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          // One browser file at a time. Files share nothing but the machine (each E2ESession has its
          // own server on port 0, PGlite folder and Chromium), but on two cores two Chromiums and two
          // servers starve each other: the phone's tap tests and the map tests then failed.
          fileParallelism: false,
          testTimeout: 180_000,
          // Migrates and seeds one PGlite folder per run, which each browser test file copies.
          globalSetup: ["test/e2e/template.ts"],
        },
      },
    ],
  },
});

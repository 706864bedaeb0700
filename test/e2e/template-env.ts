/** The duty room's time zone, used by every browser context. */
export const TZ = "Asia/Shanghai";

/** The settings every browser test's server starts with, before the file's own. */
export const E2E_ENV_BASE: Record<string, string | undefined> = {
  REPORT_DAY_START: "00:00",
  PORT: "0",
  HOST: "127.0.0.1",
  DATABASE_URL: undefined,
  SEED: "demo",
  LOG_LEVEL: "error",
};

/** Settings a file may pass that do not change what the seed writes (the template fits them). */
export const DATA_NEUTRAL_ENV = new Set(["ACK_TIMEOUT_SECONDS"]);

/** Today in the browser tests' time zone: a template seeded on another day is not used. */
export const reportDay = (): string => new Date().toLocaleDateString("sv-SE", { timeZone: TZ });

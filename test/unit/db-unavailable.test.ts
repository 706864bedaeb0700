import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../server/db/unavailable.js";
import { lsnValue } from "../../server/db/read-replica.js";

describe("database errors that mean 503", () => {
  const driver = (code: string) => Object.assign(new Error(code), { code });
  const wrapped = (cause: unknown) => Object.assign(new Error("Failed query"), { cause });

  it("treats lost connections, shutdowns and a standby refusing writes as unavailable, also wrapped by drizzle", () => {
    for (const code of [
      "CONNECTION_CLOSED",
      "CONNECT_TIMEOUT",
      "ECONNREFUSED",
      "57P01",
      "57P03",
      "08006",
      "25006",
      "53300",
    ])
      expect(isDatabaseUnavailable(wrapped(driver(code))), code).toBe(true);
  });

  it("leaves request errors and bugs alone", () => {
    for (const code of ["23505", "40001", "22P02", "42P01"])
      expect(isDatabaseUnavailable(wrapped(driver(code))), code).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe("WAL positions", () => {
  it("orders LSNs across the 32-bit boundary", () => {
    expect(lsnValue("1/0")! > lsnValue("0/FFFFFFFF")!).toBe(true);
    expect(lsnValue("16/B374D848")).toBe((0x16n << 32n) + 0xb374d848n);
    expect(lsnValue(null)).toBeNull();
  });
});

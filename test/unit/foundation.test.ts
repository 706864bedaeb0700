import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../server/auth/password.js";
import { SerialQueue } from "../../server/realtime/serial-queue.js";
import { loadEnv } from "../../server/env.js";
import { fillPath } from "../../shared/api/endpoint.js";
import { buildOpenApi } from "../../server/http/openapi.js";
import { api } from "../../shared/api/index.js";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one or a corrupt hash", async () => {
    const h = await hashPassword("demo");
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword("demo", h)).toBe(true);
    expect(await verifyPassword("Demo", h)).toBe(false);
    expect(await verifyPassword("demo", "md5$abc")).toBe(false);
    expect(await hashPassword("demo")).not.toBe(h); // salted
  });
});

describe("serial queue", () => {
  it("runs tasks one at a time in order, and keeps going after a failure", async () => {
    const errors: unknown[] = [];
    const q = new SerialQueue((e) => errors.push(e));
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        await new Promise((r) => setTimeout(r, ms));
        log.push(name);
        running--;
        if (fail) throw new Error(name);
      };
    void q.push(task("a", 20));
    void q.push(task("b", 1, true));
    void q.push(task("c", 5));
    await q.drain();
    expect(log).toEqual(["a", "b", "c"]);
    expect(errors).toHaveLength(1);
    expect(q.size).toBe(0);
  });
});

describe("configuration", () => {
  it("has working defaults and names a bad variable", () => {
    const env = loadEnv({ PORT: undefined, DATABASE_URL: undefined });
    expect(env.PORT).toBe(3000);
    expect(env.DATA_DIR).toBe("./data");
    expect(() => loadEnv({ PORT: "not-a-port" })).toThrow(/PORT/);
    expect(() => loadEnv({ SEED: "lots" })).toThrow(/SEED/);
    expect(loadEnv({ SEED: "none" }).SEED).toBe("none");
  });
});

describe("endpoint contract", () => {
  it("fills path parameters with encoding", () => {
    expect(fillPath("/api/stations/:id", { id: "a/b" })).toBe("/api/stations/a%2Fb");
    expect(fillPath("/api/health", undefined)).toBe("/api/health");
  });

  it("documents every declared endpoint in OpenAPI with its method", () => {
    const doc = buildOpenApi(api, "test");
    for (const group of Object.values(api)) {
      for (const ep of Object.values(group)) {
        const path = ep.path.replace(/:([A-Za-z_]+)/g, "{$1}");
        expect(doc.paths[path]?.[ep.method.toLowerCase()], `${ep.method} ${ep.path}`).toBeTruthy();
      }
    }
  });
});

import { z } from "zod";
import { endpoint } from "./endpoint.js";

/** Liveness and which database engine is in use. */
export const Health = z.object({
  /** True when the database answered. */
  ok: z.boolean().describe("Database answered"),
  /** Engine in use: embedded PGlite or PostgreSQL. */
  db: z.enum(["pglite", "postgres"]).describe("Database engine"),
  /** Product version. */
  version: z.string().describe("Product version"),
});
export type Health = z.infer<typeof Health>;

/** Health endpoints. */
export const healthApi = {
  health: endpoint({
    method: "GET", path: "/api/health", tag: "health", access: "public",
    summary: "Liveness and database engine", response: Health,
  }),
};

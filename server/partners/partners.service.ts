import { createHash } from "node:crypto";
import type { DbOrTx } from "../db/client.js";
import * as repo from "./partners.repo.js";

/** The demo partner's api key (documented in the README; seeded into demo databases only). */
export const DEMO_PARTNER_KEY = "demo-partner-key";

/** Hex SHA-256 of an api key: what the partners table stores. */
function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The active partner holding `apiKey`, or undefined. Hash lookup: the key itself is never stored. */
export async function authenticatePartner(
  db: DbOrTx,
  apiKey: string | undefined,
): Promise<repo.PartnerRow | undefined> {
  if (!apiKey) return undefined;
  const p = await repo.findPartnerByKeyHash(db, hashApiKey(apiKey));
  return p?.active ? p : undefined;
}

/**
 * Demo seed: one city-wide partner (the city hotline 12345's system) with key `demo-partner-key`;
 * its reports go to the station nearest the reported place.
 */
export async function seedDemoPartner(db: DbOrTx): Promise<void> {
  if ((await repo.partnerCount(db)) > 0) return;
  await repo.insertPartner(db, {
    name: "12345 市民服务热线系统 (demo)",
    apiKeyHash: hashApiKey(DEMO_PARTNER_KEY),
    stationId: null,
  });
}

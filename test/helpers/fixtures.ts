import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../../server/db/client.js";
import * as t from "../../server/db/schema/index.js";
import type { CountingInput } from "../../shared/counting.js";
import { signedIn, type TestClient } from "./http.js";

/**
 * Test-only fixtures for records whose own endpoints belong to the patrol/duty-room issues: rows go
 * in through drizzle directly, with exactly the columns those services write. Reports are then
 * checked against them through the real API.
 */
export class Fixtures {
  constructor(readonly db: Db) {}

  /** Ids of the demo city by code/name. */
  async demo() {
    const stations = await this.db.select().from(t.stations);
    const items = await this.db.select().from(t.supplyItems);
    const vehicles = await this.db.select().from(t.vehicles);
    const keyPoints = await this.db.select().from(t.keyPoints);
    const [campaign] = await this.db.select().from(t.campaigns).limit(1);
    const regions = await this.db.select().from(t.regions);
    const dl = stations.find((s) => s.code === "DL")!;
    const ng = stations.find((s) => s.code === "NG")!;
    return {
      dl,
      ng,
      campaign: campaign!,
      regions,
      item: (code: string) => items.find((i) => i.code === code)!,
      vehicles: (stationId: string) => vehicles.filter((v) => v.stationId === stationId),
      keyPoints: (stationId: string) => keyPoints.filter((k) => k.stationId === stationId),
    };
  }

  /** A patrol with partner staff on foot. */
  async patrol(
    stationId: string,
    startedAt: Date,
    footStaff: { agency: string; count: number }[] = [],
  ): Promise<string> {
    const id = randomUUID();
    await this.db.insert(t.patrols).values({ id, stationId, kind: "planned", footStaff, startedAt });
    return id;
  }

  /** A vehicle sortie of a patrol. */
  async sortie(
    patrolId: string,
    stationId: string,
    vehicleId: string,
    crewCount: number,
    startedAt: Date,
  ): Promise<string> {
    const id = randomUUID();
    await this.db.insert(t.sorties).values({ id, patrolId, stationId, vehicleId, crewCount, startedAt });
    return id;
  }

  /** A key-point visit. */
  async visit(stationId: string, keyPointId: string, visitedAt: Date, patrolId?: string): Promise<string> {
    const id = randomUUID();
    await this.db.insert(t.keyPointVisits).values({ id, stationId, keyPointId, visitedAt, patrolId: patrolId ?? null });
    return id;
  }

  /** A person. */
  async person(stationId: string, v: Partial<typeof t.people.$inferInsert> = {}): Promise<string> {
    const id = randomUUID();
    await this.db.insert(t.people).values({ id, stationId, ...v });
    return id;
  }

  /** An encounter. */
  async encounter(
    stationId: string,
    outcome: string,
    occurredAt: Date,
    v: Partial<typeof t.encounters.$inferInsert> = {},
  ): Promise<string> {
    const id = randomUUID();
    await this.db
      .insert(t.encounters)
      .values({ id, stationId, outcome, found: outcome !== "not_found", occurredAt, lat: 45.76, lng: 126.61, ...v });
    return id;
  }

  /** Supplies handed out at an encounter (from a vehicle), at the given unit value. */
  async handOut(
    stationId: string,
    itemId: string,
    quantity: number,
    unitValueFen: number,
    at: Date,
    v: { encounterId?: string; vehicleId?: string } = {},
  ): Promise<void> {
    await this.db.insert(t.supplyLedger).values({
      id: randomUUID(),
      stationId,
      itemId,
      kind: "handed_out",
      quantity,
      unitValueFen,
      at,
      encounterId: v.encounterId ?? null,
      vehicleId: v.vehicleId ?? null,
    });
  }

  /** A ledger movement of any kind. */
  async ledger(
    stationId: string,
    itemId: string,
    kind: string,
    quantity: number,
    v: { vehicleId?: string; at?: Date } = {},
  ): Promise<void> {
    await this.db.insert(t.supplyLedger).values({
      id: randomUUID(),
      stationId,
      itemId,
      kind,
      quantity,
      unitValueFen: 100,
      vehicleId: v.vehicleId ?? null,
      at: v.at ?? new Date(),
    });
  }

  /** A case with CAD timestamps. */
  async case(stationId: string, receivedAt: Date, onSceneAfterSec: number | null, status = "closed"): Promise<string> {
    const id = randomUUID();
    await this.db.insert(t.cases).values({
      id,
      stationId,
      status,
      urgency: "high",
      lat: 45.76,
      lng: 126.61,
      source: "public_hotline",
      receivedAt,
      onSceneAt: onSceneAfterSec === null ? null : new Date(receivedAt.getTime() + onSceneAfterSec * 1000),
    });
    return id;
  }

  /** Everything the counting rules read, straight from the database (for SQL-vs-pure checks). */
  async countingInput(stationIds: string[]): Promise<CountingInput> {
    const inS = <T extends { stationId: string }>(rows: T[]) => rows.filter((r) => stationIds.includes(r.stationId));
    const people = await this.db.select().from(t.people);
    const mergedInto: Record<string, string> = {};
    for (const p of people) if (p.mergedIntoId) mergedInto[p.id] = p.mergedIntoId;
    return {
      patrols: inS(await this.db.select().from(t.patrols)).map((p) => ({
        id: p.id,
        startedAt: p.startedAt,
        footStaff: p.footStaff,
      })),
      sorties: inS(await this.db.select().from(t.sorties)).map((s) => ({
        id: s.id,
        patrolId: s.patrolId,
        crewCount: s.crewCount,
        startedAt: s.startedAt,
      })),
      visits: inS(await this.db.select().from(t.keyPointVisits)).map((v) => ({
        id: v.id,
        keyPointId: v.keyPointId,
        visitedAt: v.visitedAt,
      })),
      encounters: inS(await this.db.select().from(t.encounters)).map((e) => ({
        id: e.id,
        personId: e.personId,
        found: e.found,
        outcome: e.outcome,
        occurredAt: e.occurredAt,
      })),
      stays: inS(await this.db.select().from(t.stays)).map((s) => ({
        id: s.id,
        encounterId: s.encounterId,
        arrivedAt: s.arrivedAt,
        endedAt: s.endedAt,
        endReason: s.endReason,
      })),
      ledger: inS(await this.db.select().from(t.supplyLedger)).map((l) => ({
        itemId: l.itemId,
        vehicleId: l.vehicleId,
        encounterId: l.encounterId,
        kind: l.kind,
        quantity: l.quantity,
        unitValueFen: l.unitValueFen,
        at: l.at,
      })),
      cases: inS(await this.db.select().from(t.cases)).map((c) => ({
        id: c.id,
        status: c.status,
        receivedAt: c.receivedAt,
        onSceneAt: c.onSceneAt,
      })),
      familyFound: inS(await this.db.select().from(t.familySearchLog))
        .filter((f) => f.status === "family_found")
        .map((f) => ({ personId: f.personId, at: f.at })),
      shelters: inS(await this.db.select().from(t.shelters)).map((s) => ({
        id: s.id,
        openedAt: s.openedAt,
        closedAt: s.closedAt,
      })),
      distributions: inS(await this.db.select().from(t.distributions)).map((d) => ({
        id: d.id,
        recipients: d.recipients,
        occurredAt: d.occurredAt,
      })),
      mergedInto,
    };
  }

  /** Moves a campaign's dates (tests pin "today" inside or outside it). */
  async setCampaignDates(id: string, startsOn: string, endsOn: string): Promise<void> {
    await this.db.update(t.campaigns).set({ startsOn, endsOn }).where(eq(t.campaigns.id, id));
  }
}

/** Signs several demo users in at once, typed as a tuple. */
export async function signInAll<const N extends readonly string[]>(
  url: string,
  names: N,
): Promise<{ -readonly [K in keyof N]: TestClient }> {
  return (await Promise.all(names.map((n) => signedIn(url, n)))) as unknown as { -readonly [K in keyof N]: TestClient };
}

import { describe, expect, it } from "vitest";
import { EVENT_CONTRACT, EventContractError, verifyEventContract } from "../../shared/events/contract.js";
import { ROLES } from "../../shared/roles.js";
import { deliveryFor, installEventContract, presentEventFor } from "../../server/realtime/events.presenter.js";
import { startServer } from "../../server/server.js";
import { loadEnv } from "../../server/env.js";
import type { EventRow } from "../../server/events/events.repo.js";

const ST = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
const PERSON = "11111111-2222-4333-8444-555555555555";
const row = (type: string, payload: Record<string, unknown>): EventRow => ({
  id: 7,
  type,
  stationId: ST,
  actorId: null,
  at: new Date(),
  payload,
});
const silent = { warn: () => undefined, error: () => undefined };

describe("event contract", () => {
  it("has a rule for every role of every declared type", () => {
    expect(() => verifyEventContract(EVENT_CONTRACT)).not.toThrow();
    expect(Object.keys(EVENT_CONTRACT).length).toBeGreaterThanOrEqual(45);
  });

  it("refuses a contract that lacks a rule, naming the type and role", () => {
    const { admin: _dropped, ...partial } = EVENT_CONTRACT["encounter.recorded"].audience;
    const broken = {
      ...EVENT_CONTRACT,
      "encounter.recorded": { ...EVENT_CONTRACT["encounter.recorded"], audience: partial },
    };
    expect(() => verifyEventContract(broken)).toThrow(EventContractError);
    expect(() => verifyEventContract(broken)).toThrow(/encounter\.recorded → admin/);
    expect(() => installEventContract(silent, broken)).toThrow(/refusing to start/);
  });

  it("stops the server from starting when a rule is missing", async () => {
    const { supervisor: _dropped, ...partial } = EVENT_CONTRACT["person.created"].audience;
    const broken = { ...EVENT_CONTRACT, "person.created": { ...EVENT_CONTRACT["person.created"], audience: partial } };
    const env = loadEnv({ PORT: "0", DATA_DIR: "/tmp/warmline-never-opened", SEED: "none", LOG_LEVEL: "silent" });
    const err = await startServer(env, undefined, { eventContract: broken }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EventContractError);
    expect((err as EventContractError).code).toBe("EVENT_CONTRACT_INCOMPLETE");
    installEventContract(silent); // the real contract again, for the tests below
  });

  it("withholds an event of an undeclared type from every role, and logs it", () => {
    const logged: unknown[] = [];
    installEventContract({ warn: () => undefined, error: (m, f) => logged.push({ m, f }) });
    // "sighting.created" is deliberately a type no one declares (intake records case.created / call.added).
    for (const role of ROLES) expect(presentEventFor(row("sighting.created", { id: "x" }), role)).toBeNull();
    expect(JSON.stringify(logged)).toMatch(/sighting\.created.*not in the event contract/);
    installEventContract(silent);
  });

  it("withholds an identity-bearing payload that does not match its schema", () => {
    const bad = row("person.created", { id: PERSON, label: "赵大勇", identity: { name: "赵大勇" }, secret: "x" });
    for (const role of ROLES) expect(presentEventFor(bad, role)).toBeNull();
  });

  it("gives identity of encounters to crews and heads only", () => {
    const enc = {
      id: PERSON,
      stationId: ST,
      caseId: null,
      assignmentId: null,
      sortieId: null,
      patrolId: null,
      keyPointVisitId: null,
      found: true,
      outcome: "street_aid",
      flags: [],
      lat: 45.7,
      lng: 126.6,
      occurredAt: new Date().toISOString(),
      recordedBy: null,
      supplies: [],
      personId: PERSON,
      notes: "弟弟在绥化",
      identity: { name: "赵大勇", idNumber: "230102195801011234", hometown: "绥化" },
    };
    const r = row("encounter.recorded", enc);
    for (const role of ["patrol", "head"] as const) {
      const d = deliveryFor(r, role)!;
      expect(d.payload).toMatchObject({ identity: { name: "赵大勇" }, notes: "弟弟在绥化", personId: PERSON });
      expect(d.identityOf).toBe(PERSON);
    }
    for (const role of ["admin", "operator", "supervisor"] as const) {
      const d = deliveryFor(r, role)!;
      expect(JSON.stringify(d.payload)).not.toMatch(/赵大勇|230102|绥化|personId/);
      expect(d.identityOf).toBeNull();
    }
  });
});

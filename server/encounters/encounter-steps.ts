import { randomUUID } from "node:crypto";
import type { EncounterCreate } from "../../shared/api/encounters.js";
import type { ConditionFlag } from "../../shared/vocab.js";
import { computeUrgency } from "../../shared/urgency.js";
import type { Tx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import type * as prepo from "../patrols/patrols.repo.js";
import { currentAlertLevel } from "../cases/alert-level.repo.js";
import { presentCall, presentCase, storeUrgency } from "../cases/cases.presenter.js";
import { handOutFromStock } from "../supplies/stock-out.js";
import * as repo from "./encounters.repo.js";
import { FULL, presentEncounter } from "./encounters.presenter.js";

const hasIdentity = (i: EncounterCreate["identity"]) => !!i && Object.values(i).some((v) => v !== undefined);

/** What an encounter belongs to, looked up and scope-checked by the caller. */
interface EncounterContext {
  stationId: string;
  sortie?: prepo.SortieRow;
  visit?: prepo.VisitRow;
  kase?: { id: string; lat: number; lng: number };
  taskId?: string;
}

/**
 * Records one encounter inside the caller's transaction, as live entry (EncountersService.create) and
 * the patrol log both do: supplies come off the sortie's vehicle under its lock (lock order 2,
 * taken before the balance is read; 409 INSUFFICIENT_STOCK naming `${path}.supplies.i.quantity`);
 * with no case it creates the patrol-found case; identity creates or links a person. Returns
 * undefined when the encounter id exists already (a twin request won).
 */
export async function recordEncounterIn(
  tx: Tx,
  record: RecordEvent,
  user: SessionUser,
  input: EncounterCreate,
  ctx: EncounterContext,
  occurredAt: Date,
  path = "body",
): Promise<repo.EncounterRow | undefined> {
  const { stationId, sortie, visit, kase } = ctx;
  const v = input.supplies.length ? (await vrepo.findVehicle(tx, sortie!.vehicleId, true))! : undefined;
  if (await repo.findEncounter(tx, input.id)) return undefined;

  let finalCaseId = kase?.id ?? null;
  if (!kase) {
    // "Found someone here": the crew's own report becomes the case and its one call. It is
    // recorded closed at the moment of the encounter (handled on the spot, nothing to
    // dispatch) and has no dispatch time, so it never distorts response-time figures.
    const flags = input.flags as ConditionFlag[];
    const urgency = computeUrgency({
      flags,
      temperatureC: null,
      alertLevel: await currentAlertLevel(tx, stationId, new Date()),
    });
    const id = randomUUID();
    const common = {
      stationId,
      source: "patrol_found",
      lat: input.lat!,
      lng: input.lng!,
      placeText: input.placeText,
      peopleCount: 1,
      description: "",
      flags,
      createdBy: user.id,
      receivedAt: occurredAt,
    };
    const made = await repo.insertFoundCase(
      tx,
      {
        ...common,
        id,
        status: "closed",
        urgency: urgency.urgency,
        urgencyReason: storeUrgency(urgency),
        lastCallAt: occurredAt,
        onSceneAt: occurredAt,
        clearedAt: occurredAt,
      },
      { ...common, id: randomUUID(), caseId: id, originalCaseId: id },
    );
    finalCaseId = id;
    record({
      type: "case.created",
      stationId,
      actorId: user.id,
      payload: { case: presentCase(made.c), call: presentCall(made.call, true) },
    });
  }

  let personId = input.personId ?? null;
  if (!personId && hasIdentity(input.identity)) {
    const idn = input.identity!.idNumber?.toUpperCase();
    const known = idn ? await repo.personByIdNumber(tx, stationId, idn) : undefined;
    personId =
      known?.id ??
      (
        await repo.insertPerson(tx, {
          id: randomUUID(),
          stationId,
          name: input.identity!.name ?? null,
          gender: input.identity!.gender ?? null,
          approxAge: input.identity!.approxAge ?? null,
          idNumber: idn ?? null,
          hometown: input.identity!.hometown ?? null,
          flags: input.flags,
        })
      ).id;
  }

  const e = await repo.insertEncounter(tx, {
    id: input.id,
    stationId,
    caseId: finalCaseId,
    assignmentId: ctx.taskId ?? null,
    sortieId: sortie?.id ?? null,
    patrolId: sortie?.patrolId ?? visit?.patrolId ?? null,
    keyPointVisitId: visit?.id ?? null,
    personId,
    found: input.found,
    outcome: input.outcome,
    flags: input.flags,
    lat: input.lat ?? kase?.lat ?? null,
    lng: input.lng ?? kase?.lng ?? null,
    notes: input.notes,
    occurredAt,
    recordedBy: user.id,
  });
  if (!e) return undefined;
  const handed = await handOutFromStock(tx, {
    stationId,
    vehicleId: v?.id ?? null,
    callSign: v?.callSign,
    lines: input.supplies,
    path: `${path}.supplies`,
    at: occurredAt,
    recordedBy: user.id,
    sortieId: sortie?.id ?? null,
    encounterId: e.id,
  });
  // Presented in full; the event contract strips identity for roles that may not see it.
  const person = personId ? (await repo.peopleById(tx, [personId])).get(personId) : undefined;
  record({
    type: "encounter.recorded",
    stationId,
    actorId: user.id,
    payload: presentEncounter(
      e,
      handed.map((h) => ({ encounterId: e.id, ...h })),
      person,
      FULL,
    ),
  });
  return e;
}

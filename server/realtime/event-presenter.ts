import type { DomainEvent } from "../../shared/events.js";
import type { Role } from "../../shared/roles.js";
import type { EventRow } from "../events/events.repo.js";

/**
 * Decides what of an event a role receives. Services already put only presentable data into
 * payloads; a redactor strips what a role may not see (e.g. identity fields), or returns null
 * to withhold the event from that role entirely.
 */
export type EventRedactor = (payload: Record<string, unknown>, role: Role) => Record<string, unknown> | null;

const redactors = new Map<string, EventRedactor>();

/** Registers the redactor for an event type (once, at module load of the owning domain). */
export function registerEventRedactor(type: string, redactor: EventRedactor): void {
  redactors.set(type, redactor);
}

/** The event as `role` receives it, or null when that role does not receive it. */
export function presentEventFor(row: EventRow, role: Role): DomainEvent | null {
  const redact = redactors.get(row.type);
  const payload = redact ? redact(row.payload, role) : row.payload;
  if (!payload) return null;
  return {
    id: row.id, type: row.type, stationId: row.stationId, actorId: row.actorId,
    at: (row.at instanceof Date ? row.at : new Date(row.at)).toISOString(), payload,
  };
}

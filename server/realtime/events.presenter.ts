import type { DomainEvent } from "../../shared/events.js";
import type { Role } from "../../shared/roles.js";
import {
  EVENT_CONTRACT,
  isEventType,
  verifyEventContract,
  type EventContract,
  type EventSpec,
  type UncheckedContract,
} from "../../shared/events/contract.js";
import type { EventRow } from "../events/events.repo.js";
import { createLogger, type Logger } from "../logger.js";

/**
 * What of an event each role receives, decided by the event contract (shared/events/contract.ts)
 * alone: no domain registers anything, so an event type cannot slip out because the module that
 * would have redacted it was never imported. Fail closed: a type missing from the contract reaches
 * no one, and a payload that should be redacted but does not match its schema reaches no one.
 */

let contract: EventContract = EVENT_CONTRACT;
/** Per type: true when every role gets the payload as recorded (nothing to redact, nothing to check). */
const sharedWithAll = new Map<string, boolean>();
let log: Pick<Logger, "warn" | "error"> = createLogger("warn", { module: "event-presenter" });
const reported = new Set<string>();

/**
 * Checks the contract and keeps the logger for withheld events. Called by startServer before the
 * first connection: a type without a rule for every role stops the server (EventContractError).
 */
export function installEventContract(
  logger: Pick<Logger, "warn" | "error">,
  candidate: UncheckedContract = EVENT_CONTRACT,
): void {
  verifyEventContract(candidate);
  contract = candidate;
  log = logger;
  sharedWithAll.clear();
}

function everyoneFull(type: string, s: EventSpec): boolean {
  let v = sharedWithAll.get(type);
  if (v === undefined) sharedWithAll.set(type, (v = Object.values(s.audience).every((d) => d === "full")));
  return v;
}

/** Logs a withheld event once per type and reason, so a flood of rows does not flood the log. */
function withhold(row: EventRow, reason: string, fields: Record<string, unknown> = {}): null {
  const key = `${row.type}:${reason}`;
  if (!reported.has(key)) {
    reported.add(key);
    log.error("event withheld from every role", { eventId: row.id, type: row.type, reason, ...fields });
  }
  return null;
}

/**
 * The payload `role` receives and the person whose identity it carries, or null when the role
 * does not receive the event.
 */
export function deliveryFor(
  row: EventRow,
  role: Role,
): { payload: Record<string, unknown>; identityOf: string | null } | null {
  const s: EventSpec | undefined = Object.prototype.hasOwnProperty.call(contract, row.type)
    ? contract[row.type]
    : undefined;
  if (!s || !isEventType(row.type)) return withhold(row, "type not in the event contract");
  const rule = s.audience[role];
  if (rule === "none") return null;
  if (rule === "full" && everyoneFull(row.type, s) && !s.identityOf) return { payload: row.payload, identityOf: null };
  // Redaction works on the declared shape: parse first, so an unexpected field or shape is never
  // passed through (z.object keeps only declared keys; strict objects refuse extra ones).
  const parsed = s.payload.safeParse(row.payload);
  if (!parsed.success)
    return withhold(row, "payload does not match its schema", { issues: parsed.error.issues.slice(0, 3) });
  const payload = rule === "full" ? parsed.data : rule(parsed.data);
  if (!payload || typeof payload !== "object") return null;
  return { payload: { ...payload }, identityOf: rule === "full" && s.identityOf ? s.identityOf(parsed.data) : null };
}

/** The event as `role` receives it, or null when that role does not receive it. */
export function presentEventFor(row: EventRow, role: Role): DomainEvent | null {
  const d = deliveryFor(row, role);
  if (!d) return null;
  return toDomainEvent(row, d.payload);
}

/** The wire form of a row with an already presented payload. */
function toDomainEvent(row: EventRow, payload: Record<string, unknown>): DomainEvent | null {
  if (!isEventType(row.type)) return null;
  const at = (row.at instanceof Date ? row.at : new Date(row.at)).toISOString();
  const envelope = { id: row.id, stationId: row.stationId, actorId: row.actorId, at };
  // The payload was checked against (or recorded as) the contract's schema for this type.
  return { ...envelope, type: row.type, payload } as DomainEvent;
}

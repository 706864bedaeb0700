import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import type { FamilySearchStatus } from "../../shared/api/people.js";
import { insertFamilyLog } from "./people.repo.js";

interface FamilySearchChange {
  personId: string;
  stationId: string;
  status: FamilySearchStatus;
  note: string;
  by: string;
  at: Date;
  /** The person's version after the change. */
  version: number;
  /** False when the status stayed (only the note changed): no log line, so nothing is counted twice. */
  changed?: boolean;
}

/**
 * A person's family-search status set, in the caller's transaction: the log line that counts it
 * (a "family_found" line is a 寻亲成功 of the day `at` falls in) and its event. One place for the
 * people page's status button and the identification workbench's steps and closing.
 */
export async function recordFamilySearchChange(tx: Tx, record: RecordEvent, c: FamilySearchChange): Promise<void> {
  if (c.changed !== false)
    await insertFamilyLog(tx, {
      id: randomUUID(),
      personId: c.personId,
      stationId: c.stationId,
      status: c.status,
      note: c.note,
      setBy: c.by,
      at: c.at,
    });
  record({
    type: "person.family_search_changed",
    stationId: c.stationId,
    actorId: c.by,
    payload: { id: c.personId, stationId: c.stationId, familySearch: c.status, version: c.version },
  });
}

import type { IdentificationFile } from "../../shared/api/identification.js";
import type {
  Closing,
  DeadlineRules,
  DeadlineStatus,
  NoticeChannel,
  StepKind,
  ClueKind,
} from "../../shared/identification.js";
import { NOTICE_FIELDS, deadlineStates } from "../../shared/identification.js";
import { maskedLabel } from "../../shared/identity.js";
import type { PersonRow } from "../people/people.repo.js";
import type { ClueRow, FileRow, StepRow } from "./identification.repo.js";

/** A deadline as it leaves the server. */
export const presentDeadline = (d: DeadlineStatus) => ({
  kind: d.kind,
  dueAt: d.dueAt.toISOString(),
  doneAt: d.doneAt ? d.doneAt.toISOString() : null,
  state: d.state,
});

/** The deadline states of a file at `now`. */
export function fileDeadlines(f: FileRow, steps: StepRow[], rules: DeadlineRules, now: Date): DeadlineStatus[] {
  return deadlineStates(
    { arrivedAt: f.arrivedAt, steps: steps.map((s) => ({ kind: s.kind as StepKind, at: s.at })), closedAt: f.closedAt },
    now,
    rules,
  );
}

/**
 * The whole file, for the station's crews and head only (the service has checked the identity rule
 * and audited the read): a whitelist of the file, the person's identity and the deadlines now.
 */
export function presentFile(
  f: FileRow,
  p: PersonRow,
  clues: ClueRow[],
  steps: StepRow[],
  rules: DeadlineRules,
  now: Date,
  photo: { contentType: string; bytes: number } | null,
): IdentificationFile {
  return {
    personId: f.personId,
    stationId: f.stationId,
    label: p.name ?? maskedLabel(p.id),
    identity: { name: p.name, idNumber: p.idNumber, hometown: p.hometown },
    gender: p.gender as IdentificationFile["gender"],
    approxAge: p.approxAge,
    arrivedAt: f.arrivedAt.toISOString(),
    heightCm: f.heightCm,
    features: f.features,
    foundPlace: f.foundPlace,
    foundAt: f.foundAt ? f.foundAt.toISOString() : null,
    noticeFields: f.noticeFields.filter((x): x is (typeof NOTICE_FIELDS)[number] =>
      (NOTICE_FIELDS as readonly string[]).includes(x),
    ),
    closing: f.closing as Closing | null,
    closedAt: f.closedAt ? f.closedAt.toISOString() : null,
    closingNote: f.closingNote,
    deadlines: fileDeadlines(f, steps, rules, now).map(presentDeadline),
    clues: clues.map((c) => ({
      id: c.id,
      kind: c.kind as ClueKind,
      text: c.text,
      who: c.who,
      at: c.at.toISOString(),
      recordedAt: c.recordedAt.toISOString(),
    })),
    steps: steps.map((s) => ({
      id: s.id,
      kind: s.kind as StepKind,
      channel: s.channel as NoticeChannel | null,
      outcome: s.outcome,
      who: s.who,
      at: s.at.toISOString(),
      recordedAt: s.recordedAt.toISOString(),
    })),
    photo: {
      consent:
        f.photoConsentBy && f.photoConsentAt && f.photoConsentRecordedAt
          ? {
              givenBy: f.photoConsentBy,
              givenAt: f.photoConsentAt.toISOString(),
              recordedBy: f.photoConsentRecordedBy,
              recordedAt: f.photoConsentRecordedAt.toISOString(),
            }
          : null,
      contentType: photo ? (photo.contentType as "image/jpeg" | "image/png") : null,
      bytes: photo?.bytes ?? 0,
    },
    version: f.version,
  };
}

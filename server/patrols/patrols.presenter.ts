import type { KeyPointVisit, Patrol, PatrolKind, Sortie } from "../../shared/api/patrols.js";
import type { PartnerAgency } from "../../shared/vocab.js";
import type { PatrolInfo, SortieRow, VisitRow } from "./patrols.repo.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A patrol as the API shows it (staff counts and call signs; no personal data). */
export function presentPatrol(info: PatrolInfo): Patrol {
  const p = info.patrol;
  return {
    id: p.id,
    stationId: p.stationId,
    kind: p.kind as PatrolKind,
    footStaff: p.footStaff.map((f) => ({ agency: f.agency as PartnerAgency, count: f.count })),
    startedAt: p.startedAt.toISOString(),
    endedAt: iso(p.endedAt),
    sortieCount: info.callSigns.length,
    callSigns: info.callSigns,
  };
}

/** A sortie with its patrol. */
export function presentSortie(s: SortieRow, info: PatrolInfo): Sortie {
  return {
    id: s.id,
    patrolId: s.patrolId,
    vehicleId: s.vehicleId,
    stationId: s.stationId,
    crewCount: s.crewCount,
    crewNames: s.crewNames,
    startedAt: s.startedAt.toISOString(),
    endedAt: iso(s.endedAt),
    patrol: presentPatrol(info),
  };
}

/** A key-point visit. */
export function presentVisit(v: VisitRow): KeyPointVisit {
  return {
    id: v.id,
    keyPointId: v.keyPointId,
    stationId: v.stationId,
    patrolId: v.patrolId,
    sortieId: v.sortieId,
    peopleFound: v.peopleFound,
    notes: v.notes,
    visitedAt: v.visitedAt.toISOString(),
  };
}

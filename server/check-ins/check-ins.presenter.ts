import type { CheckIn, CheckInPolicy, CheckInStatus, CrewAlert } from "../../shared/api/check-ins.js";
import { DEFAULT_CHECK_IN_RULE, overdueSeconds } from "../../shared/check-ins.js";
import type { AlertLevel } from "../../shared/vocab.js";
import type { AlertView, CheckInRow, PolicyRow, SortieRow, VehicleRow, WatchRow } from "./check-ins.repo.js";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A campaign's policy, or the default while it has none. */
export function presentPolicy(campaignId: string, row: PolicyRow | undefined): CheckInPolicy {
  if (!row)
    return {
      campaignId,
      levels: [...DEFAULT_CHECK_IN_RULE.levels],
      intervalMinutes: DEFAULT_CHECK_IN_RULE.intervalMinutes,
      isDefault: true,
      version: 0,
    };
  return {
    campaignId,
    levels: row.levels as AlertLevel[],
    intervalMinutes: row.intervalMinutes,
    isDefault: false,
    version: row.version,
  };
}

/** A sortie's check-in state; a sortie without a watch (never required) is not required. */
export function presentStatus(
  sortie: SortieRow,
  vehicle: VehicleRow,
  watch: WatchRow | undefined,
  now: Date,
): CheckInStatus {
  const required = !!watch?.required && !sortie.endedAt;
  const due = required ? (watch?.nextDueAt ?? null) : null;
  return {
    sortieId: sortie.id,
    stationId: sortie.stationId,
    vehicleId: vehicle.id,
    callSign: vehicle.callSign,
    required,
    level: required ? ((watch?.level as AlertLevel | null) ?? null) : null,
    intervalMinutes: required ? (watch?.intervalMinutes ?? null) : null,
    lastCheckInAt: iso(watch?.lastCheckInAt),
    nextDueAt: iso(due),
    overdueSeconds: due ? overdueSeconds(due, now) : 0,
  };
}

/** A check-in. */
export function presentCheckIn(row: CheckInRow): CheckIn {
  return {
    id: row.id,
    sortieId: row.sortieId,
    stationId: row.stationId,
    at: row.at.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    late: row.late,
  };
}

/** A crew alert with crew, vehicle, last position and how long overdue (until cleared, or now). */
export function presentAlert(v: AlertView, now: Date): CrewAlert {
  const a = v.alert;
  const open = !a.acknowledgedAt && !a.clearedAt;
  const overdueUntil = a.clearedAt ?? a.acknowledgedAt ?? now;
  return {
    id: a.id,
    kind: a.kind as CrewAlert["kind"],
    sortieId: a.sortieId,
    stationId: a.stationId,
    vehicleId: a.vehicleId,
    callSign: v.vehicle.callSign,
    plate: v.vehicle.plate,
    crewCount: v.sortie.crewCount,
    crewNames: v.sortie.crewNames,
    dueAt: iso(a.dueAt),
    raisedAt: a.raisedAt.toISOString(),
    overdueSeconds: a.kind === "missed_check_in" && a.dueAt ? overdueSeconds(a.dueAt, overdueUntil) : 0,
    position:
      a.lat !== null && a.lng !== null && a.positionAt
        ? {
            lat: a.lat,
            lng: a.lng,
            at: a.positionAt.toISOString(),
            source: a.positionSource === "phone" ? "phone" : "vehicle",
          }
        : null,
    clearedAt: iso(a.clearedAt),
    acknowledgedAt: iso(a.acknowledgedAt),
    acknowledgedBy: a.acknowledgedAt ? v.acknowledgedByName : null,
    open,
    version: a.version,
  };
}

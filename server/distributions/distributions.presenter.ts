import type { Distribution } from "../../shared/api/distributions.js";
import type { DistributedRow, DistributionRow } from "./distributions.repo.js";

/** A distribution as it leaves the server (no personal data: recipients are a number). */
export function presentDistribution(d: DistributionRow, lines: Omit<DistributedRow, "distributionId">[]): Distribution {
  return {
    id: d.id,
    stationId: d.stationId,
    placeKind: d.placeKind as Distribution["placeKind"],
    shelterId: d.shelterId,
    vehicleId: d.vehicleId,
    placeText: d.placeText,
    recipients: d.recipients,
    notes: d.notes,
    occurredAt: d.occurredAt.toISOString(),
    recordedBy: d.recordedBy,
    supplies: lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, unitValueFen: l.unitValueFen })),
  };
}

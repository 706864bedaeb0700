import type { Stay } from "../../shared/api/shelters.js";
import type { StayRow } from "./stays.repo.js";

/** A stay as the API shows it. */
export function presentStay(s: StayRow): Stay {
  return {
    id: s.id,
    stationId: s.stationId,
    shelterId: s.shelterId,
    personId: s.personId,
    encounterId: s.encounterId,
    bed: s.bed,
    needs: s.needs,
    arrivedAt: s.arrivedAt.toISOString(),
    endedAt: s.endedAt ? s.endedAt.toISOString() : null,
    endReason: s.endReason as Stay["endReason"],
    travelVoucher: s.travelVoucher,
    destination: s.destination,
    version: s.version,
  };
}

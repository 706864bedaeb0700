import type { Shelter } from "../../shared/api/shelters.js";
import type { ShelterRow } from "./shelters.repo.js";

/** Capacity, occupied and free places (free is never below zero). */
export function place(capacity: number, occupied: number) {
  return { capacity, occupied, free: Math.max(0, capacity - occupied) };
}

/** Presents a shelter with its occupancy. */
export function presentShelter(s: ShelterRow, occupied: number): Shelter {
  return {
    id: s.id,
    stationId: s.stationId,
    name: s.name,
    kind: s.kind as Shelter["kind"],
    lat: s.lat,
    lng: s.lng,
    address: s.address,
    ...place(s.capacity, occupied),
    active: s.active,
    openedAt: s.openedAt.toISOString(),
    closedAt: s.closedAt ? s.closedAt.toISOString() : null,
    version: s.version,
  };
}

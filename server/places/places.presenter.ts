import type { PlaceHit, PlaceSource } from "../../shared/api/places.js";
import type { NamedPosition } from "./places.repo.js";

/** A search hit as it leaves the server: name, kind, station and position only. */
export function presentHit(source: PlaceSource, p: NamedPosition): PlaceHit {
  return { source, name: p.name, kind: p.kind, stationId: p.stationId, lat: p.lat, lng: p.lng };
}

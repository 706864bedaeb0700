import type { Region, Station } from "../../shared/api/stations.js";
import type { RegionRow, StationRow } from "./stations.repo.js";

/** Station as the API shows it. */
export function presentStation(s: StationRow): Station {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    regionId: s.regionId,
    lat: s.lat,
    lng: s.lng,
    address: s.address,
    hotline: s.hotline,
    beds: s.beds,
    version: s.version,
  };
}

/** Region as the API shows it. */
export function presentRegion(r: RegionRow): Region {
  return { id: r.id, name: r.name, level: r.level, parentId: r.parentId, version: r.version };
}

import type { PlaceHit, PlaceSource } from "../../shared/api/places.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireStation } from "../auth/policy.js";
import * as repo from "./places.repo.js";
import { presentHit } from "./places.presenter.js";
import { matchRank, normalize, parseKeyText, SearchKeyCache, type SearchKey } from "./place-search.js";

/** Hits returned: what fits in the drop-down under the place field. */
const LIMIT = 10;
/** Case places looked at: those of the last half year (a winter campaign and its run-up). */
const CASE_PLACE_DAYS = 180;
const CASE_PLACE_MAX = 5_000;
const GAZETTEER_MAX = 500;
/** Among hits of the same rank, the operator's own records before the gazetteer. */
const SOURCE_ORDER: Record<PlaceSource, number> = { keypoint: 0, shelter: 1, case: 2, gazetteer: 3 };

interface Candidate {
  source: PlaceSource;
  place: repo.NamedPosition;
  key: SearchKey;
}

/**
 * Place search for the duty room when the map has no tiles: key points, open shelters, the places of
 * recent cases and the imported gazetteer, ranked as the operator types (see matchRank).
 */
export class PlacesService {
  private readonly keys = new SearchKeyCache();

  constructor(private readonly db: Db) {}

  async search(user: SessionUser, query: { q: string; stationId?: string }, now = new Date()): Promise<PlaceHit[]> {
    if (query.stationId) requireStation(user, query.stationId);
    const scope = query.stationId ? [query.stationId] : user.allStations ? undefined : user.stationIds;
    const q = normalize(query.q);
    if (!q) return [];
    const since = new Date(now.getTime() - CASE_PLACE_DAYS * 86_400_000);
    const [gazetteer, keyPoints, shelters, casePlaces] = await Promise.all([
      repo.gazetteerMatching(this.db, scope, q, GAZETTEER_MAX),
      repo.keyPointNames(this.db, scope),
      repo.shelterNames(this.db, scope, now),
      repo.casePlaces(this.db, scope, since, CASE_PLACE_MAX),
    ]);
    const candidates: Candidate[] = [
      ...keyPoints.map((p) => ({ source: "keypoint" as const, place: p, key: this.keys.get(p.name) })),
      ...shelters.map((p) => ({ source: "shelter" as const, place: p, key: this.keys.get(p.name) })),
      ...casePlaces.map((p) => ({ source: "case" as const, place: p, key: this.keys.get(p.name) })),
      ...gazetteer.map((p) => ({ source: "gazetteer" as const, place: p, key: parseKeyText(p.search) })),
    ];
    return rank(q, candidates).map((c) => presentHit(c.source, c.place));
  }
}

/** The best LIMIT matches: by rank, then source, then shorter name; one hit per name and station. */
function rank(q: string, candidates: Candidate[]): Candidate[] {
  const scored = candidates
    .map((c) => ({ c, r: matchRank(q, c.key) }))
    .filter((s): s is { c: Candidate; r: number } => s.r !== null)
    .sort(
      (a, b) =>
        a.r - b.r ||
        SOURCE_ORDER[a.c.source] - SOURCE_ORDER[b.c.source] ||
        a.c.place.name.length - b.c.place.name.length ||
        a.c.place.name.localeCompare(b.c.place.name, "zh-CN"),
    );
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const { c } of scored) {
    const id = `${c.place.stationId}\u0000${c.place.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(c);
    if (out.length >= LIMIT) break;
  }
  return out;
}

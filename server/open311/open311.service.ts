import { randomUUID } from "node:crypto";
import {
  OPEN311_SERVICE_CODE,
  Open311RequestCreate,
  type Open311Created,
  type Open311Request,
  type Open311RequestQuery,
  type Open311ServiceDef,
} from "../../shared/api/open311.js";
import { haversineMeters } from "../../shared/geo.js";
import type { Db } from "../db/client.js";
import { AppError, forbidden, validationError } from "../http/errors.js";
import type { CasesService } from "../cases/cases.service.js";
import { listPartnerCalls } from "../cases/cases.repo.js";
import { listStations, type StationRow } from "../stations/stations.repo.js";
import { NOTICE, OPEN311_SERVICE, presentPublic } from "./open311.presenter.js";
import { authenticatePartner } from "../partners/partners.service.js";

/** Public lists are bounded (the spec allows 1000; fewer is fine for a duty room's partners). */
const PUBLIC_LIMIT = 200;
/** Default window of the public list, as the spec suggests (90 days). */
const DEFAULT_WINDOW_MS = 90 * 24 * 3600_000;

/** Open311 GeoReport v2 for partner systems; see shared/api/open311.ts for the privacy rules. */
export class Open311Service {
  constructor(
    private readonly db: Db,
    private readonly cases: CasesService,
  ) {}

  /** The service list. */
  services(): Open311ServiceDef[] {
    return [OPEN311_SERVICE];
  }

  /**
   * Files a partner's request into the same intake as the duty room (source partner_system). The
   * api_key is checked before anything else (403), then the fields (400 naming the field). The
   * report goes to the partner's station, or the station nearest to the place for city-wide partners.
   */
  async create(raw: Record<string, unknown>): Promise<Open311Created[]> {
    const partner = await authenticatePartner(this.db, typeof raw.api_key === "string" ? raw.api_key : undefined);
    if (!partner) throw forbidden("api_key: missing or not valid; a partner api_key is required to file requests");
    const parsed = Open311RequestCreate.safeParse(raw);
    if (!parsed.success) throw validationError("body", parsed.error);
    const r = parsed.data;
    const stationId = partner.stationId ?? nearestStation(await listStations(this.db), r.lat, r.long)?.id;
    if (!stationId) throw new AppError(400, "VALIDATION_FAILED", "lat: no station serves this place");
    const name = [r.first_name, r.last_name].filter(Boolean).join(" ");
    const callerName = [name, r.email ? `<${r.email}>` : ""].filter(Boolean).join(" ") || null;
    const { call } = await this.cases.intake(
      {
        id: randomUUID(),
        stationId,
        source: "partner_system",
        callerName,
        callerPhone: r.phone || null,
        lat: r.lat,
        lng: r.long,
        placeText: r.address_string ?? "",
        keyPointId: null,
        peopleCount: 1,
        description: r.description ?? "",
        flags: [],
        temperatureC: null,
        notes: `Open311: ${partner.name}`,
        receivedAt: new Date(),
        actorId: null,
        partnerId: partner.id,
      },
      () => false,
    );
    return [{ service_request_id: call.id, service_notice: NOTICE, account_id: null }];
  }

  /** Requests filed through Open311, newest first, without exact place or personal detail. */
  async list(q: Open311RequestQuery): Promise<Open311Request[]> {
    if (q.service_code && q.service_code !== OPEN311_SERVICE_CODE) return [];
    const ids = q.service_request_id
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids && ids.some((id) => !isUuid(id))) return [];
    const to = q.end_date ? new Date(q.end_date) : undefined;
    const from = q.start_date
      ? new Date(q.start_date)
      : ids
        ? undefined
        : new Date((to ?? new Date()).getTime() - DEFAULT_WINDOW_MS);
    const rows = await listPartnerCalls(this.db, { ids, from, to, limit: PUBLIC_LIMIT });
    const names = await this.stationNames();
    return rows.map((r) => presentPublic(r.call, r.case, names)).filter((r) => !q.status || r.status === q.status);
  }

  /** One request; 404 for unknown ids and for calls that did not come through Open311. */
  async get(id: string): Promise<Open311Request[]> {
    if (!isUuid(id)) throw new AppError(404, "NOT_FOUND", "service_request_id: no such request");
    const [row] = await listPartnerCalls(this.db, { ids: [id], limit: 1 });
    if (!row) throw new AppError(404, "NOT_FOUND", "service_request_id: no such request");
    return [presentPublic(row.call, row.case, await this.stationNames())];
  }

  private async stationNames(): Promise<Map<string, string>> {
    return new Map((await listStations(this.db)).map((s) => [s.id, s.name]));
  }
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** The station nearest to a place (stations are a handful per city). */
export function nearestStation(stations: StationRow[], lat: number, lng: number): StationRow | undefined {
  let best: { s: StationRow; d: number } | undefined;
  for (const s of stations) {
    const d = haversineMeters({ lat, lng }, { lat: s.lat, lng: s.lng });
    if (!best || d < best.d) best = { s, d };
  }
  return best?.s;
}

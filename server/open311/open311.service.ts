import { randomUUID } from "node:crypto";
import {
  OPEN311_SERVICE_CODE,
  Open311RequestCreate,
  blankToAbsent,
  type Open311Created,
  type Open311Discovery,
  type Open311Request,
  type Open311RequestQuery,
  type Open311ServiceDef,
  type Open311ServiceDefinition,
} from "../../shared/api/open311.js";
import { haversineMeters } from "../../shared/geo.js";
import type { Db } from "../db/client.js";
import { AppError, forbidden, validationError } from "../http/errors.js";
import type { CasesService } from "../cases/cases.service.js";
import { listPartnerCalls, type CallRow, type CaseRow } from "../cases/cases.repo.js";
import { encounterOutcomes } from "../outbound/outbound.repo.js";
import { listStations, type StationRow } from "../stations/stations.repo.js";
import { DISCOVERY, NOTICE, OPEN311_SERVICE, presentPublic } from "./open311.presenter.js";
import { authenticatePartner } from "../partners/partners.service.js";
import { resubmissionRule } from "./resubmission.js";

/** Public lists are bounded (the spec allows 1000; fewer is fine for a duty room's partners). */
const PUBLIC_LIMIT = 200;
/** Default window of the public list, as the spec suggests (90 days). */
const DEFAULT_WINDOW_MS = 90 * 24 * 3600_000;

const unknownService = (code: string) =>
  new AppError(404, "NOT_FOUND", `service_code: no service ${JSON.stringify(code.slice(0, 100))}`);
const noRequest = () => new AppError(404, "NOT_FOUND", "service_request_id: no such request");

/** Open311 GeoReport v2 for partner systems; see shared/api/open311.ts for the privacy rules. */
export class Open311Service {
  constructor(
    private readonly db: Db,
    private readonly cases: CasesService,
  ) {}

  /** Where the endpoints are; `origin` is the address the client used. */
  discovery(origin: string): Open311Discovery {
    return { ...DISCOVERY, endpoints: DISCOVERY.endpoints.map((e) => ({ ...e, url: `${origin}${e.url}` })) };
  }

  /** The service list. */
  services(): Open311ServiceDef[] {
    return [OPEN311_SERVICE];
  }

  /** A service definition: no extra attributes; 404 for unknown codes. */
  definition(code: string): Open311ServiceDefinition {
    if (code !== OPEN311_SERVICE_CODE) throw unknownService(code);
    return { service_code: code, attributes: [] };
  }

  /**
   * Files a partner's request into the same intake as the duty room (source partner_system). The
   * api_key is checked before anything else (403), then the service code (404), then the fields (400
   * naming the field). The report goes to the partner's station, or the station nearest to the place
   * for city-wide partners. The same report resent by the same partner answers the first request.
   */
  async create(raw: Record<string, unknown>): Promise<Open311Created[]> {
    const partner = await authenticatePartner(this.db, typeof raw.api_key === "string" ? raw.api_key : undefined);
    if (!partner) throw forbidden("api_key: missing or not valid; a partner api_key is required to file requests");
    const fields = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, blankToAbsent(v)]));
    if (typeof fields.service_code === "string" && fields.service_code.trim() !== OPEN311_SERVICE_CODE)
      throw unknownService(fields.service_code);
    const parsed = Open311RequestCreate.safeParse(fields);
    if (!parsed.success) throw validationError("body", parsed.error);
    const r = parsed.data;
    const stationId = partner.stationId ?? nearestStation(await listStations(this.db), r.lat, r.long)?.id;
    if (!stationId) throw new AppError(400, "VALIDATION_FAILED", "lat: no station serves this place");
    const name = [r.first_name, r.last_name].filter(Boolean).join(" ");
    const callerName = [name, r.email ? `<${r.email}>` : ""].filter(Boolean).join(" ") || null;
    const receivedAt = new Date();
    const description = r.description ?? "";
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
        description,
        flags: [],
        temperatureC: null,
        notes: `Open311: ${partner.name}`,
        receivedAt,
        actorId: null,
        partnerId: partner.id,
        resubmission: resubmissionRule({ lat: r.lat, lng: r.long, description, at: receivedAt }),
      },
      () => false,
    );
    return [{ service_request_id: call.id, token: call.id, service_notice: NOTICE, account_id: null }];
  }

  /**
   * Requests filed through Open311, newest first, without exact place or personal detail. Ids, when
   * given, override every other filter; a malformed id is skipped (it can match nothing).
   */
  async list(q: Open311RequestQuery): Promise<Open311Request[]> {
    const names = await this.stationNames();
    if (q.service_request_id) {
      const ids = q.service_request_id.filter(isUuid);
      if (!ids.length) return [];
      return this.present(await listPartnerCalls(this.db, { ids, limit: PUBLIC_LIMIT }), names);
    }
    if (q.service_code && !q.service_code.includes(OPEN311_SERVICE_CODE)) return [];
    const to = q.end_date ? new Date(q.end_date) : undefined;
    const from = q.start_date ? new Date(q.start_date) : new Date((to ?? new Date()).getTime() - DEFAULT_WINDOW_MS);
    const rows = await listPartnerCalls(this.db, { from, to, limit: PUBLIC_LIMIT });
    return (await this.present(rows, names)).filter((r) => !q.status?.length || q.status.includes(r.status));
  }

  /** One request; 404 for unknown ids and for calls that did not come through Open311. */
  async get(id: string): Promise<Open311Request[]> {
    if (!isUuid(id)) throw noRequest();
    const [row] = await listPartnerCalls(this.db, { ids: [id], limit: 1 });
    if (!row) throw noRequest();
    return this.present([row], await this.stationNames());
  }

  /** The request behind a token (tokens are request ids: requests are filed at once). */
  async token(token: string): Promise<{ service_request_id: string; token: string }[]> {
    if (!isUuid(token)) throw new AppError(404, "NOT_FOUND", "token: no such token");
    const [row] = await listPartnerCalls(this.db, { ids: [token], limit: 1 });
    if (!row) throw new AppError(404, "NOT_FOUND", "token: no such token");
    return [{ service_request_id: row.call.id, token }];
  }

  /** Public views of calls with their cases, each with the outcome of its case's encounters. */
  private async present(rows: { call: CallRow; case: CaseRow }[], names: Map<string, string>) {
    const outcomes = await encounterOutcomes(this.db, [...new Set(rows.map((r) => r.case.id))]);
    return rows.map((r) => presentPublic(r.call, r.case, outcomes.get(r.case.id) ?? [], names));
  }

  private async stationNames(): Promise<Map<string, string>> {
    return new Map((await listStations(this.db)).map((s) => [s.id, s.name]));
  }
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** The station nearest to a place (stations are a handful per city). */
function nearestStation(stations: StationRow[], lat: number, lng: number): StationRow | undefined {
  let best: { s: StationRow; d: number } | undefined;
  for (const s of stations) {
    const d = haversineMeters({ lat, lng }, { lat: s.lat, lng: s.lng });
    if (!best || d < best.d) best = { s, d };
  }
  return best?.s;
}

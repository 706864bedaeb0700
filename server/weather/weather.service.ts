import type { z } from "zod";
import type { ImportFile } from "../../shared/api/imports.js";
import {
  WEATHER_COLUMNS,
  WeatherPush,
  type BacktestInput,
  type ColdRuleUpdate,
  type WeatherProposal,
  type WeatherReading,
  type WeatherReadingInput,
  type WeatherWriteOutcome,
} from "../../shared/api/weather.js";
import { CADENCE } from "../../shared/cadence.js";
import { backtestColdRule, type ColdRule, type WeatherNight } from "../../shared/cold-level.js";
import { addDays } from "../../shared/report-day.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import type { CampaignsService } from "../campaigns/campaigns.service.js";
import { findAlert } from "../campaigns/campaigns.repo.js";
import { presentAlert } from "../campaigns/campaigns.presenter.js";
import { currentAlertLevel } from "../cases/alert-level.repo.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import { AppError, fieldError, forbidden, notFound, validationError, versionConflict } from "../http/errors.js";
import { regionIdsByName } from "../imports/imports.repo.js";
import { readSheet } from "../imports/sheet.js";
import { authenticatePartner } from "../partners/partners.service.js";
import { campaignOfStation, levelsSet, storedNights } from "./backtest.js";
import {
  affectedNights,
  cityOf,
  computeProposal,
  differs,
  refreshProposals,
  ruleOfCity,
  type Computed,
} from "./proposals.js";
import { readingsFromSheet, writeReadings, type ReadingIn } from "./readings-in.js";
import { presentReading } from "./weather.presenter.js";
import * as repo from "./weather.repo.js";

const WRITERS = ["head", "supervisor", "admin"] as const;
/** A backtest's winter needs no region column: it is the station's. */
const BACKTEST_COLUMNS = WEATHER_COLUMNS.map((c) => (c.key === "region" ? { ...c, required: false } : c));

/** A refused file: every problem as an issue `rows.<row>.<column>` (the imports' shape). */
function invalidFile(problems: { row: number; field: string; message: string }[]): AppError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return new AppError(
    400,
    "IMPORT_INVALID",
    `row ${first.row}, ${first.field}: ${first.message}${more}`,
    problems.map((p) => ({ path: `rows.${p.row}.${p.field}`, message: p.message })),
  );
}

/**
 * Weather in, the cold rule's proposals and their confirmation, and the backtest (issue 19). A
 * reading is for a region; the stations below it get a proposal per night from tonight on; a head
 * (own station) or supervisor (stations of their region) confirms one, which sets the level through
 * CampaignsService.setAlert (history, re-triage of open cases, campaign.alert_changed) and records
 * weather.confirmed in the same transaction.
 */
export class WeatherService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly campaigns: CampaignsService,
    private readonly timeZone: string,
    private readonly reportDayStart: string,
  ) {}

  /**
   * Region ids the user may write weather for: a supervisor their region and everything below it; a
   * head their station's own region and the districts (and streets) above it, never a whole city,
   * whose reading would stand for other heads' stations; an admin any.
   */
  private async mayWrite(user: SessionUser, regionIds: string[]): Promise<Set<string>> {
    const regions = await repo.regionsByIds(this.db, regionIds);
    if (user.allStations) return new Set(regions.map((r) => r.id));
    if (user.role === "supervisor")
      return new Set(regions.filter((r) => user.regionId && r.path.includes(`/${user.regionId}/`)).map((r) => r.id));
    const mine = (await repo.stationPaths(this.db)).filter((s) => user.stationIds.includes(s.id));
    const local = (r: repo.RegionRow) => r.level !== "province" && r.level !== "city";
    return new Set(
      regions
        .filter((r) => mine.some((s) => s.path.endsWith(`/${r.id}/`) || (local(r) && s.path.includes(`/${r.id}/`))))
        .map((r) => r.id),
    );
  }

  /** The latest reading per region and night, for the regions above the stations in scope. */
  async readings(user: SessionUser, q: { stationId?: string; from?: string; to?: string }): Promise<WeatherReading[]> {
    if (q.stationId) requireStation(user, q.stationId);
    const today = this.campaigns.today();
    const paths = (await repo.stationPaths(this.db)).filter((s) =>
      q.stationId ? s.id === q.stationId : user.allStations || user.stationIds.includes(s.id),
    );
    const ids = [...new Set(paths.flatMap((s) => s.path.split("/").filter(Boolean)))];
    const names = new Map((await repo.regionsByIds(this.db, ids)).map((r) => [r.id, r]));
    const rows = await repo.latestReadings(this.db, ids, q.from ?? addDays(today, -3), q.to ?? addDays(today, 3));
    return rows
      .map((r) => presentReading(r, names.get(r.regionId)?.name ?? ""))
      .sort((a, b) => b.date.localeCompare(a.date) || a.regionName.localeCompare(b.regionName));
  }

  /** Writes readings in one transaction. */
  private async write(readings: ReadingIn[], src: Parameters<typeof writeReadings>[3]): Promise<WeatherWriteOutcome> {
    const today = this.campaigns.today();
    return this.log.transact((tx, record) => writeReadings(tx, record, readings, src, today));
  }

  /** A night entered by hand. */
  async enter(user: SessionUser, input: WeatherReadingInput): Promise<WeatherWriteOutcome> {
    requireRole(user, WRITERS);
    const { id, regionId, ...night } = input;
    if (!(await repo.regionsByIds(this.db, [regionId])).length) throw fieldError("body.regionId", "no such region");
    if (!(await this.mayWrite(user, [regionId])).has(regionId)) throw forbidden("That region is outside your scope");
    return this.write([{ ...(id ? { id } : {}), regionId, night }], {
      source: "manual",
      partnerId: null,
      userId: user.id,
    });
  }

  /** Nights uploaded as CSV or .xlsx: every row checked first, then all written or none. */
  async upload(user: SessionUser, file: z.infer<typeof ImportFile>): Promise<WeatherWriteOutcome> {
    requireRole(user, WRITERS);
    const sheet = await readSheet(WEATHER_COLUMNS, file.format, Buffer.from(file.content, "base64"));
    if (sheet.problems.length) throw invalidFile(sheet.problems);
    const { readings, problems } = readingsFromSheet(sheet.rows, await regionIdsByName(this.db));
    if (problems.length) throw invalidFile(problems);
    if (!readings.length) throw invalidFile([{ row: 2, field: "file", message: "no rows" }]);
    // With no problem, every sheet row gave its reading, in order.
    const allowed = await this.mayWrite(user, [...new Set(readings.map((r) => r.regionId))]);
    const outside = sheet.rows.flatMap((row, i) =>
      allowed.has(readings[i]!.regionId) ? [] : [{ row: row.row, field: "region", message: "outside your scope" }],
    );
    if (outside.length) throw invalidFile(outside);
    return this.write(readings, { source: "upload", partnerId: null, userId: null });
  }

  /**
   * A partner system's push: the key first (401 without one, 403 when not valid), then the body;
   * a partner tied to a station may send weather only for the regions above that station.
   */
  async push(raw: Record<string, unknown>): Promise<WeatherWriteOutcome> {
    const key = typeof raw.api_key === "string" && raw.api_key ? raw.api_key : undefined;
    if (!key) throw new AppError(401, "UNAUTHENTICATED", "api_key: a partner api key is required (X-Api-Key)");
    const partner = await authenticatePartner(this.db, key);
    if (!partner) throw forbidden("api_key: not a valid partner key");
    const parsed = WeatherPush.safeParse(raw);
    if (!parsed.success) throw validationError("body", parsed.error);
    const regionIds = [...new Set(parsed.data.readings.map((r) => r.regionId))];
    const found = new Set((await repo.regionsByIds(this.db, regionIds)).map((r) => r.id));
    parsed.data.readings.forEach((r, i) => {
      if (!found.has(r.regionId)) throw fieldError(`body.readings.${i}.regionId`, "no such region");
    });
    if (partner.stationId) {
      const chain = (await repo.stationPaths(this.db)).find((s) => s.id === partner.stationId)?.path ?? "";
      const outside = regionIds.find((r) => !chain.includes(`/${r}/`));
      if (outside) throw forbidden(`regionId ${outside}: outside the partner's station`);
    }
    const readings = parsed.data.readings.map(({ regionId, ...night }) => ({ regionId, night }));
    return this.write(readings, { source: "partner", partnerId: partner.id, userId: null });
  }

  /**
   * Job body: records tonight's proposal of every station whose proposal changed, so a night that
   * became "tonight" (forecast long ago, or the report day turned) has one to confirm.
   */
  async refreshTonight(): Promise<number> {
    const today = this.campaigns.today();
    return this.log.transact(async (tx, record) => {
      await repo.lockWeather(tx);
      const roots = [...new Set((await repo.stationPaths(tx)).map((s) => s.path.split("/").filter(Boolean)[0]!))];
      return refreshProposals(tx, record, roots, [today], null);
    });
  }

  /** What the rule proposes for a station's night (default tonight). */
  async proposal(user: SessionUser, stationId: string, date?: string): Promise<WeatherProposal> {
    requireStation(user, stationId);
    const c = await computeProposal(this.db, stationId, date ?? this.campaigns.today());
    if (!c.chain.length) throw notFound("Station");
    return this.present(c);
  }

  private async present(c: Computed): Promise<WeatherProposal> {
    const latest = await repo.latestProposal(this.db, c.stationId, c.date);
    const id = latest && !differs(c, latest) && c.region ? latest.id : null;
    const campaign = await this.campaigns.runningFor(c.stationId);
    const confirmed = id ? await findAlert(this.db, id) : undefined;
    const name = (regionId: string) => c.chain.find((r) => r.id === regionId)?.name ?? "";
    return {
      id,
      stationId: c.stationId,
      date: c.date,
      regionId: c.region?.id ?? null,
      regionName: c.region?.name ?? null,
      reading: c.reading ? presentReading(c.reading, name(c.reading.regionId)) : null,
      earlier: c.earlier.map((r) => presentReading(r, name(r.regionId))),
      level: c.level,
      reasons: c.reasons,
      rule: c.rule,
      campaignId: campaign?.id ?? null,
      currentLevel: await currentAlertLevel(this.db, c.stationId),
      confirmed: confirmed ? presentAlert(confirmed) : null,
      cadence: c.level ? CADENCE[c.level] : null,
    };
  }

  /**
   * Confirms the proposal in force: sets the station's level in the running campaign with the
   * proposal's id as the change's id (a repeat changes nothing), re-triaging open cases, and records
   * weather.confirmed. A proposal replaced by a later one, or one raising no level, is 409.
   */
  async confirm(user: SessionUser, id: string): Promise<WeatherProposal> {
    requireRole(user, WRITERS);
    const p = await repo.findProposal(this.db, id);
    if (!p) throw notFound("Proposal");
    requireStation(user, p.stationId);
    const latest = await repo.latestProposal(this.db, p.stationId, p.night);
    if (latest?.id !== p.id) throw new AppError(409, "CONFLICT", "id: a later proposal replaced this one; reload");
    if (!p.level) throw new AppError(409, "CONFLICT", "id: this proposal raises no level");
    const level = p.level as NonNullable<WeatherProposal["level"]>;
    const campaign = await this.campaigns.runningFor(p.stationId);
    if (!campaign) throw new AppError(409, "CONFLICT", "stationId: no campaign is running at this station");
    const reason = `天气建议 weather proposal ${p.night}: ${(p.reasons as { rule: string; level: string }[])
      .map((r) => `${r.rule} ${r.level}`)
      .join("; ")}`;
    await this.campaigns.setAlert(
      user,
      campaign.id,
      { id: p.id, stationId: p.stationId, level, reason },
      async (_tx, record, change) =>
        record({
          type: "weather.confirmed",
          stationId: p.stationId,
          actorId: user.id,
          payload: {
            proposalId: p.id,
            stationId: p.stationId,
            date: p.night,
            level,
            previousLevel: change.previousLevel,
            alertId: change.id,
            campaignId: campaign.id,
          },
        }),
    );
    return this.present(await computeProposal(this.db, p.stationId, p.night));
  }

  /** A city's rule (the default until configured); a region below a city answers that city's. */
  async rule(regionId: string): Promise<WeatherProposal["rule"]> {
    const [r] = await repo.regionsByIds(this.db, [regionId]);
    if (!r) throw notFound("Region");
    const ids = r.path.split("/").filter(Boolean);
    const byId = new Map((await repo.regionsByIds(this.db, ids)).map((x) => [x.id, x]));
    const city = cityOf(ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])));
    return ruleOfCity(this.db, city?.id ?? regionId);
  }

  /** An admin configures a city's rule; the proposals from tonight on follow at once. */
  async setRule(
    user: SessionUser,
    regionId: string,
    input: z.infer<typeof ColdRuleUpdate>,
  ): Promise<WeatherProposal["rule"]> {
    requireRole(user, ["admin"]);
    const [r] = await repo.regionsByIds(this.db, [regionId]);
    if (!r) throw notFound("Region");
    if (r.level !== "city") throw fieldError("params.id", "a cold rule belongs to a city region");
    const today = this.campaigns.today();
    const saved = await this.log.transact(async (tx, record) => {
      await repo.lockWeather(tx);
      const row = await repo.saveColdRule(tx, regionId, input.version, input.rule, user.id);
      if (row) await refreshProposals(tx, record, [regionId], affectedNights([today], today), user.id);
      return row;
    });
    if (!saved) throw versionConflict("Cold rule");
    return ruleOfCity(this.db, regionId);
  }

  /**
   * The nights the city's rule would have set higher than the level set at the station (its level
   * history in the campaign): over the stored nights of its regions, or over an uploaded winter.
   */
  async backtest(user: SessionUser, input: z.infer<typeof BacktestInput>) {
    requireRole(user, WRITERS);
    requireStation(user, input.stationId);
    const today = this.campaigns.today();
    const here = await computeProposal(this.db, input.stationId, today);
    if (!here.chain.length) throw notFound("Station");
    const campaign = await campaignOfStation(this.db, input.stationId, today);
    let nights: WeatherNight[];
    if (input.file) {
      const sheet = await readSheet(BACKTEST_COLUMNS, input.file.format, Buffer.from(input.file.content, "base64"));
      if (sheet.problems.length) throw invalidFile(sheet.problems);
      const { readings, problems } = readingsFromSheet(sheet.rows);
      if (problems.length) throw invalidFile(problems);
      nights = readings.map((r) => r.night);
    } else {
      const from = input.from ?? campaign?.startsOn ?? addDays(today, -90);
      const to = input.to ?? today;
      nights = await storedNights(
        this.db,
        here.chain.map((r) => r.id),
        from,
        to,
      );
    }
    const dates = nights.map((n) => n.date).sort();
    const set = campaign
      ? await levelsSet(this.db, campaign, input.stationId, dates, this.timeZone, this.reportDayStart)
      : {};
    const rule = here.rule.rule as ColdRule;
    return {
      nights: nights.length,
      from: dates[0] ?? null,
      to: dates.at(-1) ?? null,
      items: backtestColdRule(nights, set, rule),
    };
  }
}

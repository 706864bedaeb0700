import { and, asc, desc, eq, isNull, or, sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { announcementState, campaignAlerts, campaigns, regions, stations } from "../db/schema/index.js";

export type CampaignRow = typeof campaigns.$inferSelect;
export type AlertRow = typeof campaignAlerts.$inferSelect;

/** Every campaign, newest first (a handful per year). */
export async function listCampaigns(db: DbOrTx): Promise<CampaignRow[]> {
  return db.select().from(campaigns).orderBy(desc(campaigns.startsOn)).limit(200);
}

/** One campaign. */
export async function findCampaign(db: DbOrTx, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  return row;
}

/** Inserts a campaign unless the id exists. */
export async function insertCampaign(db: DbOrTx, v: typeof campaigns.$inferInsert): Promise<CampaignRow | undefined> {
  const [row] = await db.insert(campaigns).values(v).onConflictDoNothing().returning();
  return row;
}

/** Stations in the campaign's region subtree. */
export async function campaignStationIds(db: DbOrTx, regionId: string): Promise<string[]> {
  const rows = await db
    .select({ id: stations.id })
    .from(stations)
    .innerJoin(regions, eq(regions.id, stations.regionId))
    .where(sql`${regions.path} like ${`%/${regionId}/%`}`)
    .orderBy(asc(stations.code));
  return rows.map((r) => r.id);
}

/** Sets the campaign-wide level. */
export async function setCampaignLevel(db: DbOrTx, id: string, level: CampaignRow["alertLevel"]): Promise<void> {
  await db.update(campaigns).set({ alertLevel: level }).where(eq(campaigns.id, id));
}

/** Appends an alert change unless its id exists. */
export async function insertAlert(db: DbOrTx, v: typeof campaignAlerts.$inferInsert): Promise<AlertRow | undefined> {
  const [row] = await db.insert(campaignAlerts).values(v).onConflictDoNothing().returning();
  return row;
}

/** One alert change. */
export async function findAlert(db: DbOrTx, id: string): Promise<AlertRow | undefined> {
  const [row] = await db.select().from(campaignAlerts).where(eq(campaignAlerts.id, id)).limit(1);
  return row;
}

/** Alert history of a campaign (a station's changes plus campaign-wide ones), newest first. */
export async function listAlerts(db: DbOrTx, campaignId: string, stationId?: string): Promise<AlertRow[]> {
  const scope = stationId ? or(eq(campaignAlerts.stationId, stationId), isNull(campaignAlerts.stationId)) : undefined;
  return db
    .select()
    .from(campaignAlerts)
    .where(and(eq(campaignAlerts.campaignId, campaignId), scope))
    .orderBy(desc(campaignAlerts.setAt), desc(campaignAlerts.id))
    .limit(500);
}

/**
 * The level in force per station: the latest change that applies to it, station-specific or
 * campaign-wide (a later city-wide change overrides an earlier station one, and vice versa).
 */
export async function levelsByStation(
  db: DbOrTx,
  c: CampaignRow,
  stationIds: string[],
): Promise<Map<string, CampaignRow["alertLevel"]>> {
  const rows = await rawRows<{ station_id: string | null; level: string; set_at: string | Date }>(
    db,
    sql`
    select distinct on (station_id) station_id, level, set_at from campaign_alerts
    where campaign_id = ${c.id} order by station_id, set_at desc, id desc`,
  );
  const wide = rows.find((r) => r.station_id === null);
  const wideAt = wide ? new Date(wide.set_at).getTime() : 0;
  const out = new Map<string, CampaignRow["alertLevel"]>();
  for (const sid of stationIds) {
    const own = rows.find((r) => r.station_id === sid);
    out.set(
      sid,
      own && new Date(own.set_at).getTime() > wideAt ? (own.level as CampaignRow["alertLevel"]) : c.alertLevel,
    );
  }
  return out;
}

/** Active key points of the stations with their latest visit (key points are dozens per station). */
export async function keyPointsWithLastVisit(db: DbOrTx, stationIds: string[]) {
  if (!stationIds.length) return [];
  return rawRows<{
    id: string;
    station_id: string;
    name: string;
    kind: string;
    lat: number;
    lng: number;
    last: string | Date | null;
  }>(
    db,
    sql`
    select kp.id, kp.station_id, kp.name, kp.kind, kp.lat, kp.lng,
      (select max(v.visited_at) from key_point_visits v where v.key_point_id = kp.id) as last
    from key_points kp
    where kp.active and kp.station_id in (${sql.join(
      stationIds.map((s) => sql`${s}::uuid`),
      sql`, `,
    )})
    order by kp.station_id, kp.name limit 2000`,
  );
}

/**
 * Latest refused / street-aid encounters (since `since`) with no later encounter of the same
 * person (following merges; for an unidentified person, of the same case) and no stay begun since.
 *
 * Linear in the encounters since `since`: the latest encounter per person (and per case) and the
 * latest stay per person are aggregated once, and each candidate is kept only when it is that
 * latest one. (A later encounter or stay is later than a candidate, hence also since `since`.) The
 * earlier form probed "any later encounter of this person" per candidate, which is quadratic in a
 * person's encounters and ran for minutes over a few million encounters.
 */
export async function openRechecks(db: DbOrTx, stationIds: string[], since: Date) {
  if (!stationIds.length) return [];
  const from = since.toISOString();
  // Only merged people change who an encounter is about; joining just those keeps the hash small.
  return rawRows<{
    id: string;
    person_id: string | null;
    station_id: string;
    outcome: string;
    occurred_at: string | Date;
    lat: number | null;
    lng: number | null;
  }>(
    db,
    sql`
    with seen as (
      select coalesce(pe.merged_into_id, l.person_id) as who, max(l.occurred_at) as last
      from encounters l left join people pe on pe.id = l.person_id and pe.merged_into_id is not null
      where l.occurred_at >= ${from}::timestamptz and l.person_id is not null group by 1
    ), case_seen as (
      select l.case_id, max(l.occurred_at) as last from encounters l
      where l.occurred_at >= ${from}::timestamptz and l.case_id is not null group by 1
    ), stayed as (
      select coalesce(pe.merged_into_id, st.person_id) as who, max(st.arrived_at) as last
      from stays st left join people pe on pe.id = st.person_id and pe.merged_into_id is not null
      where st.arrived_at >= ${from}::timestamptz and st.person_id is not null group by 1
    ), open as materialized (
      select e.id, e.person_id, e.station_id, e.outcome, e.occurred_at, e.lat, e.lng
      from encounters e
        left join people pe on pe.id = e.person_id and pe.merged_into_id is not null
        left join seen s on s.who = coalesce(pe.merged_into_id, e.person_id)
        left join stayed y on y.who = coalesce(pe.merged_into_id, e.person_id)
        left join case_seen c on c.case_id = e.case_id
      where e.station_id in (${sql.join(
        stationIds.map((s) => sql`${s}::uuid`),
        sql`, `,
      )})
        and e.occurred_at >= ${from}::timestamptz and e.found and e.outcome in ('refused', 'street_aid')
        -- identified: this is the person's latest encounter, and no stay began after it
        and (e.person_id is null or (s.last <= e.occurred_at and (y.last is null or y.last <= e.occurred_at)))
        -- unidentified on a case: this is the case's latest encounter
        and (e.person_id is not null or e.case_id is null or c.last <= e.occurred_at)
    )
    select * from open order by occurred_at asc limit 1000`,
  );
}

/** What announcements last said, for keys starting with `prefix`. */
export async function readAnnouncements(db: DbOrTx, prefix: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = await db
    .select()
    .from(announcementState)
    .where(sql`${announcementState.key} like ${`${prefix}%`}`);
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Records what an announcement said. */
export async function writeAnnouncement(db: DbOrTx, key: string, value: Record<string, unknown>): Promise<void> {
  await db
    .insert(announcementState)
    .values({ key, value })
    .onConflictDoUpdate({ target: announcementState.key, set: { value, updatedAt: new Date() } });
}

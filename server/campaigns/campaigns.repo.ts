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
  const rows = await db.select({ id: stations.id }).from(stations).innerJoin(regions, eq(regions.id, stations.regionId))
    .where(sql`${regions.path} like ${`%/${regionId}/%`}`).orderBy(asc(stations.code));
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
  return db.select().from(campaignAlerts).where(and(eq(campaignAlerts.campaignId, campaignId), scope))
    .orderBy(desc(campaignAlerts.setAt), desc(campaignAlerts.id)).limit(500);
}

/**
 * The level in force per station: the latest change that applies to it, station-specific or
 * campaign-wide (a later city-wide change overrides an earlier station one, and vice versa).
 */
export async function levelsByStation(db: DbOrTx, c: CampaignRow, stationIds: string[]): Promise<Map<string, CampaignRow["alertLevel"]>> {
  const rows = await rawRows<{ station_id: string | null; level: string; set_at: string | Date }>(db, sql`
    select distinct on (station_id) station_id, level, set_at from campaign_alerts
    where campaign_id = ${c.id} order by station_id, set_at desc, id desc`);
  const wide = rows.find((r) => r.station_id === null);
  const wideAt = wide ? new Date(wide.set_at).getTime() : 0;
  const out = new Map<string, CampaignRow["alertLevel"]>();
  for (const sid of stationIds) {
    const own = rows.find((r) => r.station_id === sid);
    out.set(sid, own && new Date(own.set_at).getTime() > wideAt ? (own.level as CampaignRow["alertLevel"]) : c.alertLevel);
  }
  return out;
}

/** Active key points of the stations with their latest visit (key points are dozens per station). */
export async function keyPointsWithLastVisit(db: DbOrTx, stationIds: string[]) {
  if (!stationIds.length) return [];
  return rawRows<{ id: string; station_id: string; name: string; kind: string; lat: number; lng: number; last: string | Date | null }>(db, sql`
    select kp.id, kp.station_id, kp.name, kp.kind, kp.lat, kp.lng,
      (select max(v.visited_at) from key_point_visits v where v.key_point_id = kp.id) as last
    from key_points kp
    where kp.active and kp.station_id in (${sql.join(stationIds.map((s) => sql`${s}::uuid`), sql`, `)})
    order by kp.station_id, kp.name limit 2000`);
}

/**
 * Latest refused / street-aid encounters (within `sinceHours`) with no later encounter of the same
 * person (following merges; for an unidentified person, of the same case) and no stay begun since.
 */
export async function openRechecks(db: DbOrTx, stationIds: string[], since: Date) {
  if (!stationIds.length) return [];
  return rawRows<{ id: string; person_id: string | null; station_id: string; outcome: string; occurred_at: string | Date; lat: number | null; lng: number | null }>(db, sql`
    select e.id, e.person_id, e.station_id, e.outcome, e.occurred_at, e.lat, e.lng
    from encounters e left join people pe on pe.id = e.person_id
    where e.station_id in (${sql.join(stationIds.map((s) => sql`${s}::uuid`), sql`, `)})
      and e.occurred_at >= ${since.toISOString()}::timestamptz and e.found and e.outcome in ('refused', 'street_aid')
      -- A later encounter with the same person (through merges) or, for someone unidentified, on
      -- the same case ends the wait. Split in two so each probe uses an index (person, case).
      and not exists (
        select 1 from encounters l
        where e.person_id is not null and l.occurred_at > e.occurred_at
          and l.person_id in (select p2.id from people p2
            where p2.id = coalesce(pe.merged_into_id, e.person_id) or p2.merged_into_id = coalesce(pe.merged_into_id, e.person_id)))
      and not exists (
        select 1 from encounters l
        where e.person_id is null and e.case_id is not null and l.case_id = e.case_id and l.occurred_at > e.occurred_at)
      and not exists (
        select 1 from stays st where e.person_id is not null and st.arrived_at > e.occurred_at
          and st.person_id in (select p2.id from people p2 where coalesce(p2.merged_into_id, p2.id) = coalesce(pe.merged_into_id, e.person_id)))
    order by e.occurred_at asc limit 1000`);
}

/** What announcements last said, for keys starting with `prefix`. */
export async function readAnnouncements(db: DbOrTx, prefix: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = await db.select().from(announcementState).where(sql`${announcementState.key} like ${`${prefix}%`}`);
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** Records what an announcement said. */
export async function writeAnnouncement(db: DbOrTx, key: string, value: Record<string, unknown>): Promise<void> {
  await db.insert(announcementState).values({ key, value }).onConflictDoUpdate({ target: announcementState.key, set: { value, updatedAt: new Date() } });
}

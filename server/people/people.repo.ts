import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import type { READ_KINDS } from "../../shared/api/people.js";
import { familySearchLog, people, personReads, stays } from "../db/schema/index.js";

export type PersonRow = typeof people.$inferSelect;
/** A person with their encounter count and latest encounter (merged records included). */
export type PersonWithStats = PersonRow & { encounterCount: number; lastSeenAt: Date | null };

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** Stats per kept record: encounters of it and of the records merged into it. */
async function stats(db: DbOrTx, ids: string[]): Promise<Map<string, { c: number; last: Date | null }>> {
  if (!ids.length) return new Map();
  const rows = await rawRows<{ root: string; c: string | number; last: string | Date | null }>(
    db,
    sql`
    select coalesce(p.merged_into_id, p.id)::text as root, count(e.id) as c, max(e.occurred_at) as last
    from people p join encounters e on e.person_id = p.id
    where p.id in (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )}) or p.merged_into_id in (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )})
    group by 1`,
  );
  return new Map(rows.map((r) => [r.root, { c: Number(r.c), last: r.last ? new Date(r.last) : null }]));
}

/** Adds encounter stats to rows. */
export async function withStats(db: DbOrTx, rows: PersonRow[]): Promise<PersonWithStats[]> {
  const s = await stats(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, encounterCount: s.get(r.id)?.c ?? 0, lastSeenAt: s.get(r.id)?.last ?? null }));
}

/** A page of people of the stations, newest first, with an optional search. */
export async function listPeople(
  db: DbOrTx,
  o: {
    stationIds: string[];
    q?: string;
    identitySearch: boolean;
    familySearch?: string;
    includeMerged: boolean;
    limit: number;
    offset: number;
  },
): Promise<{ rows: PersonRow[]; total: number }> {
  const conds: (SQL | undefined)[] = [inArray(people.stationId, o.stationIds.length ? o.stationIds : [NO_ID])];
  if (!o.includeMerged) conds.push(isNull(people.mergedIntoId));
  if (o.familySearch) conds.push(eq(people.familySearch, o.familySearch));
  if (o.q) {
    const like = `%${o.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    // Roles without identity may only search what they can see (flags), never names or ID numbers.
    conds.push(
      o.identitySearch
        ? or(
            sql`${people.name} ilike ${like}`,
            sql`${people.idNumber} ilike ${like}`,
            sql`${people.hometown} ilike ${like}`,
            sql`${o.q} = any(${people.flags})`,
          )
        : sql`${o.q} = any(${people.flags})`,
    );
  }
  const where = and(...conds);
  const [rows, [{ n }]] = await Promise.all([
    db
      .select()
      .from(people)
      .where(where)
      .orderBy(desc(people.createdAt), asc(people.id))
      .limit(o.limit)
      .offset(o.offset),
    db
      .select({ n: sql<number>`count(*)` })
      .from(people)
      .where(where) as unknown as Promise<[{ n: number }]>,
  ]);
  return { rows, total: Number(n) };
}

/** One person. */
export async function findPerson(db: DbOrTx, id: string): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id)).limit(1);
  return row;
}

/** Inserts a person unless the id exists. */
export async function insertPerson(db: DbOrTx, v: typeof people.$inferInsert): Promise<PersonRow | undefined> {
  const [row] = await db.insert(people).values(v).onConflictDoNothing().returning();
  return row;
}

/** Updates a person if the version matches. */
export async function updatePerson(
  db: DbOrTx,
  id: string,
  version: number,
  patch: Partial<typeof people.$inferInsert>,
): Promise<PersonRow | undefined> {
  const [row] = await db
    .update(people)
    .set({ ...patch, version: sql`${people.version} + 1` })
    .where(and(eq(people.id, id), eq(people.version, version)))
    .returning();
  return row;
}

/**
 * Locks two people's rows for a merge, in id order (two merges touching the same pair cannot
 * deadlock), and returns them as they are now.
 */
export async function lockPair(db: DbOrTx, a: string, b: string): Promise<Map<string, PersonRow>> {
  const rows = await db
    .select()
    .from(people)
    .where(inArray(people.id, [a, b]))
    .orderBy(asc(people.id))
    .for("update");
  return new Map(rows.map((r) => [r.id, r]));
}

/** Records merged into `id`, so merges stay one level deep (counting follows one hop). */
export async function repointMerged(db: DbOrTx, fromId: string, intoId: string): Promise<string[]> {
  const rows = await db
    .update(people)
    .set({ mergedIntoId: intoId, version: sql`${people.version} + 1` })
    .where(eq(people.mergedIntoId, fromId))
    .returning({ id: people.id });
  return rows.map((r) => r.id);
}

/** Ids of records merged into `id`. */
export async function mergedFrom(db: DbOrTx, id: string): Promise<string[]> {
  return (await db.select({ id: people.id }).from(people).where(eq(people.mergedIntoId, id))).map((r) => r.id);
}

/** Every encounter of the records, oldest first, with where it happened. */
export async function encountersOf(db: DbOrTx, ids: string[]) {
  return rawRows<{
    id: string;
    person_id: string | null;
    occurred_at: string | Date;
    found: boolean;
    outcome: string;
    flags: string[];
    lat: number | null;
    lng: number | null;
    notes: string;
    place: string | null;
  }>(
    db,
    sql`
    select e.id, e.person_id, e.occurred_at, e.found, e.outcome, e.flags, e.lat, e.lng, e.notes,
      coalesce(kp.name, c.place_text) as place
    from encounters e
    left join key_point_visits v on v.id = e.key_point_visit_id
    left join key_points kp on kp.id = v.key_point_id
    left join cases c on c.id = e.case_id
    where e.person_id in (${sql.join(
      ids.map((i) => sql`${i}::uuid`),
      sql`, `,
    )})
    order by e.occurred_at asc, e.id asc limit 2000`,
  );
}

/** Stays of the records, oldest first. */
export async function staysOf(db: DbOrTx, ids: string[]) {
  return db.select().from(stays).where(inArray(stays.personId, ids)).orderBy(asc(stays.arrivedAt)).limit(500);
}

/** Family-search history of the records. */
export async function familyLogOf(db: DbOrTx, ids: string[]) {
  return db
    .select()
    .from(familySearchLog)
    .where(inArray(familySearchLog.personId, ids))
    .orderBy(asc(familySearchLog.at))
    .limit(500);
}

/** Appends a family-search change. */
export async function insertFamilyLog(db: DbOrTx, v: typeof familySearchLog.$inferInsert): Promise<void> {
  await db.insert(familySearchLog).values(v);
}

/** How a person's record was read: the audit's "through what" (shared/api/people.ts PersonRead). */
export type ReadKind = (typeof READ_KINDS)[number];

/** Audits reads of person records. */
export async function auditReads(
  db: DbOrTx,
  personIds: string[],
  user: { id: string; role: string },
  kind: ReadKind,
): Promise<void> {
  if (!personIds.length) return;
  await db
    .insert(personReads)
    .values(personIds.map((personId) => ({ personId, userId: user.id, role: user.role, kind })));
}

/** Audits reads by several readers at once (one event delivered to many sockets, a replayed page). */
export async function auditReadsBy(
  db: DbOrTx,
  rows: { personId: string; userId: string; role: string; kind: ReadKind }[],
): Promise<void> {
  if (rows.length) await db.insert(personReads).values(rows);
}

/** Reads of a station's people, newest first (keyset paging on the audit id). */
export async function readsOfStation(db: DbOrTx, stationId: string, limit: number, beforeId?: number) {
  return db
    .select({
      id: personReads.id,
      personId: personReads.personId,
      userId: personReads.userId,
      role: personReads.role,
      kind: personReads.kind,
      at: personReads.at,
    })
    .from(personReads)
    .innerJoin(people, eq(people.id, personReads.personId))
    .where(and(eq(people.stationId, stationId), beforeId ? sql`${personReads.id} < ${beforeId}` : undefined))
    .orderBy(desc(personReads.id))
    .limit(limit);
}

/** Reads of a record, newest first. */
export async function readsOf(db: DbOrTx, personId: string) {
  return db
    .select()
    .from(personReads)
    .where(eq(personReads.personId, personId))
    .orderBy(desc(personReads.id))
    .limit(500);
}

/**
 * Candidate duplicates of a person in the same station: same ID number, same name, or (when
 * unnamed) same gender and similar age met within ~300 m. Scored in the service.
 */
export async function duplicateCandidates(db: DbOrTx, p: PersonRow): Promise<(PersonRow & { near: boolean })[]> {
  const rows = await rawRows<Record<string, unknown>>(
    db,
    sql`
    select o.id, exists (
      select 1 from encounters a join encounters b on b.person_id = o.id
      where a.person_id = ${p.id}::uuid and a.lat is not null and b.lat is not null
        and abs(a.lat - b.lat) < 0.003 and abs(a.lng - b.lng) < 0.004) as near
    from people o
    where o.station_id = ${p.stationId}::uuid and o.id <> ${p.id}::uuid and o.merged_into_id is null and (
      (${p.idNumber}::text is not null and o.id_number = ${p.idNumber})
      or (${p.name}::text is not null and o.name = ${p.name})
      or (o.gender is not distinct from ${p.gender}::text and ${p.approxAge}::int is not null and abs(o.approx_age - ${p.approxAge}::int) <= 5))
    limit 50`,
  );
  if (!rows.length) return [];
  const full = await db
    .select()
    .from(people)
    .where(
      inArray(
        people.id,
        rows.map((r) => String(r.id)),
      ),
    );
  return full.map((f) => ({ ...f, near: Boolean(rows.find((r) => r.id === f.id)?.near) }));
}

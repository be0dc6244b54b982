import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { likeContains, likePrefix } from '../../platform/db/like';
import { programIndicators, programItemOwners, programItems, programs } from './programs.schema';

export type ProgramRow = typeof programs.$inferSelect;
export type ProgramItemRow = typeof programItems.$inferSelect;
export type IndicatorRow = typeof programIndicators.$inferSelect;
export type ProgramSummaryRow = ProgramRow & { ownerUnitName: string; ownerUnitPath: string; ownerUserName: string | null };

const summaryColumns = {
  id: programs.id,
  tenantId: programs.tenantId,
  title: programs.title,
  description: programs.description,
  ownerUnitId: programs.ownerUnitId,
  ownerUserId: programs.ownerUserId,
  startsOn: programs.startsOn,
  endsOn: programs.endsOn,
  createdBy: programs.createdBy,
  version: programs.version,
  createdAt: programs.createdAt,
  updatedAt: programs.updatedAt,
  ownerUnitName: sql<string>`(select u.name from org_units u where u.id = ${programs.ownerUnitId})`,
  ownerUnitPath: sql<string>`(select u.path from org_units u where u.id = ${programs.ownerUnitId})`,
  ownerUserName: sql<string | null>`(select us.display_name from users us where us.id = ${programs.ownerUserId})`,
};

export async function listPrograms(db: Executor, tenantId: string, q: string | undefined, page: number, pageSize: number) {
  const where = and(eq(programs.tenantId, tenantId), q ? sql`${programs.title} like ${likeContains(q)}` : undefined);
  const rows = await db
    .select(summaryColumns)
    .from(programs)
    .where(where)
    .orderBy(sql`${programs.startsOn} desc`, asc(programs.title))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [c] = await db.select({ n: sql<number>`count(*)::int` }).from(programs).where(where);
  return { rows: rows as ProgramSummaryRow[], total: c?.n ?? 0 };
}

export async function findProgram(db: Executor, tenantId: string, id: string): Promise<ProgramSummaryRow | undefined> {
  const [r] = await db
    .select(summaryColumns)
    .from(programs)
    .where(and(eq(programs.tenantId, tenantId), eq(programs.id, id)));
  return r as ProgramSummaryRow | undefined;
}

export async function insertProgram(db: Executor, v: typeof programs.$inferInsert): Promise<string> {
  const [r] = await db.insert(programs).values(v).returning({ id: programs.id });
  if (!r) throw new Error('program insert');
  return r.id;
}

/** Updates when the version matches; returns false on a stale version. */
export async function updateProgram(db: Executor, tenantId: string, id: string, version: number, set: Partial<typeof programs.$inferInsert>) {
  const r = await db
    .update(programs)
    .set({ ...set, version: sql`${programs.version} + 1`, updatedAt: new Date() })
    .where(and(eq(programs.tenantId, tenantId), eq(programs.id, id), eq(programs.version, version)))
    .returning({ id: programs.id });
  return r.length === 1;
}

export async function deleteProgram(db: Executor, tenantId: string, id: string) {
  await db.delete(programs).where(and(eq(programs.tenantId, tenantId), eq(programs.id, id)));
}

export async function listItems(db: Executor, programId: string): Promise<ProgramItemRow[]> {
  return db.select().from(programItems).where(eq(programItems.programId, programId)).orderBy(asc(programItems.sortOrder), asc(programItems.createdAt));
}

export async function findItem(db: Executor, tenantId: string, id: string): Promise<ProgramItemRow | undefined> {
  const [r] = await db
    .select()
    .from(programItems)
    .where(and(eq(programItems.tenantId, tenantId), eq(programItems.id, id)));
  return r;
}

/** Depth of an item (a root is 1), walking up its parents. */
export async function itemDepth(db: Executor, id: string): Promise<number> {
  const r = await db.execute<{ depth: number }>(sql`
    with recursive up as (
      select id, parent_id, 1 as depth from program_items where id = ${id}
      union all
      select p.id, p.parent_id, up.depth + 1 from program_items p join up on p.id = up.parent_id
    ) select max(depth)::int as depth from up`);
  return r.rows[0]?.depth ?? 0;
}

export async function insertItem(db: Executor, v: typeof programItems.$inferInsert): Promise<string> {
  const [r] = await db.insert(programItems).values(v).returning({ id: programItems.id });
  if (!r) throw new Error('item insert');
  return r.id;
}

export async function updateItem(db: Executor, tenantId: string, id: string, version: number, set: Partial<typeof programItems.$inferInsert>) {
  const r = await db
    .update(programItems)
    .set({ ...set, version: sql`${programItems.version} + 1` })
    .where(and(eq(programItems.tenantId, tenantId), eq(programItems.id, id), eq(programItems.version, version)))
    .returning({ id: programItems.id });
  return r.length === 1;
}

export async function deleteItem(db: Executor, tenantId: string, id: string) {
  await db.delete(programItems).where(and(eq(programItems.tenantId, tenantId), eq(programItems.id, id)));
}

export async function setItemOwners(db: Executor, tenantId: string, itemId: string, personIds: string[]) {
  await db.delete(programItemOwners).where(eq(programItemOwners.itemId, itemId));
  if (personIds.length > 0) await db.insert(programItemOwners).values(personIds.map((personId) => ({ tenantId, itemId, personId })));
}

export async function ownersOfProgram(db: Executor, programId: string) {
  const r = await db.execute<{ item_id: string; id: string; name: string }>(sql`
    select o.item_id, p.id, p.name from program_item_owners o
    join program_items i on i.id = o.item_id join people p on p.id = o.person_id
    where i.program_id = ${programId} order by p.name collate "zh-x-icu"`);
  return r.rows.map((x) => ({ itemId: x.item_id, id: x.id, name: x.name }));
}

export async function countPeople(db: Executor, tenantId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from people where tenant_id = ${tenantId} and id = any(${sql.param(ids)}::uuid[])`);
  return r.rows[0]?.n ?? 0;
}

export async function indicatorsOfProgram(db: Executor, programId: string): Promise<IndicatorRow[]> {
  const itemIds = db.select({ id: programItems.id }).from(programItems).where(eq(programItems.programId, programId));
  return db.select().from(programIndicators).where(inArray(programIndicators.itemId, itemIds)).orderBy(asc(programIndicators.sortOrder), asc(programIndicators.name));
}

export async function findIndicator(db: Executor, tenantId: string, id: string) {
  const [r] = await db
    .select({ indicator: programIndicators, programId: programItems.programId })
    .from(programIndicators)
    .innerJoin(programItems, eq(programItems.id, programIndicators.itemId))
    .where(and(eq(programIndicators.tenantId, tenantId), eq(programIndicators.id, id)));
  return r;
}

export async function insertIndicator(db: Executor, v: typeof programIndicators.$inferInsert): Promise<string> {
  const [r] = await db.insert(programIndicators).values(v).returning({ id: programIndicators.id });
  if (!r) throw new Error('indicator insert');
  return r.id;
}

export async function updateIndicator(db: Executor, tenantId: string, id: string, version: number, set: Partial<typeof programIndicators.$inferInsert>) {
  const r = await db
    .update(programIndicators)
    .set({ ...set, version: sql`${programIndicators.version} + 1` })
    .where(and(eq(programIndicators.tenantId, tenantId), eq(programIndicators.id, id), eq(programIndicators.version, version)))
    .returning({ id: programIndicators.id });
  return r.length === 1;
}

export async function deleteIndicator(db: Executor, tenantId: string, id: string) {
  await db.delete(programIndicators).where(and(eq(programIndicators.tenantId, tenantId), eq(programIndicators.id, id)));
}

// ---- computed indicator sources: each counts (or lists) records for a saved query ----

export type SourceQuery = { tenantId: string; programId: string; itemId: string; typeCodes: string[]; unitPath: string | null; from: string; to: string };
export type SourceRecord = { id: string; title: string; date: string | null; unitName: string | null; status: string | null; link: string };

/** Activities of the given types, held or recorded, in a unit subtree, started in the period. */
function activitiesWhere(q: SourceQuery) {
  return sql`a.tenant_id = ${q.tenantId} and a.status in ('held','recorded')
    and a.starts_at >= (${q.from}::date)::timestamptz and a.starts_at < (${q.to}::date + 1)::timestamptz
    ${q.typeCodes.length > 0 ? sql`and t.code = any(${sql.param(q.typeCodes)}::text[])` : sql``}
    ${q.unitPath ? sql`and u.path like ${likePrefix(q.unitPath)}` : sql``}`;
}

/** Problems of this program that are rectified (found in the period). */
function problemsWhere(q: SourceQuery) {
  return sql`p.tenant_id = ${q.tenantId} and p.program_id = ${q.programId} and p.status = 'rectified' and p.found_on between ${q.from} and ${q.to}`;
}

/** Responses to this program's feedback forms, received in the period. */
function responsesWhere(q: SourceQuery) {
  return sql`r.tenant_id = ${q.tenantId} and f.program_id = ${q.programId}
    and r.created_at >= (${q.from}::date)::timestamptz and r.created_at < (${q.to}::date + 1)::timestamptz`;
}

/**
 * Held or recorded activities of a period, counted per (unit, type): one pass over the
 * period, from which every indicator of a program that shares the period is summed (a
 * program page would otherwise count its records once per indicator).
 */
export async function activityCountsByUnitType(db: Executor, tenantId: string, from: string, to: string) {
  const r = await db.execute<{ unitId: string; typeId: string; n: number }>(sql`
    select a.unit_id as "unitId", a.type_id as "typeId", count(*)::int as n from activities a
    where a.tenant_id = ${tenantId} and a.status in ('held','recorded')
      and a.starts_at >= (${from}::date)::timestamptz and a.starts_at < (${to}::date + 1)::timestamptz
    group by a.unit_id, a.type_id`);
  return r.rows;
}

export async function unitPathsOfTenant(db: Executor, tenantId: string) {
  const r = await db.execute<{ id: string; path: string }>(sql`select id, path from org_units where tenant_id = ${tenantId}`);
  return r.rows;
}

export async function activityTypeCodes(db: Executor, tenantId: string) {
  const r = await db.execute<{ id: string; code: string }>(sql`select id, code from activity_types where tenant_id = ${tenantId}`);
  return r.rows;
}

export const sources = {
  activities: {
    async count(db: Executor, q: SourceQuery): Promise<number> {
      const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from activities a
        join activity_types t on t.id = a.type_id join org_units u on u.id = a.unit_id where ${activitiesWhere(q)}`);
      return r.rows[0]?.n ?? 0;
    },
    async records(db: Executor, q: SourceQuery, limit: number): Promise<SourceRecord[]> {
      const r = await db.execute<SourceRecord>(sql`select a.id, a.topic as title, to_char(a.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as date,
        u.name as "unitName", a.status, '/activities/' || a.id as link from activities a
        join activity_types t on t.id = a.type_id join org_units u on u.id = a.unit_id where ${activitiesWhere(q)}
        order by a.starts_at desc limit ${limit}`);
      return r.rows;
    },
  },
  /** the same filters, over the activities linked to the indicator's item (activity_program_items) */
  linked_activities: {
    async count(db: Executor, q: SourceQuery): Promise<number> {
      const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from activities a
        join activity_program_items l on l.activity_id = a.id and l.item_id = ${q.itemId}
        join activity_types t on t.id = a.type_id join org_units u on u.id = a.unit_id where ${activitiesWhere(q)}`);
      return r.rows[0]?.n ?? 0;
    },
    async records(db: Executor, q: SourceQuery, limit: number): Promise<SourceRecord[]> {
      const r = await db.execute<SourceRecord>(sql`select a.id, a.topic as title, to_char(a.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as date,
        u.name as "unitName", a.status, '/activities/' || a.id as link from activities a
        join activity_program_items l on l.activity_id = a.id and l.item_id = ${q.itemId}
        join activity_types t on t.id = a.type_id join org_units u on u.id = a.unit_id where ${activitiesWhere(q)}
        order by a.starts_at desc limit ${limit}`);
      return r.rows;
    },
  },
  problems: {
    async count(db: Executor, q: SourceQuery): Promise<number> {
      const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from problems p where ${problemsWhere(q)}`);
      return r.rows[0]?.n ?? 0;
    },
    async records(db: Executor, q: SourceQuery, limit: number): Promise<SourceRecord[]> {
      const r = await db.execute<SourceRecord>(sql`select p.id, p.title, p.found_on::text as date, null as "unitName", p.status, '/programs/problems/' || p.id as link
        from problems p where ${problemsWhere(q)} order by p.number limit ${limit}`);
      return r.rows;
    },
  },
  feedback_responses: {
    async count(db: Executor, q: SourceQuery): Promise<number> {
      const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_responses r join feedback_forms f on f.id = r.form_id where ${responsesWhere(q)}`);
      return r.rows[0]?.n ?? 0;
    },
    async records(db: Executor, q: SourceQuery, limit: number): Promise<SourceRecord[]> {
      const r = await db.execute<SourceRecord>(sql`select r.id, f.title, to_char(r.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as date,
        null as "unitName", null as status, '/programs/forms/' || f.id as link
        from feedback_responses r join feedback_forms f on f.id = r.form_id where ${responsesWhere(q)} order by r.created_at desc limit ${limit}`);
      return r.rows;
    },
  },
} as const;

import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { likePrefix } from '../../platform/db/like';
import { activityTypes } from '../activities/activities.schema';
import { dutyRules } from './duties.schema';

export const TIME_ZONE = 'Asia/Shanghai';

export type DutyRuleRow = {
  id: string;
  code: string | null;
  unitType: string;
  typeId: string;
  typeCode: string;
  typeNameZh: string;
  typeNameEn: string;
  period: string;
  minCount: number;
  active: boolean;
  version: number;
};

const ruleColumns = {
  id: dutyRules.id,
  code: dutyRules.code,
  unitType: dutyRules.unitType,
  typeId: dutyRules.typeId,
  typeCode: activityTypes.code,
  typeNameZh: activityTypes.nameZh,
  typeNameEn: activityTypes.nameEn,
  period: dutyRules.period,
  minCount: dutyRules.minCount,
  active: dutyRules.active,
  version: dutyRules.version,
};

export async function listRules(db: Executor, tenantId: string): Promise<DutyRuleRow[]> {
  return db
    .select(ruleColumns)
    .from(dutyRules)
    .innerJoin(activityTypes, eq(activityTypes.id, dutyRules.typeId))
    .where(eq(dutyRules.tenantId, tenantId))
    .orderBy(dutyRules.unitType, activityTypes.sortOrder, activityTypes.code, dutyRules.period);
}

export async function findRule(db: Executor, tenantId: string, id: string): Promise<DutyRuleRow | undefined> {
  const rows = await db
    .select(ruleColumns)
    .from(dutyRules)
    .innerJoin(activityTypes, eq(activityTypes.id, dutyRules.typeId))
    .where(and(eq(dutyRules.tenantId, tenantId), eq(dutyRules.id, id)));
  return rows[0];
}

export async function findType(db: Executor, tenantId: string, id: string) {
  const rows = await db
    .select({ id: activityTypes.id, code: activityTypes.code, nameZh: activityTypes.nameZh, nameEn: activityTypes.nameEn })
    .from(activityTypes)
    .where(and(eq(activityTypes.tenantId, tenantId), eq(activityTypes.id, id)));
  return rows[0];
}

export async function listTypes(db: Executor, tenantId: string) {
  return db
    .select({ id: activityTypes.id, code: activityTypes.code, nameZh: activityTypes.nameZh, nameEn: activityTypes.nameEn })
    .from(activityTypes)
    .where(and(eq(activityTypes.tenantId, tenantId), eq(activityTypes.active, true)))
    .orderBy(activityTypes.sortOrder, activityTypes.code);
}

export async function insertRule(db: Executor, r: typeof dutyRules.$inferInsert): Promise<string> {
  const [row] = await db.insert(dutyRules).values(r).returning({ id: dutyRules.id });
  if (!row) throw new Error('insert duty rule');
  return row.id;
}

/** Optimistic update: nothing changes (and 0 is returned) when the version moved on. */
export async function updateRuleVersioned(
  db: Executor,
  tenantId: string,
  id: string,
  version: number,
  changes: Partial<Pick<typeof dutyRules.$inferInsert, 'period' | 'minCount' | 'active'>>,
): Promise<number> {
  const r = await db
    .update(dutyRules)
    .set({ ...changes, version: sql`${dutyRules.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(dutyRules.tenantId, tenantId), eq(dutyRules.id, id), eq(dutyRules.version, version)))
    .returning({ id: dutyRules.id });
  return r.length;
}

/** Which units a calendar covers: given ids, or a whole subtree by path prefix. */
export type UnitSelection = { ids: string[] } | { pathPrefix: string };

/** Which periods: all of the year, those ending exactly at a moment, or those ending within a window. */
export type PeriodSelection = { all: true } | { endsAt: Date } | { endsAfter: Date; endsUntil: Date };

export type CellRow = {
  unitId: string;
  unitName: string;
  unitType: string;
  unitPath: string;
  ruleId: string;
  typeId: string;
  typeNameZh: string;
  typeNameEn: string;
  period: 'month' | 'quarter' | 'year';
  idx: number;
  startsAt: Date;
  endsAt: Date;
  required: number;
  done: number;
};

/** Shanghai midnight of 1 January of `year` as an instant (China has kept UTC+8 without DST since 1991). */
export function shanghaiYearStart(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000);
}

/**
 * The duties calendar in one statement: the year's valid activities of the selected units
 * are counted once per unit × type × Shanghai month, and every period (generate_series of
 * months, quarters and the year, bounded at Shanghai midnight) sums its months. Every
 * active rule applies to every unit of its unit type.
 */
export async function dutyCells(db: Executor, tenantId: string, year: number, units: UnitSelection, periods: PeriodSelection): Promise<CellRow[]> {
  const unitFilter = 'ids' in units ? sql`ou.id = any(${sql.param(units.ids)}::uuid[])` : sql`ou.path like ${likePrefix(units.pathPrefix)}`;
  const periodFilter =
    'endsAt' in periods
      ? sql`pp.ends_at = ${periods.endsAt.toISOString()}::timestamptz`
      : 'endsAfter' in periods
        ? sql`pp.ends_at > ${periods.endsAfter.toISOString()}::timestamptz and pp.ends_at <= ${periods.endsUntil.toISOString()}::timestamptz`
        : sql`true`;
  const from = shanghaiYearStart(year).toISOString();
  const to = shanghaiYearStart(year + 1).toISOString();
  const r = await db.execute<{
    unit_id: string;
    unit_name: string;
    unit_type: string;
    unit_path: string;
    rule_id: string;
    type_id: string;
    name_zh: string;
    name_en: string;
    period: 'month' | 'quarter' | 'year';
    idx: number;
    starts_at: Date;
    ends_at: Date;
    min_count: number;
    done: number;
    sort_order: number;
    code: string;
  }>(sql`
    with u as (
      select ou.id, ou.name, ou.type, ou.path from org_units ou
       where ou.tenant_id = ${tenantId} and ou.active and ${unitFilter}
    ), r as (
      select d.id, d.unit_type, d.type_id, d.period, d.min_count, t.name_zh, t.name_en, t.sort_order, t.code
        from duty_rules d join activity_types t on t.id = d.type_id
       where d.tenant_id = ${tenantId} and d.active and d.unit_type in (select distinct type from u)
    ), pp as (
      select p.period, p.idx, p.m_from, p.m_to,
             make_timestamp(${year}::int, p.m_from, 1, 0, 0, 0) at time zone ${TIME_ZONE} as starts_at,
             (make_timestamp(${year}::int, p.m_to, 1, 0, 0, 0) + interval '1 month') at time zone ${TIME_ZONE} as ends_at
        from (
          select 'month'::text as period, m as idx, m as m_from, m as m_to from generate_series(1, 12) m
          union all select 'quarter', q, 3 * q - 2, 3 * q from generate_series(1, 4) q
          union all select 'year', 1, 1, 12
        ) p
    ), m as (
      select a.unit_id, a.type_id, extract(month from a.starts_at at time zone ${TIME_ZONE})::int as month, count(*)::int as n
        from activities a join u on u.id = a.unit_id
       where a.tenant_id = ${tenantId}
         and a.starts_at >= ${from}::timestamptz and a.starts_at < ${to}::timestamptz
         and a.status in ('held', 'recorded') and a.valid
       group by 1, 2, 3
    ), c as (
      -- grouped by ids only: names and bounds join back afterwards, so the sort stays narrow
      select u.id as unit_id, r.id as rule_id, pp.period, pp.idx, coalesce(sum(m.n), 0)::int as done
        from u
        join r on r.unit_type = u.type
        join pp on pp.period = r.period and ${periodFilter}
        left join m on m.unit_id = u.id and m.type_id = r.type_id and m.month between pp.m_from and pp.m_to
       group by u.id, r.id, pp.period, pp.idx
    )
    select u.id as unit_id, u.name as unit_name, u.type as unit_type, u.path as unit_path,
           r.id as rule_id, r.type_id, r.name_zh, r.name_en, r.period, c.idx, pp.starts_at, pp.ends_at, r.min_count, c.done,
           r.sort_order, r.code
      from c
      join u on u.id = c.unit_id
      join r on r.id = c.rule_id
      join pp on pp.period = c.period and pp.idx = c.idx`);
  // the calendar's order: units by tree path, rules by catalogue order, periods in time (sorted here, not by a wide SQL sort)
  const rows = [...r.rows].sort(
    (a, b) =>
      (a.unit_path < b.unit_path ? -1 : a.unit_path > b.unit_path ? 1 : 0) ||
      a.sort_order - b.sort_order ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.period < b.period ? -1 : a.period > b.period ? 1 : 0) ||
      a.idx - b.idx,
  );
  return rows.map((x) => ({
    unitId: x.unit_id,
    unitName: x.unit_name,
    unitType: x.unit_type,
    unitPath: x.unit_path,
    ruleId: x.rule_id,
    typeId: x.type_id,
    typeNameZh: x.name_zh,
    typeNameEn: x.name_en,
    period: x.period,
    idx: x.idx,
    startsAt: new Date(x.starts_at),
    endsAt: new Date(x.ends_at),
    required: x.min_count,
    done: x.done,
  }));
}

/**
 * Who leads a unit and so hears of its duties: users whose person is the branch's
 * committee secretary, and users holding branch_secretary (支部书记) or group_leader
 * (党小组组长) granted on the unit itself. A Party group has no committee, so only a grant
 * on the group makes someone its leader.
 */
export async function leadersOf(db: Executor, tenantId: string, unitIds: string[]): Promise<{ unitId: string; userId: string }[]> {
  if (unitIds.length === 0) return [];
  const r = await db.execute<{ unit_id: string; user_id: string }>(sql`
    select p.branch_id as unit_id, u.id as user_id
      from people p join users u on u.person_id = p.id and u.active
     where p.tenant_id = ${tenantId} and p.active and p.committee_role = 'secretary' and p.branch_id = any(${sql.param(unitIds)}::uuid[])
    union
    select g.scope_unit_id, u.id
      from role_grants g join roles ro on ro.id = g.role_id and ro.code in ('branch_secretary', 'group_leader')
      join users u on u.id = g.user_id and u.active
     where g.tenant_id = ${tenantId} and g.scope_unit_id = any(${sql.param(unitIds)}::uuid[])`);
  return r.rows.map((x) => ({ unitId: x.unit_id, userId: x.user_id }));
}

/** Each given Party group's nearest enclosing active branch (groups sit under their branch in the tree). */
export async function branchesOfGroups(db: Executor, tenantId: string, groupIds: string[]): Promise<{ groupId: string; branchId: string }[]> {
  if (groupIds.length === 0) return [];
  const r = await db.execute<{ group_id: string; branch_id: string }>(sql`
    select g.id as group_id, b.id as branch_id
      from org_units g
      join lateral (
        select b.id from org_units b
         where b.tenant_id = g.tenant_id and b.type = 'branch' and b.active and b.id <> g.id and starts_with(g.path, b.path)
         order by length(b.path) desc limit 1
      ) b on true
     where g.tenant_id = ${tenantId} and g.type = 'party_group' and g.id = any(${sql.param(groupIds)}::uuid[])`);
  return r.rows.map((x) => ({ groupId: x.group_id, branchId: x.branch_id }));
}

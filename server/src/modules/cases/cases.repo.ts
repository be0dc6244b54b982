import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likePrefix } from '../../platform/db/like';
import { serviceCaseFollowups, serviceCases } from './cases.schema';

export type CaseRow = typeof serviceCases.$inferSelect;
export type CaseInsert = typeof serviceCases.$inferInsert;
export type CaseListRow = CaseRow & { officePath: string; requesterName: string; followups: { at: string; note: string; status: string | null; byName: string }[] };

export type CasesFilter = {
  tenantId: string;
  scope: Scope;
  status?: string | undefined;
  enterpriseType?: string | undefined;
  project?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};

function whereOf(f: CasesFilter): SQL {
  const conds: SQL[] = [sql`s.tenant_id = ${f.tenantId}`];
  if (!f.scope.all) {
    conds.push(
      f.scope.paths.length
        ? sql`s.office_id = any(array(select u.id from org_units u where u.tenant_id = ${f.tenantId} and u.path like any(${sql.param(f.scope.paths.map(likePrefix))}::text[])))`
        : sql`false`,
    );
  }
  if (f.status) conds.push(sql`s.status = ${f.status}`);
  if (f.enterpriseType) conds.push(sql`exists (select 1 from enterprises e where e.id = s.enterprise_id and e.type = ${f.enterpriseType})`);
  if (f.project) conds.push(sql`s.project = ${f.project}`);
  if (f.from) conds.push(sql`s.raised_on >= ${f.from}`);
  if (f.to) conds.push(sql`s.raised_on <= ${f.to}`);
  return sql.join(conds, sql` and `);
}

function withDetails(selected: SQL): SQL {
  return sql`
    with sel as (${selected})
    select s.id, s.tenant_id as "tenantId", s.office_id as "officeId", s.requester_type as "requesterType",
           s.enterprise_id as "enterpriseId", s.contact_id as "contactId", s.activity_id as "activityId", s.project,
           s.problem, s.category, s.departments, s.status, s.result, s.satisfaction, s.raised_on as "raisedOn",
           s.closed_on as "closedOn", s.version, s.created_at as "createdAt", s.updated_at as "updatedAt", s.total,
           o.path as "officePath", coalesce(e.name, c.name) as "requesterName",
           coalesce((select json_agg(json_build_object('at', f.at, 'note', f.note, 'status', f.status, 'byName', f.by_name) order by f.at)
                       from service_case_followups f where f.case_id = s.id), '[]'::json) as followups
      from sel s join org_units o on o.id = s.office_id
      left join enterprises e on e.id = s.enterprise_id
      left join contacts c on c.id = s.contact_id
     order by s.raised_on desc, s.id`;
}

export async function listCases(db: Executor, f: CasesFilter, page: number, pageSize: number) {
  const r = await db.execute<CaseListRow & { total: number }>(
    withDetails(sql`select s.*, count(*) over ()::int as total from service_cases s where ${whereOf(f)} order by s.raised_on desc, s.id limit ${pageSize} offset ${(page - 1) * pageSize}`),
  );
  return { rows: r.rows, total: r.rows[0]?.total ?? 0 };
}

export async function findCase(db: Executor, tenantId: string, id: string): Promise<CaseListRow | undefined> {
  const r = await db.execute<CaseListRow>(withDetails(sql`select s.*, 0 as total from service_cases s where s.tenant_id = ${tenantId} and s.id = ${id}`));
  return r.rows[0];
}

export async function insertCase(db: Executor, row: CaseInsert): Promise<string> {
  const [r] = await db.insert(serviceCases).values(row).returning({ id: serviceCases.id });
  if (!r) throw new Error('case');
  return r.id;
}

export async function updateCaseVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<CaseInsert>): Promise<boolean> {
  const r = await db
    .update(serviceCases)
    .set({ ...set, version: sql`${serviceCases.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(serviceCases.tenantId, tenantId), eq(serviceCases.id, id), eq(serviceCases.version, version)))
    .returning({ id: serviceCases.id });
  return r.length === 1;
}

export async function insertFollowup(db: Executor, row: typeof serviceCaseFollowups.$inferInsert): Promise<void> {
  await db.insert(serviceCaseFollowups).values(row);
}

/** Raised, resolved, not resolvable and open cases of the period, and the same per requester enterprise type. */
export async function caseCounts(db: Executor, f: CasesFilter) {
  const r = await db.execute<{ type: string | null; total: number; raised: number; resolved: number; cannot: number; open: number }>(sql`
    select e.type, grouping(e.type)::int as total, count(*)::int as raised,
           count(*) filter (where s.status = 'resolved')::int as resolved,
           count(*) filter (where s.status = 'cannot_resolve')::int as cannot,
           count(*) filter (where s.status in ('open','coordinating'))::int as open
      from service_cases s left join enterprises e on e.id = s.enterprise_id
     where ${whereOf(f)}
     group by grouping sets ((e.type), ())`);
  return r.rows;
}

/** Whether the activity (the visit a case came from) is one of the tenant's (RLS hides the others too). */
export async function activityExists(db: Executor, tenantId: string, id: string): Promise<boolean> {
  const r = await db.execute(sql`select 1 from activities where tenant_id = ${tenantId} and id = ${id}`);
  return r.rows.length === 1;
}

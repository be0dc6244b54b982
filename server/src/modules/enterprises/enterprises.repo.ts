import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likeContains, likePrefix } from '../../platform/db/like';
import { enterpriseContacts, enterprises } from './enterprises.schema';

export type EnterpriseRow = typeof enterprises.$inferSelect;
export type EnterpriseInsert = typeof enterprises.$inferInsert;
export type EnterpriseListRow = EnterpriseRow & {
  officeName: string;
  officePath: string;
  contacts: { contactId: string; name: string; role: string | null }[];
};

export type EnterprisesFilter = {
  tenantId: string;
  scope: Scope;
  q?: string | undefined;
  type?: string | undefined;
  district?: string | undefined;
  contactId?: string | undefined;
  active: 'true' | 'false' | 'all';
};

function whereOf(f: EnterprisesFilter): SQL {
  const conds: SQL[] = [sql`e.tenant_id = ${f.tenantId}`];
  if (!f.scope.all) {
    const likes = sql.param(f.scope.paths.map(likePrefix));
    conds.push(
      f.scope.paths.length
        ? sql`e.office_id = any(array(select u.id from org_units u where u.tenant_id = ${f.tenantId} and u.path like any(${likes}::text[])))`
        : sql`false`,
    );
  }
  if (f.active !== 'all') conds.push(sql`e.active = ${f.active === 'true'}`);
  // a credit code is searched by its start, a name anywhere
  if (f.q) conds.push(sql`(e.name like ${likeContains(f.q)} or e.credit_code like ${likePrefix(f.q.toUpperCase())})`);
  if (f.type) conds.push(sql`e.type = ${f.type}`);
  if (f.district) conds.push(sql`e.district = ${f.district}`);
  if (f.contactId) conds.push(sql`exists (select 1 from enterprise_contacts l where l.enterprise_id = e.id and l.contact_id = ${f.contactId})`);
  return sql.join(conds, sql` and `);
}

const orderList = sql`order by e.name collate "zh-x-icu", e.id`;

function withDetails(selected: SQL): SQL {
  return sql`
    with sel as (${selected})
    select e.id, e.tenant_id as "tenantId", e.office_id as "officeId", e.name, e.credit_code as "creditCode", e.type,
           e.industry, e.district, e.address, e.notes, e.active, e.version, e.created_at as "createdAt", e.updated_at as "updatedAt",
           e.total, o.name as "officeName", o.path as "officePath",
           coalesce((select json_agg(json_build_object('contactId', c.id, 'name', c.name, 'role', l.role) order by l.created_at, c.name)
                       from enterprise_contacts l join contacts c on c.id = l.contact_id
                      where l.enterprise_id = e.id), '[]'::json) as contacts
      from sel e join org_units o on o.id = e.office_id
     ${orderList}`;
}

export async function listEnterprises(db: Executor, f: EnterprisesFilter, page: number, pageSize: number) {
  const r = await db.execute<EnterpriseListRow & { total: number }>(
    withDetails(sql`select e.*, count(*) over ()::int as total from enterprises e where ${whereOf(f)} ${orderList} limit ${pageSize} offset ${(page - 1) * pageSize}`),
  );
  let total = r.rows[0]?.total ?? 0;
  if (!r.rows[0] && page > 1) {
    const c = await db.execute<{ n: number }>(sql`select count(*)::int as n from enterprises e where ${whereOf(f)}`);
    total = c.rows[0]?.n ?? 0;
  }
  return { rows: r.rows, total };
}

export async function findEnterprise(db: Executor, tenantId: string, id: string): Promise<EnterpriseListRow | undefined> {
  const r = await db.execute<EnterpriseListRow>(withDetails(sql`select e.*, 0 as total from enterprises e where e.tenant_id = ${tenantId} and e.id = ${id}`));
  return r.rows[0];
}

export async function insertEnterprise(db: Executor, row: EnterpriseInsert): Promise<string> {
  const [r] = await db.insert(enterprises).values(row).returning({ id: enterprises.id });
  if (!r) throw new Error('enterprise');
  return r.id;
}

export async function updateEnterpriseVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<EnterpriseInsert>): Promise<boolean> {
  const r = await db
    .update(enterprises)
    .set({ ...set, version: sql`${enterprises.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(enterprises.tenantId, tenantId), eq(enterprises.id, id), eq(enterprises.version, version)))
    .returning({ id: enterprises.id });
  return r.length === 1;
}

/**
 * Replaces the enterprise's contacts, keeping the rows (and their link dates, which the
 * timelines show) of those that stay.
 */
export async function setEnterpriseContacts(db: Executor, tenantId: string, enterpriseId: string, links: { contactId: string; role: string | null }[]): Promise<void> {
  const keep = links.map((l) => l.contactId);
  await db.execute(
    sql`delete from enterprise_contacts where enterprise_id = ${enterpriseId} and not (contact_id = any(${sql.param(keep)}::uuid[]))`,
  );
  for (const l of links) {
    await db
      .insert(enterpriseContacts)
      .values({ tenantId, enterpriseId, contactId: l.contactId, role: l.role })
      .onConflictDoUpdate({ target: [enterpriseContacts.enterpriseId, enterpriseContacts.contactId], set: { role: l.role } });
  }
}

import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likePrefix } from '../../platform/db/like';
import { publicityItems } from './publicity.schema';

export type PublicityRow = typeof publicityItems.$inferSelect;

function whereOf(tenantId: string, scope: Scope, from?: string, to?: string): SQL {
  const conds: SQL[] = [sql`p.tenant_id = ${tenantId}`];
  if (!scope.all) {
    conds.push(
      scope.paths.length
        ? sql`p.office_id = any(array(select u.id from org_units u where u.tenant_id = ${tenantId} and u.path like any(${sql.param(scope.paths.map(likePrefix))}::text[])))`
        : sql`false`,
    );
  }
  if (from) conds.push(sql`p.published_on >= ${from}`);
  if (to) conds.push(sql`p.published_on <= ${to}`);
  return sql.join(conds, sql` and `);
}

export async function insertItem(db: Executor, row: typeof publicityItems.$inferInsert): Promise<PublicityRow> {
  const [r] = await db.insert(publicityItems).values(row).returning();
  if (!r) throw new Error('publicity');
  return r;
}

const selectItem = sql`
    select p.id, p.tenant_id as "tenantId", p.office_id as "officeId", p.title, p.channel, p.outlet, p.published_on as "publishedOn",
           p.link, p.adopted_level as "adoptedLevel", p.version, p.created_at as "createdAt", o.path as "officePath"
      from publicity_items p join org_units o on o.id = p.office_id`;

/** Items of the period, optionally of one channel and one adopting level ('none': not adopted). */
export async function listItems(db: Executor, tenantId: string, scope: Scope, from?: string, to?: string, channel?: string, adoptedLevel?: string) {
  const conds: SQL[] = [whereOf(tenantId, scope, from, to)];
  if (channel) conds.push(sql`p.channel = ${channel}`);
  if (adoptedLevel === 'none') conds.push(sql`p.adopted_level is null`);
  else if (adoptedLevel) conds.push(sql`p.adopted_level = ${adoptedLevel}`);
  const r = await db.execute<PublicityRow & { officePath: string }>(sql`${selectItem} where ${sql.join(conds, sql` and `)} order by p.published_on desc, p.id limit 1000`);
  return r.rows;
}

export async function findItem(db: Executor, tenantId: string, id: string) {
  const r = await db.execute<PublicityRow & { officePath: string }>(sql`${selectItem} where p.tenant_id = ${tenantId} and p.id = ${id}`);
  return r.rows[0];
}

export async function updateItemVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<typeof publicityItems.$inferInsert>): Promise<boolean> {
  const r = await db
    .update(publicityItems)
    .set({ ...set, version: sql`${publicityItems.version} + 1` })
    .where(and(eq(publicityItems.tenantId, tenantId), eq(publicityItems.id, id), eq(publicityItems.version, version)))
    .returning({ id: publicityItems.id });
  return r.length === 1;
}

export async function countItems(db: Executor, tenantId: string, scope: Scope, from?: string, to?: string) {
  const byChannel = await db.execute<{ channel: string; count: number }>(
    sql`select p.channel, count(*)::int as count from publicity_items p where ${whereOf(tenantId, scope, from, to)} group by p.channel order by p.channel`,
  );
  const byLevel = await db.execute<{ level: string; count: number }>(
    sql`select p.adopted_level as level, count(*)::int as count from publicity_items p where ${whereOf(tenantId, scope, from, to)} and p.adopted_level is not null group by p.adopted_level order by 1`,
  );
  return { byChannel: byChannel.rows, byLevel: byLevel.rows };
}

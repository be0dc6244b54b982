import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import { likePrefix } from '../../platform/db/like';
import { people } from '../people/people.schema';
import { orgUnits } from './org.schema';

export type OrgUnitRow = typeof orgUnits.$inferSelect;

export async function listUnits(db: Executor, tenantId: string, includeInactive: boolean): Promise<OrgUnitRow[]> {
  return db
    .select()
    .from(orgUnits)
    .where(includeInactive ? eq(orgUnits.tenantId, tenantId) : and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.active, true)))
    .orderBy(asc(orgUnits.path));
}

export async function findUnit(db: Executor, tenantId: string, id: string): Promise<OrgUnitRow | undefined> {
  const rows = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, id)))
    .limit(1);
  return rows[0];
}

/** Locks the row for the rest of the transaction, so concurrent moves see each other. */
export async function findUnitForUpdate(db: Executor, tenantId: string, id: string): Promise<OrgUnitRow | undefined> {
  const rows = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, id)))
    .for('update')
    .limit(1);
  return rows[0];
}

export async function findRoot(db: Executor, tenantId: string): Promise<OrgUnitRow | undefined> {
  const rows = await db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, tenantId), sql`${orgUnits.parentId} is null`))
    .limit(1);
  return rows[0];
}

/** The id is chosen up front so the path can include it in the same insert. */
export async function insertUnit(
  db: Executor,
  u: { id: string; tenantId: string; parentId: string | null; type: string; name: string; sortOrder: number; path: string },
): Promise<OrgUnitRow> {
  const [row] = await db.insert(orgUnits).values(u).returning();
  if (!row) throw new Error('insert org_units returned nothing');
  return row;
}

/** Updates only when the version still matches; undefined means stale or gone. */
export async function updateUnitVersioned(
  db: Executor,
  tenantId: string,
  id: string,
  version: number,
  set: Partial<Pick<OrgUnitRow, 'name' | 'type' | 'sortOrder' | 'active' | 'parentId'>>,
): Promise<OrgUnitRow | undefined> {
  const [row] = await db
    .update(orgUnits)
    .set({ ...set, version: sql`${orgUnits.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.id, id), eq(orgUnits.version, version)))
    .returning();
  return row;
}

/** Rewrites the materialised path of a whole subtree after a move. */
export async function repathSubtree(db: Executor, tenantId: string, oldPath: string, newPath: string): Promise<void> {
  await db.execute(sql`
    update org_units set path = ${newPath} || substr(path, ${oldPath.length + 1})
     where tenant_id = ${tenantId} and path like ${likePrefix(oldPath)}`);
}

export async function countActiveChildren(db: Executor, tenantId: string, id: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, tenantId), eq(orgUnits.parentId, id), eq(orgUnits.active, true)));
  return r?.n ?? 0;
}

export async function countActivePeopleIn(db: Executor, tenantId: string, unitId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(people)
    .where(
      and(
        eq(people.tenantId, tenantId),
        eq(people.active, true),
        sql`(${people.officeId} = ${unitId} or ${people.branchId} = ${unitId} or ${people.groupId} = ${unitId})`,
      ),
    );
  return r?.n ?? 0;
}


export async function findUnitsByIds(db: Executor, tenantId: string, ids: string[]): Promise<OrgUnitRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, tenantId), inArray(orgUnits.id, ids)));
}

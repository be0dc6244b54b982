import { and, eq, sql } from 'drizzle-orm';
import type { SecurityPolicy } from '@tongxin/contracts';
import type { Executor } from '../../platform/db/db';
import { securityPolicies } from './security.schema';

export type PolicyRow = typeof securityPolicies.$inferSelect;

export async function findPolicy(db: Executor, tenantId: string): Promise<PolicyRow | undefined> {
  const rows = await db.select().from(securityPolicies).where(eq(securityPolicies.tenantId, tenantId)).limit(1);
  return rows[0];
}

/** Creates the tenant's row with the defaults when it has none, and returns it. */
export async function ensurePolicy(db: Executor, tenantId: string): Promise<PolicyRow> {
  await db.insert(securityPolicies).values({ tenantId }).onConflictDoNothing();
  const row = await findPolicy(db, tenantId);
  if (!row) throw new Error('security policy row missing');
  return row;
}

export async function updatePolicyVersioned(db: Executor, tenantId: string, version: number, p: SecurityPolicy): Promise<PolicyRow | undefined> {
  const [row] = await db
    .update(securityPolicies)
    .set({ ...p, version: sql`${securityPolicies.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(securityPolicies.tenantId, tenantId), eq(securityPolicies.version, version)))
    .returning();
  return row;
}

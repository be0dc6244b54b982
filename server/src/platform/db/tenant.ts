import { sql } from 'drizzle-orm';
import type { Db, Executor, Tx } from './db';

const appRoleUsable = new WeakMap<Db, Promise<boolean>>();

/** Whether the owner may become tongxin_app (a migration creates it where it has the privilege). */
export function canUseAppRole(db: Db): Promise<boolean> {
  let p = appRoleUsable.get(db);
  if (!p) {
    p = db
      .execute<{ ok: boolean }>(sql`select exists (select 1 from pg_roles where rolname = 'tongxin_app') and pg_has_role(current_user, 'tongxin_app', 'MEMBER') as ok`)
      .then((r) => r.rows[0]?.ok ?? false);
    appRoleUsable.set(db, p);
  }
  return p;
}

/**
 * Runs `fn` in a transaction as the application role with the tenant set, so PostgreSQL's
 * row-level security confines every statement to that tenant even where a query forgot
 * its tenant filter. Every service call on behalf of a signed-in user goes through here.
 */
export async function inTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const asApp = await canUseAppRole(db);
  return db.transaction(async (tx) => {
    await tx.execute(
      asApp
        ? sql`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', ${tenantId}, true)`
        : sql`select set_config('tongxin.tenant_id', ${tenantId}, true)`,
    );
    return fn(tx);
  });
}

/** Runs one unit of work at a time in the tenant: for generators that read in batches. */
export type TenantRunner = <T>(fn: (ex: Executor) => Promise<T>) => Promise<T>;

export function tenantRunner(db: Db, tenantId: string): TenantRunner {
  return (fn) => inTenant(db, tenantId, fn);
}

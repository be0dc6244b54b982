import { sql } from 'drizzle-orm';
import { auditLog } from './audit.schema';
import type { Executor } from '../../platform/db/db';

export type AuditEntry = {
  tenantId: string | null;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  result: 'ok' | 'denied' | 'failed';
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown> | null;
};

export async function insertAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: e.tenantId,
    actorUserId: e.actorUserId,
    actorName: e.actorName,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    result: e.result,
    ip: e.ip ?? null,
    userAgent: e.userAgent ?? null,
    details: e.details ?? null,
  });
}

export type ChainBreak = { id: number; tenantId: string | null; reason: 'hash_mismatch' | 'prev_link_broken' };

/**
 * Recomputes every chain in one pass (the same hash function the insert trigger uses) and
 * returns the first broken entry of each chain, with how many entries were checked.
 */
export async function verifyAuditChains(db: Executor): Promise<{ checked: number; breaks: ChainBreak[] }> {
  const r = await db.execute<{ id: number; tenant_id: string | null; reason: ChainBreak['reason'] | null; checked: number }>(sql`
    with walked as (
      select a.id, a.tenant_id,
             case
               when a.prev_hash is distinct from lag(a.hash) over w then 'prev_link_broken'
               when a.hash is distinct from audit_hash(a.prev_hash, a) then 'hash_mismatch'
             end as reason
        from audit_log a
      window w as (partition by coalesce(a.tenant_id::text, '') order by a.id)
    ), firsts as (
      select distinct on (coalesce(tenant_id::text, '')) id, tenant_id, reason
        from walked where reason is not null
       order by coalesce(tenant_id::text, ''), id
    )
    select f.id::int as id, f.tenant_id, f.reason, (select count(*)::int from walked) as checked
      from (select 1) one left join firsts f on true
     order by f.id`);
  const checked = r.rows[0]?.checked ?? 0;
  return {
    checked,
    breaks: r.rows.filter((x) => x.reason !== null).map((x) => ({ id: Number(x.id), tenantId: x.tenant_id, reason: x.reason as ChainBreak['reason'] })),
  };
}

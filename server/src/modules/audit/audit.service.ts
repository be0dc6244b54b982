import type { Executor } from '../../platform/db/db';
import type { Actor } from '../../platform/access';
import { insertAudit } from './audit.repo';

/**
 * Records what an actor did. Called inside the same transaction as the change it
 * describes, so a change and its audit entry commit or roll back together.
 */
export async function audit(
  db: Executor,
  actor: Actor,
  action: string,
  target: { type: string; id?: string | null } | null,
  details?: Record<string, unknown>,
  result: 'ok' | 'denied' | 'failed' = 'ok',
): Promise<void> {
  await insertAudit(db, {
    tenantId: actor.tenantId,
    actorUserId: actor.userId,
    actorName: actor.username,
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    result,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: details ?? null,
  });
}

export { insertAudit };

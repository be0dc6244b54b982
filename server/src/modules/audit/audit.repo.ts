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

import type { AuditEntry, AuditQuery } from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { requirePermission, type Actor } from '../../platform/access';
import { shanghaiDate, streamSheet } from '../../platform/xlsx';
import { inTenant, tenantRunner } from '../../platform/db/tenant';
import * as repo from './audit.repo';
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

function filterOf(actor: Actor, q: Omit<AuditQuery, 'page' | 'pageSize'>): repo.AuditFilter {
  return { tenantId: actor.tenantId, from: q.from, to: q.to, actor: q.actor, action: q.action, result: q.result, targetId: q.targetId };
}

function toEntry(r: repo.AuditRow): AuditEntry {
  return { ...r, at: new Date(r.at).toISOString() };
}

/** The tenant's trail, newest first; only the audit admin reads it. */
export async function searchAudit(db: Db, actor: Actor, q: AuditQuery) {
  requirePermission(actor, 'audit.read');
  const { rows, total } = await inTenant(db, actor.tenantId, (tx) => repo.searchAudit(tx, filterOf(actor, q), q.page, q.pageSize));
  return { items: rows.map(toEntry), total, page: q.page, pageSize: q.pageSize };
}

export async function exportAudit(db: Db, actor: Actor, q: Omit<AuditQuery, 'page' | 'pageSize'>) {
  requirePermission(actor, 'audit.read');
  const filter = filterOf(actor, q);
  // the export itself is an entry of the trail, written before the first row leaves
  await inTenant(db, actor.tenantId, async (tx) => audit(tx, actor, 'audit.export', { type: 'audit_log' }, { rows: await repo.countAudit(tx, filter), filters: q }));
  const columns = ['序号', '时间', '操作人', '操作', '对象类型', '对象', '结果', 'IP 地址', '客户端', '详情'].map((header, i) => ({
    header,
    width: [10, 22, 14, 24, 12, 38, 8, 16, 30, 50][i] ?? 12,
  }));
  async function* rows() {
    for await (const batch of repo.iterateAudit(tenantRunner(db, actor.tenantId), filter)) {
      yield batch.map((r) => [
        r.id,
        new Date(r.at).toISOString(),
        r.actorName,
        r.action,
        r.targetType,
        r.targetId,
        r.result,
        r.ip,
        r.userAgent,
        r.details ? JSON.stringify(r.details) : null,
      ]);
    }
  }
  return { fileName: `审计日志-${shanghaiDate()}.xlsx`, stream: streamSheet('审计日志', columns, rows()) };
}

export async function verifyAudit(db: Db, actor: Actor) {
  requirePermission(actor, 'audit.read');
  const r = await inTenant(db, actor.tenantId, async (tx) => {
    const res = await repo.verifyAuditChains(tx, actor.tenantId);
    await audit(tx, actor, 'audit.verify', { type: 'audit_log' }, { checked: res.checked, breaks: res.breaks.length });
    return { ...res, archives: await repo.listAnchors(tx, actor.tenantId) };
  });
  return { checked: r.checked, breaks: r.breaks.map((b) => ({ id: b.id, reason: b.reason })), archives: r.archives };
}

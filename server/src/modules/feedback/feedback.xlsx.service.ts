import type { FormField } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { requirePermission, type Actor } from '../../platform/access';
import { shanghaiDate, streamSheet, type SheetColumn } from '../../platform/xlsx';
import { audit } from '../audit/audit.service';
import * as repo from './feedback.repo';

const BATCH = 1000;

/** An answer as a cell: text as text (never a formula: exceljs writes strings as strings). */
export function cellOf(v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.join('、');
  if (typeof v === 'object' && 'name' in v) return `[文件] ${String((v as { name: unknown }).name)}`;
  return null;
}

export async function exportResponses(db: Db, actor: Actor, formId: string) {
  requirePermission(actor, 'feedback.read');
  const form = await inTenant(db, actor.tenantId, async (tx) => {
    const f = await repo.findForm(tx, actor.tenantId, formId);
    if (!f) throw new AppError('NOT_FOUND');
    await audit(tx, actor, 'feedback.responses.export', { type: 'feedback_form', id: formId }, { responses: f.responses });
    return f;
  });
  const fields = form.fields as FormField[];
  const columns: SheetColumn[] = [
    { header: '提交时间', width: 20 },
    { header: '姓名', width: 12 },
    { header: '联系方式', width: 16 },
    { header: '邀请对象', width: 16 },
    ...fields.map((f) => ({ header: f.label, width: f.kind === 'text' ? 40 : 16 })),
  ];
  async function* batches() {
    for (let offset = 0; ; offset += BATCH) {
      const rows = await inTenant(db, actor.tenantId, (tx) => repo.responsesBatch(tx, formId, offset, BATCH));
      yield rows.map((r) => [
        new Date(r.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }),
        r.respondentName,
        r.respondentContact,
        r.invitationTarget,
        ...fields.map((f) => cellOf(r.answers[f.key])),
      ]);
      if (rows.length < BATCH) return;
    }
  }
  const name = form.title.replace(/[\\/:*?"<>|]/g, '_').slice(0, 60);
  return { fileName: `${name}-回复-${shanghaiDate()}.xlsx`, stream: streamSheet('回复', columns, batches()) };
}

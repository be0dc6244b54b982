import type { Readable } from 'node:stream';
import type { ActivityListQuery } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant, tenantRunner } from '../../platform/db/tenant';
import { hasPermission, type Actor } from '../../platform/access';
import { shanghaiDate, streamSheet } from '../../platform/xlsx';
import { audit } from '../audit/audit.service';
import * as repo from './activities.repo';
import { filterOf, loadVisible } from './activities.service';

const partyLabels: Record<string, string> = { full: '正式党员', probationary: '预备党员', none: '群众' };
const attendanceLabels: Record<string, string> = { pending: '', present: '出席', leave: '请假', absent: '缺席' };
const statusLabels: Record<string, string> = { planned: '计划', held: '已召开', recorded: '已记录', cancelled: '已取消' };
const roleLabels: Record<string, string> = { participant: '', speaker: '主讲', host: '主持' };

/** Times in the sheet as people read them in China: 2026-05-04 14:30. */
function shanghai(d: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** 签到表: one row per participant, with a blank column to sign on paper. */
export async function signinSheet(db: Db, actor: Actor, id: string): Promise<{ fileName: string; stream: Readable }> {
  const { a, rows } = await inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadVisible(tx, actor, id);
    const rows = await repo.listParticipants(tx, id);
    await audit(tx, actor, 'activities.export.signin', { type: 'activity', id }, { rows: rows.length });
    return { a, rows };
  });
  const columns = [
    { header: '序号', width: 6 },
    { header: '姓名', width: 12 },
    { header: '单位', width: 24 },
    { header: '政治面貌', width: 10 },
    { header: '角色', width: 8 },
    { header: '出勤', width: 8 },
    { header: '签到时间', width: 18 },
    { header: '签名', width: 16 },
  ];
  const data = rows.map((p, i) => [
    i + 1,
    p.name,
    p.unitName,
    // a contact of the registry: outside the Party, shown with their united-front categories
    p.contactId ? (p.categories.length ? p.categories.join('、') : '党外人士') : (partyLabels[p.partyStatus] ?? p.partyStatus),
    roleLabels[p.role] ?? p.role,
    attendanceLabels[p.attendance] ?? p.attendance,
    p.signedInAt ? shanghai(new Date(p.signedInAt)) : null,
    null,
  ]);
  async function* once() {
    yield data;
  }
  const day = shanghai(a.startsAt).slice(0, 10).replaceAll('-', '');
  return { fileName: `签到表-${day}-${a.topic.slice(0, 40)}.xlsx`, stream: streamSheet('签到表', columns, once()) };
}

/** 活动台账: the filtered list, every matching activity. */
export async function ledger(db: Db, actor: Actor, q: Omit<ActivityListQuery, 'page' | 'pageSize'>): Promise<{ fileName: string; stream: Readable }> {
  if (!hasPermission(actor, 'activities.read')) throw new AppError('FORBIDDEN');
  const filter = await inTenant(db, actor.tenantId, async (tx) => {
    const f = await filterOf(tx, actor, q);
    await audit(tx, actor, 'activities.export.ledger', { type: 'activity' }, { filters: q });
    return f;
  });
  const columns = [
    { header: '开始时间', width: 18 },
    { header: '结束时间', width: 18 },
    { header: '活动类型', width: 20 },
    { header: '组织单位', width: 24 },
    { header: '主题', width: 40 },
    { header: '地点', width: 20 },
    { header: '状态', width: 8 },
    { header: '应到', width: 6 },
    { header: '实到', width: 6 },
    { header: '法定人数', width: 12 },
    { header: '有效', width: 6 },
  ];
  async function* rowsOf() {
    for await (const batch of repo.iterateActivities(tenantRunner(db, actor.tenantId), filter)) {
      yield batch.map((r) => [
        shanghai(r.startsAt),
        shanghai(r.endsAt),
        r.typeNameZh,
        r.unitName,
        r.topic,
        r.place,
        statusLabels[r.status] ?? r.status,
        r.expected,
        r.present,
        r.quorumEligible === null ? null : `${r.quorumPresent ?? 0}/${r.quorumEligible}`,
        r.valid ? '是' : '否',
      ]);
    }
  }
  return { fileName: `活动台账-${shanghaiDate()}.xlsx`, stream: streamSheet('活动台账', columns, rowsOf()) };
}

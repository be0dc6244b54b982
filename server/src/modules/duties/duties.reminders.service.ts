import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { notify } from '../notifications/notifications.channels';
import { listTenantIds } from '../notifications/notifications.repo';
import { DUE_SOON_MS, shanghaiYearMonth } from './duties.service';
import * as repo from './duties.repo';

const periodZh = { month: '本月', quarter: '本季度', year: '本年度' } as const;

/**
 * Job: when a period ends within 7 days and a unit's duty is not yet met, tell the unit's
 * secretary (the person who is its committee secretary, or who holds branch_secretary on it).
 * One notification per rule × unit × period, whatever the number of runs (dedupe key).
 */
export async function remindDueDuties(db: Db, now: Date): Promise<number> {
  const { year } = shanghaiYearMonth(now);
  const periods = { endsAfter: now, endsUntil: new Date(now.getTime() + DUE_SOON_MS) };
  let sent = 0;
  for (const tenantId of await listTenantIds(db)) {
    sent += await inTenant(db, tenantId, async (tx) => {
      const cells = (await repo.dutyCells(tx, tenantId, year, { pathPrefix: '/' }, periods)).filter((c) => c.done < c.required);
      if (cells.length === 0) return 0;
      const recipients = await repo.secretariesOf(tx, tenantId, [...new Set(cells.map((c) => c.unitId))]);
      const byUnit = new Map<string, string[]>();
      for (const r of recipients) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r.userId]);
      const rows = cells.flatMap((c) =>
        (byUnit.get(c.unitId) ?? []).map((userId) => ({
          tenantId,
          userId,
          kind: 'duty.due',
          title: `${c.unitName}${periodZh[c.period]}${c.typeNameZh}尚未完成`.slice(0, 200),
          body: `已完成 ${c.done}/${c.required}，截止 ${new Date(c.endsAt.getTime() - 1).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}`,
          link: `/duties?unitId=${c.unitId}&year=${year}`,
          dedupeKey: `duty.due:${c.ruleId}:${c.unitId}:${c.startsAt.toISOString()}`,
        })),
      );
      return (await notify(tx, rows)).length;
    });
  }
  return sent;
}

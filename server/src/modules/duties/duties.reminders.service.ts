import type { Db, Executor } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { notify } from '../notifications/notifications.channels';
import { listTenantIds } from '../notifications/notifications.repo';
import { DUE_SOON_MS, shanghaiYearMonth } from './duties.service';
import * as repo from './duties.repo';

const periodZh = { month: '本月', quarter: '本季度', year: '本年度' } as const;

/** A user told of a unit's duties; `viaBranch` when a leaderless group's duty goes to its branch. */
export type DutyRecipient = { userId: string; viaBranch: boolean };

/**
 * Who is told of each unit's duties: the unit's leaders (its branch secretary, or the
 * group leader of a Party group). A Party group without a leader is not left out: its
 * reminder goes to the secretaries of the branch it belongs to.
 */
export async function dutyRecipients(tx: Executor, tenantId: string, units: { id: string; type: string }[]): Promise<Map<string, DutyRecipient[]>> {
  const byUnit = new Map<string, DutyRecipient[]>();
  const add = (unitId: string, r: DutyRecipient) => byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), r]);
  for (const l of await repo.leadersOf(tx, tenantId, units.map((u) => u.id))) add(l.unitId, { userId: l.userId, viaBranch: false });
  const leaderless = units.filter((u) => u.type === 'party_group' && !byUnit.has(u.id)).map((u) => u.id);
  const branchOf = await repo.branchesOfGroups(tx, tenantId, leaderless);
  const secretaries = await repo.leadersOf(tx, tenantId, [...new Set(branchOf.map((b) => b.branchId))]);
  for (const { groupId, branchId } of branchOf) {
    for (const s of secretaries) if (s.unitId === branchId) add(groupId, { userId: s.userId, viaBranch: true });
  }
  return byUnit;
}

/**
 * Job: when a period ends within 7 days and a unit's duty is not yet met, tell the unit's
 * leaders (see dutyRecipients). One notification per rule × unit × period and user,
 * whatever the number of runs (dedupe key).
 */
export async function remindDueDuties(db: Db, now: Date): Promise<number> {
  const { year } = shanghaiYearMonth(now);
  const periods = { endsAfter: now, endsUntil: new Date(now.getTime() + DUE_SOON_MS) };
  let sent = 0;
  for (const tenantId of await listTenantIds(db)) {
    sent += await inTenant(db, tenantId, async (tx) => {
      const cells = (await repo.dutyCells(tx, tenantId, year, { pathPrefix: '/' }, periods)).filter((c) => c.done < c.required);
      if (cells.length === 0) return 0;
      const units = new Map(cells.map((c) => [c.unitId, { id: c.unitId, type: c.unitType }]));
      const recipients = await dutyRecipients(tx, tenantId, [...units.values()]);
      const rows = cells.flatMap((c) =>
        (recipients.get(c.unitId) ?? []).map(({ userId, viaBranch }) => ({
          tenantId,
          userId,
          kind: 'duty.due',
          title: `${c.unitName}${periodZh[c.period]}${c.typeNameZh}尚未完成`.slice(0, 200),
          body:
            `已完成 ${c.done}/${c.required}，截止 ${new Date(c.endsAt.getTime() - 1).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })}` +
            (viaBranch ? '。该党小组未设组长，请支部督促落实。' : ''),
          link: `/duties?unitId=${c.unitId}&year=${year}`,
          dedupeKey: `duty.due:${c.ruleId}:${c.unitId}:${c.startsAt.toISOString()}`,
        })),
      );
      return (await notify(tx, rows)).length;
    });
  }
  return sent;
}

import { sql } from 'drizzle-orm';
import { GradingSchema, RuleSchema } from '@tongxin/contracts';
import { z } from 'zod';
import type { Tx } from '../../platform/db/db';
import * as repo from './points.repo';
import { createRuleSetIn, syncActivity } from './points.service';
import { addMonths, shanghaiDay } from './points.rules';

/**
 * Points of the demo department, so the points pages and member1's "my points" show
 * something: this year's rule set as a version of its own, the ledger of whatever activities
 * the demo has recorded, and manual entries of the first branch (approved ones, approved by
 * the Party committee's account, and one still waiting). Runs once, after the demo's people,
 * accounts and activities exist.
 */
export async function seedPointsDemo(tx: Tx, tenantId: string): Promise<void> {
  const today = shanghaiDay(new Date());
  const year = today.slice(0, 4);
  const thisMonth = `${today.slice(0, 7)}-01`;
  const lastMonth = addMonths(thisMonth, -1);
  const users = await tx.execute<{ id: string; username: string }>(
    sql`select id, username from users where tenant_id = ${tenantId} and username in ('secretary1', 'party', 'member1')`,
  );
  const userId = (name: string) => users.rows.find((u) => u.username === name)?.id;
  const [secretary, party] = [userId('secretary1'), userId('party')];

  const current = await repo.ruleSetAt(tx, tenantId, today);
  if (current && !(await repo.latestClosedQuarter(tx, tenantId))) {
    // this year's version (same rules, one more point for speaking): the rules tab shows a history
    const rules = z
      .array(RuleSchema)
      .parse(current.rules)
      .map((r) => (r.kind === 'role' ? { ...r, amount: r.amount + 1 } : r));
    await createRuleSetIn(tx, tenantId, { effectiveFrom: `${year}-01-01`, baseScore: current.baseScore, rules, grading: GradingSchema.parse(current.grading), note: `${year}年度积分规则` }, party ?? null);
  }
  // activities of earlier years too (the new version synced this year's)
  for (const id of await repo.activityIdsFrom(tx, tenantId, '2000-01-01')) await syncActivity(tx, tenantId, id);

  if (!secretary || !party) return;
  const members = await tx.execute<{ id: string; branch_id: string; is_member1: boolean }>(sql`
    select p.id, p.branch_id, exists (select 1 from users u where u.person_id = p.id and u.username = 'member1') as is_member1
    from people p join org_units b on b.id = p.branch_id
    where p.tenant_id = ${tenantId} and p.party_status <> 'none' and b.name = '第一党支部'
    order by 3 desc, p.name collate "zh-x-icu" limit 3`);
  const member1 = members.rows.find((m) => m.is_member1);
  const others = members.rows.filter((m) => !m.is_member1);
  const book = async (m: { id: string; branch_id: string } | undefined, o: { ruleCode: string; kind: 'honour' | 'other' | 'sanction'; amount: number; period: string; reason: string; evidence: string; approve: boolean }) => {
    if (!m) return;
    const req = await repo.insertManual(tx, {
      tenantId,
      personId: m.id,
      branchId: m.branch_id,
      ruleCode: o.ruleCode,
      amount: o.amount,
      period: o.period,
      reason: o.reason,
      evidence: o.evidence,
      createdBy: secretary,
      ...(o.approve ? { status: 'approved', reviewedBy: party, reviewedAt: new Date(), reviewNote: '经核实' } : {}),
    });
    if (!o.approve) return;
    const version = (await repo.ruleSetAt(tx, tenantId, o.period))?.version ?? null;
    await repo.insertEntries(tx, [
      {
        tenantId,
        personId: m.id,
        branchId: m.branch_id,
        period: o.period,
        amount: o.amount,
        source: 'manual',
        ruleCode: o.ruleCode,
        ruleKind: o.kind,
        ruleSetVersion: version,
        manualRequestId: req.id,
        note: o.reason,
        createdBy: party,
      },
    ]);
  };
  await book(member1, { ruleCode: 'honour_dept', kind: 'honour', amount: 5, period: lastMonth, reason: '获评部机关优秀共产党员', evidence: '部机关党委〔2026〕5号', approve: true });
  await book(others[0], { ruleCode: 'honour_city', kind: 'honour', amount: 10, period: lastMonth, reason: '获评全市统战系统先进个人', evidence: '市委统战部〔2026〕12号', approve: true });
  await book(others[1], { ruleCode: 'other', kind: 'other', amount: 2, period: thisMonth, reason: '撰写理论文章在市级刊物发表', evidence: '《统一战线》2026年第10期', approve: false });
}

import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import JSZip from 'jszip';
import type { Entry, Evaluation, ManualRequest, MyPoints, Notice, NoticeDetail, Objection, Tally } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { inTenant } from '../../platform/db/tenant';
import { buildActivity, recordAttendance, removeParticipant, testRules } from './points.testkit';
import { windowEnd } from './points.rules';
import { assertActivityEditable } from '../../commands/attendance.command';
import { seedPointsDemo } from './points.demo';

const { app, db } = await testApp();
let t: TenantFixture;
let office: OrgUnitRow;
let committee: OrgUnitRow;
let admin: Client;
let approver: Client;

async function newBranch(name: string, people: string[]) {
  const branch = await buildUnit(db, t, { parent: committee, type: 'branch', name });
  const ids: string[] = [];
  for (const n of people) ids.push(await buildPerson(db, t.tenantId, { officeId: office.id, name: n, partyStatus: 'full', branchId: branch.id }));
  return { branch, ids };
}

async function linkUser(username: string, personId: string) {
  await db.execute(sql`update users set person_id = ${personId} where username = ${username}`);
}

const tally = async (branchId: string, month: string) => (await admin({ url: `/api/v1/points/tally?branchId=${branchId}&month=${month}` })).json<Tally>();
const totalOf = (tl: Tally, personId: string) => tl.rows.find((r) => r.personId === personId);

beforeAll(async () => {
  t = await buildTenant(db);
  office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  admin = await signIn(
    app,
    await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['points.read', 'points.manage', 'points.rules', 'points.approve', 'audit.read'] }),
  );
  approver = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['points.read', 'points.approve'] }));
  const res = await admin({ method: 'POST', url: '/api/v1/points/rule-sets', payload: testRules() });
  expect(res.statusCode, res.body).toBe(201);
});

describe('rule sets', () => {
  it('a tenant starts with a default rule set for the activity types it has', async () => {
    const list = (await admin({ url: '/api/v1/points/rule-sets' })).json<{ version: number; rules: { code: string; typeCodes: string[] }[] }[]>();
    expect(list.map((r) => r.version)).toEqual([2, 1]);
    const seeded = list[1];
    expect(seeded?.rules.find((r) => r.code === 'attend_meeting')?.typeCodes).toContain('branch_general_meeting');
  });

  it('refuses bad rules with typed errors and changes nothing', async () => {
    const bad = [
      testRules({ rules: [{ ...testRules().rules[2]!, cap: { period: 'month', max: -1 } }] }),
      testRules({ rules: [{ ...testRules().rules[0]!, typeCodes: [] }] }),
      testRules({ rules: [{ ...testRules().rules[0]!, amount: 1e9 }] }),
      testRules({ rules: [{ ...testRules().rules[0]!, typeCodes: ['no_such_type'] }] }),
    ];
    const paths: string[] = [];
    for (const payload of bad) {
      const res = await admin({ method: 'POST', url: '/api/v1/points/rule-sets', payload });
      expect(res.statusCode, JSON.stringify(payload.rules)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      paths.push((res.json<{ error: { details: { path: string }[] } }>().error.details[0]?.path ?? '').replace(/^body/, '').replace(/[/.]/g, '.'));
    }
    // each error names the field, so the rule editor shows it there
    expect(paths).toEqual(['.rules.0.cap.max', '.rules.0.typeCodes', '.rules.0.amount', 'rules.0.typeCodes']);
    expect((await admin({ url: '/api/v1/points/rule-sets' })).json<unknown[]>()).toHaveLength(2);
  });
});

describe('ledger from attendance', () => {
  it('books attendance, and a correction appends the difference citing the entry it corrects', async () => {
    const { branch, ids } = await newBranch('账本支部', ['甲', '乙']);
    const [a, b] = ids as [string, string];
    const act = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-02-10T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, act, [
      { personId: a, branchId: branch.id, attendance: 'present', role: 'host' },
      { personId: b, branchId: branch.id, attendance: 'present' },
    ]);
    let tl = await tally(branch.id, '2026-02');
    expect(totalOf(tl, a)).toMatchObject({ base: 60, additions: 7, deductions: 0, total: 67, rank: 1 });
    expect(totalOf(tl, b)).toMatchObject({ additions: 2, total: 62, rank: 2 });
    // b was in fact absent without leave
    await recordAttendance(db, t.tenantId, act, [{ personId: b, branchId: branch.id, attendance: 'absent' }]);
    tl = await tally(branch.id, '2026-02');
    expect(totalOf(tl, b)).toMatchObject({ additions: 0, deductions: -2, total: 58 });
    const entries = (await admin({ url: `/api/v1/points/entries?personId=${b}&month=2026-02` })).json<Entry[]>();
    expect(entries.map((e) => e.amount).sort()).toEqual([-2, -2, 2].sort());
    const reversal = entries.find((e) => e.ruleCode === 'attend_meeting' && e.amount === -2);
    expect(reversal?.correctsId).toBe(entries.find((e) => e.ruleCode === 'attend_meeting' && e.amount === 2)?.id);
    // running the hook again changes nothing
    await recordAttendance(db, t.tenantId, act, []);
    expect((await admin({ url: `/api/v1/points/entries?personId=${b}&month=2026-02` })).json<Entry[]>()).toHaveLength(3);
    // leave that was approved is no absence; a refused one is
    await recordAttendance(db, t.tenantId, act, [{ personId: b, branchId: branch.id, attendance: 'leave', leaveStatus: 'approved' }]);
    expect(totalOf(await tally(branch.id, '2026-02'), b)?.total).toBe(60);
    // drill-down of a number: the additions of a
    const plus = (await admin({ url: `/api/v1/points/entries?personId=${a}&month=2026-02&sign=plus` })).json<Entry[]>();
    expect(plus.reduce((s, e) => s + e.amount, 0)).toBe(7);
  });

  it('removing a participant reverses their entries; activities not yet recorded book nothing', async () => {
    const { branch, ids } = await newBranch('移除支部', ['卯']);
    const p = ids[0] as string;
    const act = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-03-05T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, act, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    expect(totalOf(await tally(branch.id, '2026-03'), p)?.additions).toBe(2);
    await removeParticipant(db, t.tenantId, act, p);
    expect(totalOf(await tally(branch.id, '2026-03'), p)?.total).toBe(60);
    const entries = (await admin({ url: `/api/v1/points/entries?personId=${p}&month=2026-03` })).json<Entry[]>();
    expect(entries.map((e) => e.amount).sort()).toEqual([-2, 2]);
    const planned = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-03-06T09:00:00+08:00', status: 'held' });
    await recordAttendance(db, t.tenantId, planned, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    expect(totalOf(await tally(branch.id, '2026-03'), p)?.total).toBe(60);
  });

  it('the application role can neither update nor delete ledger entries', async () => {
    // 42501: insufficient_privilege (drizzle wraps the driver's error as its cause)
    for (const stmt of [sql`update points_entries set amount = 100`, sql`delete from points_entries`]) {
      const err = await inTenant(db, t.tenantId, (tx) => tx.execute(stmt)).then(
        () => null,
        (e: unknown) => e as { cause?: { code?: string } },
      );
      expect(err?.cause?.code).toBe('42501');
    }
  });

  it('caps a rule per month; what the cap withholds is shown apart', async () => {
    const { branch, ids } = await newBranch('上限支部', ['丙']);
    const p = ids[0] as string;
    for (const day of ['03', '10', '17', '24']) {
      const act = await buildActivity(db, t.tenantId, { typeCode: 'collective_study', unitId: branch.id, startsAt: `2026-03-${day}T09:00:00+08:00` });
      await recordAttendance(db, t.tenantId, act, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    }
    expect(totalOf(await tally(branch.id, '2026-03'), p)).toMatchObject({ additions: 6, capped: 2, total: 66 });
  });

  it('volunteer hours with a quarterly cap count per month until the cap', async () => {
    const { branch, ids } = await newBranch('志愿支部', ['丁']);
    const p = ids[0] as string;
    for (const [d, h] of [
      ['2026-04-05', 4],
      ['2026-05-05', 4],
      ['2026-06-05', 4],
    ] as const) {
      const act = await buildActivity(db, t.tenantId, { typeCode: 'volunteer_service', unitId: branch.id, startsAt: `${d}T09:00:00+08:00`, hours: h });
      await recordAttendance(db, t.tenantId, act, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    }
    expect(totalOf(await tally(branch.id, '2026-04'), p)?.additions).toBe(4);
    expect(totalOf(await tally(branch.id, '2026-05'), p)?.additions).toBe(4);
    expect(totalOf(await tally(branch.id, '2026-06'), p)).toMatchObject({ additions: 2, capped: 2 });
  });

  it('ties share a rank and the next rank skips', async () => {
    const { branch, ids } = await newBranch('并列支部', ['戊', '己', '庚']);
    const act = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-01-20T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, act, [
      { personId: ids[0]!, branchId: branch.id, attendance: 'present' },
      { personId: ids[1]!, branchId: branch.id, attendance: 'present' },
      { personId: ids[2]!, branchId: branch.id, attendance: 'absent' },
    ]);
    const tl = await tally(branch.id, '2026-01');
    expect(tl.rows.map((r) => r.rank)).toEqual([1, 1, 3]);
  });

  it('a rule version starting mid-month applies from its date; earlier activities keep the old amount', async () => {
    const { branch, ids } = await newBranch('版本支部', ['辛']);
    const p = ids[0] as string;
    const early = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-07-10T09:00:00+08:00' });
    const late = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-07-20T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, early, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    await recordAttendance(db, t.tenantId, late, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    expect(totalOf(await tally(branch.id, '2026-07'), p)?.additions).toBe(4);
    const v = testRules({ effectiveFrom: '2026-07-15' });
    v.rules[0] = { ...v.rules[0]!, amount: 3 };
    expect((await admin({ method: 'POST', url: '/api/v1/points/rule-sets', payload: v })).statusCode).toBe(201);
    // the later meeting is brought up to the new version
    expect(totalOf(await tally(branch.id, '2026-07'), p)?.additions).toBe(5);
    const entries = (await admin({ url: `/api/v1/points/entries?personId=${p}&month=2026-07` })).json<Entry[]>();
    expect(new Set(entries.map((e) => e.ruleSetVersion))).toEqual(new Set([2, 3]));
    // back to the old amounts for the rest of the tests
    expect((await admin({ method: 'POST', url: '/api/v1/points/rule-sets', payload: testRules({ effectiveFrom: '2026-07-15' }) })).statusCode).toBe(201);
    expect(totalOf(await tally(branch.id, '2026-07'), p)?.additions).toBe(4);
  });

  it('a person who moves branch mid-quarter counts where they were at each activity', async () => {
    const a = await newBranch('迁出支部', ['壬']);
    const b = await newBranch('迁入支部', []);
    const p = a.ids[0] as string;
    const jan = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: a.branch.id, startsAt: '2026-01-08T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, jan, [{ personId: p, branchId: a.branch.id, attendance: 'present' }]);
    await db.execute(sql`update people set branch_id = ${b.branch.id} where id = ${p}`);
    const feb = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: b.branch.id, startsAt: '2026-02-08T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, feb, [{ personId: p, branchId: b.branch.id, attendance: 'present', role: 'speaker' }]);
    expect(totalOf(await tally(a.branch.id, '2026-01'), p)?.additions).toBe(2);
    expect(totalOf(await tally(b.branch.id, '2026-02'), p)?.additions).toBe(7);
    expect(totalOf(await tally(a.branch.id, '2026-02'), p)).toBeUndefined();
    // the year counts in the current branch, with everything
    const ev = (await admin({ url: `/api/v1/points/evaluation?year=2026&branchId=${b.branch.id}` })).json<Evaluation>();
    expect(ev.rows.find((r) => r.personId === p)?.total).toBe(69);
  });

  it('a probationary member earns points, and keeps them on becoming a full member; non-members earn none', async () => {
    const { branch } = await newBranch('预备支部', []);
    const p = await buildPerson(db, t.tenantId, { officeId: office.id, name: '预备', partyStatus: 'probationary', branchId: branch.id });
    const outsider = await buildPerson(db, t.tenantId, { officeId: office.id, name: '群众', partyStatus: 'none' });
    const before = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-05-08T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, before, [
      { personId: p, branchId: branch.id, attendance: 'present', partyStatus: 'probationary' },
      { personId: outsider, branchId: null, attendance: 'present', partyStatus: 'none' },
    ]);
    await db.execute(sql`update people set party_status = 'full', full_member_on = '2026-05-20' where id = ${p}`);
    const after = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-05-28T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, after, [{ personId: p, branchId: branch.id, attendance: 'present', partyStatus: 'full' }]);
    const tl = await tally(branch.id, '2026-05');
    expect(totalOf(tl, p)?.additions).toBe(4);
    expect(totalOf(tl, outsider)).toBeUndefined();
    const n = await db.execute<{ n: number }>(sql`select count(*)::int as n from points_entries where person_id = ${outsider}`);
    expect(n.rows[0]?.n).toBe(0);
  });
});

describe('manual entries', () => {
  it('need a reason and take effect only when someone other than the author approves', async () => {
    const { branch, ids } = await newBranch('表彰支部', ['癸']);
    const p = ids[0] as string;
    const noReason = await admin({ method: 'POST', url: '/api/v1/points/manual-entries', payload: { personId: p, ruleCode: 'honour_city', amount: 10, reason: '', evidence: '文件' } });
    expect(noReason.json().error.code).toBe('VALIDATION_FAILED');
    const huge = await admin({ method: 'POST', url: '/api/v1/points/manual-entries', payload: { personId: p, ruleCode: 'honour_city', amount: 1e9, reason: '表彰', evidence: '文件' } });
    expect(huge.json().error.code).toBe('VALIDATION_FAILED');
    const res = await admin({
      method: 'POST',
      url: '/api/v1/points/manual-entries',
      payload: { personId: p, ruleCode: 'honour_city', amount: 10, reason: '获市级优秀党员', evidence: '市委文件〔2026〕12号', month: '2026-06' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json<ManualRequest>();
    expect(totalOf(await tally(branch.id, '2026-06'), p)?.total).toBe(60);
    const self = await admin({ method: 'POST', url: `/api/v1/points/manual-entries/${m.id}/review`, payload: { approve: true } });
    expect(self.json().error.code).toBe('SELF_REVIEW');
    expect(totalOf(await tally(branch.id, '2026-06'), p)?.total).toBe(60);
    const ok = await approver({ method: 'POST', url: `/api/v1/points/manual-entries/${m.id}/review`, payload: { approve: true } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(totalOf(await tally(branch.id, '2026-06'), p)).toMatchObject({ additions: 10, total: 70 });
    const again = await approver({ method: 'POST', url: `/api/v1/points/manual-entries/${m.id}/review`, payload: { approve: true } });
    expect(again.json().error.code).toBe('INVALID_STATE');
  });
});

describe('quarterly notice, objections and closing', () => {
  let branch: OrgUnitRow;
  let member: Client;
  let secretary: Client;
  let p: string;
  let q: string;
  let act: string;
  let notice: Notice;

  beforeAll(async () => {
    const b = await newBranch('公示支部', ['子', '丑']);
    branch = b.branch;
    [p, q] = b.ids as [string, string];
    act = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2026-08-12T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, act, [
      { personId: p, branchId: branch.id, attendance: 'absent' },
      { personId: q, branchId: branch.id, attendance: 'present' },
    ]);
    const su = await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: ['points.read', 'points.manage'] });
    secretary = await signIn(app, su);
    const mu = await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: [] });
    await linkUser(mu, p);
    member = await signIn(app, mu);
  });

  it('the secretary publishes; the member sees it and objects within the window', async () => {
    const res = await secretary({ method: 'POST', url: '/api/v1/points/notices', payload: { branchId: branch.id, quarter: '2026-Q3' } });
    expect(res.statusCode, res.body).toBe(201);
    notice = res.json<Notice>();
    const dup = await secretary({ method: 'POST', url: '/api/v1/points/notices', payload: { branchId: branch.id, quarter: '2026-Q3' } });
    expect(dup.json().error.code).toBe('DUPLICATE');
    const list = (await member({ url: '/api/v1/points/notices' })).json<Notice[]>();
    expect(list.map((n) => n.id)).toEqual([notice.id]);
    const detail = (await member({ url: `/api/v1/points/notices/${notice.id}` })).json<NoticeDetail>();
    expect(detail.rows.find((r) => r.personId === p)?.total).toBe(58);
    const entries = (await member({ url: `/api/v1/points/notices/${notice.id}/entries?personId=${p}` })).json<Entry[]>();
    const absent = entries.find((e) => e.ruleCode === 'absent_meeting');
    expect(absent?.amount).toBe(-2);
    const o = await member({ method: 'POST', url: `/api/v1/points/notices/${notice.id}/objections`, payload: { entryId: absent?.id, text: '我当天请了假' } });
    expect(o.statusCode, o.body).toBe(201);
    // someone without the branch cannot see it
    const stranger = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: office.id, permissions: [] }));
    expect((await stranger({ url: `/api/v1/points/notices/${notice.id}` })).statusCode).toBe(404);
  });

  it('cannot close with an unanswered objection; answers; closes; the quarter is frozen', async () => {
    const closing = await secretary({ method: 'POST', url: `/api/v1/points/notices/${notice.id}/close`, payload: { version: notice.version } });
    expect(closing.json().error.code).toBe('CONFLICT');
    const detail = (await secretary({ url: `/api/v1/points/notices/${notice.id}` })).json<NoticeDetail>();
    const objection = detail.objections[0] as Objection;
    const noAmount = await secretary({ method: 'POST', url: `/api/v1/points/objections/${objection.id}/answer`, payload: { accept: true, answer: '属实' } });
    expect(noAmount.json().error.code).toBe('VALIDATION_FAILED');
    const ans = await secretary({ method: 'POST', url: `/api/v1/points/objections/${objection.id}/answer`, payload: { accept: true, answer: '经核实已请假', correction: 2 } });
    expect(ans.statusCode, ans.body).toBe(200);
    expect(totalOf(await tally(branch.id, '2026-08'), p)?.total).toBe(60);
    const closed = await secretary({ method: 'POST', url: `/api/v1/points/notices/${notice.id}/close`, payload: { version: notice.version } });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<Notice>().status).toBe('closed');

    // editing attendance of the closed quarter is refused (through the activities' hook), nothing changes
    await expect(recordAttendance(db, t.tenantId, act, [{ personId: q, branchId: branch.id, attendance: 'absent' }])).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
    expect(totalOf(await tally(branch.id, '2026-08'), q)?.total).toBe(62);
    // the activities service asks before any change of a recorded activity (its topic too): refused early
    const asked = inTenant(db, t.tenantId, (tx) => assertActivityEditable(tx, t.tenantId, new Date('2026-08-12T09:00:00+08:00'), act));
    await expect(asked).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
    // a rule version may not start inside the closed quarter
    const rv = await admin({ method: 'POST', url: '/api/v1/points/rule-sets', payload: testRules({ effectiveFrom: '2026-09-01' }) });
    expect(rv.json().error.code).toBe('PERIOD_CLOSED');
    // a manual entry into the closed quarter is refused; an adjustment goes into the open period citing the entry
    const into = await secretary({
      method: 'POST',
      url: '/api/v1/points/manual-entries',
      payload: { personId: q, ruleCode: 'honour_city', amount: 10, reason: '补录', evidence: '文件', month: '2026-08' },
    });
    expect(into.json().error.code).toBe('PERIOD_CLOSED');
    const qEntries = (await secretary({ url: `/api/v1/points/entries?personId=${q}&month=2026-08` })).json<Entry[]>();
    const adj = await secretary({
      method: 'POST',
      url: '/api/v1/points/manual-entries',
      payload: { personId: q, ruleCode: 'absent_meeting', amount: -4, reason: '实际缺席', evidence: '签到表', correctsEntryId: qEntries[0]?.id },
    });
    expect(adj.statusCode, adj.body).toBe(201);
    const m = adj.json<ManualRequest>();
    expect(m.period >= '2026-10').toBe(true);
    expect((await approver({ method: 'POST', url: `/api/v1/points/manual-entries/${m.id}/review`, payload: { approve: true } })).statusCode).toBe(200);
    expect(totalOf(await tally(branch.id, '2026-08'), q)?.total).toBe(62);
    expect(totalOf(await tally(branch.id, m.period), q)?.deductions).toBe(-4);
    // objections after closing
    const late = await member({ method: 'POST', url: `/api/v1/points/notices/${notice.id}/objections`, payload: { entryId: qEntries[0]?.id, text: '晚了' } });
    expect(late.json().error.code).toBe('WINDOW_CLOSED');
  });

  it('an objection after the window is refused', async () => {
    const b = await newBranch('过期支部', ['寅']);
    const u = await buildUser(db, t.tenantId, { scopeUnitId: b.branch.id, permissions: [] });
    await linkUser(u, b.ids[0]!);
    const m = await signIn(app, u);
    const a = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: b.branch.id, startsAt: '2026-04-12T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, a, [{ personId: b.ids[0]!, branchId: b.branch.id, attendance: 'present' }]);
    const n = (await admin({ method: 'POST', url: '/api/v1/points/notices', payload: { branchId: b.branch.id, quarter: '2026-Q2' } })).json<Notice>();
    await db.execute(sql`update points_notices set window_ends_at = now() - interval '1 minute' where id = ${n.id}`);
    const entries = (await m({ url: `/api/v1/points/notices/${n.id}/entries` })).json<Entry[]>();
    const res = await m({ method: 'POST', url: `/api/v1/points/notices/${n.id}/objections`, payload: { entryId: entries[0]?.id, text: '有误' } });
    expect(res.json().error.code).toBe('WINDOW_CLOSED');
    const c = await db.execute<{ n: number }>(sql`select count(*)::int as n from points_objections where notice_id = ${n.id}`);
    expect(c.rows[0]?.n).toBe(0);
  });

  it('the window is five working days, Monday to Friday', () => {
    // published Thursday 2026-11-19 (Shanghai): Fri, Mon, Tue, Wed, Thu → ends Thursday 26th, 23:59:59 Shanghai
    expect(windowEnd(new Date('2026-11-19T02:00:00Z'), 5).toISOString()).toBe('2026-11-26T15:59:59.999Z');
    // published Saturday: Mon..Fri
    expect(windowEnd(new Date('2026-11-21T02:00:00Z'), 5).toISOString()).toBe('2026-11-27T15:59:59.999Z');
  });

  it('my points: this month, the year, my rank, my objections', async () => {
    const me = (await member({ url: '/api/v1/points/me?month=2026-08' })).json<MyPoints>();
    expect(me).toMatchObject({ personId: p, monthTotal: 60, monthPoints: 0, branchSize: 2 });
    expect(me.objections).toHaveLength(1);
    expect(me.objections[0]?.status).toBe('accepted');
    expect(me.rankInBranch).toBe(2);
    expect(me.notices).toHaveLength(1);
    const none = await admin({ url: '/api/v1/points/me' });
    expect(none.statusCode).toBe(404);
  });
});

describe('closing is per branch; adjustments of closed entries', () => {
  const thisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

  async function publishAndClose(branchId: string, quarter: string) {
    const n = await admin({ method: 'POST', url: '/api/v1/points/notices', payload: { branchId, quarter } });
    expect(n.statusCode, n.body).toBe(201);
    return admin({ method: 'POST', url: `/api/v1/points/notices/${n.json<Notice>().id}/close`, payload: { version: n.json<Notice>().version } });
  }

  it("closing one branch's quarter leaves other branches open, and freezes the branch's earlier months", async () => {
    const a = await newBranch('结账甲支部', ['甲一', '甲二']);
    const b = await newBranch('结账乙支部', ['乙一']);
    const [pa, pb] = [a.ids[0] as string, b.ids[0] as string];
    const actA = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: a.branch.id, startsAt: '2026-05-12T09:00:00+08:00' });
    const actB = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: b.branch.id, startsAt: '2026-05-13T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, actA, [{ personId: pa, branchId: a.branch.id, attendance: 'present' }]);
    await recordAttendance(db, t.tenantId, actB, [{ personId: pb, branchId: b.branch.id, attendance: 'present' }]);
    expect((await publishAndClose(a.branch.id, '2026-Q2')).statusCode).toBe(200);

    // the other branch's quarter stays open
    await recordAttendance(db, t.tenantId, actB, [{ personId: pb, branchId: b.branch.id, attendance: 'absent' }]);
    expect(totalOf(await tally(b.branch.id, '2026-05'), pb)?.total).toBe(58);
    // the closed branch's quarter is refused, with the open period offered for an adjustment
    const refused = recordAttendance(db, t.tenantId, actA, [{ personId: pa, branchId: a.branch.id, attendance: 'absent' }]);
    await expect(refused).rejects.toMatchObject({ code: 'PERIOD_CLOSED', details: [{ path: 'period', problem: expect.stringContaining(`adjustment in ${thisMonth}`) as string }] });
    expect(totalOf(await tally(a.branch.id, '2026-05'), pa)?.total).toBe(62);
    // also its earlier months, though Q1 was never published
    const manual = (personId: string) =>
      admin({ method: 'POST', url: '/api/v1/points/manual-entries', payload: { personId, ruleCode: 'honour_city', amount: 10, reason: '补录', evidence: '文件', month: '2026-02' } });
    expect((await manual(pa)).json().error.code).toBe('PERIOD_CLOSED');
    expect((await manual(pb)).statusCode).toBe(201);

    // the closed quarter lists whom it listed, whoever joins or leaves the branch later
    const listed = async () => (await tally(a.branch.id, '2026-05')).rows.map((r) => [r.personName, r.total, r.rank]);
    const before = await listed();
    expect(before.map((r) => r[0]).sort()).toEqual(['甲一', '甲二']);
    await db.execute(sql`update people set branch_id = ${b.branch.id} where id = ${a.ids[1]}`);
    await buildPerson(db, t.tenantId, { officeId: office.id, name: '甲三', partyStatus: 'full', branchId: a.branch.id });
    expect(await listed()).toEqual(before);
    // an open month of the branch lists its members of today
    expect((await tally(a.branch.id, '2026-07')).rows.map((r) => r.personName).sort()).toEqual(['甲一', '甲三']);
  });

  it('an adjustment cites a closed entry, counts uncapped in the open period, and needs someone else to approve it', async () => {
    const { branch, ids } = await newBranch('调整支部', ['丙一']);
    const p = ids[0] as string;
    const may = await buildActivity(db, t.tenantId, { typeCode: 'collective_study', unitId: branch.id, startsAt: '2026-05-20T09:00:00+08:00' });
    await recordAttendance(db, t.tenantId, may, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    // this month the study cap (6) is reached already
    for (const day of ['02', '03', '04', '05']) {
      const a = await buildActivity(db, t.tenantId, { typeCode: 'collective_study', unitId: branch.id, startsAt: `${thisMonth}-${day}T09:00:00+08:00` });
      await recordAttendance(db, t.tenantId, a, [{ personId: p, branchId: branch.id, attendance: 'present' }]);
    }
    expect(totalOf(await tally(branch.id, thisMonth), p)?.additions).toBe(6);

    const open = (await admin({ url: `/api/v1/points/entries?personId=${p}&month=${thisMonth}` })).json<Entry[]>();
    expect(open.every((e) => e.adjustmentPeriod === null)).toBe(true);
    const direct = await admin({
      method: 'POST',
      url: '/api/v1/points/manual-entries',
      payload: { personId: p, ruleCode: 'attend_study', amount: 2, reason: '补记', evidence: '签到表', correctsEntryId: open[0]?.id },
    });
    expect(direct.json().error.code).toBe('INVALID_STATE');

    expect((await publishAndClose(branch.id, '2026-Q2')).statusCode).toBe(200);
    const [closed] = (await admin({ url: `/api/v1/points/entries?personId=${p}&month=2026-05` })).json<Entry[]>();
    expect(closed?.adjustmentPeriod).toBe(thisMonth);
    const adj = await admin({
      method: 'POST',
      url: '/api/v1/points/manual-entries',
      payload: { personId: p, ruleCode: 'attend_study', amount: 2, reason: '漏记一次学习', evidence: '签到表', correctsEntryId: closed?.id },
    });
    expect(adj.statusCode, adj.body).toBe(201);
    const m = adj.json<ManualRequest>();
    expect([m.period, m.ruleCode, m.correctsEntryId]).toEqual([thisMonth, 'adj_attend_study', closed?.id]);
    expect((await admin({ method: 'POST', url: `/api/v1/points/manual-entries/${m.id}/review`, payload: { approve: true } })).json().error.code).toBe('SELF_REVIEW');
    expect((await approver({ method: 'POST', url: `/api/v1/points/manual-entries/${m.id}/review`, payload: { approve: true } })).statusCode).toBe(200);
    // the cap of this month does not clamp the correction of May; May stays as it was
    expect(totalOf(await tally(branch.id, thisMonth), p)?.additions).toBe(8);
    expect(totalOf(await tally(branch.id, '2026-05'), p)?.additions).toBe(2);
    const booked = (await admin({ url: `/api/v1/points/entries?personId=${p}&month=${thisMonth}` })).json<Entry[]>().find((e) => e.source === 'manual');
    expect([booked?.correctsId, booked?.ruleKind, booked?.amount]).toEqual([closed?.id, 'attend', 2]);
  });

  it("a moved member's earlier branch cannot change what a shared cap left to a closed branch", async () => {
    const a = await newBranch('迁出前支部', ['戊一']);
    const b = await newBranch('迁入后支部', []);
    const p = a.ids[0] as string;
    // volunteer hours: at most 10 points a quarter, wherever they were earned
    const apr = await buildActivity(db, t.tenantId, { typeCode: 'volunteer_service', unitId: a.branch.id, startsAt: '2026-04-10T09:00:00+08:00', hours: 4 });
    await recordAttendance(db, t.tenantId, apr, [{ personId: p, branchId: a.branch.id, attendance: 'present' }]);
    await db.execute(sql`update people set branch_id = ${b.branch.id} where id = ${p}`);
    const may = await buildActivity(db, t.tenantId, { typeCode: 'volunteer_service', unitId: b.branch.id, startsAt: '2026-05-10T09:00:00+08:00', hours: 8 });
    await recordAttendance(db, t.tenantId, may, [{ personId: p, branchId: b.branch.id, attendance: 'present' }]);
    expect(totalOf(await tally(b.branch.id, '2026-05'), p)?.additions).toBe(6);
    expect((await publishAndClose(b.branch.id, '2026-Q2')).statusCode).toBe(200);
    // the first branch has not closed April, but undoing it would give May in the closed branch 8
    await expect(recordAttendance(db, t.tenantId, apr, [{ personId: p, branchId: a.branch.id, attendance: 'absent' }])).rejects.toMatchObject({ code: 'PERIOD_CLOSED' });
    expect(totalOf(await tally(b.branch.id, '2026-05'), p)?.additions).toBe(6);
  });

  it('a later quarter closes only after the earlier published one', async () => {
    const { branch } = await newBranch('顺序支部', ['丁一']);
    const q1 = await admin({ method: 'POST', url: '/api/v1/points/notices', payload: { branchId: branch.id, quarter: '2026-Q1' } });
    const q2 = await admin({ method: 'POST', url: '/api/v1/points/notices', payload: { branchId: branch.id, quarter: '2026-Q2' } });
    const close = (n: Notice) => admin({ method: 'POST', url: `/api/v1/points/notices/${n.id}/close`, payload: { version: n.version } });
    expect((await close(q2.json<Notice>())).json().error.code).toBe('CONFLICT');
    expect((await close(q1.json<Notice>())).statusCode).toBe(200);
    expect((await close(q2.json<Notice>())).statusCode).toBe(200);
  });
});

describe('yearly evaluation', () => {
  it('grades by rank and thresholds, sanctioned people are not excellent, the committee overrides with a reason', async () => {
    const names = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    const { branch, ids } = await newBranch('总评支部', names);
    // person i attends i meetings (0..9); the last one is also sanctioned
    // months outside the third quarter, which another test closes
    const months = ['01', '02', '03', '04', '05', '06', '10', '11', '12'];
    for (let k = 0; k < 9; k++) {
      const act = await buildActivity(db, t.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: `2026-${months[k]}-02T09:00:00+08:00` });
      await recordAttendance(
        db,
        t.tenantId,
        act,
        ids.map((id, i) => ({ personId: id, branchId: branch.id, attendance: i > k ? 'present' : i === 0 ? 'absent' : 'pending' })),
      );
    }
    const sanction = (
      await admin({ method: 'POST', url: '/api/v1/points/manual-entries', payload: { personId: ids[9], ruleCode: 'sanction', amount: -1, reason: '警告处分', evidence: '决定书', month: '2026-10' } })
    ).json<ManualRequest>();
    await approver({ method: 'POST', url: `/api/v1/points/manual-entries/${sanction.id}/review`, payload: { approve: true } });
    const ev = (await admin({ url: `/api/v1/points/evaluation?year=2026&branchId=${branch.id}` })).json<Evaluation>();
    const by = new Map(ev.rows.map((r) => [r.personName, r]));
    expect(by.get('十')).toMatchObject({ total: 77, rank: 1, sanctioned: true, grade: 'qualified' });
    expect(by.get('九')).toMatchObject({ total: 76, rank: 2, grade: 'excellent' });
    expect(by.get('八')).toMatchObject({ total: 74, grade: 'qualified' });
    expect(by.get('一')).toMatchObject({ total: 42, grade: 'unqualified' });
    expect(by.get('五')).toMatchObject({ total: 68, grade: 'basic' });
    const o = await approver({ method: 'POST', url: '/api/v1/points/evaluation/overrides', payload: { year: 2026, personId: ids[7], grade: 'excellent', reason: '抗洪抢险表现突出' } });
    expect(o.statusCode, o.body).toBe(200);
    const ev2 = (await admin({ url: `/api/v1/points/evaluation?year=2026&branchId=${branch.id}` })).json<Evaluation>();
    expect(ev2.rows.find((r) => r.personId === ids[7])).toMatchObject({ computedGrade: 'qualified', grade: 'excellent', overrideReason: '抗洪抢险表现突出' });
    const xlsx = await admin({ url: `/api/v1/points/evaluation.xlsx?year=2026&branchId=${branch.id}` });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const docx = await admin({ url: `/api/v1/points/evaluation.docx?year=2026&branchId=${branch.id}` });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(docx.rawPayload);
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('评先评优候选人');
    expect(xml).toContain('九（总评支部，76分）');
    const auditRows = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'points.grade.override' and target_id = ${ids[7]}`);
    expect(auditRows.rows[0]?.n).toBe(1);
  });
});

describe('demo points', () => {
  it("give the demo's rules a version of this year, book its recorded activities and a couple of manual entries (one waiting)", async () => {
    const d = await buildTenant(db, '演示积分');
    const dOffice = await buildUnit(db, d, { type: 'office', name: '办公室' });
    const branch = await buildUnit(db, d, { type: 'branch', name: '第一党支部' });
    const people: string[] = [];
    // member1 last by name: the seeder must find them among many
    for (const n of ['阿一', '阿二', '阿三', '阿四', '阿五', '阿六', '阿七', '阿八', '阿九', '张三']) people.push(await buildPerson(db, d.tenantId, { officeId: dOffice.id, name: n, partyStatus: 'full', branchId: branch.id }));
    const act = await buildActivity(db, d.tenantId, { typeCode: 'branch_general_meeting', unitId: branch.id, startsAt: '2025-06-10T09:00:00+08:00' });
    // attendance written without the hook, as a seeder might: the demo books it
    await db.execute(sql`insert into activity_participants (tenant_id, activity_id, person_id, role, attendance, party_status, branch_id)
      values (${d.tenantId}, ${act}, ${people[0]}, 'participant', 'present', 'full', ${branch.id})`);
    await buildUser(db, d.tenantId, { scopeUnitId: branch.id, permissions: ['points.read', 'points.manage'], username: 'secretary1' });
    await buildUser(db, d.tenantId, { scopeUnitId: d.root.id, permissions: ['points.read', 'points.approve', 'points.rules'], username: 'party' });
    await buildUser(db, d.tenantId, { scopeUnitId: branch.id, permissions: [], username: 'member1' });
    await db.execute(sql`update users set person_id = ${people[9]} where tenant_id = ${d.tenantId} and username = 'member1'`);
    await db.transaction((tx) => seedPointsDemo(tx, d.tenantId));

    const party = await signIn(app, 'party');
    const rules = (await party({ url: '/api/v1/points/rule-sets' })).json<{ version: number }[]>();
    expect(rules.map((r) => r.version)).toEqual([2, 1]);
    const manual = (await party({ url: '/api/v1/points/manual-entries' })).json<ManualRequest[]>();
    expect(manual.map((m) => m.status).sort()).toEqual(['approved', 'approved', 'pending']);
    const entries = (await party({ url: `/api/v1/points/entries?personId=${people[0]}&year=2025` })).json<Entry[]>();
    expect(entries.map((e) => [e.ruleCode, e.amount])).toEqual([['attend_meeting', 2]]);
    const member = await signIn(app, 'member1');
    const me = (await member({ url: '/api/v1/points/me' })).json<MyPoints>();
    expect(me.entries.map((e) => e.ruleCode)).toEqual(['honour_dept']);
  });
});

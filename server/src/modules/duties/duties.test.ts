import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DutiesCalendar, DutyRule, MissedDuties } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { actorFor, ensureTypesAndRules, insertActivity } from './duties.fixtures';
import { cellStatus, missedLastMonth, unitCalendar } from './duties.service';
import { remindDueDuties } from './duties.reminders.service';
import { seedDutyRules } from './duties.defaults';

const { app, db } = await testApp();
let t: TenantFixture;
let committee: OrgUnitRow, branchA: OrgUnitRow, branchB: OrgUnitRow, groupA: OrgUnitRow, office: OrgUnitRow;
let types: Record<string, string>;
let staff: Client, secretaryA: Client;

beforeAll(async () => {
  t = await buildTenant(db);
  types = await ensureTypesAndRules(db, t.tenantId);
  office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  branchA = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第一党支部' });
  branchB = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第二党支部' });
  groupA = await buildUnit(db, t, { parent: branchA, type: 'party_group', name: '第一党小组' });
  staff = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.read', 'activities.catalog'] }));
  secretaryA = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branchA.id, permissions: ['activities.read'] }));
});

const theme = () => types.theme_party_day as string;
const rowOf = (cal: DutiesCalendar, code: string) => {
  const row = cal.rows.find((r) => r.typeId === types[code]);
  if (!row) throw new Error(`no row for ${code}`);
  return row;
};

describe('duty rules', () => {
  it('seeds the defaults once, by code, skipping rules whose type is missing', async () => {
    const other = await buildTenant(db, '另一个部');
    // no types in this tenant unless the catalogue seeder ran: seeding twice must not fail or duplicate
    await db.execute(sql`delete from duty_rules where tenant_id = ${other.tenantId}`);
    await db.execute(sql`delete from activity_types where tenant_id = ${other.tenantId} and code <> 'theme_party_day'`);
    await db.transaction((tx) => seedDutyRules(tx, other.tenantId));
    const typesLeft = await db.execute<{ n: number }>(sql`select count(*)::int as n from activity_types where tenant_id = ${other.tenantId}`);
    const r1 = await db.execute<{ n: number }>(sql`select count(*)::int as n from duty_rules where tenant_id = ${other.tenantId}`);
    expect(r1.rows[0]?.n).toBe(typesLeft.rows[0]?.n === 0 ? 0 : 1);
    await ensureTypesAndRules(db, other.tenantId);
    await db.transaction((tx) => seedDutyRules(tx, other.tenantId));
    const r2 = await db.execute<{ n: number }>(sql`select count(*)::int as n from duty_rules where tenant_id = ${other.tenantId}`);
    expect(r2.rows[0]?.n).toBe(9);
  });

  it('lists, creates (catalog permission), refuses a duplicate, updates with a version, and a deactivated default is not re-seeded', async () => {
    const list = (await staff({ url: '/api/v1/duties/rules' })).json() as { items: DutyRule[] };
    expect(list.items.filter((r) => r.unitType === 'branch')).toHaveLength(6);
    const themeRule = list.items.find((r) => r.unitType === 'branch' && r.typeCode === 'theme_party_day');
    expect(themeRule).toMatchObject({ period: 'month', minCount: 1, active: true });

    const created = await staff({ method: 'POST', url: '/api/v1/duties/rules', payload: { unitType: 'office', typeId: theme(), period: 'year', minCount: 2 } });
    expect(created.statusCode).toBe(201);
    const dup = await staff({ method: 'POST', url: '/api/v1/duties/rules', payload: { unitType: 'office', typeId: theme(), period: 'year' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');
    const bad = await staff({ method: 'POST', url: '/api/v1/duties/rules', payload: { unitType: 'office', typeId: theme(), period: 'week' } });
    expect(bad.statusCode).toBe(400);
    const forbidden = await secretaryA({ method: 'POST', url: '/api/v1/duties/rules', payload: { unitType: 'office', typeId: theme(), period: 'month' } });
    expect(forbidden.statusCode).toBe(403);

    const rule = created.json() as DutyRule;
    const off = await staff({ method: 'PATCH', url: `/api/v1/duties/rules/${rule.id}`, payload: { version: rule.version, active: false } });
    expect(off.json()).toMatchObject({ active: false, version: 2 });
    const stale = await staff({ method: 'PATCH', url: `/api/v1/duties/rules/${rule.id}`, payload: { version: 1, minCount: 3 } });
    expect(stale.json().error.code).toBe('STALE_VERSION');

    // a default the tenant deactivated stays deactivated across re-seeding
    const lecture = list.items.find((r) => r.unitType === 'branch' && r.typeCode === 'party_lecture') as DutyRule;
    await staff({ method: 'PATCH', url: `/api/v1/duties/rules/${lecture.id}`, payload: { version: lecture.version, active: false } });
    await db.transaction((tx) => seedDutyRules(tx, t.tenantId));
    const after = (await staff({ url: '/api/v1/duties/rules' })).json() as { items: DutyRule[] };
    expect(after.items.filter((r) => r.typeCode === 'party_lecture' && r.unitType === 'branch')).toMatchObject([{ active: false }]);
    await staff({ method: 'PATCH', url: `/api/v1/duties/rules/${lecture.id}`, payload: { version: lecture.version + 1, active: true } });
  });
});

describe('duties calendar (Asia/Shanghai)', () => {
  beforeAll(async () => {
    const u = branchA.id;
    // month and quarter boundary: 23:30 on 31 March Shanghai is March / Q1; 00:10 on 1 April is April / Q2
    await insertActivity(db, t.tenantId, { unitId: u, typeId: theme(), startsAt: '2026-03-31T23:30:00+08:00' });
    await insertActivity(db, t.tenantId, { unitId: u, typeId: theme(), startsAt: '2026-04-01T00:10:00+08:00' });
    // year boundary: 1 January 2026 07:00 Shanghai is 31 December 2025 in UTC, but belongs to 2026
    await insertActivity(db, t.tenantId, { unitId: u, typeId: types.branch_general_meeting as string, startsAt: '2026-01-01T07:00:00+08:00' });
    // 31 December 2026 23:59 Shanghai (15:59 UTC) belongs to December / Q4 / 2026
    await insertActivity(db, t.tenantId, { unitId: u, typeId: types.organisational_life_meeting as string, startsAt: '2026-12-31T23:59:00+08:00' });
    // 1 January 2027 00:01 Shanghai belongs to 2027, not 2026
    await insertActivity(db, t.tenantId, { unitId: u, typeId: types.member_appraisal as string, startsAt: '2027-01-01T00:01:00+08:00' });
    // not counted: an invalid (no quorum) general meeting, a planned and a cancelled committee meeting, another unit's
    await insertActivity(db, t.tenantId, { unitId: u, typeId: types.branch_general_meeting as string, startsAt: '2026-05-10T09:00:00+08:00', valid: false });
    await insertActivity(db, t.tenantId, { unitId: u, typeId: types.branch_committee_meeting as string, startsAt: '2026-05-11T09:00:00+08:00', status: 'planned' });
    await insertActivity(db, t.tenantId, { unitId: u, typeId: types.branch_committee_meeting as string, startsAt: '2026-05-12T09:00:00+08:00', status: 'cancelled' });
    await insertActivity(db, t.tenantId, { unitId: branchB.id, typeId: types.branch_committee_meeting as string, startsAt: '2026-05-13T09:00:00+08:00' });
    // held (not yet recorded) counts
    await insertActivity(db, t.tenantId, { unitId: u, typeId: types.branch_committee_meeting as string, startsAt: '2026-06-01T00:00:00+08:00', status: 'held' });
  });

  it('puts activities into months, quarters and years at Shanghai midnight', async () => {
    const res = await secretaryA({ url: `/api/v1/duties/calendar?unitId=${branchA.id}&year=2026` });
    expect(res.statusCode).toBe(200);
    const cal = res.json() as DutiesCalendar;
    expect(cal).toMatchObject({ unitName: '第一党支部', unitType: 'branch', year: 2026, timeZone: 'Asia/Shanghai' });
    expect(cal.rows).toHaveLength(6);
    const themeRow = rowOf(cal, 'theme_party_day');
    expect(themeRow.period).toBe('month');
    expect(themeRow.cells.map((c) => c.done)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(themeRow.cells[2]).toMatchObject({ index: 3, startsAt: '2026-02-28T16:00:00.000Z', endsAt: '2026-03-31T16:00:00.000Z', required: 1 });
    const gm = rowOf(cal, 'branch_general_meeting');
    expect(gm.period).toBe('quarter');
    // the January meeting counts for Q1; the invalid May meeting does not count for Q2
    expect(gm.cells.map((c) => c.done)).toEqual([1, 0, 0, 0]);
    expect(gm.cells[0]).toMatchObject({ startsAt: '2025-12-31T16:00:00.000Z', endsAt: '2026-03-31T16:00:00.000Z' });
    const cm = rowOf(cal, 'branch_committee_meeting');
    expect(cm.cells.map((c) => c.done)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(rowOf(cal, 'organisational_life_meeting').cells).toMatchObject([{ index: 1, done: 1, endsAt: '2026-12-31T16:00:00.000Z' }]);
    expect(rowOf(cal, 'member_appraisal').cells).toMatchObject([{ done: 0 }]);
    const next = (await secretaryA({ url: `/api/v1/duties/calendar?unitId=${branchA.id}&year=2027` })).json() as DutiesCalendar;
    expect(rowOf(next, 'member_appraisal').cells).toMatchObject([{ done: 1 }]);
    expect(rowOf(next, 'organisational_life_meeting').cells).toMatchObject([{ done: 0 }]);
  });

  it('marks met, missed, due soon and upcoming against now', async () => {
    const actor = actorFor(t.tenantId, t.root, ['activities.read']);
    // 25 April 2026 12:00 Shanghai: April ends in under 7 days
    const cal = await unitCalendar(db, actor, branchA.id, 2026, new Date('2026-04-25T12:00:00+08:00'));
    const themeCells = rowOf(cal, 'theme_party_day').cells;
    expect(themeCells.slice(0, 5).map((c) => c.status)).toEqual(['missed', 'missed', 'met', 'met', 'upcoming']);
    const cm = rowOf(cal, 'branch_committee_meeting').cells;
    expect(cm[3]?.status).toBe('due_soon');
    expect(cm[4]?.status).toBe('upcoming');
    expect(rowOf(cal, 'branch_general_meeting').cells.map((c) => c.status)).toEqual(['met', 'upcoming', 'upcoming', 'upcoming']);
    // the boundary itself: exactly 7 days before the end is due soon, a millisecond earlier is not
    const end = new Date('2026-05-01T00:00:00+08:00');
    expect(cellStatus(0, 1, end, new Date(end.getTime() - 7 * 86_400_000))).toBe('due_soon');
    expect(cellStatus(0, 1, end, new Date(end.getTime() - 7 * 86_400_000 - 1))).toBe('upcoming');
    expect(cellStatus(0, 1, end, end)).toBe('missed');
    expect(cellStatus(2, 2, end, end)).toBe('met');
  });

  it('lists the units of a subtree that missed duties last month (with the quarter when it closed)', async () => {
    const actor = actorFor(t.tenantId, t.root, ['activities.read']);
    // on 15 April 2026: March and Q1 ended with last month
    const missed = await missedLastMonth(db, actor, committee.id, new Date('2026-04-15T10:00:00+08:00'));
    expect(missed.month).toBe('2026-03');
    const key = (m: MissedDuties['items'][number]) => `${m.unitName}|${m.typeNameZh}|${m.period}`;
    const keys = missed.items.map(key).sort();
    // branch A held the theme Party day in March and the general meeting in Q1; branch B held neither
    expect(keys).toContain('第一党支部|支部委员会会议|month');
    expect(keys).toContain('第一党支部|党课|quarter');
    expect(keys).not.toContain('第一党支部|主题党日|month');
    expect(keys).not.toContain('第一党支部|支部党员大会|quarter');
    expect(keys).toContain('第二党支部|主题党日|month');
    expect(keys).toContain('第二党支部|支部党员大会|quarter');
    expect(keys).toContain('第一党小组|党小组会|month');
    // the organ Party committee's own duty (central group study) is in its subtree too
    expect(keys).toContain('机关党委|理论学习中心组学习|month');
    expect(missed.items.every((m) => m.endsAt === '2026-03-31T16:00:00.000Z')).toBe(true);

    // in January, last month is December of the year before: month, Q4 and the year closed
    const jan = await missedLastMonth(db, actor, branchA.id, new Date('2027-01-03T10:00:00+08:00'));
    expect(jan.month).toBe('2026-12');
    // the branch's theme Party day and committee meeting, its group's meeting; Q4's general meeting and lecture; the appraisal
    expect(jan.items.map((m) => m.period).sort()).toEqual(['month', 'month', 'month', 'quarter', 'quarter', 'year']);
    expect(jan.items.filter((m) => m.unitId === groupA.id).map((m) => m.typeNameZh)).toEqual(['党小组会']);
    expect(jan.items.find((m) => m.period === 'year')?.typeNameZh).toBe('民主评议党员');
  });

  it('keeps to the actor’s scope', async () => {
    expect((await secretaryA({ url: `/api/v1/duties/calendar?unitId=${branchB.id}&year=2026` })).statusCode).toBe(404);
    expect((await secretaryA({ url: `/api/v1/duties/missed?unitId=${committee.id}` })).statusCode).toBe(404);
    expect((await secretaryA({ url: `/api/v1/duties/missed?unitId=${branchA.id}` })).statusCode).toBe(200);
    expect((await staff({ url: `/api/v1/duties/calendar?unitId=${office.id}&year=2026` })).json()).toMatchObject({ rows: [] });
    const sub = await staff({ url: `/api/v1/duties/calendar/subtree?unitId=${committee.id}&year=2026` });
    expect((sub.json() as { items: { unitName: string }[] }).items.map((i) => i.unitName).sort()).toEqual(['第一党小组', '第一党支部', '第二党支部', '机关党委'].sort());
    expect((await secretaryA({ url: `/api/v1/duties/calendar?unitId=${branchA.id}&year=1999` })).statusCode).toBe(400);
  });
});

describe('duty reminders', () => {
  it('tells the branch secretaries 7 days before a period ends, once', async () => {
    // secretary by committee role (with a user account) and by a branch_secretary grant
    const secPerson = await buildPerson(db, t.tenantId, { officeId: office.id, partyStatus: 'full', branchId: branchB.id, committeeRole: 'secretary' });
    const byRole = await buildUser(db, t.tenantId, { scopeUnitId: branchB.id, permissions: ['activities.read'] });
    await db.execute(sql`update users set person_id = ${secPerson} where username = ${byRole}`);
    const byGrant = await buildUser(db, t.tenantId, { scopeUnitId: branchB.id, permissions: ['activities.read'], username: `g${Date.now()}` });
    await db.execute(sql`update roles set code = 'branch_secretary_test' where code = ${`r-${byGrant}`}`);
    await db.execute(sql`
      insert into role_grants (tenant_id, user_id, role_id, scope_unit_id)
      select ${t.tenantId}, u.id, r.id, ${branchB.id} from users u, roles r
       where u.username = ${byGrant} and r.tenant_id = ${t.tenantId} and r.code = 'branch_secretary'`);
    const someoneElse = await buildUser(db, t.tenantId, { scopeUnitId: branchB.id, permissions: ['activities.read'] });
    await insertActivity(db, t.tenantId, { unitId: branchB.id, typeId: theme(), startsAt: '2026-06-20T09:00:00+08:00' });

    const now = new Date('2026-06-26T08:00:00+08:00');
    const sent = await remindDueDuties(db, now);
    expect(sent).toBeGreaterThan(0);
    expect(await remindDueDuties(db, now)).toBe(0);
    expect(await remindDueDuties(db, new Date('2026-06-28T08:00:00+08:00'))).toBe(0);
    const rows = await db.execute<{ username: string; title: string; link: string; kind: string }>(sql`
      select u.username, n.title, n.link, n.kind from notifications n join users u on u.id = n.user_id
       where n.tenant_id = ${t.tenantId} and n.kind = 'duty.due' and n.link like ${`%${branchB.id}%`} order by n.title`);
    const users = new Set(rows.rows.map((r) => r.username));
    expect(users).toEqual(new Set([byRole, byGrant]));
    expect(users.has(someoneElse)).toBe(false);
    const titles = rows.rows.filter((r) => r.username === byRole).map((r) => r.title);
    // June's committee meeting and Q2's general meeting are not met; the theme Party day is (20 June)
    expect(titles).toContain('第二党支部本月支部委员会会议尚未完成');
    expect(titles).toContain('第二党支部本季度支部党员大会尚未完成');
    expect(titles.some((x) => x.includes('主题党日'))).toBe(false);
    // the year does not end within 7 days of 26 June: the yearly duties are not announced
    expect(titles.some((x) => x.includes('本年度'))).toBe(false);
  });

  it('tells a Party group’s leader of the group’s duties, and its branch secretaries when it has no leader', async () => {
    // under branch B, whose secretaries (by committee role and by grant) exist from the test above
    const led = await buildUnit(db, t, { parent: branchB, type: 'party_group', name: '第二支部第一党小组' });
    const leaderless = await buildUnit(db, t, { parent: branchB, type: 'party_group', name: '第二支部第二党小组' });
    const leader = await buildUser(db, t.tenantId, { scopeUnitId: led.id, permissions: ['activities.read'] });
    await db.execute(sql`
      insert into role_grants (tenant_id, user_id, role_id, scope_unit_id)
      select ${t.tenantId}, u.id, r.id, ${led.id} from users u, roles r
       where u.username = ${leader} and r.tenant_id = ${t.tenantId} and r.code = 'group_leader'`);
    // a member of the leaderless group with an ordinary grant on it is not its leader
    const member = await buildUser(db, t.tenantId, { scopeUnitId: leaderless.id, permissions: ['activities.read'] });

    const now = new Date('2026-06-26T08:00:00+08:00');
    expect(await remindDueDuties(db, now)).toBeGreaterThan(0);
    expect(await remindDueDuties(db, now)).toBe(0);
    const rows = await db.execute<{ username: string; title: string; body: string; link: string }>(sql`
      select u.username, n.title, n.body, n.link from notifications n join users u on u.id = n.user_id
       where n.tenant_id = ${t.tenantId} and n.kind = 'duty.due' and (n.link like ${`%${led.id}%`} or n.link like ${`%${leaderless.id}%`})`);
    const to = (unitId: string) => new Set(rows.rows.filter((r) => r.link.includes(unitId)).map((r) => r.username));
    // the led group's monthly group meeting goes to its leader only, not to the branch
    expect(to(led.id)).toEqual(new Set([leader]));
    expect(rows.rows.filter((r) => r.link.includes(led.id)).map((r) => r.title)).toEqual(['第二支部第一党小组本月党小组会尚未完成']);
    // the leaderless group's goes to branch B's secretaries, saying why
    const branchSecretaries = await db.execute<{ username: string }>(sql`
      select distinct u.username from notifications n join users u on u.id = n.user_id
       where n.tenant_id = ${t.tenantId} and n.kind = 'duty.due' and n.link like ${`%${branchB.id}%`}`);
    expect(branchSecretaries.rows.length).toBe(2);
    expect(to(leaderless.id)).toEqual(new Set(branchSecretaries.rows.map((r) => r.username)));
    expect(to(leaderless.id).has(member)).toBe(false);
    expect(rows.rows.find((r) => r.link.includes(leaderless.id))?.body).toContain('未设组长');
  });
});

describe('duties calendar edge cases (a tenant of its own)', () => {
  it('splits Q2 and Q3 at Shanghai midnight, counts towards a minimum above one, and places a leap-year month boundary in Shanghai time', async () => {
    const own = await buildTenant(db, '边界测试部');
    const ty = await ensureTypesAndRules(db, own.tenantId);
    const branch = await buildUnit(db, own, { type: 'branch', name: '边界支部' });
    const actor = actorFor(own.tenantId, own.root, ['activities.read']);
    // the theme Party day must be held twice a month here
    await db.execute(sql`update duty_rules set min_count = 2 where tenant_id = ${own.tenantId} and unit_type = 'branch' and type_id = ${ty.theme_party_day as string}`);
    const gm = ty.branch_general_meeting as string;
    const themeDay = ty.theme_party_day as string;
    // the last second of Q2 and the first instant of Q3 (1 July 00:00 Shanghai = 30 June 16:00 UTC)
    await insertActivity(db, own.tenantId, { unitId: branch.id, typeId: gm, startsAt: '2026-06-30T23:59:59+08:00' });
    await insertActivity(db, own.tenantId, { unitId: branch.id, typeId: gm, startsAt: '2026-07-01T00:00:00+08:00' });
    // June: one theme Party day of the two required; July: two
    await insertActivity(db, own.tenantId, { unitId: branch.id, typeId: themeDay, startsAt: '2026-06-10T09:00:00+08:00' });
    await insertActivity(db, own.tenantId, { unitId: branch.id, typeId: themeDay, startsAt: '2026-07-01T00:00:00+08:00' });
    await insertActivity(db, own.tenantId, { unitId: branch.id, typeId: themeDay, startsAt: '2026-07-31T23:59:00+08:00' });

    const cal = await unitCalendar(db, actor, branch.id, 2026, new Date('2026-08-02T10:00:00+08:00'));
    const q = cal.rows.find((r) => r.typeId === gm)?.cells ?? [];
    expect(q.map((c) => c.done)).toEqual([0, 1, 1, 0]);
    expect(q[2]).toMatchObject({ startsAt: '2026-06-30T16:00:00.000Z', endsAt: '2026-09-30T16:00:00.000Z', status: 'met' });
    const m = cal.rows.find((r) => r.typeId === themeDay)?.cells ?? [];
    expect(m[5]).toMatchObject({ done: 1, required: 2, status: 'missed' });
    expect(m[6]).toMatchObject({ done: 2, required: 2, status: 'met' });
    expect(m[7]).toMatchObject({ done: 0, status: 'upcoming' });

    // 2028 is a leap year: 1 March 07:00 Shanghai is still 29 February in UTC, but it is March
    await insertActivity(db, own.tenantId, { unitId: branch.id, typeId: themeDay, startsAt: '2028-02-29T23:30:00+08:00' });
    await insertActivity(db, own.tenantId, { unitId: branch.id, typeId: themeDay, startsAt: '2028-03-01T07:00:00+08:00' });
    const leap = await unitCalendar(db, actor, branch.id, 2028, new Date('2028-01-05T10:00:00+08:00'));
    const lm = leap.rows.find((r) => r.typeId === themeDay)?.cells ?? [];
    expect(lm.map((c) => c.done).slice(0, 4)).toEqual([0, 1, 1, 0]);
    expect(lm[1]).toMatchObject({ startsAt: '2028-01-31T16:00:00.000Z', endsAt: '2028-02-29T16:00:00.000Z' });

    // the missed list: on 2 August last month is July, which was met; on 1 July it is June, one short of two
    const missed = await missedLastMonth(db, actor, branch.id, new Date('2026-08-02T10:00:00+08:00'));
    expect(missed.month).toBe('2026-07');
    expect(missed.items.some((i) => i.typeNameZh === '主题党日')).toBe(false);
    const july = await missedLastMonth(db, actor, branch.id, new Date('2026-07-01T00:00:00+08:00'));
    expect(july.month).toBe('2026-06');
    expect(july.items.find((i) => i.typeNameZh === '主题党日')).toMatchObject({ done: 1, required: 2, period: 'month' });
  });
});

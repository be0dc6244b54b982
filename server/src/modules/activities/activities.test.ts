import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ActivityDetail, ActivitySummary, ActivityType } from '@tongxin/contracts';
import { AppError } from '../../platform/errors';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { defaultActivityTypes, seedActivityTypes } from './activities.defaults';
import { checkCode, signinCode } from './activities.signin.service';
import { sniffType } from '../../platform/files';

// The points area decides which periods are closed; here a flag closes them, and the hook
// after attendance changes is a spy, so these tests hold whatever the points rules are.
const hooks = vi.hoisted(() => ({ closed: false, after: [] as string[] }));
vi.mock('../../commands/attendance.command', () => ({
  assertActivityEditable: async () => {
    if (hooks.closed) throw new AppError('PERIOD_CLOSED');
  },
  afterAttendanceChanged: async (_tx: unknown, _tenantId: string, activityId: string) => {
    hooks.after.push(activityId);
  },
}));

const { app, db } = await testApp({ dataDir: `/tmp/act/${process.pid}-${Date.now()}` });
let t: TenantFixture;
let office: OrgUnitRow, branch: OrgUnitRow, branch2: OrgUnitRow, group: OrgUnitRow;
let secretary: Client, secretary2: Client, member: Client, outsider: Client, catalogAdmin: Client;
const fullIds: string[] = [];
let probationaryId: string, memberPersonId: string, outsiderPersonId: string, committeeIds: string[];
const types = new Map<string, ActivityType>();

async function linkUser(username: string, personId: string) {
  await db.execute(sql`update users set person_id = ${personId} where username = ${username}`);
}

beforeAll(async () => {
  t = await buildTenant(db);
  office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  const committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  branch = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第一党支部' });
  branch2 = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第二党支部' });
  group = await buildUnit(db, t, { parent: branch, type: 'party_group', name: '第一党小组' });
  // branch: 4 full members (2 on the committee), 1 probationary; one full member inactive
  committeeIds = [];
  for (let i = 0; i < 4; i++) {
    const id = await buildPerson(db, t.tenantId, {
      officeId: office.id,
      name: `党员${i}`,
      partyStatus: 'full',
      branchId: branch.id,
      groupId: i < 2 ? group.id : null,
      committeeRole: i === 0 ? 'secretary' : i === 1 ? 'organization' : null,
    });
    fullIds.push(id);
    if (i < 2) committeeIds.push(id);
  }
  committeeIds.push(await buildPerson(db, t.tenantId, { officeId: office.id, name: '委员', partyStatus: 'full', branchId: branch.id, committeeRole: 'publicity' }));
  fullIds.push(committeeIds[2] ?? '');
  probationaryId = await buildPerson(db, t.tenantId, { officeId: office.id, name: '预备', partyStatus: 'probationary', branchId: branch.id });
  await buildPerson(db, t.tenantId, { officeId: office.id, name: '离开', partyStatus: 'full', branchId: branch.id, active: false });
  outsiderPersonId = await buildPerson(db, t.tenantId, { officeId: office.id, name: '外支部', partyStatus: 'full', branchId: branch2.id });
  memberPersonId = fullIds[3] ?? '';
  secretary = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: ['activities.read', 'activities.write'] }));
  secretary2 = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branch2.id, permissions: ['activities.read', 'activities.write'] }));
  const memberName = await buildUser(db, t.tenantId, { scopeUnitId: group.id, permissions: ['activities.read'] });
  await linkUser(memberName, memberPersonId);
  member = await signIn(app, memberName);
  const outsiderName = await buildUser(db, t.tenantId, { scopeUnitId: branch2.id, permissions: ['activities.read'] });
  await linkUser(outsiderName, outsiderPersonId);
  outsider = await signIn(app, outsiderName);
  catalogAdmin = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.catalog'] }));
  const list = (await secretary({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>();
  for (const ty of list.items) types.set(ty.code, ty);
});

function typeId(code: string): string {
  const ty = types.get(code);
  if (!ty) throw new Error(`no type ${code}`);
  return ty.id;
}

const hour = 3_600_000;
function plan(code: string, o: Record<string, unknown> = {}) {
  const start = Date.now() + 24 * hour;
  return {
    typeId: typeId(code),
    unitId: branch.id,
    topic: '学习贯彻会议精神',
    place: '三楼会议室',
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 2 * hour).toISOString(),
    participants: { unitIds: [branch.id] },
    ...o,
  };
}

async function create(code: string, o: Record<string, unknown> = {}, who: Client = secretary): Promise<ActivityDetail> {
  const res = await who({ method: 'POST', url: '/api/v1/activities', payload: plan(code, o) });
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return res.json<ActivityDetail>();
}

async function activityCount(): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from activities where tenant_id = ${t.tenantId}`);
  return r.rows[0]?.n ?? 0;
}

async function attendance(id: string, items: { personId: string; attendance: string; leaveReason?: string }[], who: Client = secretary) {
  return who({ method: 'POST', url: `/api/v1/activities/${id}/attendance`, payload: { items } });
}

async function get(id: string, who: Client = secretary): Promise<ActivityDetail> {
  return (await who({ url: `/api/v1/activities/${id}` })).json<ActivityDetail>();
}

async function moveStart(id: string, startsAt: Date) {
  await db.execute(sql`update activities set starts_at = ${startsAt.toISOString()}, ends_at = ${new Date(startsAt.getTime() + 2 * hour).toISOString()} where id = ${id}`);
}

describe('catalogue', () => {
  it('seeds the domain defaults once, by code', async () => {
    expect([...types.keys()].sort()).toEqual(defaultActivityTypes.map((d) => d.code).sort());
    expect(types.get('branch_general_meeting')?.quorumRule).toBe('voting_members');
    expect(types.get('branch_committee_meeting')?.quorumRule).toBe('committee');
    expect(types.get('field_visit')?.fields.map((f) => f.key)).toEqual(['placeKind', 'placeName']);
    await db.transaction((tx) => seedActivityTypes(tx, t.tenantId));
    const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from activity_types where tenant_id = ${t.tenantId}`);
    expect(r.rows[0]?.n).toBe(defaultActivityTypes.length);
  });

  it('creates and edits a type; field definitions are validated', async () => {
    const bad = await catalogAdmin({
      method: 'POST',
      url: '/api/v1/activity-types',
      payload: { code: 'reading_club', nameZh: '读书会', nameEn: 'Reading club', category: 'study', fields: [{ key: 'book', labelZh: '书目', labelEn: 'Book', kind: 'select' }] },
    });
    expect(bad.statusCode).toBe(400);
    const dup = await catalogAdmin({
      method: 'POST',
      url: '/api/v1/activity-types',
      payload: {
        code: 'reading_club',
        nameZh: '读书会',
        nameEn: 'Reading club',
        category: 'study',
        fields: [
          { key: 'book', labelZh: '书目', labelEn: 'Book', kind: 'text' },
          { key: 'book', labelZh: '书目', labelEn: 'Book', kind: 'text' },
        ],
      },
    });
    expect(dup.statusCode).toBe(400);
    const ok = await catalogAdmin({
      method: 'POST',
      url: '/api/v1/activity-types',
      payload: { code: 'reading_club', nameZh: '读书会', nameEn: 'Reading club', category: 'study', fields: [{ key: 'book', labelZh: '书目', labelEn: 'Book', kind: 'text', required: true }] },
    });
    expect(ok.statusCode).toBe(201);
    const ty = ok.json<ActivityType>();
    const again = await catalogAdmin({ method: 'POST', url: '/api/v1/activity-types', payload: { code: 'reading_club', nameZh: '读书会', nameEn: 'Reading club', category: 'study' } });
    expect(again.json().error.code).toBe('DUPLICATE');
    const upd = await catalogAdmin({ method: 'PATCH', url: `/api/v1/activity-types/${ty.id}`, payload: { version: ty.version, nameZh: '读书分享会', active: false } });
    expect(upd.json<ActivityType>().nameZh).toBe('读书分享会');
    const stale = await catalogAdmin({ method: 'PATCH', url: `/api/v1/activity-types/${ty.id}`, payload: { version: ty.version, nameZh: 'x' } });
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const denied = await secretary({ method: 'POST', url: '/api/v1/activity-types', payload: { code: 'x_y', nameZh: 'x', nameEn: 'x', category: 'other' } });
    expect(denied.statusCode).toBe(403);
  });
});

describe('planning', () => {
  it('creates a branch general meeting with the branch as expected participants', async () => {
    const a = await create('branch_general_meeting', { participants: { unitIds: [branch.id], speakerIds: [fullIds[0]] } });
    expect(a.status).toBe('planned');
    expect(a.participants).toHaveLength(6); // 5 full + 1 probationary; the inactive one is not expected
    expect(a.participants[0]?.role).toBe('speaker');
    expect(a.quorumEligible).toBe(5);
    expect(a.quorumPresent).toBe(0);
    expect(a.valid).toBe(false);
    expect(JSON.stringify(a)).not.toMatch(/signin_?secret/i);
  });

  it.each([
    ['an end before the start', () => plan('theme_party_day', { endsAt: new Date(Date.now()).toISOString() }), 'endsAt'],
    ['a type the unit type may not hold', () => plan('branch_general_meeting', { unitId: office.id }), 'typeId'],
    ['a missing required extra field', () => plan('field_visit', { extra: { placeName: '某镇' } }), 'extra.placeKind'],
    ['an extra value not among the options', () => plan('field_visit', { extra: { placeKind: 'city', placeName: '某镇' } }), 'extra.placeKind'],
    ['an unknown extra field', () => plan('theme_party_day', { extra: { colour: 'red' } }), 'extra.colour'],
    ['a number field given text', () => plan('volunteer_service', { extra: { hours: '3' } }), 'extra.hours'],
  ])('refuses %s and writes nothing', async (_label, payload, path) => {
    const before = await activityCount();
    const res = await secretary({ method: 'POST', url: '/api/v1/activities', payload: payload() });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.json().error.details)).toContain(path);
    expect(await activityCount()).toBe(before);
  });

  it('accepts valid extra values; a secretary cannot plan for another branch', async () => {
    const a = await create('field_visit', { extra: { placeKind: 'village', placeName: '红旗村' } });
    expect(a.extra).toEqual({ placeKind: 'village', placeName: '红旗村' });
    const res = await secretary2({ method: 'POST', url: '/api/v1/activities', payload: plan('theme_party_day') });
    expect(res.statusCode).toBe(403);
  });

  it('updates with the version, refuses an end before the start on update', async () => {
    const a = await create('theme_party_day');
    const bad = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: a.version, endsAt: new Date(Date.parse(a.startsAt) - hour).toISOString() } });
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const ok = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: a.version, topic: '新主题' } });
    expect(ok.json<ActivityDetail>().topic).toBe('新主题');
    const stale = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: a.version, topic: 'x' } });
    expect(stale.json().error.code).toBe('STALE_VERSION');
  });

  it('cancels with a reason; a cancelled activity takes no attendance', async () => {
    const a = await create('theme_party_day');
    const c = await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/cancel`, payload: { version: a.version, reason: '时间冲突' } });
    expect(c.json<ActivityDetail>()).toMatchObject({ status: 'cancelled', cancelReason: '时间冲突' });
    const res = await attendance(a.id, [{ personId: memberPersonId, attendance: 'present' }]);
    expect(res.json().error.code).toBe('INVALID_STATE');
  });
});

describe('program measures', () => {
  /** a program with two items in tenant `tenantId`, written directly (the programs area has its own tests) */
  async function programWithItems(tenantId: string, unitId: string, title: string): Promise<string[]> {
    const p = await db.execute<{ id: string }>(
      sql`insert into programs (tenant_id, title, owner_unit_id, starts_on, ends_on) values (${tenantId}, ${title}, ${unitId}, '2026-01-01', '2026-12-31') returning id`,
    );
    const programId = p.rows[0]?.id ?? '';
    const ids: string[] = [];
    for (const [i, itemTitle] of ['学习行动', '服务行动'].entries()) {
      const r = await db.execute<{ id: string }>(
        sql`insert into program_items (tenant_id, program_id, kind, title, sort_order) values (${tenantId}, ${programId}, '行动', ${itemTitle}, ${i}) returning id`,
      );
      ids.push(r.rows[0]?.id ?? '');
    }
    return ids;
  }

  it('links on create, shows the links, replaces and unlinks on update', async () => {
    const [a1, a2] = await programWithItems(t.tenantId, t.root.id, '五大行动');
    const a = await create('theme_party_day', { programItemIds: [a1, a2] });
    expect(a.programItems.map((x) => [x.title, x.programTitle])).toEqual([
      ['学习行动', '五大行动'],
      ['服务行动', '五大行动'],
    ]);
    const got = (await secretary({ url: `/api/v1/activities/${a.id}` })).json<ActivityDetail>();
    expect(got.programItems.map((x) => x.id)).toEqual([a1, a2]);
    const one = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: a.version, programItemIds: [a2] } });
    expect(one.statusCode).toBe(200);
    expect(one.json<ActivityDetail>().programItems.map((x) => x.id)).toEqual([a2]);
    // an update without programItemIds leaves the links alone
    const kept = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: one.json<ActivityDetail>().version, topic: '新主题' } });
    expect(kept.json<ActivityDetail>().programItems.map((x) => x.id)).toEqual([a2]);
    const none = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: kept.json<ActivityDetail>().version, programItemIds: [] } });
    expect(none.json<ActivityDetail>().programItems).toEqual([]);
  });

  it("refuses an unknown item and another tenant's item, writing nothing", async () => {
    const other = await buildTenant(db);
    const [foreign] = await programWithItems(other.tenantId, other.root.id, '他方方案');
    const [own] = await programWithItems(t.tenantId, t.root.id, '本方方案');
    const before = await activityCount();
    for (const bad of ['00000000-0000-4000-8000-000000000000', foreign]) {
      const res = await secretary({ method: 'POST', url: '/api/v1/activities', payload: plan('theme_party_day', { programItemIds: [own, bad] }) });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string; details: { path: string }[] } }>().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'programItemIds.1' }] });
    }
    expect(await activityCount()).toBe(before);
    const a = await create('theme_party_day', { programItemIds: [own] });
    const res = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: a.version, programItemIds: [foreign], topic: '不应改' } });
    expect(res.statusCode).toBe(400);
    const got = (await secretary({ url: `/api/v1/activities/${a.id}` })).json<ActivityDetail>();
    expect(got.topic).toBe(a.topic);
    expect(got.programItems.map((x) => x.id)).toEqual([own]);
    const tooMany = Array.from({ length: 21 }, () => own);
    expect((await secretary({ method: 'POST', url: '/api/v1/activities', payload: plan('theme_party_day', { programItemIds: tooMany }) })).statusCode).toBe(400);
  });
});

describe('lists and visibility', () => {
  it('filters by unit (with descendants), type, status, period and person', async () => {
    const g = await create('party_group_meeting', { unitId: group.id, participants: { unitIds: [group.id] }, startsAt: '2025-03-10T02:00:00Z', endsAt: '2025-03-10T04:00:00Z' });
    const byBranchRes = await secretary({ url: `/api/v1/activities?unitId=${branch.id}&pageSize=100` });
    if (byBranchRes.statusCode !== 200) throw new Error(byBranchRes.body);
    const byBranch = byBranchRes.json<{ items: ActivitySummary[]; total: number }>();
    expect(byBranch.items.some((x) => x.id === g.id)).toBe(true);
    const byGroup = (await secretary({ url: `/api/v1/activities?unitId=${group.id}` })).json<{ items: ActivitySummary[] }>();
    expect(byGroup.items.map((x) => x.id)).toEqual([g.id]);
    const byType = (await secretary({ url: `/api/v1/activities?typeId=${typeId('party_group_meeting')}` })).json<{ items: ActivitySummary[] }>();
    expect(byType.items.map((x) => x.id)).toEqual([g.id]);
    // 2025-03-10 10:00 in Shanghai: inside 2025-03-10, outside a period ending the day before
    const inDay = (await secretary({ url: '/api/v1/activities?from=2025-03-10&to=2025-03-10' })).json<{ items: ActivitySummary[] }>();
    expect(inDay.items.map((x) => x.id)).toEqual([g.id]);
    const before = (await secretary({ url: '/api/v1/activities?from=2025-03-01&to=2025-03-09' })).json<{ total: number }>();
    expect(before.total).toBe(0);
    const cancelled = (await secretary({ url: '/api/v1/activities?status=cancelled' })).json<{ items: ActivitySummary[] }>();
    expect(cancelled.items.every((x) => x.status === 'cancelled')).toBe(true);
    const byPerson = (await secretary({ url: `/api/v1/activities?personId=${probationaryId}&pageSize=100` })).json<{ items: ActivitySummary[] }>();
    expect(byPerson.items.some((x) => x.id === g.id)).toBe(false);
    const page = (await secretary({ url: '/api/v1/activities?pageSize=2&page=2' })).json<{ items: ActivitySummary[]; total: number }>();
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(4);
  });

  it('shows another branch nothing; a member sees what they take part in', async () => {
    const a = await create('theme_party_day', { participants: { personIds: [outsiderPersonId] } });
    expect((await secretary2({ url: `/api/v1/activities/${a.id}` })).statusCode).toBe(404);
    const other = (await secretary2({ url: '/api/v1/activities?pageSize=100' })).json<{ items: ActivitySummary[] }>();
    expect(other.items.map((x) => x.id)).not.toContain(a.id);
    // the outsider (branch 2) reads branch 2 only, yet sees the activity they were invited to
    const mine = (await outsider({ url: '/api/v1/activities?pageSize=100' })).json<{ items: ActivitySummary[] }>();
    expect(mine.items.map((x) => x.id)).toEqual([a.id]);
    const d = await get(a.id, outsider);
    expect(d.me?.personId).toBe(outsiderPersonId);
    expect(d.canManage).toBe(false);
  });
});

describe('attendance and quorum', () => {
  it('exactly half of the full members is not a quorum; more than half is; probationary members do not count', async () => {
    const a = await create('branch_general_meeting');
    // 5 full members: 2 present + the probationary member = invalid
    let r = await attendance(a.id, [
      { personId: fullIds[0] ?? '', attendance: 'present' },
      { personId: fullIds[1] ?? '', attendance: 'present' },
      { personId: probationaryId, attendance: 'present' },
    ]);
    expect(r.json()).toMatchObject({ updated: 3, quorumEligible: 5, quorumPresent: 2, valid: false });
    r = await attendance(a.id, [{ personId: fullIds[2] ?? '', attendance: 'present' }]);
    expect(r.json()).toMatchObject({ quorumEligible: 5, quorumPresent: 3, valid: true });
    expect(hooks.after).toContain(a.id);
  });

  it('exactly half with an even number is not enough either', async () => {
    // deactivate one full member for this test: 4 eligible, 2 present -> invalid, 3 -> valid
    const extra = await buildPerson(db, t.tenantId, { officeId: office.id, name: '临时', partyStatus: 'full', branchId: branch.id });
    const a = await create('branch_general_meeting');
    expect(a.quorumEligible).toBe(6);
    let r = await attendance(a.id, fullIds.slice(0, 3).map((personId) => ({ personId, attendance: 'present' })));
    expect(r.json()).toMatchObject({ quorumEligible: 6, quorumPresent: 3, valid: false });
    r = await attendance(a.id, [{ personId: extra, attendance: 'present' }]);
    expect(r.json()).toMatchObject({ quorumPresent: 4, valid: true });
    await db.execute(sql`update people set active = false where id = ${extra}`);
  });

  it('a committee meeting counts the committee', async () => {
    const a = await create('branch_committee_meeting', { participants: { personIds: committeeIds } });
    expect(a.quorumEligible).toBe(3);
    let r = await attendance(a.id, [{ personId: committeeIds[0] ?? '', attendance: 'present' }]);
    expect(r.json()).toMatchObject({ quorumPresent: 1, valid: false });
    r = await attendance(a.id, [{ personId: committeeIds[1] ?? '', attendance: 'present' }]);
    expect(r.json()).toMatchObject({ quorumEligible: 3, quorumPresent: 2, valid: true });
  });

  it('refuses attendance for a person not expected and not added, changing nothing', async () => {
    const a = await create('theme_party_day', { participants: { personIds: [memberPersonId] } });
    const r = await attendance(a.id, [
      { personId: memberPersonId, attendance: 'present' },
      { personId: outsiderPersonId, attendance: 'present' },
    ]);
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('NOT_A_PARTICIPANT');
    expect((await get(a.id)).participants[0]?.attendance).toBe('pending');
    // once added, they can be marked
    await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/participants`, payload: { personIds: [outsiderPersonId] } });
    expect((await attendance(a.id, [{ personId: outsiderPersonId, attendance: 'present' }])).statusCode).toBe(200);
  });

  it('records: unknown becomes absent, the quorum is fixed; corrections are audited and refused in a closed period', async () => {
    const a = await create('branch_general_meeting');
    await attendance(a.id, fullIds.slice(0, 3).map((personId) => ({ personId, attendance: 'present' })));
    let d = (await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'recorded' } })).json();
    expect(d.error.code).toBe('INVALID_STATE'); // planned -> recorded skips held
    d = (await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'held' } })).json<ActivityDetail>();
    const rec = (await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: d.version, status: 'recorded' } })).json<ActivityDetail>();
    expect(rec.status).toBe('recorded');
    expect(rec.participants.filter((p) => p.attendance === 'pending')).toEqual([]);
    expect(rec).toMatchObject({ quorumEligible: 5, quorumPresent: 3, valid: true });
    // a member who becomes probationary later does not change the recorded meeting
    await db.execute(sql`update people set party_status = 'probationary', full_member_on = null where id = ${fullIds[4]}`);
    const corr = await attendance(a.id, [{ personId: fullIds[0] ?? '', attendance: 'absent' }]);
    expect(corr.json()).toMatchObject({ quorumEligible: 5, quorumPresent: 2, valid: false });
    await db.execute(sql`update people set party_status = 'full' where id = ${fullIds[4]}`);
    const audits = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'activities.attendance.correct' and target_id = ${a.id}`);
    expect(audits.rows[0]?.n).toBe(1);
    hooks.closed = true;
    try {
      const closed = await attendance(a.id, [{ personId: fullIds[0] ?? '', attendance: 'present' }]);
      expect(closed.json().error.code).toBe('PERIOD_CLOSED');
      const edit = await secretary({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: rec.version, topic: '改' } });
      expect(edit.json().error.code).toBe('PERIOD_CLOSED');
      const after = await get(a.id);
      expect(after.participants.find((p) => p.personId === fullIds[0])?.attendance).toBe('absent');
      expect(after.topic).toBe(a.topic);
    } finally {
      hooks.closed = false;
    }
  });
});

describe('leave', () => {
  it('a member asks leave before the start; the organiser approves; after the start the window is closed', async () => {
    const a = await create('theme_party_day');
    const asked = await member({ method: 'POST', url: `/api/v1/activities/${a.id}/leave`, payload: { reason: '出差' } });
    expect(asked.json()).toMatchObject({ leaveStatus: 'requested', leaveReason: '出差', attendance: 'pending' });
    const ok = await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/leave/decide`, payload: { personId: memberPersonId, approve: true } });
    expect(ok.json<ActivityDetail>().participants.find((p) => p.personId === memberPersonId)).toMatchObject({ attendance: 'leave', leaveStatus: 'approved' });

    const started = await create('theme_party_day');
    await moveStart(started.id, new Date(Date.now() - 60_000));
    const late = await member({ method: 'POST', url: `/api/v1/activities/${started.id}/leave`, payload: { reason: '出差' } });
    expect(late.json().error.code).toBe('WINDOW_CLOSED');
    expect((await get(started.id)).participants.find((p) => p.personId === memberPersonId)?.leaveStatus).toBeNull();
    const notMine = await outsider({ method: 'POST', url: `/api/v1/activities/${a.id}/leave`, payload: { reason: 'x' } });
    expect(notMine.json().error.code).toBe('NOT_A_PARTICIPANT');
  });
});

describe('QR sign-in', () => {
  async function secretOf(id: string): Promise<string> {
    const r = await db.execute<{ s: string }>(sql`select signin_secret as s from activities where id = ${id}`);
    return r.rows[0]?.s ?? '';
  }

  it('rotates every 30 s and accepts the current and the previous code only', async () => {
    const secret = 'ab'.repeat(32);
    const id = '00000000-0000-4000-8000-000000000001';
    const t0 = 1_800_000_000_000;
    const c0 = signinCode(secret, id, t0);
    expect(signinCode(secret, id, t0 + 30_000)).not.toBe(c0);
    expect(checkCode(secret, id, c0, t0)).toBe('ok');
    expect(checkCode(secret, id, c0, t0 + 30_000)).toBe('ok');
    expect(checkCode(secret, id, c0, t0 + 60_000)).toBe('expired');
    expect(checkCode(secret, '00000000-0000-4000-8000-000000000002', c0, t0)).toBe('invalid');
    expect(checkCode('cd'.repeat(32), id, c0, t0)).toBe('invalid');
    expect(checkCode(secret, id, c0.replace(/^\d+/, (w) => String(Number(w) + 1)), t0 + 30_000)).toBe('invalid');
    expect(checkCode(secret, id, 'garbage', t0)).toBe('invalid');
  });

  it('signs a participant in once; refuses another activity\'s code, an expired code, a non-participant and a cancelled activity', async () => {
    const a = await create('theme_party_day');
    const b = await create('theme_party_day');
    const shown = (await secretary({ url: `/api/v1/activities/${a.id}/signin-code` })).json<{ code: string; path: string }>();
    expect(shown.path).toBe(`/m/signin/${a.id}?c=${encodeURIComponent(shown.code)}`);
    expect((await member({ url: `/api/v1/activities/${a.id}/signin-code` })).statusCode).toBe(403);

    const wrong = (await secretary({ url: `/api/v1/activities/${b.id}/signin-code` })).json<{ code: string }>();
    let r = await member({ method: 'POST', url: `/api/v1/activities/${a.id}/signin`, payload: { code: wrong.code } });
    expect(r.json().error.code).toBe('SIGNIN_CODE_INVALID');
    const old = signinCode(await secretOf(a.id), a.id, Date.now() - 90_000);
    r = await member({ method: 'POST', url: `/api/v1/activities/${a.id}/signin`, payload: { code: old } });
    expect(r.json().error.code).toBe('SIGNIN_CODE_EXPIRED');
    r = await outsider({ method: 'POST', url: `/api/v1/activities/${a.id}/signin`, payload: { code: shown.code } });
    expect(r.json().error.code).toBe('NOT_A_PARTICIPANT');

    r = await member({ method: 'POST', url: `/api/v1/activities/${a.id}/signin`, payload: { code: shown.code } });
    expect(r.statusCode).toBe(200);
    expect(r.json().me).toMatchObject({ attendance: 'present', signInMethod: 'qr' });
    r = await member({ method: 'POST', url: `/api/v1/activities/${a.id}/signin`, payload: { code: shown.code } });
    expect(r.json().error.code).toBe('ALREADY_SIGNED_IN');

    const cancelled = (await secretary({ method: 'POST', url: `/api/v1/activities/${b.id}/cancel`, payload: { version: b.version, reason: '取消' } })).json<ActivityDetail>();
    expect(cancelled.status).toBe('cancelled');
    r = await member({ method: 'POST', url: `/api/v1/activities/${b.id}/signin`, payload: { code: signinCode(await secretOf(b.id), b.id, Date.now()) } });
    expect(r.json().error.code).toBe('INVALID_STATE');
    expect((await get(b.id)).participants.find((p) => p.personId === memberPersonId)?.attendance).toBe('pending');
  });
});

describe('minutes and attachments', () => {
  it('sanitises the minutes: scripts, handlers and javascript: links go', async () => {
    const a = await create('theme_party_day');
    const html = '<h2>会议记录</h2><p onclick="x()">讨论<b>通过</b><script>alert(1)</script></p><a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)><a href="https://example.org">ok</a>';
    const d = (await secretary({ method: 'PUT', url: `/api/v1/activities/${a.id}/minutes`, payload: { version: a.version, html } })).json<ActivityDetail>();
    expect(d.minutesHtml).toContain('<b>通过</b>');
    expect(d.minutesHtml).toContain('https://example.org');
    expect(d.minutesHtml).not.toMatch(/script|onclick|onerror|javascript:|<img/i);
  });

  function multipart(filename: string, body: Buffer) {
    const boundary = '----tongxin' + Math.random().toString(16).slice(2);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      body,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);

  it('stores by content type and hash, dedupes, serves with safe headers to those who see the activity', async () => {
    const a = await create('theme_party_day');
    const up = await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/attachments`, ...multipart('照片.jpg', png) });
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ filename: '照片.jpg', contentType: 'image/png', size: png.length });
    const again = await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/attachments`, ...multipart('copy.png', png) });
    expect(again.statusCode).toBe(201);
    const rows = await db.execute<{ sha256: string }>(sql`select distinct sha256 from activity_attachments where activity_id = ${a.id}`);
    expect(rows.rows).toHaveLength(1);
    const dl = await member({ url: `/api/v1/activities/${a.id}/attachments/${up.json().id}` });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''%E7%85%A7%E7%89%87.jpg");
    expect(dl.rawPayload.equals(png)).toBe(true);
    expect((await secretary2({ url: `/api/v1/activities/${a.id}/attachments/${up.json().id}` })).statusCode).toBe(404);
  });

  it('refuses an executable (by content, whatever its name) and a 200 MB upload, storing nothing', async () => {
    const a = await create('theme_party_day');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1000, 0x90)]);
    let r = await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/attachments`, ...multipart('photo.jpg', exe) });
    expect(r.statusCode).toBe(415);
    expect(r.json().error.code).toBe('UNSUPPORTED_FILE');
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(100)]);
    r = await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/attachments`, ...multipart('minutes.pdf', elf) });
    expect(r.json().error.code).toBe('UNSUPPORTED_FILE');

    // 200 MB announced: refused before it is read; nothing generated beyond what is pulled
    const big = 200 * 1024 * 1024;
    const boundary = 'bigboundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-`);
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    const stream = new Readable({
      read() {
        if (sent === 0) this.push(head);
        if (sent >= big) {
          this.push(`\r\n--${boundary}--\r\n`);
          this.push(null);
          return;
        }
        sent += chunk.length;
        this.push(chunk);
      },
    });
    r = await secretary({
      method: 'POST',
      url: `/api/v1/activities/${a.id}/attachments`,
      payload: stream,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(big + head.length + 20) },
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');

    // 21 MB without an announced length: cut by the multipart limit at 20 MB
    let sent2 = 0;
    const stream2 = new Readable({
      read() {
        if (sent2 === 0) this.push(head);
        if (sent2 >= 21 * 1024 * 1024) {
          this.push(`\r\n--${boundary}--\r\n`);
          this.push(null);
          return;
        }
        sent2 += chunk.length;
        this.push(chunk);
      },
    });
    r = await secretary({ method: 'POST', url: `/api/v1/activities/${a.id}/attachments`, payload: stream2, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(r.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await get(a.id)).attachments).toEqual([]);
  });
});

describe('exports', () => {
  it('exports the sign-in sheet and the ledger as XLSX', async () => {
    const a = await create('theme_party_day');
    const sheet = await secretary({ url: `/api/v1/activities/${a.id}/signin-sheet.xlsx` });
    expect(sheet.statusCode).toBe(200);
    expect(sheet.headers['content-type']).toContain('spreadsheetml');
    expect(sheet.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const ledger = await secretary({ url: `/api/v1/activities/export.xlsx?unitId=${branch.id}` });
    expect(ledger.statusCode).toBe(200);
    expect(ledger.headers['content-disposition']).toContain('activity-ledger.xlsx');
    expect((await secretary2({ url: `/api/v1/activities/${a.id}/signin-sheet.xlsx` })).statusCode).toBe(404);
  });
});

describe('file types by content', () => {
  const b = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
  it.each([
    ['jpeg', b([0xff, 0xd8, 0xff, 0xe0]), '', 'image/jpeg'],
    ['gif', b('GIF89a'), '', 'image/gif'],
    ['webp', b('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), '', 'image/webp'],
    ['pdf', b('%PDF-1.7'), '', 'application/pdf'],
    ['docx', b([0x50, 0x4b, 0x03, 0x04]), '[Content_Types].xml word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['xlsx', b([0x50, 0x4b, 0x03, 0x04]), '[Content_Types].xml xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['pptx', b([0x50, 0x4b, 0x03, 0x04]), '[Content_Types].xml ppt/presentation.xml', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['a plain zip', b([0x50, 0x4b, 0x03, 0x04]), 'payload.exe', null],
    ['a Windows executable', b('MZ', [0x90, 0]), '', null],
    ['HTML', b('<html><script>'), '', null],
    ['SVG (scripts inside)', b('<svg xmlns='), '', null],
  ])('%s', (_label, head, names, type) => {
    expect(sniffType(head, names)).toBe(type);
  });
});

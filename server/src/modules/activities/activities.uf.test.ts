import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDetail, ActivityType, Contact, Enterprise, MetricResult, ServiceCase, TimelineEntry, UfCatalogues } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';

// Activities with the united-front registry and the points ledger, unmocked: contacts as
// participants, training classes with sessions, visits to enterprises, their timelines and
// report figures, and points following a recorded activity's date and hours.

const { app, db } = await testApp();
let t: TenantFixture;
let office: OrgUnitRow, branch: OrgUnitRow;
let staff: Client, foreignStaff: Client;
let personId: string;
const types = new Map<string, ActivityType>();
const contacts: Contact[] = [];
let foreignContact: Contact;
let taiwanFirm: Enterprise, foreignFirm: Enterprise;

const year2026 = { period: { kind: 'year', year: 2026 }, unitIds: [] as string[] };

async function createContact(call: Client, officeId: string, name: string, categoryCode: string): Promise<Contact> {
  const cat = (await call({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>();
  const category = cat.categories.find((c) => c.code === categoryCode);
  const party = cat.parties[0];
  const res = await call({
    method: 'POST',
    url: '/api/v1/unitedfront/contacts',
    payload: { name, officeId, categoryIds: [category?.id], ...(categoryCode === 'democratic_party' ? { partyId: party?.id } : {}), organisation: `${name}的单位` },
  });
  if (res.statusCode !== 201) throw new Error(`contact: ${res.statusCode} ${res.body}`);
  return res.json<Contact>();
}

async function createEnterprise(call: Client, officeId: string, name: string, creditCode: string, type: string): Promise<Enterprise> {
  const res = await call({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name, creditCode, type, officeId } });
  if (res.statusCode !== 201) throw new Error(`enterprise: ${res.statusCode} ${res.body}`);
  return res.json<Enterprise>();
}

function typeId(code: string): string {
  const ty = types.get(code);
  if (!ty) throw new Error(`no type ${code}`);
  return ty.id;
}

async function create(code: string, o: Record<string, unknown>): Promise<ActivityDetail> {
  const res = await staff({
    method: 'POST',
    url: '/api/v1/activities',
    payload: { typeId: typeId(code), unitId: office.id, topic: '活动', startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00', ...o },
  });
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return res.json<ActivityDetail>();
}

async function get(id: string): Promise<ActivityDetail> {
  return (await staff({ url: `/api/v1/activities/${id}` })).json<ActivityDetail>();
}

async function transition(a: { id: string }, status: 'held' | 'recorded'): Promise<ActivityDetail> {
  const cur = await get(a.id);
  const res = await staff({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: cur.version, status } });
  if (res.statusCode !== 200) throw new Error(`transition: ${res.statusCode} ${res.body}`);
  return res.json<ActivityDetail>();
}

async function evaluate(metric: string, args: Record<string, string> = {}): Promise<MetricResult> {
  const res = await staff({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { ...year2026, metric, args } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MetricResult>();
}

async function participantRows(): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from activity_participants where tenant_id = ${t.tenantId}`);
  return r.rows[0]?.n ?? 0;
}

function byContact(a: ActivityDetail, c: Contact) {
  const p = a.participants.find((x) => x.contactId === c.id);
  if (!p) throw new Error(`${c.name} is not a participant`);
  return p;
}

beforeAll(async () => {
  t = await buildTenant(db);
  office = await buildUnit(db, t, { type: 'office', name: '党派科' });
  const committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  branch = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第一党支部' });
  personId = await buildPerson(db, t.tenantId, { officeId: office.id, name: '党员甲', partyStatus: 'full', branchId: branch.id });
  staff = await signIn(
    app,
    await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['activities.read', 'activities.write', 'unitedfront.read', 'unitedfront.write', 'reports.read', 'points.read'] }),
  );
  for (const [name, code] of [
    ['民革成员甲', 'democratic_party'],
    ['民盟成员乙', 'democratic_party'],
    ['知识分子丙', 'intellectual'],
  ] as const)
    contacts.push(await createContact(staff, office.id, name, code));
  taiwanFirm = await createEnterprise(staff, office.id, '闽台精密机械有限公司', '91350100M000100Y43', 'taiwan_funded');
  const t2 = await buildTenant(db, '别的部门');
  const o2 = await buildUnit(db, t2, { type: 'office', name: '办公室' });
  foreignStaff = await signIn(app, await buildUser(db, t2.tenantId, { scopeUnitId: t2.root.id, permissions: ['unitedfront.read', 'unitedfront.write'] }));
  foreignContact = await createContact(foreignStaff, o2.id, '外租户人士', 'intellectual');
  foreignFirm = await createEnterprise(foreignStaff, o2.id, '外租户企业', '91110000100017643K', 'private');
  const list = (await staff({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>();
  for (const ty of list.items) types.set(ty.code, ty);
});

describe('points follow a recorded activity', () => {
  async function pointsByPeriod(activityId: string): Promise<Record<string, number>> {
    const r = await db.execute<{ period: string; total: string }>(
      sql`select period::text as period, sum(amount)::text as total from points_entries where activity_id = ${activityId} group by period order by period`,
    );
    return Object.fromEntries(r.rows.map((x) => [x.period, Number(x.total)]));
  }

  it("moves the points into the new month and to the new hours when the date or hours change", async () => {
    const a = await create('volunteer_service', { topic: '社区志愿服务', extra: { hours: 4 }, participants: { personIds: [personId] } });
    await transition(a, 'held');
    expect((await staff({ method: 'POST', url: `/api/v1/activities/${a.id}/attendance`, payload: { items: [{ personId, attendance: 'present' }] } })).statusCode).toBe(200);
    const rec = await transition(a, 'recorded');
    expect(await pointsByPeriod(a.id)).toEqual({ '2026-03-01': 4 });
    const res = await staff({
      method: 'PATCH',
      url: `/api/v1/activities/${a.id}`,
      payload: { version: rec.version, startsAt: '2026-05-10T09:00:00+08:00', endsAt: '2026-05-10T12:00:00+08:00', extra: { hours: 3 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    // the March entries are reversed, May gets the new hours
    expect(await pointsByPeriod(a.id)).toEqual({ '2026-03-01': 0, '2026-05-01': 3 });
    // hours alone
    const again = await staff({ method: 'PATCH', url: `/api/v1/activities/${a.id}`, payload: { version: res.json<ActivityDetail>().version, extra: { hours: 5 } } });
    expect(again.statusCode, again.body).toBe(200);
    expect(await pointsByPeriod(a.id)).toEqual({ '2026-03-01': 0, '2026-05-01': 5 });
  });
});

describe('contacts as participants', () => {
  it('takes contacts of the registry next to people, with their categories; attendance and removal by contact id', async () => {
    const [c1, c2] = contacts;
    if (!c1 || !c2) throw new Error('contacts');
    const a = await create('symposium', { topic: '党外人士座谈会', participants: { personIds: [personId], contactIds: [c1.id, c2.id] } });
    expect(a.participants).toHaveLength(3);
    const p1 = byContact(a, c1);
    expect(p1).toMatchObject({ personId: null, name: '民革成员甲', partyStatus: 'none', categories: ['民主党派成员'], unitName: '民革成员甲的单位' });
    await transition(a, 'held');
    const res = await staff({
      method: 'POST',
      url: `/api/v1/activities/${a.id}/attendance`,
      payload: { items: [{ contactId: c1.id, attendance: 'present' }, { personId, attendance: 'present' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ updated: number }>().updated).toBe(2);
    const del = await staff({ method: 'DELETE', url: `/api/v1/activities/${a.id}/participants/${c2.id}` });
    expect(del.statusCode, del.body).toBe(200);
    const after = del.json<ActivityDetail>();
    expect(after.participants.map((p) => p.name).sort()).toEqual(['党员甲', '民革成员甲'].sort());
    expect(after.present).toBe(2);
    // the sign-in sheet lists the contact by name with their category
    const sheet = await staff({ url: `/api/v1/activities/${a.id}/signin-sheet.xlsx` });
    expect(sheet.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(sheet.rawPayload);
    const xml = (await zip.file('xl/sharedStrings.xml')?.async('string')) ?? (await zip.file('xl/worksheets/sheet1.xml')?.async('string')) ?? '';
    expect(xml).toContain('民革成员甲');
    expect(xml).toContain('民主党派成员');
  });

  it("refuses a contact of another tenant (and an unknown one), writing nothing", async () => {
    const before = await participantRows();
    const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from activities where tenant_id = ${t.tenantId}`);
    const res = await staff({
      method: 'POST',
      url: '/api/v1/activities',
      payload: {
        typeId: typeId('symposium'),
        unitId: office.id,
        topic: '座谈',
        startsAt: '2026-03-10T09:00:00+08:00',
        endsAt: '2026-03-10T11:00:00+08:00',
        participants: { personIds: [personId], contactIds: [contacts[0]?.id, foreignContact.id] },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    const after = await db.execute<{ n: number }>(sql`select count(*)::int as n from activities where tenant_id = ${t.tenantId}`);
    expect(after.rows[0]?.n).toBe(count.rows[0]?.n);
    expect(await participantRows()).toBe(before);
    // adding to an existing activity: refused too, nothing added
    const a = await create('symposium', { topic: '座谈二', participants: { personIds: [personId] } });
    const add = await staff({ method: 'POST', url: `/api/v1/activities/${a.id}/participants`, payload: { contactIds: [foreignContact.id] } });
    expect(add.json().error.code).toBe('VALIDATION_FAILED');
    expect((await get(a.id)).participants).toHaveLength(1);
  });

  it('keeps the database invariant: a participant row is a person or a contact, exactly one', async () => {
    const a = await create('symposium', { topic: '约束', participants: { personIds: [personId] } });
    await expect(
      db.execute(sql`insert into activity_participants (tenant_id, activity_id, person_id, contact_id, party_status) values (${t.tenantId}, ${a.id}, ${personId}, ${contacts[0]?.id ?? ''}, 'none')`),
    ).rejects.toThrow();
    await expect(db.execute(sql`insert into activity_participants (tenant_id, activity_id, party_status) values (${t.tenantId}, ${a.id}, 'none')`)).rejects.toThrow();
  });
});

describe('training classes', () => {
  let cls: ActivityDetail;

  it('runs sessions with attendance per session; completion makes trainees present', async () => {
    const [c1, c2, c3] = contacts;
    if (!c1 || !c2 || !c3) throw new Error('contacts');
    cls = await create('training_class', {
      topic: '党外代表人士培训班',
      extra: { hours: 16 },
      startsAt: '2026-04-01T09:00:00+08:00',
      endsAt: '2026-04-02T17:00:00+08:00',
      participants: { contactIds: [c1.id, c2.id, c3.id] },
    });
    expect(cls.training).toMatchObject({ requiredSessions: null, needed: 0, sessions: [], completedIds: [] });
    let d = cls;
    for (const [topic, day] of [
      ['开班式与专题一', '2026-04-01'],
      ['专题二', '2026-04-02'],
    ] as const) {
      const res = await staff({ method: 'POST', url: `/api/v1/activities/${cls.id}/sessions`, payload: { topic, startsAt: `${day}T09:00:00+08:00`, endsAt: `${day}T12:00:00+08:00` } });
      expect(res.statusCode, res.body).toBe(200);
      d = res.json<ActivityDetail>();
    }
    const [s1, s2] = d.training?.sessions ?? [];
    if (!s1 || !s2) throw new Error('sessions');
    const id = (c: Contact) => byContact(d, c).id;
    const tick = async (sessionId: string, items: { participantId: string; present: boolean }[]) => {
      const res = await staff({ method: 'PUT', url: `/api/v1/activities/${cls.id}/sessions/${sessionId}/attendance`, payload: { items } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<ActivityDetail>();
    };
    await tick(s1.id, [
      { participantId: id(c1), present: true },
      { participantId: id(c2), present: true },
      { participantId: id(c3), present: false },
    ]);
    d = await tick(s2.id, [
      { participantId: id(c1), present: true },
      { participantId: id(c2), present: false },
    ]);
    // all sessions by default: only the first trainee completed
    expect(d.training?.needed).toBe(2);
    expect(d.training?.completedIds).toEqual([id(c1)]);
    expect(byContact(d, c1).attendance).toBe('present');
    expect(byContact(d, c2).attendance).toBe('pending');
    expect(d.present).toBe(1);
    // attendance of the class follows its sessions: set by hand is refused
    const manual = await staff({ method: 'POST', url: `/api/v1/activities/${cls.id}/attendance`, payload: { items: [{ contactId: c2.id, attendance: 'present' }] } });
    expect(manual.json().error.code).toBe('INVALID_STATE');
    // one session of two is enough for this class
    const upd = await staff({ method: 'PATCH', url: `/api/v1/activities/${cls.id}`, payload: { version: d.version, requiredSessions: 1 } });
    expect(upd.statusCode, upd.body).toBe(200);
    d = upd.json<ActivityDetail>();
    expect(d.training?.needed).toBe(1);
    expect(byContact(d, c2).attendance).toBe('present');
    expect(d.present).toBe(2);
    await transition(cls, 'held');
    d = await transition(cls, 'recorded');
    expect(byContact(d, c3).attendance).toBe('absent');
  });

  it('refuses session attendance of someone not on the roster, and sessions of an activity that is not a class', async () => {
    const other = await create('symposium', { topic: '别的活动', participants: { personIds: [personId] } });
    const s = cls.training?.sessions[0] ?? (await get(cls.id)).training?.sessions[0];
    if (!s) throw new Error('session');
    const res = await staff({ method: 'PUT', url: `/api/v1/activities/${cls.id}/sessions/${s.id}/attendance`, payload: { items: [{ participantId: other.participants[0]?.id, present: true }] } });
    expect(res.json().error.code).toBe('NOT_A_PARTICIPANT');
    const no = await staff({ method: 'POST', url: `/api/v1/activities/${other.id}/sessions`, payload: { topic: '课', startsAt: '2026-04-01T09:00:00+08:00', endsAt: '2026-04-01T10:00:00+08:00' } });
    expect(no.json().error.code).toBe('INVALID_STATE');
    const back = await staff({ method: 'POST', url: `/api/v1/activities/${cls.id}/sessions`, payload: { topic: '倒序', startsAt: '2026-04-01T09:00:00+08:00', endsAt: '2026-04-01T08:00:00+08:00' } });
    expect(back.json().error.code).toBe('VALIDATION_FAILED');
    const req = await staff({ method: 'POST', url: '/api/v1/activities', payload: { typeId: typeId('symposium'), unitId: office.id, topic: 'x', startsAt: '2026-04-01T09:00:00+08:00', endsAt: '2026-04-01T10:00:00+08:00', requiredSessions: 2 } });
    expect(req.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('counts classes and trainee people-times by the contacts’ categories', async () => {
    expect((await evaluate('training.classes')).value).toBe(1);
    expect((await evaluate('training.classes', { category: 'democratic_party' })).value).toBe(1);
    expect((await evaluate('training.classes', { category: 'religious' })).value).toBe(0);
    // present (completed): two democratic-party members; the intellectual was absent
    expect((await evaluate('training.trainees')).value).toBe(2);
    expect((await evaluate('training.trainees', { category: 'democratic_party' })).value).toBe(2);
    expect((await evaluate('training.trainees', { category: '民主党派成员' })).value).toBe(2);
    expect((await evaluate('training.trainees', { category: 'intellectual' })).value).toBe(0);
  });
});

describe('visits', () => {
  it('names a registry enterprise, opens a case from the visit; timelines and the visited count follow the link', async () => {
    const [c1] = contacts;
    if (!c1) throw new Error('contacts');
    const bad = await staff({
      method: 'POST',
      url: '/api/v1/activities',
      payload: {
        typeId: typeId('field_visit'),
        unitId: office.id,
        topic: '走访',
        startsAt: '2026-06-01T09:00:00+08:00',
        endsAt: '2026-06-01T11:00:00+08:00',
        extra: { placeKind: 'enterprise', placeName: '外企' },
        enterpriseIds: [foreignFirm.id],
      },
    });
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const visit = await create('field_visit', {
      topic: '走访台资企业',
      startsAt: '2026-06-01T09:00:00+08:00',
      endsAt: '2026-06-01T11:00:00+08:00',
      // the place name differs from the registry name: the link decides
      extra: { placeKind: 'enterprise', placeName: '闽台精密' },
      enterpriseIds: [taiwanFirm.id],
      participants: { personIds: [personId], contactIds: [c1.id] },
    });
    expect(visit.enterprises).toEqual([{ id: taiwanFirm.id, name: taiwanFirm.name, type: 'taiwan_funded' }]);
    await transition(visit, 'held');
    const opened = await staff({
      method: 'POST',
      url: '/api/v1/unitedfront/cases',
      payload: { officeId: office.id, enterpriseId: taiwanFirm.id, activityId: visit.id, problem: '用工招聘困难', category: '用工', raisedOn: '2026-06-01' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json<ServiceCase>().activityId).toBe(visit.id);
    // a case citing another tenant's activity is refused
    const foreignActivity = await db.execute<{ id: string }>(
      sql`insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, signin_secret)
          select o.tenant_id, t.id, o.id, '别人的走访', now(), now(), 'x' from org_units o join activity_types t on t.tenant_id = o.tenant_id
           where o.tenant_id <> ${t.tenantId} and o.type = 'office' limit 1 returning id`,
    );
    const stolen = await staff({
      method: 'POST',
      url: '/api/v1/unitedfront/cases',
      payload: { officeId: office.id, enterpriseId: taiwanFirm.id, activityId: foreignActivity.rows[0]?.id, problem: '串户', category: '用工', raisedOn: '2026-06-01' },
    });
    expect(stolen.json().error.code).toBe('VALIDATION_FAILED');
    expect((await evaluate('enterprises.visited')).value).toBe(1);
    expect((await evaluate('enterprises.visited', { enterprise_type: 'taiwan_funded' })).value).toBe(1);
    expect((await evaluate('enterprises.visited', { enterprise_type: 'private' })).value).toBe(0);

    const firm = (await staff({ url: `/api/v1/unitedfront/enterprises/${taiwanFirm.id}/timeline` })).json<{ items: TimelineEntry[] }>().items;
    expect(firm.map((e) => e.kind)).toEqual(expect.arrayContaining(['activity.visit', 'case.raised']));
    expect(firm.find((e) => e.kind === 'activity.visit')).toMatchObject({ title: '走访台资企业', refType: 'activity', refId: visit.id });
    const person = (await staff({ url: `/api/v1/unitedfront/contacts/${c1.id}/timeline` })).json<{ items: TimelineEntry[] }>().items;
    expect(person.map((e) => e.kind)).toEqual(expect.arrayContaining(['activity.visit', 'activity.training_completed', 'activity.other']));

    // the visit's enterprises can be replaced on update
    const d = await get(visit.id);
    const upd = await staff({ method: 'PATCH', url: `/api/v1/activities/${visit.id}`, payload: { version: d.version, enterpriseIds: [] } });
    expect(upd.json<ActivityDetail>().enterprises).toEqual([]);
  });
});

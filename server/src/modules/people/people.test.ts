import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Person } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { withCheckDigit } from './people.mask';
import { sealLegacyNumbers } from './people.service';

const { app, db } = await testApp();
let t: TenantFixture;
let office: OrgUnitRow, branchA: OrgUnitRow, branchB: OrgUnitRow, groupA: OrgUnitRow, groupB: OrgUnitRow;
let admin: Client;
let secretaryA: Client;

type Page = { items: Person[]; total: number };

beforeAll(async () => {
  t = await buildTenant(db);
  office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  const committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  branchA = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第一党支部' });
  branchB = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第二党支部' });
  groupA = await buildUnit(db, t, { parent: branchA, type: 'party_group', name: '第一党小组' });
  groupB = await buildUnit(db, t, { parent: branchB, type: 'party_group', name: '第一党小组' });
  for (const [name, branch, group] of [
    ['张三', branchA, groupA],
    ['李四', branchA, groupA],
    ['王五', branchB, groupB],
  ] as const) {
    await buildPerson(db, t.tenantId, { officeId: office.id, name, partyStatus: 'full', branchId: branch.id, groupId: group.id });
  }
  await buildPerson(db, t.tenantId, { officeId: office.id, name: '赵六', partyStatus: 'none' });
  admin = await signIn(
    app,
    await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read', 'people.read', 'people.write', 'people.reveal'] }),
  );
  secretaryA = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branchA.id, permissions: ['people.read', 'people.write'] }));
});

const valid = () => ({
  name: '钱七',
  gender: 'female',
  birthDate: '1990-05-04',
  ethnicity: '汉族',
  phone: '13812345678',
  idNumber: withCheckDigit('32010219900504123'),
  officeId: office.id,
  partyStatus: 'full',
  partyJoinedOn: '2015-07-01',
  fullMemberOn: '2016-07-01',
  branchId: branchA.id,
  groupId: groupA.id,
  committeeRole: 'publicity',
  isLeader: false,
});

async function peopleCount() {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from people where tenant_id = ${t.tenantId}`);
  return r.rows[0]?.n ?? 0;
}

describe('people list', () => {
  it('lists in pinyin order with masked phone and ID number', async () => {
    const page = (await admin({ url: '/api/v1/people?pageSize=10' })).json<Page>();
    expect(page.items.map((p) => p.name)).toEqual(['李四', '王五', '张三', '赵六']);
    expect(page.total).toBe(4);
    expect(page.items[0]?.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
    expect(page.items[0]?.idNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(JSON.stringify(page)).not.toMatch(/1391\d{7}/);
  });

  it('filters by unit subtree, status, name and pages', async () => {
    const byBranch = (await admin({ url: `/api/v1/people?unitId=${branchA.id}` })).json<Page>();
    expect(byBranch.items.map((p) => p.name).sort()).toEqual(['张三', '李四'].sort());
    const none = (await admin({ url: '/api/v1/people?partyStatus=none' })).json<Page>();
    expect(none.items.map((p) => p.name)).toEqual(['赵六']);
    const q = (await admin({ url: `/api/v1/people?q=${encodeURIComponent('王')}` })).json<Page>();
    expect(q.items.map((p) => p.name)).toEqual(['王五']);
    const p2 = (await admin({ url: '/api/v1/people?pageSize=3&page=2' })).json<Page>();
    expect(p2.items.map((p) => p.name)).toEqual(['赵六']);
    expect(p2.total).toBe(4);
    const beyond = (await admin({ url: '/api/v1/people?pageSize=3&page=9' })).json<Page>();
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(4);
  });

  it('treats LIKE wildcards in the search as text', async () => {
    const page = (await admin({ url: `/api/v1/people?q=${encodeURIComponent('%')}` })).json<Page>();
    expect(page.total).toBe(0);
  });

  it.each([
    ['page size over the maximum', 'pageSize=1000'],
    ['page zero', 'page=0'],
    ['unknown status', 'partyStatus=member'],
    ['a unit id that is not a uuid', 'unitId=abc'],
  ])('rejects %s', async (_label, qs) => {
    const res = await admin({ url: `/api/v1/people?${qs}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('shows a branch secretary only their branch', async () => {
    const page = (await secretaryA({ url: '/api/v1/people' })).json<Page>();
    expect(page.items.map((p) => p.name).sort()).toEqual(['张三', '李四'].sort());
    const wang = (await admin({ url: `/api/v1/people?q=${encodeURIComponent('王五')}` })).json<Page>().items[0];
    const res = await secretaryA({ url: `/api/v1/people/${wang?.id}` });
    expect(res.statusCode).toBe(404);
  });
});

describe('people writes', () => {
  it('creates a person, audited without personal values', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/people', payload: valid() });
    expect(res.statusCode).toBe(201);
    const p = res.json<Person>();
    expect(p.branchName).toBe('第一党支部');
    expect(p.phoneMasked).toBe('138****5678');
    const audits = await db.execute<{ details: unknown }>(sql`select details from audit_log where action = 'people.create' and target_id = ${p.id}`);
    expect(audits.rows).toHaveLength(1);
    expect(JSON.stringify(audits.rows[0])).not.toContain('13812345678');
  });

  it.each([
    ['missing name', { name: undefined }],
    ['over-long name', { name: '名'.repeat(65) }],
    ['bad phone', { phone: '12345' }],
    ['bad ID check digit', { idNumber: '320102199005041230' === withCheckDigit('32010219900504123') ? '320102199005041231' : '320102199005041230' }],
    ['unknown gender', { gender: 'x' }],
    ['a birth date that is not a date', { birthDate: '1990-13-45' }],
    ['a future birth date', { birthDate: '2999-01-01' }],
    ['a group of another branch', { groupId: 'GROUP_B' }],
    ['a branch for a non-member', { partyStatus: 'none', committeeRole: null, groupId: null, partyJoinedOn: null, fullMemberOn: null }],
    ['an office that is a branch', { officeId: 'BRANCH_A' }],
    ['an unknown office', { officeId: '00000000-0000-4000-8000-000000000000' }],
    ['full-membership before joining', { fullMemberOn: '2010-01-01' }],
  ])('rejects %s with VALIDATION_FAILED and writes nothing', async (_label, patch) => {
    const before = await peopleCount();
    const body: Record<string, unknown> = { ...valid(), ...patch };
    for (const [k, v] of Object.entries(body)) {
      if (v === 'GROUP_B') body[k] = groupB.id;
      if (v === 'BRANCH_A') body[k] = branchA.id;
    }
    const res = await admin({ method: 'POST', url: '/api/v1/people', payload: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await peopleCount()).toBe(before);
  });

  it('refuses a second person with the same ID number', async () => {
    const idNumber = withCheckDigit('32010219880808123');
    expect((await admin({ method: 'POST', url: '/api/v1/people', payload: { ...valid(), name: '冯一', idNumber } })).statusCode).toBe(201);
    const before = await peopleCount();
    const dup = await admin({ method: 'POST', url: '/api/v1/people', payload: { ...valid(), name: '冯二', idNumber } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');
    expect(await peopleCount()).toBe(before);
  });

  it('refuses a secretary creating someone in another branch', async () => {
    const res = await secretaryA({
      method: 'POST',
      url: '/api/v1/people',
      payload: { ...valid(), name: '孙八', branchId: branchB.id, groupId: groupB.id, idNumber: null },
    });
    expect(res.statusCode).toBe(403);
  });

  it('updates with a version; a stale update gets 409 and changes nothing', async () => {
    const p = (await admin({ method: 'POST', url: '/api/v1/people', payload: { ...valid(), name: '周九', idNumber: null } })).json<Person>();
    const ok = await admin({ method: 'PATCH', url: `/api/v1/people/${p.id}`, payload: { version: p.version, ethnicity: '回族' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<Person>().ethnicity).toBe('回族');
    const stale = await admin({ method: 'PATCH', url: `/api/v1/people/${p.id}`, payload: { version: p.version, ethnicity: '满族' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    expect((await admin({ url: `/api/v1/people/${p.id}` })).json<Person>().ethnicity).toBe('回族');
    const unknown = await admin({ method: 'PATCH', url: '/api/v1/people/00000000-0000-4000-8000-000000000000', payload: { version: 1, ethnicity: '满族' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('deactivates and reactivates', async () => {
    const p = (await admin({ method: 'POST', url: '/api/v1/people', payload: { ...valid(), name: '吴十', idNumber: null } })).json<Person>();
    const off = await admin({ method: 'POST', url: `/api/v1/people/${p.id}/deactivate`, payload: { version: p.version } });
    expect(off.json<Person>().active).toBe(false);
    const list = (await admin({ url: `/api/v1/people?q=${encodeURIComponent('吴十')}` })).json<Page>();
    expect(list.total).toBe(0);
    const all = (await admin({ url: `/api/v1/people?active=all&q=${encodeURIComponent('吴十')}` })).json<Page>();
    expect(all.total).toBe(1);
    const on = await admin({ method: 'POST', url: `/api/v1/people/${p.id}/reactivate`, payload: { version: off.json<Person>().version } });
    expect(on.json<Person>().active).toBe(true);
  });
});

describe('reveal', () => {
  it('reveals with the permission and audits each reveal; refuses without it', async () => {
    const zhang = (await admin({ url: `/api/v1/people?q=${encodeURIComponent('张三')}` })).json<Page>().items[0];
    const res = await admin({ method: 'POST', url: `/api/v1/people/${zhang?.id}/reveal`, payload: { field: 'phone' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().value).toMatch(/^139\d{8}$/);
    const audits = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'people.reveal' and target_id = ${zhang?.id ?? ''} and details->>'field' = 'phone'`,
    );
    expect(audits.rows[0]?.n).toBe(1);
    const denied = await secretaryA({ method: 'POST', url: `/api/v1/people/${zhang?.id}/reveal`, payload: { field: 'idNumber' } });
    expect(denied.statusCode).toBe(403);
    const deniedAudit = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'access.denied' and result = 'denied'`);
    expect(deniedAudit.rows[0]?.n).toBeGreaterThan(0);
  });
});

describe('personal numbers at rest', () => {
  it('stores phone and ID number only encrypted, masked and hashed', async () => {
    const idNumber = withCheckDigit('32010219770707123');
    const p = (await admin({ method: 'POST', url: '/api/v1/people', payload: { ...valid(), name: '卫一', phone: '13712345678', idNumber } })).json<Person>();
    const row = (
      await db.execute<Record<string, string | null>>(
        sql`select phone, id_number, phone_enc, phone_masked, id_number_enc, id_number_masked, id_number_hash from people where id = ${p.id}`,
      )
    ).rows[0];
    expect(row?.phone).toBeNull();
    expect(row?.id_number).toBeNull();
    expect(row?.phone_enc).toMatch(/^v1:/);
    expect(row?.id_number_enc).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain('13712345678');
    expect(JSON.stringify(row)).not.toContain(idNumber);
    expect(row?.phone_masked).toBe('137****5678');
    expect(row?.id_number_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await admin({ method: 'POST', url: `/api/v1/people/${p.id}/reveal`, payload: { field: 'idNumber' } })).json().value).toBe(idNumber);
  });

  it('encrypts numbers stored in plaintext before, once, and keeps them readable', async () => {
    const idNumber = withCheckDigit('32010219660606123');
    const ins = await db.execute<{ id: string }>(sql`
      insert into people (tenant_id, office_id, name, gender, party_status, phone, id_number)
      values (${t.tenantId}, ${office.id}, '旧数据', 'male', 'none', '13500001111', ${idNumber}) returning id`);
    const id = ins.rows[0]?.id ?? '';
    expect(await sealLegacyNumbers(db)).toBe(1);
    expect(await sealLegacyNumbers(db)).toBe(0);
    const row = (await db.execute<Record<string, string | null>>(sql`select phone, id_number, phone_masked from people where id = ${id}`)).rows[0];
    expect(row).toEqual({ phone: null, id_number: null, phone_masked: '135****1111' });
    expect((await admin({ method: 'POST', url: `/api/v1/people/${id}/reveal`, payload: { field: 'phone' } })).json().value).toBe('13500001111');
  });
});

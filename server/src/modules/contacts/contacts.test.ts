import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Contact, ErrorBody, TimelineEntry, UfCatalogues } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { withCheckDigit } from '../people/people.mask';
import { nameGrams } from './contacts.repo';

const { app, db } = await testApp();

let tenant: TenantFixture;
let office: OrgUnitRow;
let otherOffice: OrgUnitRow;
let cat: UfCatalogues;
/** read, write, reveal over the whole tenant */
let admin: Client;
/** read and write over `office` only */
let officeStaff: Client;
/** read only, no reveal */
let reader: Client;
let other: { tenant: TenantFixture; admin: Client; office: OrgUnitRow };

const categoryId = (code: string) => cat.categories.find((c) => c.code === code)?.id ?? '';
const partyId = (name: string) => cat.parties.find((p) => p.name === name)?.id ?? '';

let seq = 0;
function idNumber(): string {
  seq += 1;
  return withCheckDigit(`3501021970010${String(seq).padStart(4, '0')}`);
}
function phone(): string {
  seq += 1;
  return `1380000${String(seq).padStart(4, '0')}`;
}

async function create(call: Client, body: Record<string, unknown>) {
  return call({ method: 'POST', url: '/api/v1/unitedfront/contacts', payload: body });
}

beforeAll(async () => {
  tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '党派工作科' });
  otherOffice = await buildUnit(db, tenant, { name: '经济联络科' });
  admin = await signIn(
    app,
    await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read', 'unitedfront.write', 'unitedfront.reveal'] }),
  );
  officeStaff = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: office.id, permissions: ['unitedfront.read', 'unitedfront.write'] }));
  reader = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read'] }));
  const res = await admin({ url: '/api/v1/unitedfront/catalogues' });
  cat = res.json<UfCatalogues>();
  const t2 = await buildTenant(db, '另一个统战部');
  const o2 = await buildUnit(db, t2, { name: '办公室' });
  other = {
    tenant: t2,
    office: o2,
    admin: await signIn(app, await buildUser(db, t2.tenantId, { scopeUnitId: t2.root.id, permissions: ['unitedfront.read', 'unitedfront.write', 'unitedfront.reveal'] })),
  };
});

describe('catalogue', () => {
  it('seeds the nine categories and the eight democratic parties, idempotently', async () => {
    expect(cat.categories.map((c) => c.name)).toEqual([
      '民主党派成员',
      '无党派人士',
      '党外知识分子',
      '新的社会阶层人士',
      '民营经济人士',
      '港澳台同胞及台属',
      '侨胞侨眷',
      '宗教界人士',
      '少数民族人士',
    ]);
    expect(cat.categories.filter((c) => c.needsParty).map((c) => c.code)).toEqual(['democratic_party']);
    expect(cat.parties).toHaveLength(8);
    const { ensureTenantDefaults } = await import('../../commands/tenant-defaults.command');
    await db.transaction((tx) => ensureTenantDefaults(tx, tenant.tenantId));
    const again = (await admin({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>();
    expect(again.categories).toHaveLength(9);
  });

  it('lets a tenant-wide writer add a category; an office writer may not', async () => {
    const ok = await admin({ method: 'POST', url: '/api/v1/unitedfront/categories', payload: { code: 'returned_students', name: '留学归国人员' } });
    expect(ok.statusCode).toBe(201);
    const refused = await officeStaff({ method: 'POST', url: '/api/v1/unitedfront/categories', payload: { code: 'x_other', name: '其他' } });
    expect(refused.statusCode).toBe(403);
    cat = (await admin({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>();
  });
});

describe('contacts', () => {
  it('creates a democratic-party member with party, join date, arrangements and tags; numbers are masked and sealed', async () => {
    const id = idNumber();
    const res = await create(admin, {
      name: '林文清',
      gender: 'female',
      officeId: office.id,
      categoryIds: [categoryId('democratic_party'), categoryId('intellectual')],
      partyId: partyId('九三学社'),
      partyJoinedOn: '2008-06-01',
      organisation: '福州大学',
      post: '教授',
      arrangements: [{ kind: 'cppcc_member', level: 'city' }],
      phone: '13812345678',
      idNumber: id,
      tags: ['重点联系', '高校'],
    });
    expect(res.statusCode).toBe(201);
    const c = res.json<Contact>();
    expect(c.partyName).toBe('九三学社');
    expect(c.categories.map((x) => x.name)).toEqual(['民主党派成员', '党外知识分子']);
    expect(c.phoneMasked).toBe('138****5678');
    expect(c.idNumberMasked).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
    expect(JSON.stringify(c)).not.toContain('13812345678');
    const stored = await db.execute<{ phone_enc: string; name_grams: string[] }>(sql`select phone_enc, name_grams from contacts where id = ${c.id}`);
    expect(stored.rows[0]?.phone_enc).toMatch(/^v1:/);
    expect(stored.rows[0]?.name_grams).toEqual(expect.arrayContaining(['林', '文清', '林文']));
  });

  it('refuses a category that does not exist, and changes nothing', async () => {
    const before = (await admin({ url: '/api/v1/unitedfront/contacts?pageSize=1' })).json<{ total: number }>().total;
    const res = await create(admin, { name: '无类别', officeId: office.id, categoryIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details).toContainEqual({ path: 'categoryIds', problem: 'unknown category' });
    expect((await admin({ url: '/api/v1/unitedfront/contacts?pageSize=1' })).json<{ total: number }>().total).toBe(before);
  });

  it('refuses a category of another tenant', async () => {
    const theirs = (await other.admin({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>().categories[1]?.id;
    const res = await create(admin, { name: '别家类别', officeId: office.id, categoryIds: [theirs] });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details).toContainEqual({ path: 'categoryIds', problem: 'unknown category' });
  });

  it('needs a party for a democratic-party member and refuses one for others', async () => {
    const noParty = await create(admin, { name: '缺党派', officeId: office.id, categoryIds: [categoryId('democratic_party')] });
    expect(noParty.json<ErrorBody>().error.details).toContainEqual({ path: 'partyId', problem: 'a democratic-party member needs a party' });
    const stray = await create(admin, { name: '多党派', officeId: office.id, categoryIds: [categoryId('non_party')], partyId: partyId('民革') });
    expect(stray.json<ErrorBody>().error.details).toContainEqual({ path: 'partyId', problem: 'only a democratic-party member has a party' });
  });

  it('refuses an ID number with a wrong check digit', async () => {
    const good = idNumber();
    const bad = `${good.slice(0, 17)}${good.at(-1) === '0' ? '1' : '0'}`;
    const res = await create(admin, { name: '错号', officeId: office.id, categoryIds: [categoryId('non_party')], idNumber: bad });
    expect(res.json<ErrorBody>().error.details).toContainEqual({ path: 'idNumber', problem: 'check digit does not match' });
  });

  it('refuses a second contact with the same ID number, or the same name and phone', async () => {
    const id = idNumber();
    const p = phone();
    expect((await create(admin, { name: '王重', officeId: office.id, categoryIds: [categoryId('non_party')], idNumber: id, phone: p })).statusCode).toBe(201);
    const byId = await create(admin, { name: '王另', officeId: office.id, categoryIds: [categoryId('non_party')], idNumber: id });
    expect(byId.statusCode).toBe(409);
    expect(byId.json<ErrorBody>().error.code).toBe('DUPLICATE');
    const byNamePhone = await create(admin, { name: '王重', officeId: office.id, categoryIds: [categoryId('intellectual')], phone: p });
    expect(byNamePhone.statusCode).toBe(409);
    // same phone under another name is someone else (a shared office line)
    expect((await create(admin, { name: '王不重', officeId: office.id, categoryIds: [categoryId('non_party')], phone: p })).statusCode).toBe(201);
  });

  it('lists by category, tag, arrangement and name fragment of one, two or three characters, in pinyin order', async () => {
    for (const [name, tags] of [
      ['陈思远', ['侨界']],
      ['陈思', []],
      ['欧阳思远', ['侨界']],
      ['张远', []],
    ] as const) {
      expect((await create(admin, { name, officeId: otherOffice.id, categoryIds: [categoryId('overseas_chinese')], tags })).statusCode).toBe(201);
    }
    const names = async (qs: string) => (await admin({ url: `/api/v1/unitedfront/contacts?${qs}` })).json<{ items: Contact[] }>().items.map((c) => c.name);
    expect(await names(`categoryId=${categoryId('overseas_chinese')}`)).toEqual(['陈思', '陈思远', '欧阳思远', '张远']);
    expect(await names(`q=${encodeURIComponent('思远')}`)).toEqual(['陈思远', '欧阳思远']);
    expect(await names(`q=${encodeURIComponent('远')}&categoryId=${categoryId('overseas_chinese')}`)).toEqual(['陈思远', '欧阳思远', '张远']);
    expect(await names(`q=${encodeURIComponent('阳思远')}`)).toEqual(['欧阳思远']);
    expect(await names(`q=${encodeURIComponent('思陈')}`)).toEqual([]);
    expect(await names(`tag=${encodeURIComponent('侨界')}`)).toEqual(['陈思远', '欧阳思远']);
    expect(await names('arrangement=cppcc_member')).toEqual(['林文清']);
    expect(await names(`q=${encodeURIComponent('100%')}`)).toEqual([]);
  });

  it('answers a short fragment from contact_name_grams with the pages and totals of the general query, following renames, moves, status and deletes', async () => {
    const made: Contact[] = [];
    for (let i = 0; i < 23; i++) {
      const name = ['蓝', `${'甲乙丙丁戊己庚辛壬癸'[i % 10]}蓝`, `司马蓝${i}`, `蓝${'天海山'[i % 3]}${i}`][i % 4] ?? '蓝';
      const res = await create(admin, { name, officeId: i % 3 ? office.id : otherOffice.id, categoryIds: [categoryId('ethnic_minority')] });
      expect(res.statusCode).toBe(201);
      made.push(res.json<Contact>());
    }
    type Page = { items: Contact[]; total: number };
    const page = async (call: Client, qs: string) => {
      const p = (await call({ url: `/api/v1/unitedfront/contacts?${qs}` })).json<Page>();
      return { names: p.items.map((c) => `${c.name}/${c.id}`), total: p.total };
    };
    // the category filter takes the general query (contacts joined to their categories): the same answer
    const general = `&categoryId=${categoryId('ethnic_minority')}`;
    const compare = async (call: Client, qs: string) => {
      const fast = await page(call, qs);
      expect(fast).toEqual(await page(call, `${qs}${general}`));
      return fast;
    };
    const q = `q=${encodeURIComponent('蓝')}`;
    const first = await compare(admin, `${q}&pageSize=10&page=1`);
    expect(first.total).toBe(23);
    expect((await compare(admin, `${q}&pageSize=10&page=3`)).names).toHaveLength(3);
    expect(await compare(admin, `${q}&pageSize=10&page=4`)).toEqual({ names: [], total: 23 });
    expect((await compare(admin, `q=${encodeURIComponent('马蓝')}&pageSize=50`)).total).toBe(6);
    expect((await compare(officeStaff, `${q}&pageSize=50`)).total).toBe(made.filter((c) => c.officeId === office.id).length);

    // a rename moves the contact between fragments; a move changes who sees it; deactivation leaves the active list
    const [a, b, c] = made;
    if (!a || !b || !c) throw new Error('contacts');
    await admin({ method: 'PATCH', url: `/api/v1/unitedfront/contacts/${a.id}`, payload: { version: a.version, name: '青' } });
    expect((await compare(admin, `${q}&pageSize=50`)).total).toBe(22);
    expect((await compare(admin, `q=${encodeURIComponent('青')}&pageSize=50`)).names).toContain(`青/${a.id}`);
    const moved = (await admin({ method: 'PATCH', url: `/api/v1/unitedfront/contacts/${b.id}`, payload: { version: b.version, officeId: otherOffice.id } })).json<Contact>();
    expect(moved.officeId).toBe(otherOffice.id);
    expect((await compare(officeStaff, `${q}&pageSize=50`)).names).not.toContain(`${b.name}/${b.id}`);
    await admin({ method: 'POST', url: `/api/v1/unitedfront/contacts/${c.id}/deactivate`, payload: { version: c.version } });
    expect((await compare(admin, `${q}&pageSize=50`)).total).toBe(21);
    expect((await compare(admin, `${q}&pageSize=50&active=false`)).names).toEqual([`${c.name}/${c.id}`]);
    expect((await compare(admin, `${q}&pageSize=50&active=all`)).total).toBe(22);

    const grams = async (id: string) =>
      (await db.execute<{ gram: string }>(sql`select gram from contact_name_grams where contact_id = ${id}`)).rows.map((r) => r.gram).sort();
    expect(await grams(c.id)).toEqual(nameGrams(c.name).sort());
    await db.execute(sql`delete from contacts where id = ${c.id}`);
    expect(await grams(c.id)).toEqual([]);
  });

  it('computes the grams of a name', () => {
    expect(nameGrams('欧阳思远').sort()).toEqual(['思', '思远', '欧', '欧阳', '远', '阳', '阳思'].sort());
  });

  it('scopes contacts by their owning office', async () => {
    const mine = await create(officeStaff, { name: '本科室', officeId: office.id, categoryIds: [categoryId('religious')] });
    expect(mine.statusCode).toBe(201);
    const theirs = await create(officeStaff, { name: '别科室', officeId: otherOffice.id, categoryIds: [categoryId('religious')] });
    expect(theirs.statusCode).toBe(400);
    expect(theirs.json<ErrorBody>().error.details).toContainEqual({ path: 'officeId', problem: 'outside your scope' });
    const list = (await officeStaff({ url: '/api/v1/unitedfront/contacts?pageSize=100' })).json<{ items: Contact[] }>().items;
    expect(list.every((c) => c.officeId === office.id)).toBe(true);
    const zhang = (await admin({ url: `/api/v1/unitedfront/contacts?q=${encodeURIComponent('张远')}` })).json<{ items: Contact[] }>().items[0];
    expect((await officeStaff({ url: `/api/v1/unitedfront/contacts/${zhang?.id}` })).statusCode).toBe(404);
  });

  it('hides a contact of another tenant', async () => {
    const theirs = await other.admin({
      method: 'POST',
      url: '/api/v1/unitedfront/contacts',
      payload: { name: '外租户', officeId: other.office.id, categoryIds: [(await other.admin({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>().categories[1]?.id] },
    });
    expect(theirs.statusCode).toBe(201);
    const id = theirs.json<Contact>().id;
    expect((await admin({ url: `/api/v1/unitedfront/contacts/${id}` })).statusCode).toBe(404);
    expect((await admin({ url: `/api/v1/unitedfront/contacts/${id}/timeline` })).statusCode).toBe(404);
    expect((await admin({ method: 'POST', url: `/api/v1/unitedfront/contacts/${id}/reveal`, payload: { field: 'phone' } })).statusCode).toBe(404);
  });

  it('updates with a version, refuses a stale one, and keeps the numbers unless changed', async () => {
    const c = (await create(admin, { name: '周更新', officeId: office.id, categoryIds: [categoryId('non_party')], phone: phone() })).json<Contact>();
    const res = await admin({ method: 'PATCH', url: `/api/v1/unitedfront/contacts/${c.id}`, payload: { version: c.version, post: '主任', tags: ['新'] } });
    expect(res.statusCode).toBe(200);
    const after = res.json<Contact>();
    expect(after).toMatchObject({ post: '主任', tags: ['新'], version: c.version + 1, phoneMasked: c.phoneMasked });
    const stale = await admin({ method: 'PATCH', url: `/api/v1/unitedfront/contacts/${c.id}`, payload: { version: c.version, post: '副主任' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('STALE_VERSION');
    const off = await admin({ method: 'POST', url: `/api/v1/unitedfront/contacts/${c.id}/deactivate`, payload: { version: after.version } });
    expect(off.json<Contact>().active).toBe(false);
  });

  it('reveals a number only with the permission, and audits each reveal', async () => {
    const c = (await create(admin, { name: '郑揭示', officeId: office.id, categoryIds: [categoryId('non_party')], phone: '13912340000' })).json<Contact>();
    expect((await reader({ method: 'POST', url: `/api/v1/unitedfront/contacts/${c.id}/reveal`, payload: { field: 'phone' } })).statusCode).toBe(403);
    const res = await admin({ method: 'POST', url: `/api/v1/unitedfront/contacts/${c.id}/reveal`, payload: { field: 'phone' } });
    expect(res.json<{ value: string }>().value).toBe('13912340000');
    const trail = await db.execute<{ action: string; details: { field: string } }>(
      sql`select action, details from audit_log where target_id = ${c.id} and action = 'contacts.reveal'`,
    );
    expect(trail.rows).toEqual([{ action: 'contacts.reveal', details: { field: 'phone' } }]);
  });

  it('shows a timeline of registration and changes, newest first, without reveals', async () => {
    const c = (await create(admin, { name: '吴时间', officeId: office.id, categoryIds: [categoryId('non_party')], phone: phone() })).json<Contact>();
    await admin({ method: 'PATCH', url: `/api/v1/unitedfront/contacts/${c.id}`, payload: { version: c.version, post: '会长' } });
    await admin({ method: 'POST', url: `/api/v1/unitedfront/contacts/${c.id}/reveal`, payload: { field: 'phone' } });
    const items = (await reader({ url: `/api/v1/unitedfront/contacts/${c.id}/timeline` })).json<{ items: TimelineEntry[] }>().items;
    expect(items.map((i) => i.kind)).toEqual(['contacts.update', 'contact.created']);
    expect(items[0]).toMatchObject({ title: 'post', actorName: expect.any(String) });
  });
});

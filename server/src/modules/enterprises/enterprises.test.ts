import { beforeAll, describe, expect, it } from 'vitest';
import { isValidCreditCode, type Contact, type Enterprise, type ErrorBody, type TimelineEntry, type UfCatalogues } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

const { app, db } = await testApp();

/** Real-format codes (GB 32100-2015) whose check characters are right. */
const VALID = ['91350100M000100Y43', '91110000100017643K', '91440300708461136T', '91310000MA1FL1MMXL'];

let tenant: TenantFixture;
let office: OrgUnitRow;
let admin: Client;
let reader: Client;
let contact: Contact;
let foreignContact: Contact;

async function createContact(call: Client, officeId: string, name: string) {
  const cat = (await call({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>();
  const res = await call({
    method: 'POST',
    url: '/api/v1/unitedfront/contacts',
    payload: { name, officeId, categoryIds: [cat.categories.find((c) => c.code === 'private_economy')?.id] },
  });
  return res.json<Contact>();
}

beforeAll(async () => {
  tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '经济联络科' });
  const perms = ['unitedfront.read', 'unitedfront.write'] as const;
  admin = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: [...perms] }));
  reader = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read'] }));
  contact = await createContact(admin, office.id, '黄企业家');
  const t2 = await buildTenant(db, '别的部门');
  const o2 = await buildUnit(db, t2, { name: '办公室' });
  const admin2 = await signIn(app, await buildUser(db, t2.tenantId, { scopeUnitId: t2.root.id, permissions: [...perms] }));
  foreignContact = await createContact(admin2, o2.id, '外租户企业家');
});

describe('credit codes', () => {
  it('accepts real-format codes and refuses a changed character', () => {
    for (const c of VALID) expect(isValidCreditCode(c)).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91110000100017643J')).toBe(false);
    // I, O, S, V, Z are not in the code's alphabet
    expect(isValidCreditCode('9135010OM000100Y43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
  });
});

describe('enterprises', () => {
  it('registers a Taiwan-funded enterprise with its contact and lists it by type', async () => {
    const res = await admin({
      method: 'POST',
      url: '/api/v1/unitedfront/enterprises',
      payload: { name: '闽台精密机械有限公司', creditCode: VALID[0], type: 'taiwan_funded', industry: '制造业', district: '马尾区', officeId: office.id, contacts: [{ contactId: contact.id, role: '董事长' }] },
    });
    expect(res.statusCode).toBe(201);
    const e = res.json<Enterprise>();
    expect(e.contacts).toEqual([{ contactId: contact.id, name: '黄企业家', role: '董事长' }]);
    const list = (await reader({ url: '/api/v1/unitedfront/enterprises?type=taiwan_funded' })).json<{ items: Enterprise[]; total: number }>();
    expect(list.items.map((x) => x.name)).toEqual(['闽台精密机械有限公司']);
    const byContact = (await reader({ url: `/api/v1/unitedfront/enterprises?contactId=${contact.id}` })).json<{ total: number }>();
    expect(byContact.total).toBe(1);
  });

  it('refuses an invalid credit code, and changes nothing', async () => {
    const res = await admin({
      method: 'POST',
      url: '/api/v1/unitedfront/enterprises',
      payload: { name: '错误代码公司', creditCode: '91350100M000100Y44', type: 'private', officeId: office.id },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details).toContainEqual({ path: 'creditCode', problem: 'check digit does not match' });
    const malformed = await admin({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name: '格式错', creditCode: 'ABC', type: 'private', officeId: office.id } });
    expect(malformed.statusCode).toBe(400);
    expect((await reader({ url: `/api/v1/unitedfront/enterprises?q=${encodeURIComponent('错')}` })).json<{ total: number }>().total).toBe(0);
  });

  it('refuses a second enterprise with the same credit code', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name: '同码公司', creditCode: VALID[0], type: 'private', officeId: office.id } });
    expect(res.statusCode).toBe(409);
  });

  it('refuses a contact of another tenant', async () => {
    const res = await admin({
      method: 'POST',
      url: '/api/v1/unitedfront/enterprises',
      payload: { name: '跨租户公司', creditCode: VALID[1], type: 'private', officeId: office.id, contacts: [{ contactId: foreignContact.id }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details).toContainEqual({ path: 'contacts.0.contactId', problem: 'unknown contact' });
  });

  it('shows the link on both timelines and the change on the enterprise one', async () => {
    const e = (
      await admin({
        method: 'POST',
        url: '/api/v1/unitedfront/enterprises',
        payload: { name: '侨资食品有限公司', creditCode: VALID[2], type: 'overseas_chinese_funded', officeId: office.id, contacts: [{ contactId: contact.id }] },
      })
    ).json<Enterprise>();
    const upd = await admin({ method: 'PATCH', url: `/api/v1/unitedfront/enterprises/${e.id}`, payload: { version: e.version, district: '鼓楼区' } });
    expect(upd.statusCode).toBe(200);
    expect(upd.json<Enterprise>().contacts).toHaveLength(1);
    const et = (await reader({ url: `/api/v1/unitedfront/enterprises/${e.id}/timeline` })).json<{ items: TimelineEntry[] }>().items;
    expect(et.map((i) => i.kind).sort()).toEqual(['contact.linked', 'enterprise.created', 'enterprises.update']);
    const ct = (await reader({ url: `/api/v1/unitedfront/contacts/${contact.id}/timeline` })).json<{ items: TimelineEntry[] }>().items;
    expect(ct.filter((i) => i.kind === 'enterprise.linked').map((i) => i.title).sort()).toEqual(['侨资食品有限公司', '闽台精密机械有限公司']);
  });
});

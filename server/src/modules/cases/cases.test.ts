import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Contact, Enterprise, ErrorBody, ServiceCase, TimelineEntry, UfCatalogues } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

const { app, db } = await testApp();

let tenant: TenantFixture;
let office: OrgUnitRow;
let staff: Client;
let reader: Client;
let contact: Contact;
let taiwan: Enterprise;
let privateCo: Enterprise;
let foreignContactId: string;

const CODES = ['91350100M000100Y43', '91440300708461136T', '91110000100017643K'];

beforeAll(async () => {
  tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '经济联络科' });
  staff = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read', 'unitedfront.write'] }));
  reader = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read'] }));
  const cat = (await staff({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>();
  const privateEconomy = cat.categories.find((c) => c.code === 'private_economy')?.id;
  contact = (await staff({ method: 'POST', url: '/api/v1/unitedfront/contacts', payload: { name: '郑台商', officeId: office.id, categoryIds: [privateEconomy] } })).json<Contact>();
  taiwan = (
    await staff({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name: '台资电子公司', creditCode: CODES[0], type: 'taiwan_funded', officeId: office.id, contacts: [{ contactId: contact.id }] } })
  ).json<Enterprise>();
  privateCo = (await staff({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name: '民营机械公司', creditCode: CODES[1], type: 'private', officeId: office.id } })).json<Enterprise>();
  const t2 = await buildTenant(db, '别的部门');
  const o2 = await buildUnit(db, t2, { name: '办公室' });
  const other = await signIn(app, await buildUser(db, t2.tenantId, { scopeUnitId: t2.root.id, permissions: ['unitedfront.read', 'unitedfront.write'] }));
  const cat2 = (await other({ url: '/api/v1/unitedfront/catalogues' })).json<UfCatalogues>();
  foreignContactId = (await other({ method: 'POST', url: '/api/v1/unitedfront/contacts', payload: { name: '外人', officeId: o2.id, categoryIds: [cat2.categories[1]?.id] } })).json<Contact>().id;
});

async function raise(body: Record<string, unknown>) {
  const res = await staff({ method: 'POST', url: '/api/v1/unitedfront/cases', payload: { officeId: office.id, category: '融资', raisedOn: '2026-03-02', ...body } });
  expect(res.statusCode).toBe(201);
  return res.json<ServiceCase>();
}

async function follow(c: ServiceCase, body: Record<string, unknown>) {
  return staff({ method: 'POST', url: `/api/v1/unitedfront/cases/${c.id}/followups`, payload: { version: c.version, note: '跟进', ...body } });
}

describe('service cases', () => {
  it('raises a case for an enterprise, coordinates with departments, and resolves it with a result', async () => {
    const c = await raise({ enterpriseId: taiwan.id, problem: '用工招聘困难', departments: ['人社局'], project: '贴心服务助台企' });
    expect(c).toMatchObject({ status: 'open', requesterType: 'enterprise', requesterName: '台资电子公司', departments: ['人社局'] });
    const coordinating = (await follow(c, { status: 'coordinating', departments: ['人社局', '工信局'] })).json<ServiceCase>();
    expect(coordinating).toMatchObject({ status: 'coordinating', departments: ['人社局', '工信局'] });
    const done = await follow(coordinating, { status: 'resolved', result: '组织专场招聘会，招到 30 人', satisfaction: 'satisfied', closedOn: '2026-04-10' });
    expect(done.statusCode).toBe(200);
    expect(done.json<ServiceCase>()).toMatchObject({ status: 'resolved', closedOn: '2026-04-10', satisfaction: 'satisfied' });
    expect(done.json<ServiceCase>().followups.map((f) => f.status)).toEqual(['coordinating', 'resolved']);
  });

  it('refuses to close a case without a result, and changes nothing', async () => {
    const c = await raise({ enterpriseId: privateCo.id, problem: '用地指标' });
    const res = await follow(c, { status: 'resolved' });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details).toContainEqual({ path: 'result', problem: 'required to close a case' });
    const cannot = await follow(c, { status: 'cannot_resolve' });
    expect(cannot.statusCode).toBe(400);
    const after = (await reader({ url: `/api/v1/unitedfront/cases/${c.id}` })).json<ServiceCase>();
    expect(after).toMatchObject({ status: 'open', version: c.version, followups: [] });
  });

  it('refuses a move out of a closed case', async () => {
    const c = await raise({ contactId: contact.id, problem: '子女入学' });
    const closed = (await follow(c, { status: 'cannot_resolve', result: '超出政策范围，已解释' })).json<ServiceCase>();
    const res = await follow(closed, { status: 'coordinating' });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.code).toBe('INVALID_STATE');
  });

  it('refuses a requester of another tenant, or two requesters', async () => {
    const foreign = await staff({ method: 'POST', url: '/api/v1/unitedfront/cases', payload: { officeId: office.id, contactId: foreignContactId, problem: 'x', category: '其他', raisedOn: '2026-03-02' } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<ErrorBody>().error.details).toContainEqual({ path: 'contactId', problem: 'unknown contact' });
    const both = await staff({ method: 'POST', url: '/api/v1/unitedfront/cases', payload: { officeId: office.id, contactId: contact.id, enterpriseId: taiwan.id, problem: 'x', category: '其他', raisedOn: '2026-03-02' } });
    expect(both.statusCode).toBe(400);
  });

  it('counts problems raised and resolved, by enterprise type (figures like "11 raised, 5 resolved")', async () => {
    const counts = (await reader({ url: '/api/v1/unitedfront/cases/counts?from=2026-01-01&to=2026-12-31' })).json<{
      raised: number;
      resolved: number;
      cannotResolve: number;
      open: number;
      byEnterpriseType: { type: string; raised: number; resolved: number }[];
    }>();
    expect(counts).toMatchObject({ raised: 3, resolved: 1, cannotResolve: 1, open: 1 });
    expect(counts.byEnterpriseType.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { type: 'private', raised: 1, resolved: 0 },
      { type: 'taiwan_funded', raised: 1, resolved: 1 },
    ]);
    const tw = (await reader({ url: '/api/v1/unitedfront/cases?enterpriseType=taiwan_funded' })).json<{ total: number }>();
    expect(tw.total).toBe(1);
  });

  it('shows cases on the timelines of the enterprise and of the contact', async () => {
    const et = (await reader({ url: `/api/v1/unitedfront/enterprises/${taiwan.id}/timeline` })).json<{ items: TimelineEntry[] }>().items;
    expect(et.filter((i) => i.kind.startsWith('case.')).map((i) => i.kind)).toEqual(['case.resolved', 'case.coordinating', 'case.raised']);
    const ct = (await reader({ url: `/api/v1/unitedfront/contacts/${contact.id}/timeline` })).json<{ items: TimelineEntry[] }>().items;
    expect(ct.filter((i) => i.kind.startsWith('case.')).map((i) => i.kind).sort()).toEqual(['case.cannot_resolve', 'case.raised']);
  });

  it('keeps the closing rule in the database too', async () => {
    const c = await raise({ enterpriseId: privateCo.id, problem: '直接写库' });
    await expect(db.execute(sql`update service_cases set status = 'resolved' where id = ${c.id}`)).rejects.toThrow();
  });
});

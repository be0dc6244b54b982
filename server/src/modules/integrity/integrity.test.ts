import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, IntegrityRisk, IntegrityRule } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

const { app, db } = await testApp();

let tenant: TenantFixture;
let office: OrgUnitRow;
let staff: Client;
let ownerId: string;
let foreignPersonId: string;

beforeAll(async () => {
  tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '办公室' });
  ownerId = await buildPerson(db, tenant.tenantId, { officeId: office.id, name: '钱责任' });
  staff = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read', 'unitedfront.write'] }));
  const t2 = await buildTenant(db, '别的部门');
  const o2 = await buildUnit(db, t2, { name: '办公室' });
  foreignPersonId = await buildPerson(db, t2.tenantId, { officeId: o2.id });
});

const risk = (o: Record<string, unknown> = {}) => ({
  officeId: office.id,
  duty: '公务接待',
  risk: '超标准接待',
  level: 'high',
  controls: '事前审批、清单报销',
  ownerPersonId: ownerId,
  reviewDueOn: '2026-06-30',
  ...o,
});

describe('integrity risk points', () => {
  it('registers a risk point with its owner, and records a review', async () => {
    const res = await staff({ method: 'POST', url: '/api/v1/unitedfront/integrity/risks', payload: risk() });
    expect(res.statusCode).toBe(201);
    const r = res.json<IntegrityRisk>();
    expect(r).toMatchObject({ ownerName: '钱责任', level: 'high', reviewsDone: 0 });
    const reviewed = await staff({ method: 'POST', url: `/api/v1/unitedfront/integrity/risks/${r.id}/reviews`, payload: { version: r.version, reviewedOn: '2026-06-20', nextDueOn: '2026-12-31' } });
    expect(reviewed.json<IntegrityRisk>()).toMatchObject({ reviewsDone: 1, lastReviewedOn: '2026-06-20', reviewDueOn: '2026-12-31' });
  });

  it('refuses a risk point without an owner, or with a person of another tenant, and changes nothing', async () => {
    const before = (await staff({ url: '/api/v1/unitedfront/integrity/risks' })).json<{ total: number }>().total;
    const { ownerPersonId: _omit, ...noOwner } = risk();
    const res = await staff({ method: 'POST', url: '/api/v1/unitedfront/integrity/risks', payload: noOwner });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
    const foreign = await staff({ method: 'POST', url: '/api/v1/unitedfront/integrity/risks', payload: risk({ ownerPersonId: foreignPersonId }) });
    expect(foreign.json<ErrorBody>().error.details).toContainEqual({ path: 'ownerPersonId', problem: 'unknown person' });
    expect((await staff({ url: '/api/v1/unitedfront/integrity/risks' })).json<{ total: number }>().total).toBe(before);
  });

  it('edits a risk point: the owner may change but never be removed, and a stale edit is refused', async () => {
    const r = (await staff({ method: 'POST', url: '/api/v1/unitedfront/integrity/risks', payload: risk({ duty: '物资采购', reviewDueOn: '2030-12-31' }) })).json<IntegrityRisk>();
    const other = await buildPerson(db, tenant.tenantId, { officeId: office.id, name: '孙接任' });
    const edited = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/integrity/risks/${r.id}`, payload: { version: r.version, level: 'medium', ownerPersonId: other } });
    expect(edited.statusCode).toBe(200);
    const e = edited.json<IntegrityRisk>();
    expect(e).toMatchObject({ level: 'medium', ownerName: '孙接任', duty: '物资采购' });
    const removed = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/integrity/risks/${r.id}`, payload: { version: e.version, ownerPersonId: null } });
    expect(removed.statusCode).toBe(400);
    const foreign = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/integrity/risks/${r.id}`, payload: { version: e.version, ownerPersonId: foreignPersonId } });
    expect(foreign.json<ErrorBody>().error.details).toContainEqual({ path: 'ownerPersonId', problem: 'unknown person' });
    const stale = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/integrity/risks/${r.id}`, payload: { version: r.version, level: 'low' } });
    expect(stale.statusCode).toBe(409);
    const after = (await staff({ url: '/api/v1/unitedfront/integrity/risks?level=medium' })).json<{ items: IntegrityRisk[] }>().items.find((x) => x.id === r.id);
    expect(after).toMatchObject({ ownerName: '孙接任', version: e.version });
  });

  it('offers owners by name, names only, never another tenant\'s', async () => {
    const res = (await staff({ url: `/api/v1/unitedfront/integrity/people?q=${encodeURIComponent('钱')}` })).json<{ items: { id: string; name: string }[] }>();
    expect(res.items).toEqual([{ id: ownerId, name: '钱责任', officeName: '办公室' }]);
    const byIds = (await staff({ url: `/api/v1/unitedfront/integrity/people?ids=${ownerId},${foreignPersonId}` })).json<{ items: { id: string }[] }>();
    expect(byIds.items.map((x) => x.id)).toEqual([ownerId]);
  });

  it('lists overdue reviews', async () => {
    await staff({ method: 'POST', url: '/api/v1/unitedfront/integrity/risks', payload: risk({ duty: '车辆使用', reviewDueOn: '2020-01-31' }) });
    const overdue = (await staff({ url: '/api/v1/unitedfront/integrity/risks?overdue=true' })).json<{ items: IntegrityRisk[] }>().items;
    expect(overdue.map((x) => x.duty)).toEqual(['车辆使用']);
    expect(overdue[0]?.overdue).toBe(true);
  });
});

describe('rules (制度)', () => {
  it('keeps versions with revision dates and counts rules revised in a period ("8 rules revised")', async () => {
    const titles = ['差旅费管理办法', '公务用车管理办法', '财务报销制度'];
    const rules: IntegrityRule[] = [];
    for (const title of titles) {
      const res = await staff({ method: 'POST', url: '/api/v1/unitedfront/integrity/rules', payload: { officeId: office.id, title, adoptedOn: '2019-03-01', summary: '首次制定' } });
      expect(res.statusCode).toBe(201);
      rules.push(res.json<IntegrityRule>());
    }
    const [travel, car] = rules;
    if (!travel || !car) throw new Error('rules');
    const r2 = (await staff({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${travel.id}/revisions`, payload: { version: travel.version, revisedOn: '2026-02-01', summary: '调整住宿标准' } })).json<IntegrityRule>();
    expect(r2.versions.map((v) => [v.versionNo, v.revisedOn])).toEqual([
      [1, '2019-03-01'],
      [2, '2026-02-01'],
    ]);
    await staff({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${car.id}/revisions`, payload: { version: car.version, revisedOn: '2026-05-01', summary: '明确派车流程' } });
    const stale = await staff({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${travel.id}/revisions`, payload: { version: travel.version, revisedOn: '2026-03-01', summary: 'x' } });
    expect(stale.statusCode).toBe(409);
    const backwards = await staff({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${travel.id}/revisions`, payload: { version: r2.version, revisedOn: '2025-01-01', summary: 'x' } });
    expect(backwards.json<ErrorBody>().error.details).toContainEqual({ path: 'revisedOn', problem: 'before the current version' });
    const count = (await staff({ url: '/api/v1/unitedfront/integrity/rules/revised-count?from=2026-01-01&to=2026-12-31' })).json<{ count: number }>();
    expect(count.count).toBe(2);
  });
});

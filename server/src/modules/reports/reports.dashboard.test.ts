import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityType, DashboardResponse, MetricResult } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { bandOf } from './reports.service';

// The dashboard's duties (the duties area's calendar) and points distribution (the points
// area's yearly evaluation), and the records behind their bars.
const { app, db } = await testApp();
let tenant: TenantFixture;
let branchA: OrgUnitRow;
let branchB: OrgUnitRow;
let admin: Client;
let branchOnly: Client;
let reportsOnly: Client;
const march = { period: { kind: 'month', year: 2021, month: 3 }, unitIds: [] as string[] };
const people: Record<string, string> = {};

beforeAll(async () => {
  tenant = await buildTenant(db, '看板部门');
  const committee = await buildUnit(db, tenant, { type: 'party_committee', name: '机关党委' });
  branchA = await buildUnit(db, tenant, { parent: committee, type: 'branch', name: '第一党支部' });
  branchB = await buildUnit(db, tenant, { parent: committee, type: 'branch', name: '第二党支部' });
  const perms = ['activities.read', 'activities.write', 'points.read', 'reports.read'] as const;
  admin = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: [...perms] }));
  branchOnly = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: branchB.id, permissions: [...perms] }));
  reportsOnly = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['reports.read'] }));
  const types = new Map((await admin({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>().items.map((t) => [t.code, t.id]));
  const held = async (code: string, unit: OrgUnitRow, day: string) => {
    const r = await admin({
      method: 'POST',
      url: '/api/v1/activities',
      payload: { typeId: types.get(code), unitId: unit.id, topic: `${code} ${day}`, startsAt: `${day}T09:00:00+08:00`, endsAt: `${day}T10:00:00+08:00`, extra: {} },
    });
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json<{ id: string; version: number }>();
    expect((await admin({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'held' } })).statusCode).toBe(200);
  };
  // branch A meets March's theme Party day and Q1's Party lecture; branch B meets nothing
  await held('theme_party_day', branchA, '2021-03-10');
  await held('party_lecture', branchA, '2021-02-10');

  // members' 2021 totals (base score 60): 95, 55, 60, 80 in branch A; 72 in branch B
  const entries: [string, OrgUnitRow, number][] = [
    ['甲', branchA, 35],
    ['乙', branchA, -5],
    ['丙', branchA, 0],
    ['丁', branchA, 20],
    ['戊', branchB, 12],
  ];
  for (const [name, branch, amount] of entries) {
    const id = await buildPerson(db, tenant.tenantId, { officeId: branch.id, branchId: branch.id, name, partyStatus: 'full' });
    people[name] = id;
    if (amount)
      await db.execute(sql`insert into points_entries (tenant_id, person_id, branch_id, period, amount, source, rule_code, rule_kind, rule_set_version)
        values (${tenant.tenantId}, ${id}, ${branch.id}, '2021-03-01', ${amount}, 'manual', 'test', ${amount < 0 ? 'sanction' : 'honour'}, 1)`);
  }
});

async function dashboard(client: Client, ctx: object = march): Promise<DashboardResponse> {
  const res = await client({ method: 'POST', url: '/api/v1/reports/dashboard', payload: ctx });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<DashboardResponse>();
}

async function records(client: Client, chart: string, key: string, ctx: object = march) {
  return client({ method: 'POST', url: '/api/v1/reports/dashboard/records', payload: { ...ctx, chart, key } });
}

describe('dashboard: duties and points', () => {
  it('counts the duties whose period ended in the period, met and missed, per rule', async () => {
    const d = await dashboard(admin);
    const byName = Object.fromEntries(d.duties.map((x) => [x.typeNameZh, [x.period, x.met, x.missed]]));
    expect(byName).toEqual({
      支部委员会会议: ['month', 0, 2],
      主题党日: ['month', 1, 1],
      支部党员大会: ['quarter', 0, 2],
      党课: ['quarter', 1, 1],
      // the Party committee's own duty
      理论学习中心组学习: ['month', 0, 1],
    });
    // a whole year: 12 monthly theme Party days per branch, one met
    const year = await dashboard(admin, { period: { kind: 'year', year: 2021 }, unitIds: [] });
    expect(year.duties.find((x) => x.typeNameZh === '主题党日')).toMatchObject({ met: 1, missed: 23 });
  });

  it('opens the units that missed a duty, and keeps to the chosen units and the viewer’s scope', async () => {
    const d = await dashboard(admin);
    const rule = d.duties.find((x) => x.typeNameZh === '主题党日');
    const res = await records(admin, 'duties', rule?.ruleId ?? '');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<MetricResult>();
    expect(r).toMatchObject({ metric: 'duties.missed', value: 1 });
    expect(r.records).toEqual([{ id: branchB.id, kind: 'org_units', title: '第二党支部：主题党日 2021年3月（0/1）', date: '2021-03-31' }]);
    const committee = d.duties.find((x) => x.typeNameZh === '支部委员会会议');
    const chosen = (await records(admin, 'duties', committee?.ruleId ?? '', { ...march, unitIds: [branchA.id] })).json<MetricResult>();
    expect(chosen.records.map((x) => x.id)).toEqual([branchA.id]);
    expect((await dashboard(branchOnly)).duties.map((x) => x.met + x.missed)).toEqual([1, 1, 1, 1]);
  });

  it('distributes the members’ points totals of the year in bands, and opens a band’s members', async () => {
    // bands: under 60, 60–69 … 80–89, 90 and over
    expect([59.5, 60, 69.99, 70, 89, 90, 120].map(bandOf)).toEqual(['lt60', '60', '60', '70', '80', 'ge90', 'ge90']);
    const d = await dashboard(admin);
    expect(d.pointsYear).toBe(2021);
    expect(d.pointsBands).toEqual([
      { band: 'lt60', count: 1 },
      { band: '60', count: 1 },
      { band: '70', count: 1 },
      { band: '80', count: 1 },
      { band: 'ge90', count: 1 },
    ]);
    const r = (await records(admin, 'points', 'ge90')).json<MetricResult>();
    expect(r).toMatchObject({ metric: 'points.band', value: 1, from: '2021-01-01', to: '2021-12-31' });
    expect(r.records).toEqual([{ id: people['甲'], kind: 'people', title: '甲（第一党支部）：95分', date: null }]);
    expect((await dashboard(branchOnly)).pointsBands.map((x) => x.count)).toEqual([0, 0, 1, 0, 0]);
    expect((await records(branchOnly, 'points', 'ge90')).json<MetricResult>().records).toEqual([]);
    expect((await records(admin, 'points', 'band99')).statusCode).toBe(400);
  });

  it('exports a bar’s records as XLSX, under the bar’s own heading', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/reports/dashboard/records.xlsx', payload: { ...march, chart: 'points', key: 'lt60' } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('依据记录');
    expect(String(ws?.getRow(1).getCell(1).value)).toBe('2021年度积分段（60分以下）党员：1名');
    expect([3, 4, 5].map((i) => ws?.getRow(5).getCell(i).value)).toEqual(['乙（第一党支部）：55分', '党员', people['乙']]);
  });

  it('leaves duties and points out for a viewer without their permissions', async () => {
    const d = await dashboard(reportsOnly);
    expect(d.duties).toEqual([]);
    expect(d.pointsYear).toBeNull();
    expect(d.pointsBands.every((x) => x.count === 0)).toBe(true);
    expect((await records(reportsOnly, 'points', 'ge90')).statusCode).toBe(403);
  });
});

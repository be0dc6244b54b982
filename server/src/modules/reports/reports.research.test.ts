import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDetail, ActivityType, CheckedFigure, MetricResult, ResearchCounts, TopicDetail } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';

// The research metrics count what the research area counts (its /research/counts), over the
// same records, created here through the research and activities APIs only.
const { app, db } = await testApp();
let tenant: TenantFixture;
let office: OrgUnitRow;
let other: OrgUnitRow;
let c: Client;
let scoped: Client;
const year = { period: { kind: 'year', year: 2026 }, unitIds: [] as string[] };

async function evaluate(client: Client, metric: string, args: Record<string, string> = {}): Promise<MetricResult> {
  const res = await client({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { ...year, metric, args } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MetricResult>();
}

let symposiumId = '';

beforeAll(async () => {
  tenant = await buildTenant(db, '调研统计部门');
  office = await buildUnit(db, tenant, { name: '办公室' });
  other = await buildUnit(db, tenant, { name: '经济科' });
  const lead = await buildPerson(db, tenant.tenantId, { officeId: office.id, name: '课题负责人' });
  c = await signIn(
    app,
    await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read', 'unitedfront.write', 'activities.read', 'activities.write', 'reports.read', 'reports.write'] }),
  );
  scoped = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: other.id, permissions: ['reports.read'] }));
  const ty = new Map((await c({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>().items.map((x) => [x.code, x.id]));
  const make = async (code: string, topic: string, extra: Record<string, unknown>, at: string, hold = true) => {
    const r = await c({ method: 'POST', url: '/api/v1/activities', payload: { typeId: ty.get(code), unitId: office.id, topic, extra, startsAt: at, endsAt: at } });
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json<ActivityDetail>();
    if (hold) expect((await c({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'held' } })).statusCode).toBe(200);
    return a.id;
  };
  const topic = async (officeId: string, title: string, startsOn: string, endsOn: string) => {
    const r = await c({ method: 'POST', url: '/api/v1/research/topics', payload: { officeId, title, leadPersonId: lead, startsOn, endsOn } });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<TopicDetail>().id;
  };
  const a = await topic(office.id, '民营经济发展环境调研', '2026-01-01', '2026-12-31');
  const b = await topic(office.id, '乡村振兴统战工作调研', '2025-07-01', '2026-02-28');
  await topic(office.id, '去年的课题', '2025-01-01', '2025-06-30');
  const d = await topic(other.id, '经济科的课题', '2026-03-01', '2026-05-31');
  const link = async (t: string, id: string) => expect((await c({ method: 'POST', url: `/api/v1/research/topics/${t}/activities`, payload: { activityId: id } })).statusCode).toBeLessThan(300);
  // the same district for two topics counts once; a planned visit and last year's not at all
  await link(a, await make('field_visit', '区1', { placeKind: 'district', placeName: '宣州区' }, '2026-03-01T02:00:00Z'));
  await link(b, await make('field_visit', '区1再访', { placeKind: 'district', placeName: '宣州区' }, '2026-01-20T02:00:00Z'));
  await link(a, await make('field_visit', '区2', { placeKind: 'district', placeName: '郎溪县' }, '2026-03-02T02:00:00Z'));
  await link(a, await make('field_visit', '镇1', { placeKind: 'town', placeName: '水东镇' }, '2026-03-03T02:00:00Z'));
  await link(d, await make('field_visit', '企业1', { placeKind: 'enterprise', placeName: '宣城民营甲公司' }, '2026-03-05T02:00:00Z'));
  await link(b, await make('field_visit', '村1', { placeKind: 'village', placeName: '水东村' }, '2026-02-05T02:00:00Z'));
  await link(a, await make('field_visit', '计划中', { placeKind: 'town', placeName: '孙埠镇' }, '2026-03-04T02:00:00Z', false));
  await link(b, await make('field_visit', '去年', { placeKind: 'town', placeName: '杨柳镇' }, '2025-12-04T02:00:00Z'));
  symposiumId = await make('symposium', '座谈1', {}, '2026-05-01T02:00:00Z');
  await link(a, symposiumId);
  await link(b, symposiumId);
  await link(d, await make('symposium', '座谈2', {}, '2026-05-02T02:00:00Z'));
  await make('symposium', '未关联的座谈会', {}, '2026-05-03T02:00:00Z');
  for (const [i, day] of ['2026-03-01', '2026-03-02', '2025-12-31'].entries()) {
    expect((await c({ method: 'POST', url: `/api/v1/research/topics/${a}/suggestions`, payload: { content: `建议${i}`, receivedOn: day } })).statusCode).toBe(201);
  }
  expect((await c({ method: 'POST', url: `/api/v1/research/topics/${d}/suggestions`, payload: { content: '经济科收到的建议', receivedOn: '2026-04-01' } })).statusCode).toBe(201);
});

describe('research metrics', () => {
  it('count what the research area counts, with their records', async () => {
    const counts = (await c({ url: '/api/v1/research/counts?from=2026-01-01&to=2026-12-31' })).json<ResearchCounts>();
    expect(counts).toEqual({ topics: 3, districts: 2, towns: 1, symposiums: 2, suggestions: 3 });
    const topics = await evaluate(c, 'research.topics');
    expect(topics.value).toBe(counts.topics);
    expect(topics.records.map((r) => r.title).sort()).toEqual(['乡村振兴统战工作调研', '民营经济发展环境调研', '经济科的课题']);
    expect((await evaluate(c, 'research.places', { place_kind: 'district' })).value).toBe(counts.districts);
    expect((await evaluate(c, 'research.places', { place_kind: 'town' })).value).toBe(counts.towns);
    // all four kinds by default; two kinds together count what each counts alone
    expect((await evaluate(c, 'research.places')).value).toBe(5);
    expect((await evaluate(c, 'research.places', { place_kind: 'district,town' })).value).toBe(3);
    const places = await evaluate(c, 'research.places', { place_kind: 'district' });
    expect(places.records.map((r) => r.title)).toEqual(['宣州区：区1再访', '宣州区：区1', '郎溪县：区2']);
    const sym = await evaluate(c, 'research.symposiums');
    expect(sym.value).toBe(counts.symposiums);
    // a symposium linked to two topics is one record
    expect(sym.records.filter((r) => r.id === symposiumId)).toHaveLength(1);
    const sug = await evaluate(c, 'research.suggestions');
    expect(sug).toMatchObject({ value: counts.suggestions });
    expect(sug.records.map((r) => r.title)).toEqual(['建议0', '建议1', '经济科收到的建议']);
  });

  it('keep to the topics of the units chosen and of the viewer’s scope', async () => {
    expect((await evaluate(scoped, 'research.topics')).records.map((r) => r.title)).toEqual(['经济科的课题']);
    expect((await evaluate(scoped, 'research.places')).value).toBe(1);
    expect((await evaluate(scoped, 'research.symposiums')).value).toBe(1);
    expect((await evaluate(scoped, 'research.suggestions')).value).toBe(1);
    const res = await c({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { ...year, unitIds: [office.id], metric: 'research.suggestions', args: {} } });
    expect(res.json<MetricResult>().value).toBe(2);
  });

  it('resolve in templates and are proposed by the figure check', async () => {
    const p = await c({ method: 'POST', url: '/api/v1/reports/summaries/preview', payload: { ...year, body: '确定调研课题{{research.topics}}个，召开座谈会{{symposiums}}场，收集意见建议{{suggestions}}条。' } });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json<{ text: string }>().text).toBe('确定调研课题3个，召开座谈会2场，收集意见建议3条。');
    const res = await c({
      method: 'POST',
      url: '/api/v1/reports/figure-check',
      payload: { ...year, text: '全年确定调研课题3个，深入2个县市区和1个乡镇开展调研，召开调研座谈会2场，收集意见建议4条。' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const figures = res.json<{ figures: CheckedFigure[] }>().figures;
    expect(figures.map((f) => [f.metric, f.args.place_kind ?? null, f.status])).toEqual([
      ['research.topics', null, 'matches'],
      ['research.places', 'district', 'matches'],
      ['research.places', 'town', 'matches'],
      ['research.symposiums', null, 'matches'],
      ['research.suggestions', null, 'differs'],
    ]);
  });
});

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityType, CheckedFigure, DashboardResponse, MetricResult, PreviewResponse, Template } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { insertEnterprise } from '../enterprises/enterprises.repo';
import { defaultTemplates } from './reports.defaults';
import { gbLayout } from './reports.docx.service';

const { app, db } = await testApp();
let tenant: TenantFixture;
let officeA: OrgUnitRow;
let officeB: OrgUnitRow;
let admin: Client;
let scoped: Client;
let types: Map<string, string>;
const partyNone: string[] = [];
const members: string[] = [];

const year2021 = { period: { kind: 'year', year: 2021 }, unitIds: [] as string[] };

type Made = { id: string; version: number };

/** Creates an activity through the activities API, marks it held, and records who was present. */
async function activity(
  code: string,
  o: { unit?: OrgUnitRow; topic?: string; day?: string; extra?: Record<string, string | number>; present?: string[]; absent?: string[]; place?: string } = {},
): Promise<Made> {
  const day = o.day ?? '2021-06-15';
  const people = [...(o.present ?? []), ...(o.absent ?? [])];
  const res = await admin({
    method: 'POST',
    url: '/api/v1/activities',
    payload: {
      typeId: types.get(code),
      unitId: (o.unit ?? officeA).id,
      topic: o.topic ?? `${code} 活动`,
      place: o.place ?? null,
      startsAt: `${day}T09:00:00+08:00`,
      endsAt: `${day}T11:00:00+08:00`,
      extra: o.extra ?? {},
      ...(people.length ? { participants: { personIds: people } } : {}),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const a = res.json<{ id: string; version: number }>();
  const t = await admin({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'held' } });
  expect(t.statusCode, t.body).toBe(200);
  if (people.length) {
    const items = [...(o.present ?? []).map((personId) => ({ personId, attendance: 'present' })), ...(o.absent ?? []).map((personId) => ({ personId, attendance: 'absent' }))];
    const r = await admin({ method: 'POST', url: `/api/v1/activities/${a.id}/attendance`, payload: { items } });
    expect(r.statusCode, r.body).toBe(200);
  }
  return { id: a.id, version: t.json<{ version: number }>().version };
}

async function evaluate(client: Client, metric: string, args: Record<string, string> = {}, ctx: object = year2021): Promise<MetricResult> {
  const res = await client({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { ...ctx, metric, args } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MetricResult>();
}

const made: Record<string, Made[]> = {};

beforeAll(async () => {
  tenant = await buildTenant(db);
  officeA = await buildUnit(db, tenant, { name: '办公室' });
  officeB = await buildUnit(db, tenant, { name: '经济科' });
  for (let i = 0; i < 6; i++) partyNone.push(await buildPerson(db, tenant.tenantId, { officeId: officeA.id, partyStatus: 'none' }));
  for (let i = 0; i < 3; i++) members.push(await buildPerson(db, tenant.tenantId, { officeId: officeA.id, partyStatus: 'full' }));
  admin = await signIn(
    app,
    await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['activities.read', 'activities.write', 'reports.read', 'reports.write', 'people.read', 'org.read'] }),
  );
  scoped = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: officeB.id, permissions: ['reports.read'] }));
  const res = await admin({ url: '/api/v1/activity-types' });
  types = new Map(res.json<{ items: ActivityType[] }>().items.map((t) => [t.code, t.id]));

  await insertEnterprise(db, { tenantId: tenant.tenantId, officeId: officeB.id, name: '宣城民营甲公司', creditCode: '91350100M000100Y43', type: 'private' });
  await insertEnterprise(db, { tenantId: tenant.tenantId, officeId: officeB.id, name: '宣城民营乙公司', creditCode: '91110000100017643K', type: 'private' });
  await insertEnterprise(db, { tenantId: tenant.tenantId, officeId: officeB.id, name: '宣城台资公司', creditCode: '91440300708461136T', type: 'taiwan_funded' });

  // the records behind a small version of the reference report
  made.teaching = [
    await activity('field_teaching', { topic: '党史学习教育现场教学一', extra: { placeVisited: '许家朋烈士陵园' } }),
    await activity('field_teaching', { topic: '党史学习教育现场教学二', extra: { placeVisited: '新四军军部旧址' } }),
    await activity('field_teaching', { topic: '党史学习教育现场教学三', extra: { placeVisited: '新四军军部旧址' } }),
  ];
  made.training = [
    await activity('training_class', { topic: '民主党派成员培训班', extra: { traineeCategory: '民主党派', hours: 8 }, present: partyNone.slice(0, 4), absent: partyNone.slice(4, 5) }),
    await activity('training_class', { topic: '党外知识分子培训班', extra: { traineeCategory: '党外知识分子', hours: 8 }, present: [...partyNone.slice(2, 6), ...members.slice(0, 1)] }),
  ];
  made.study = [
    await activity('collective_study', { topic: '集体学习：党史专题', present: members }),
    await activity('collective_study', { topic: '集体学习：七一讲话', present: members.slice(0, 2) }),
  ];
  made.visits = [
    await activity('field_visit', { unit: officeB, topic: '联系村走访', extra: { placeKind: 'village', placeName: '水东村' } }),
    await activity('field_visit', { unit: officeB, topic: '联系村再走访', extra: { placeKind: 'village', placeName: '水东村' } }),
    await activity('field_visit', { unit: officeB, topic: '走访民营企业', extra: { placeKind: 'enterprise', placeName: '宣城民营甲公司' } }),
    await activity('field_visit', { unit: officeB, topic: '走访民营企业', extra: { placeKind: 'enterprise', placeName: '宣城民营乙公司' } }),
    await activity('field_visit', { unit: officeB, topic: '走访台资企业', extra: { placeKind: 'enterprise', placeName: '宣城台资公司' } }),
    await activity('field_visit', { unit: officeB, topic: '走访未登记企业', extra: { placeKind: 'enterprise', placeName: '不在册公司' } }),
  ];
  made.volunteer = [await activity('volunteer_service', { topic: '疫情防控志愿服务', extra: { hours: 4 }, present: [...members, partyNone[0] ?? ''] })];
  made.warning = [await activity('warning_education', { topic: '警示教育片观看' }), await activity('warning_education', { topic: '违纪案例学习', day: '2020-12-31' })];
  // a planned one is not counted
  const planned = await admin({
    method: 'POST',
    url: '/api/v1/activities',
    payload: { typeId: types.get('warning_education'), unitId: officeA.id, topic: '计划中', startsAt: '2021-12-20T09:00:00+08:00', endsAt: '2021-12-20T10:00:00+08:00', extra: {} },
  });
  expect(planned.statusCode).toBe(201);
}, 120_000);

describe('metrics', () => {
  it('lists the catalogue with names, units and filters', async () => {
    const res = await admin({ url: '/api/v1/reports/metrics' });
    expect(res.statusCode).toBe(200);
    const list = res.json<{ key: string; unitWord: string; filters: string[] }[]>();
    expect(list.find((m) => m.key === 'training.classes')).toMatchObject({ unitWord: '期' });
    expect(list.find((m) => m.key === 'activities.people_times')?.filters).toContain('party');
  });

  it('counts activities by type, held or recorded, in Shanghai days, with their records', async () => {
    const r = await evaluate(admin, 'activities.count', { type: 'field_teaching' });
    expect(r.value).toBe(3);
    expect(r.records.map((x) => x.id).sort()).toEqual(made.teaching?.map((x) => x.id).sort());
    expect(r.records[0]).toMatchObject({ kind: 'activities', date: '2021-06-15' });
    // 2020-12-31 09:00 in Shanghai is 01:00 UTC: still 2020
    expect((await evaluate(admin, 'activities.count', { type: 'warning_education' })).value).toBe(1);
    expect((await evaluate(admin, 'activities.count', { type: 'warning_education', period: '2020' })).value).toBe(1);
    expect((await evaluate(admin, 'activities.count', { type: 'warning_education', status: 'planned' })).value).toBe(1);
    expect((await evaluate(admin, 'count activities', { type: 'collective_study', topic: '党史' })).value).toBe(1);
  });

  it('counts people-times of present participants by party status, and training classes and trainees', async () => {
    expect((await evaluate(admin, 'training.classes')).value).toBe(2);
    expect((await evaluate(admin, 'training.classes', { category: '民主党派' })).value).toBe(1);
    expect((await evaluate(admin, 'training.trainees')).value).toBe(9);
    expect((await evaluate(admin, 'training.trainees', { party: 'none' })).value).toBe(8);
    expect((await evaluate(admin, 'activities.people_times', { type: 'collective_study', party: 'member' })).value).toBe(5);
    const v = await evaluate(admin, 'activities.people_times', { type: 'volunteer_service' });
    expect(v.value).toBe(4);
    expect(v.records).toHaveLength(1);
  });

  it('counts distinct places and registered enterprises visited by type', async () => {
    expect((await evaluate(admin, 'activities.places', { type: 'field_teaching' })).value).toBe(2);
    const villages = await evaluate(admin, 'activities.places', { type: 'field_visit', place_kind: 'village' });
    expect(villages.value).toBe(1);
    expect(villages.records).toHaveLength(2);
    expect((await evaluate(admin, 'enterprises.visited')).value).toBe(3);
    expect((await evaluate(admin, 'enterprises.visited', { enterprise_type: 'private' })).value).toBe(2);
    expect((await evaluate(admin, 'enterprises.visited', { enterprise_type: 'taiwan_funded' })).value).toBe(1);
    // the registry counts what is on it at the period's end: these were registered today
    expect((await evaluate(admin, 'unitedfront.enterprises', { enterprise_type: 'private' })).value).toBe(0);
    expect((await evaluate(admin, 'unitedfront.enterprises', { enterprise_type: 'private', period: String(new Date().getFullYear()) })).value).toBe(2);
  });

  it('keeps to the units chosen and to the viewer’s scope', async () => {
    expect((await evaluate(admin, 'activities.count', {}, { ...year2021, unitIds: [officeB.id] })).value).toBe(6);
    expect((await evaluate(admin, 'activities.count', { unit: officeA.id })).value).toBe(9);
    // a viewer granted on office B sees its visits only, whatever units they ask for
    expect((await evaluate(scoped, 'activities.count')).value).toBe(6);
    expect((await evaluate(scoped, 'activities.count', {}, { ...year2021, unitIds: [officeA.id] })).value).toBe(0);
  });

  it('counts the other areas’ records: rules revised (once per rule) and publicity items by channel', async () => {
    const rule = await db.execute<{ id: string }>(
      sql`insert into integrity_rules (tenant_id, office_id, title, current_version) values (${tenant.tenantId}, ${officeA.id}, '差旅费管理规定', 2) returning id`,
    );
    const ruleId = rule.rows[0]?.id;
    await db.execute(sql`insert into integrity_rule_versions (tenant_id, rule_id, version_no, revised_on, summary) values
      (${tenant.tenantId}, ${ruleId}, 1, '2021-03-01', '制定'), (${tenant.tenantId}, ${ruleId}, 2, '2021-09-01', '修订')`);
    await db.execute(sql`insert into publicity_items (tenant_id, office_id, title, channel, published_on) values
      (${tenant.tenantId}, ${officeA.id}, '统战之声专栏一', 'newspaper', '2021-04-01'), (${tenant.tenantId}, ${officeB.id}, '公众号推送', 'wechat', '2021-05-01'),
      (${tenant.tenantId}, ${officeA.id}, '去年的稿件', 'wechat', '2020-05-01')`);
    const rules = await evaluate(admin, 'integrity.rules_revised');
    expect([rules.value, rules.records.length]).toEqual([1, 2]);
    expect((await evaluate(admin, 'publicity.items')).value).toBe(2);
    expect((await evaluate(admin, 'publicity.items', { channel: 'wechat' })).value).toBe(1);
    expect((await evaluate(scoped, 'publicity.items')).records.map((r) => r.title)).toEqual(['公众号推送']);
  });

  it('answers the dashboard: key figures against the previous period, the monthly trend and the types', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/reports/dashboard', payload: year2021 });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<DashboardResponse>();
    expect([d.previousFrom, d.previousTo]).toEqual(['2020-01-01', '2020-12-31']);
    expect(d.figures.find((f) => f.metric === 'activities.count')).toMatchObject({ value: 15, previous: 1 });
    expect(d.figures.find((f) => f.metric === 'training.classes')).toMatchObject({ value: 2, previous: 0, unitWord: '期' });
    expect(d.byType.find((x) => x.code === 'field_visit')?.count).toBe(6);
    expect(d.trend.filter((x) => x.month === '2021-06').reduce((n, x) => n + x.count, 0)).toBe(15);
    expect(d.rectification).toEqual(['not_started', 'in_progress', 'done', 'long_term'].map((status) => ({ status, count: 0 })));
  });

  it('exports every record behind a figure as XLSX, with the metric, filters and value on top', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/reports/metrics/records.xlsx', payload: { ...year2021, metric: 'activities.count', args: { type: 'field_teaching' } } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('依据记录');
    expect(String(ws?.getRow(1).getCell(1).value)).toBe('活动次数：3次');
    expect(String(ws?.getRow(2).getCell(1).value)).toContain('type=field_teaching');
    expect((ws?.getRow(4).values as unknown[]).slice(1)).toEqual(['序号', '日期', '标题', '类别', '记录编号']);
    const ids: unknown[] = [];
    ws?.eachRow((row, n) => {
      if (n > 4) ids.push(row.getCell(5).value);
    });
    expect(ids.sort()).toEqual(made.teaching?.map((x) => x.id).sort());
    // the viewer's scope holds: office B's viewer gets an empty list
    const scopedRes = await scoped({ method: 'POST', url: '/api/v1/reports/metrics/records.xlsx', payload: { ...year2021, metric: 'activities.count', args: { type: 'field_teaching' } } });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(scopedRes.rawPayload as unknown as ArrayBuffer);
    expect(wb2.getWorksheet('依据记录')?.actualRowCount).toBe(3);
  });

  it('refuses unknown metrics and arguments', async () => {
    const a = await admin({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { ...year2021, metric: 'nope', args: {} } });
    expect(a.statusCode).toBe(404);
    const b = await admin({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { ...year2021, metric: 'training.classes', args: { colour: 'red' } } });
    expect(b.statusCode).toBe(400);
    expect(b.body).toContain("takes no argument 'colour'");
  });

  it('answers the other areas’ metrics (empty here) without error', async () => {
    for (const metric of ['problems.found', 'problems.rectified', 'rectification.measures', 'feedback.responses', 'unitedfront.contacts', 'programs.items', 'points.total', 'cases.raised', 'cases.resolved', 'integrity.risks']) {
      expect((await evaluate(admin, metric)).value, metric).toBe(0);
    }
  });
});

describe('templates and the generated summary', () => {
  it('seeds the two templates for every tenant', async () => {
    const res = await admin({ url: '/api/v1/reports/templates' });
    expect(res.json<Template[]>().map((t) => t.code)).toEqual(expect.arrayContaining(['model_organ', 'theme_education']));
  });

  it('creates, updates with a version, and refuses bad placeholders with their position', async () => {
    const bad = await admin({ method: 'POST', url: '/api/v1/reports/templates', payload: { name: '坏模板', body: '标题\n共{{activities.count type=}}次\n{{nope}}' } });
    expect(bad.statusCode).toBe(400);
    const details = bad.json<{ error: { details: { row: number; column: string; problem: string }[] } }>().error.details;
    expect(details).toEqual([
      { path: 'body', row: 2, column: '26', problem: 'missing value after =' },
      { path: 'body', row: 3, column: '3', problem: "unknown metric 'nope'" },
    ]);
    const ok = await admin({ method: 'POST', url: '/api/v1/reports/templates', payload: { name: '简报', body: '简报\n培训班{{training.classes}}期。' } });
    expect(ok.statusCode).toBe(201);
    const t = ok.json<Template>();
    const up = await admin({ method: 'PATCH', url: `/api/v1/reports/templates/${t.id}`, payload: { version: t.version, name: '简报二' } });
    expect(up.json<Template>()).toMatchObject({ name: '简报二', version: 2 });
    const stale = await admin({ method: 'PATCH', url: `/api/v1/reports/templates/${t.id}`, payload: { version: 1, name: '简报三' } });
    expect(stale.statusCode).toBe(409);
    expect((await scoped({ method: 'DELETE', url: `/api/v1/reports/templates/${t.id}` })).statusCode).toBe(403);
    expect((await admin({ method: 'DELETE', url: `/api/v1/reports/templates/${t.id}` })).statusCode).toBe(200);
  });

  async function generate(): Promise<PreviewResponse> {
    const body = defaultTemplates.find((t) => t.code === 'model_organ')?.body ?? '';
    const res = await admin({ method: 'POST', url: '/api/v1/reports/summaries/preview', payload: { ...year2021, body } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<PreviewResponse>();
  }

  it('generates the summary from the shipped template with every figure in the text, then follows one changed record', async () => {
    const before = await generate();
    expect(before.errors).toEqual([]);
    expect(before.title).toBe('模范机关建设工作总结');
    for (const s of [
      '开展现场教学3次',
      '走访教学点2个',
      '共举办培训班2期，培训党外人士8人次',
      '共召开机关集体学习会议2次，其中组织党史集中学习1次',
      '走访调研联系村2次',
      '实地走访民营企业2家',
      '走访台资企业1家',
      '组织志愿服务1次，参与志愿服务4人次',
      '开展警示教育1次',
    ])
      expect(before.text).toContain(s);
    // every figure segment carries its evidence
    const teaching = before.figures.find((f) => f.source === '{{activities.count type=field_teaching}}');
    expect(teaching?.records.map((r) => r.id).sort()).toEqual(made.teaching?.map((x) => x.id).sort());

    // cancel one on-site teaching at a place visited twice: only that figure changes
    const third = made.teaching?.[2];
    if (!third) throw new Error('fixture');
    const c = await admin({ method: 'POST', url: `/api/v1/activities/${third.id}/cancel`, payload: { version: third.version, reason: '录入重复' } });
    expect(c.statusCode, c.body).toBe(200);
    const after = await generate();
    const changed = after.figures.filter((f, i) => f.value !== before.figures[i]?.value);
    expect(changed.map((f) => [f.source, before.figures[f.index]?.value, f.value])).toEqual([['{{activities.count type=field_teaching}}', 3, 2]]);
    expect(after.text).toContain('开展现场教学2次');
  });

  it('previews a body with errors: the rest resolves, the errors have lines and columns', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/reports/summaries/preview', payload: { ...year2021, body: '题\n{{training.classes}}期{{training.classes period=someday}}' } });
    const p = res.json<PreviewResponse>();
    expect(p.text).toBe('题\n2期{{training.classes period=someday}}');
    expect(p.errors).toEqual([expect.objectContaining({ line: 2, column: 41, message: expect.stringContaining('bad period') as string })]);
  });
});

describe('DOCX in official-document layout', () => {
  let docx: Buffer;
  beforeAll(async () => {
    const body = defaultTemplates.find((t) => t.code === 'model_organ')?.body ?? '';
    const res = await admin({ method: 'POST', url: '/api/v1/reports/summaries/docx', payload: { ...year2021, body } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    docx = res.rawPayload;
  });

  it('has A4, the GB/T 9704 margins, 22 lines of 28 characters and odd/even page numbers', async () => {
    const zip = await JSZip.loadAsync(docx);
    const doc = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(doc).toContain('<w:pgSz w:w="11906" w:h="16838"');
    // 37, 35, 28, 26 mm in twips
    expect(doc).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect([gbLayout.marginTop, gbLayout.marginBottom, gbLayout.marginLeft, gbLayout.marginRight]).toEqual([2098, 1984, 1587, 1474]);
    // text block 156 × 225 mm
    expect(11906 - 1587 - 1474).toBe(Math.round((156 * 1440) / 25.4) + 1);
    expect(gbLayout.linePitch * 22).toBeLessThanOrEqual(Math.round((225 * 1440) / 25.4));
    expect(doc).toMatch(new RegExp(`<w:docGrid w:type="lines" w:linePitch="${gbLayout.linePitch}"`));
    // 28 characters of 16 pt plus the grid's delta fill 156 mm
    // 28 characters of 16 pt condensed by the runs' spacing fit 156 mm, 29 do not
    const textWidthPt = (156 / 25.4) * 72;
    const pitch = 16 + gbLayout.characterSpacing / 20;
    expect(28 * pitch).toBeLessThanOrEqual(textWidthPt);
    expect(29 * pitch).toBeGreaterThan(textWidthPt);
    expect(doc).toContain('w:type="even"');
    const styles = (await zip.file('word/styles.xml')?.async('string')) ?? '';
    expect(styles).toMatch(new RegExp(`<w:rPrDefault><w:rPr>.*<w:spacing w:val="${gbLayout.characterSpacing}"/>.*</w:rPr></w:rPrDefault>`));
    const settings = (await zip.file('word/settings.xml')?.async('string')) ?? '';
    expect(settings).toContain('<w:evenAndOddHeaders');
    const footers = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /word\/footer\d+\.xml/.test(n))
        .map((n) => zip.file(n)?.async('string') ?? ''),
    );
    expect(footers).toHaveLength(2);
    for (const f of footers) {
      expect(f).toContain('PAGE');
      expect(f).toContain('— ');
      expect(f).toContain('<w:sz w:val="28"/>');
    }
    expect(footers.some((f) => f.includes('<w:jc w:val="right"/>'))).toBe(true);
    expect(footers.some((f) => f.includes('<w:jc w:val="left"/>'))).toBe(true);
  });

  it('names the fonts and sizes of title, body and headings (not embedded)', async () => {
    const zip = await JSZip.loadAsync(docx);
    const styles = (await zip.file('word/styles.xml')?.async('string')) ?? '';
    const style = (id: string) => new RegExp(`<w:style[^>]*w:styleId="${id}"[\\s\\S]*?</w:style>`).exec(styles)?.[0] ?? '';
    expect(style('GwTitle')).toContain('w:eastAsia="方正小标宋简体"');
    expect(style('GwTitle')).toContain('<w:sz w:val="44"/>');
    expect(style('GwBody')).toContain('w:eastAsia="仿宋_GB2312"');
    expect(style('GwBody')).toContain('<w:sz w:val="32"/>');
    expect(style('GwBody')).toMatch(new RegExp(`<w:spacing [^>]*w:line="${gbLayout.linePitch}" w:lineRule="exact"`));
    expect(style('GwHeading1')).toContain('w:eastAsia="黑体"');
    expect(style('GwHeading2')).toContain('w:eastAsia="楷体_GB2312"');
    expect(Object.keys(zip.files).some((n) => n.startsWith('word/fonts/'))).toBe(false);
    const doc = (await zip.file('word/document.xml')?.async('string')) ?? '';
    expect(doc).toContain('<w:pStyle w:val="GwTitle"/>');
    expect(doc).toMatch(/<w:pStyle w:val="GwHeading1"\/>[\s\S]*?一、实施思想政治引领行动/);
    // a level-2 heading: its words in 楷体, the sentence after in the body font
    expect(doc).toMatch(/w:eastAsia="楷体_GB2312"[\s\S]{0,200}（一）抓实理想信念教育。/);
  });

  it('ends with the evidence appendix: each figure, its metric, filters, value and records', async () => {
    const zip = await JSZip.loadAsync(docx);
    const doc = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const appendix = doc.slice(doc.indexOf('附件：数据来源'));
    expect(appendix.length).toBeGreaterThan(100);
    expect(appendix).toContain('现场教学');
    expect(appendix).toContain('type=field_teaching');
    // (the third was cancelled by the summary test above)
    for (const a of made.teaching?.slice(0, 2) ?? []) expect(appendix).toContain(a.id);
    expect(appendix).toContain('党史学习教育现场教学一');
  });

  const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
  it.skipIf(!soffice)('opens in LibreOffice (headless conversion to PDF)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tx-docx-'));
    try {
      writeFileSync(path.join(dir, 'summary.docx'), docx);
      // a private profile: parallel runs must not share LibreOffice's user directory
      await promisify(execFile)(soffice ?? '', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'summary.docx')], {
        timeout: 90_000,
      });
      const pdf = readFileSync(path.join(dir, 'summary.pdf'));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // title page, body pages and the appendix
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(3);
      // 28 characters a line as LibreOffice sets it (a character grid made it 14–16)
      if (existsSync('/usr/bin/pdftotext')) {
        const { stdout } = await promisify(execFile)('/usr/bin/pdftotext', ['-f', '1', '-l', '1', path.join(dir, 'summary.pdf'), '-']);
        const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
        const widest = Math.max(...lines.map((l) => [...l].length));
        expect(widest, stdout).toBeGreaterThanOrEqual(27);
        expect(widest, stdout).toBeLessThanOrEqual(34);
        expect(lines.some((l) => /[\u4e00-\u9fff] [\u4e00-\u9fff] [\u4e00-\u9fff]/.test(l)), stdout).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses to export a body whose placeholders do not resolve', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/reports/summaries/docx', payload: { ...year2021, body: '题\n{{nope}}' } });
    expect(res.statusCode).toBe(400);
  });
});

describe('figure check', () => {
  it('marks figures of a draft as matching, differing or unknown, and remembers confirmed mappings', async () => {
    const text = '开展党史学习教育现场教学2次。共举办培训班5期，培训党外人士8人次。编组划分三个党小组，走访企业十余次。';
    const run = async () => {
      const res = await admin({ method: 'POST', url: '/api/v1/reports/figure-check', payload: { ...year2021, text } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ figures: CheckedFigure[] }>().figures;
    };
    const figures = await run();
    expect(figures.map((f) => [f.written, f.measureWord, f.metric, f.computed, f.status])).toEqual([
      ['2', '次', 'activities.count', 2, 'matches'],
      ['5', '期', 'training.classes', 2, 'differs'],
      ['8', '人次', 'training.trainees', 8, 'matches'],
      ['三', '个', null, null, 'unknown'],
      // 十余 is at least 10: six visits do not make it
      ['十余', '次', 'activities.count', 6, 'differs'],
    ]);
    expect(text.slice(figures[1]?.start, figures[1]?.end)).toBe('5期');
    const confirm = await admin({
      method: 'PUT',
      url: '/api/v1/reports/figure-mappings',
      payload: { phrase: '编组划分', measureWord: '个', metric: 'activities.places', args: { type: 'field_teaching' } },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const again = await run();
    expect(again[3]).toMatchObject({ metric: 'activities.places', confirmed: true, computed: 2, status: 'differs' });
  });
});

import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, type ActivityType, type Evaluation, type ProblemCategory } from '@tongxin/contracts';
import { buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';

/** Ledgers read back with exceljs: sheet names, header rows, and one row per record created through the API. */
const { app, db } = await testApp();
let t: TenantFixture;
let officeA: OrgUnitRow, officeB: OrgUnitRow, branch: OrgUnitRow;
let admin: Client, officeBViewer: Client, reportsOnly: Client;
const year2025 = 'from=2025-01-01&to=2025-12-31';

async function ok<T>(res: Promise<{ statusCode: number; body: string; json: <U>() => U }>): Promise<T> {
  const r = await res;
  expect([200, 201], r.body.slice(0, 500)).toContain(r.statusCode);
  return r.json<T>();
}

let creditSeq = 0;
function creditCode(): string {
  creditSeq += 1;
  const first17 = `9132050${String(1_000_000_000 + creditSeq).slice(-10)}`;
  return `${first17}${creditCodeCheckChar(first17) ?? ''}`;
}

async function workbook(client: Client, url: string): Promise<ExcelJS.Workbook> {
  const res = await client({ url });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

const headerOf = (ws: ExcelJS.Worksheet | undefined) => ((ws?.getRow(1).values ?? []) as unknown[]).slice(1);
const dataRows = (ws: ExcelJS.Worksheet | undefined) => (ws ? ws.actualRowCount - 1 : -1);
/** the values of one column below the header */
const column = (ws: ExcelJS.Worksheet | undefined, n: number) => {
  const out: unknown[] = [];
  ws?.eachRow((row, i) => {
    if (i > 1) out.push(row.getCell(n).value);
  });
  return out;
};

let evaluationRows = 0;

beforeAll(async () => {
  t = await buildTenant(db);
  officeA = await buildUnit(db, t, { type: 'office', name: '办公室' });
  officeB = await buildUnit(db, t, { type: 'office', name: '经济科' });
  const committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  branch = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第一党支部' });
  admin = await signIn(
    app,
    await buildUser(db, t.tenantId, {
      scopeUnitId: t.root.id,
      permissions: [
        'org.read',
        'people.read',
        'people.write',
        'activities.read',
        'activities.write',
        'points.read',
        'programs.read',
        'programs.write',
        'rectification.read',
        'rectification.write',
        'unitedfront.read',
        'unitedfront.write',
        'unitedfront.export',
        'reports.read',
      ],
    }),
  );
  officeBViewer = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: officeB.id, permissions: ['reports.read', 'activities.read', 'unitedfront.read'] }));
  reportsOnly = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['reports.read'] }));
  const types = new Map((await ok<{ items: ActivityType[] }>(admin({ url: '/api/v1/activity-types' }))).items.map((x) => [x.code, x.id]));

  // activities: two in office A, one in office B in 2025, one in 2024 (left out)
  for (const [unit, day, topic] of [
    [officeA, '2025-03-01', '集体学习一'],
    [officeA, '2025-06-01', '集体学习二'],
    [officeB, '2025-09-01', '集体学习三'],
    [officeA, '2024-12-30', '去年的学习'],
  ] as const)
    await ok(
      admin({
        method: 'POST',
        url: '/api/v1/activities',
        payload: { typeId: types.get('collective_study'), unitId: unit.id, topic, startsAt: `${day}T09:00:00+08:00`, endsAt: `${day}T10:00:00+08:00`, extra: {} },
      }),
    );

  // points: two members of the branch present at a theme Party day
  const members = [];
  for (const name of ['党员甲', '党员乙'])
    members.push(
      (await ok<{ id: string }>(admin({ method: 'POST', url: '/api/v1/people', payload: { name, gender: 'male', officeId: officeA.id, partyStatus: 'full', branchId: branch.id } }))).id,
    );
  const day = await ok<{ id: string; version: number }>(
    admin({
      method: 'POST',
      url: '/api/v1/activities',
      payload: {
        typeId: types.get('theme_party_day'),
        unitId: branch.id,
        topic: '主题党日',
        startsAt: '2025-05-10T09:00:00+08:00',
        endsAt: '2025-05-10T11:00:00+08:00',
        extra: {},
        participants: { personIds: members },
      },
    }),
  );
  const held = await ok<{ version: number }>(admin({ method: 'POST', url: `/api/v1/activities/${day.id}/transition`, payload: { version: day.version, status: 'held' } }));
  await ok(admin({ method: 'POST', url: `/api/v1/activities/${day.id}/attendance`, payload: { items: members.map((personId) => ({ personId, attendance: 'present' })) } }));
  await admin({ method: 'POST', url: `/api/v1/activities/${day.id}/transition`, payload: { version: held.version, status: 'recorded' } });
  evaluationRows = (await ok<Evaluation>(admin({ url: '/api/v1/points/evaluation?year=2025' }))).rows.length;

  // problems: two, one with two measures (the ledger has a row per measure)
  const categories = (await ok<{ items: ProblemCategory[] }>(admin({ url: '/api/v1/rectification/categories' }))).items;
  const me = await ok<{ userId: string }>(admin({ url: '/api/v1/auth/me' }));
  const program = await ok<{ id: string }>(admin({ method: 'POST', url: '/api/v1/programs', payload: { title: '主题教育', ownerUnitId: t.root.id, startsOn: '2025-01-01', endsOn: '2025-12-31' } }));
  for (const [title, measures] of [
    ['调研不够深入', 2],
    ['服务意识不强', 0],
  ] as const) {
    const p = await ok<{ id: string }>(
      admin({ method: 'POST', url: '/api/v1/rectification/problems', payload: { source: 'self_inspection', title, description: title, categoryId: categories[0]?.id, foundOn: '2025-04-01', programId: program.id } }),
    );
    for (let i = 0; i < measures; i++)
      await ok(admin({ method: 'POST', url: `/api/v1/rectification/problems/${p.id}/measures`, payload: { title: `措施${i + 1}`, ownerUserId: me.userId, deadline: '2030-12-31' } }));
  }

  // registry: three enterprises (two of office A), two contacts
  const companies = [];
  for (const [name, office] of [
    ['甲公司', officeA],
    ['乙公司', officeA],
    ['丙公司', officeB],
  ] as const)
    companies.push(await ok<{ id: string }>(admin({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name, creditCode: creditCode(), type: 'private', officeId: office.id } })));
  const cat = (await ok<{ categories: { id: string; needsParty: boolean }[] }>(admin({ url: '/api/v1/unitedfront/catalogues' }))).categories.find((c) => !c.needsParty);
  for (const [name, office] of [
    ['联系人甲', officeA],
    ['联系人乙', officeB],
  ] as const)
    await ok(admin({ method: 'POST', url: '/api/v1/unitedfront/contacts', payload: { name, officeId: office.id, categoryIds: [cat?.id] } }));

  // cases: two raised in 2025 (one by office B), one in 2024
  for (const [i, raisedOn, office] of [
    [0, '2025-02-01', officeA],
    [2, '2025-08-01', officeB],
    [1, '2024-05-01', officeA],
  ] as const)
    await ok(admin({ method: 'POST', url: '/api/v1/unitedfront/cases', payload: { officeId: office.id, enterpriseId: companies[i]?.id, problem: `诉求${raisedOn}`, category: '融资', raisedOn } }));

  // integrity: two risk points, three rules of which one revised in 2025
  const owner = members[0];
  for (const office of [officeA, officeB])
    await ok(
      admin({
        method: 'POST',
        url: '/api/v1/unitedfront/integrity/risks',
        payload: { officeId: office.id, duty: '财务报销', risk: '虚报冒领', level: 'high', controls: '双人审核', ownerPersonId: owner, reviewDueOn: '2030-01-01' },
      }),
    );
  for (const title of ['差旅费管理规定', '公务用车管理办法', '会议管理规定']) {
    const r = await ok<{ id: string; version: number }>(admin({ method: 'POST', url: '/api/v1/unitedfront/integrity/rules', payload: { officeId: officeA.id, title, adoptedOn: '2020-01-01', summary: '制定' } }));
    if (title === '差旅费管理规定') await ok(admin({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${r.id}/revisions`, payload: { version: r.version, revisedOn: '2025-07-01', summary: '调整标准' } }));
  }

  // publicity: three in 2025 (one of office B), one in 2024
  for (const [title, publishedOn, office] of [
    ['统战之声一', '2025-01-05', officeA],
    ['统战之声二', '2025-03-05', officeA],
    ['公众号推送', '2025-05-05', officeB],
    ['去年的稿件', '2024-05-05', officeA],
  ] as const)
    await ok(admin({ method: 'POST', url: '/api/v1/unitedfront/publicity', payload: { officeId: office.id, title, channel: 'wechat', publishedOn } }));
}, 120_000);

describe('ledgers (台账)', () => {
  it('exports each area with its standard columns and a row per record of the period', async () => {
    const activities = (await workbook(admin, `/api/v1/reports/ledgers/activities?${year2025}`)).getWorksheet('活动台账');
    expect(headerOf(activities).slice(0, 5)).toEqual(['开始时间', '结束时间', '活动类型', '组织单位', '主题']);
    expect(dataRows(activities)).toBe(4); // three studies and the theme Party day, not last year's

    const problems = (await workbook(admin, `/api/v1/reports/ledgers/problems?${year2025}`)).getWorksheet('整改台账');
    expect(headerOf(problems)).toEqual(['序号', '问题', '来源', '类别', '认领领导', '整改措施', '责任人', '完成时限', '状态', '验收人', '销号日期']);
    expect(dataRows(problems)).toBe(3);

    const enterprises = (await workbook(admin, `/api/v1/reports/ledgers/enterprises?${year2025}`)).getWorksheet('企业台账');
    expect(headerOf(enterprises).slice(0, 4)).toEqual(['序号', '企业名称', '统一社会信用代码', '企业类型']);
    expect(column(enterprises, 2).sort()).toEqual(['丙公司', '乙公司', '甲公司']);

    const contacts = (await workbook(admin, `/api/v1/reports/ledgers/contacts?${year2025}`)).getWorksheet('统战成员');
    expect(headerOf(contacts)[0]).toBe('姓名');
    expect(dataRows(contacts)).toBe(2);

    const cases = (await workbook(admin, `/api/v1/reports/ledgers/cases?${year2025}`)).getWorksheet('服务事项台账');
    expect(headerOf(cases).slice(0, 4)).toEqual(['序号', '受理日期', '提出方', '提出方类型']);
    expect(column(cases, 2)).toEqual(['2025-02-01', '2025-08-01']);

    const integrity = await workbook(admin, `/api/v1/reports/ledgers/integrity?${year2025}`);
    expect(integrity.worksheets.map((w) => w.name)).toEqual(['廉政风险点台账', '制度台账']);
    expect(dataRows(integrity.getWorksheet('廉政风险点台账'))).toBe(2);
    const rules = integrity.getWorksheet('制度台账');
    expect(dataRows(rules)).toBe(3);
    expect(column(rules, 5).reduce<number>((n, v) => n + Number(v), 0)).toBe(1);

    const publicity = (await workbook(admin, `/api/v1/reports/ledgers/publicity?${year2025}`)).getWorksheet('宣传信息台账');
    expect(headerOf(publicity).slice(0, 3)).toEqual(['序号', '刊发日期', '标题']);
    expect(column(publicity, 3)).toEqual(['统战之声一', '统战之声二', '公众号推送']);

    const points = (await workbook(admin, `/api/v1/reports/ledgers/points?${year2025}`)).worksheets[0];
    expect(headerOf(points).slice(0, 3)).toEqual(['支部', '姓名', '年度积分']);
    expect(dataRows(points)).toBe(evaluationRows);
  });

  it('narrows to a unit’s subtree', async () => {
    const q = `${year2025}&unitId=${officeB.id}`;
    expect(dataRows((await workbook(admin, `/api/v1/reports/ledgers/activities?${q}`)).getWorksheet('活动台账'))).toBe(1);
    expect(column((await workbook(admin, `/api/v1/reports/ledgers/enterprises?${q}`)).getWorksheet('企业台账'), 2)).toEqual(['丙公司']);
    expect(column((await workbook(admin, `/api/v1/reports/ledgers/publicity?${q}`)).getWorksheet('宣传信息台账'), 3)).toEqual(['公众号推送']);
    expect(dataRows((await workbook(admin, `/api/v1/reports/ledgers/integrity?${q}`)).getWorksheet('制度台账'))).toBe(0);
  });

  it('combines the period into one workbook, a sheet per area with the same rows', async () => {
    const wb = await workbook(admin, `/api/v1/reports/ledgers?${year2025}`);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '活动台账', '党员积分台账', '整改台账', '统战成员台账', '企业台账', '服务事项台账', '廉政风险点台账', '制度台账', '宣传信息台账']);
    const counts = Object.fromEntries(wb.worksheets.slice(1).map((w) => [w.name, dataRows(w)]));
    expect(counts).toEqual({ 活动台账: 4, 党员积分台账: evaluationRows, 整改台账: 3, 统战成员台账: 2, 企业台账: 3, 服务事项台账: 2, 廉政风险点台账: 2, 制度台账: 3, 宣传信息台账: 3 });
    expect(headerOf(wb.getWorksheet('整改台账'))[1]).toBe('问题');
    // the note sheet states each sheet's row count
    const note = wb.getWorksheet('说明');
    const stated: Record<string, unknown> = {};
    note?.eachRow((row) => {
      const name = row.getCell(1).value;
      if (typeof name === 'string' && name in counts) stated[name] = row.getCell(2).value;
    });
    expect(stated).toEqual(counts);
  });

  it('keeps to the viewer’s scope and permissions', async () => {
    // granted on office B: its records only
    expect(dataRows((await workbook(officeBViewer, `/api/v1/reports/ledgers/activities?${year2025}`)).getWorksheet('活动台账'))).toBe(1);
    expect(column((await workbook(officeBViewer, `/api/v1/reports/ledgers/cases?${year2025}`)).getWorksheet('服务事项台账'), 2)).toEqual(['2025-08-01']);
    // no rectification.read: that area is refused, and left out of the combined workbook
    expect((await officeBViewer({ url: `/api/v1/reports/ledgers/problems?${year2025}` })).statusCode).toBe(403);
    expect((await officeBViewer({ url: `/api/v1/reports/ledgers/contacts?${year2025}` })).statusCode).toBe(403);
    const wb = await workbook(officeBViewer, `/api/v1/reports/ledgers?${year2025}`);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '活动台账', '企业台账', '服务事项台账', '廉政风险点台账', '制度台账', '宣传信息台账']);
    expect(dataRows(wb.getWorksheet('企业台账'))).toBe(1);
    const combinedOnlyNote = await workbook(reportsOnly, `/api/v1/reports/ledgers?${year2025}`);
    expect(combinedOnlyNote.worksheets.map((w) => w.name)).toEqual(['说明']);
  });

  it('refuses a bad period, an unknown area or unit', async () => {
    expect((await admin({ url: '/api/v1/reports/ledgers/activities?from=2025-12-31&to=2025-01-01' })).statusCode).toBe(400);
    expect((await admin({ url: `/api/v1/reports/ledgers/nope?${year2025}` })).statusCode).toBe(400);
    expect((await admin({ url: `/api/v1/reports/ledgers/activities?${year2025}&unitId=00000000-0000-4000-8000-000000000000` })).statusCode).toBe(404);
  });
});

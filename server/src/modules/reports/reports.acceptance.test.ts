import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, type ActivityType, type PreviewResponse, type ProblemCategory, type Template } from '@tongxin/contracts';
import { CSRF, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { bodyHash, defaultTemplates, previousBodies, seedReportTemplates } from './reports.defaults';

/**
 * Issue 8's acceptance: every figure of the reference report (model-organ-report.zh.txt)
 * stands on records created through the HTTP API only, the shipped template states each of
 * them, and a changed record moves exactly its figure. Fixtures (tenant, units, users) come
 * from the harness; every record behind a figure goes through the routes users call.
 */
const { app, db } = await testApp();
let t: TenantFixture;
let office: OrgUnitRow, committee: OrgUnitRow, branch: OrgUnitRow;
let admin: Client, owner: Client;
let ownerUserId: string;
const types = new Map<string, string>();

// the last 365 Shanghai days: records of any day the test runs on fall into it
const shanghaiToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const dayOffset = (n: number) => new Date(Date.parse(`${shanghaiToday}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const period = { kind: 'range', from: dayOffset(-364), to: shanghaiToday };
/** a day in the period, spread over its first ten months */
const dayOf = (i: number) => dayOffset(-330 + (i % 300));

/** Runs the calls in parallel batches: fast, without flooding the pool. */
async function inBatches<T, R>(items: T[], size: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((x, j) => fn(x, i + j)))));
  return out;
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function ok<T>(res: Promise<{ statusCode: number; body: string; json: <U>() => U }>, status = [200, 201]): Promise<T> {
  const r = await res;
  expect(status, r.body.slice(0, 500)).toContain(r.statusCode);
  return r.json<T>();
}

type Made = { id: string; version: number };

/** An activity created, held, and (with people) its attendance recorded: three API calls. */
async function activity(
  code: string,
  o: { unit?: OrgUnitRow; topic: string; day: string; extra?: Record<string, string | number>; present?: string[]; enterpriseIds?: string[] },
): Promise<Made> {
  const people = o.present ?? [];
  const a = await ok<Made>(
    admin({
      method: 'POST',
      url: '/api/v1/activities',
      payload: {
        typeId: types.get(code),
        unitId: (o.unit ?? office).id,
        topic: o.topic,
        startsAt: `${o.day}T09:00:00+08:00`,
        endsAt: `${o.day}T11:00:00+08:00`,
        extra: o.extra ?? {},
        ...(o.enterpriseIds ? { enterpriseIds: o.enterpriseIds } : {}),
        ...(people.length ? { participants: { personIds: people } } : {}),
      },
    }),
  );
  const held = await ok<Made>(admin({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'held' } }));
  if (people.length) await ok(admin({ method: 'POST', url: `/api/v1/activities/${a.id}/attendance`, payload: { items: people.map((personId) => ({ personId, attendance: 'present' })) } }));
  return { id: a.id, version: held.version };
}

let creditSeq = 0;
function creditCode(): string {
  creditSeq += 1;
  const first17 = `9134180${String(1_000_000_000 + creditSeq).slice(-10)}`;
  return `${first17}${creditCodeCheckChar(first17) ?? ''}`;
}

const made: Record<string, Made[]> = {};
let taiwanCompanies: { id: string; name: string }[] = [];
let openTaiwanCase: Made | undefined;

beforeAll(async () => {
  t = await buildTenant(db);
  office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  branch = await buildUnit(db, t, { parent: committee, type: 'branch', name: '机关第一党支部' });
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
        'activities.catalog',
        'programs.read',
        'programs.write',
        'feedback.read',
        'feedback.manage',
        'rectification.read',
        'rectification.write',
        'rectification.verify',
        'unitedfront.read',
        'unitedfront.write',
        'reports.read',
        'reports.write',
      ],
    }),
  );
  const ownerName = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['rectification.read', 'rectification.write'] });
  owner = await signIn(app, ownerName);
  ownerUserId = (await ok<{ userId: string }>(owner({ url: '/api/v1/auth/me' }))).userId;

  // the department meeting (部务会) is a type this department adds to its catalogue
  await ok(
    admin({ method: 'POST', url: '/api/v1/activity-types', payload: { code: 'department_meeting', nameZh: '部务会议', nameEn: 'Department meeting', category: 'meeting', takesAttendance: false } }),
  );
  for (const x of (await ok<{ items: ActivityType[] }>(admin({ url: '/api/v1/activity-types' }))).items) types.set(x.code, x.id);

  // 40 people outside the Party attend the training classes; they go in through the people API
  const trainees = await inBatches(range(40), 10, (i) =>
    ok<{ id: string }>(admin({ method: 'POST', url: '/api/v1/people', payload: { name: `学员${i + 1}`, gender: i % 2 ? 'female' : 'male', officeId: office.id, partyStatus: 'none' } })),
  );
  const traineeIds = trainees.map((p) => p.id);

  // registered enterprises: 22 private, 32 Taiwan-funded, 2 overseas-Chinese-funded
  const company = (name: string, type: string) => ok<{ id: string; name: string }>(admin({ method: 'POST', url: '/api/v1/unitedfront/enterprises', payload: { name, creditCode: creditCode(), type, officeId: office.id } }));
  const privateCompanies = await inBatches(range(22), 8, (i) => company(`民营企业${i + 1}号`, 'private'));
  taiwanCompanies = await inBatches(range(32), 8, (i) => company(`台资企业${i + 1}号`, 'taiwan_funded'));
  const overseas = await inBatches(range(2), 2, (i) => company(`侨资企业${i + 1}号`, 'overseas_chinese_funded'));

  const specs: { code: string; n: number; o: (i: number) => Omit<Parameters<typeof activity>[1], 'day'> }[] = [
    { code: 'field_teaching', n: 4, o: (i) => ({ topic: `党史学习教育现场教学${i + 1}`, extra: { placeVisited: i % 2 ? '许家朋烈士陵园' : '新四军军部旧址' } }) },
    // 15 × 40 + 37 = 637 trainee people-times
    {
      code: 'training_class',
      n: 16,
      o: (i) => ({ topic: `党外人士培训班第${i + 1}期`, extra: { traineeCategory: ['民主党派', '党外知识分子', '新的社会阶层人士'][i % 3] ?? '', hours: 8 }, present: traineeIds.slice(0, i === 15 ? 37 : 40) }),
    },
    // 21 collective study meetings ("20余次"), 15 of them on Party history
    { code: 'collective_study', n: 21, o: (i) => ({ topic: i < 15 ? `党史集中学习第${i + 1}次` : `机关集体学习：专题${i + 1}` }) },
    { code: 'symposium', n: 13, o: (i) => ({ topic: `学习交流研讨第${i + 1}次` }) },
    { code: 'central_group_study_extended', n: 2, o: (i) => ({ unit: committee, topic: `理论学习中心组（扩大）会议第${i + 1}次` }) },
    { code: 'department_meeting', n: 5, o: (i) => ({ unit: t.root, topic: `机关党委向部务会议汇报党建工作（第${i + 1}次）` }) },
    { code: 'department_meeting', n: 4, o: (i) => ({ unit: t.root, topic: `部务会分析研判党风廉政建设重点工作（第${i + 1}次）` }) },
    { code: 'branch_committee_meeting', n: 15, o: (i) => ({ unit: branch, topic: `党委委员会议第${i + 1}次` }) },
    // 12 visits to 4 contact villages ("10余次")
    { code: 'field_visit', n: 12, o: (i) => ({ topic: '联系村走访调研', extra: { placeKind: 'village', placeName: `联系村${(i % 4) + 1}` } }) },
    {
      code: 'field_visit',
      n: 22,
      o: (i) => ({ topic: '优化营商环境专题调研', extra: { placeKind: 'enterprise', placeName: privateCompanies[i]?.name ?? '' }, enterpriseIds: [privateCompanies[i]?.id ?? ''] }),
    },
    {
      code: 'field_visit',
      n: 32,
      o: (i) => ({ topic: '贴心服务助台企专项行动', extra: { placeKind: 'enterprise', placeName: taiwanCompanies[i]?.name ?? '' }, enterpriseIds: [taiwanCompanies[i]?.id ?? ''] }),
    },
    // 10 volunteer services × 30 = 300 people-times
    { code: 'volunteer_service', n: 10, o: () => ({ topic: '同心志愿服务队参与疫情防控', extra: { hours: 4 }, present: traineeIds.slice(10, 40) }) },
    { code: 'warning_education', n: 5, o: (i) => ({ topic: `警示教育第${i + 1}次` }) },
  ];
  const jobs = specs.flatMap((s) => range(s.n).map((i) => ({ key: s.code, args: { ...s.o(i), day: dayOf(i * 7) } })));
  const results = await inBatches(jobs, 8, (j) => activity(j.key, j.args));
  jobs.forEach((j, i) => {
    const r = results[i];
    if (r) (made[j.key] ??= []).push(r);
  });

  // programs: 19 key tasks and 4 service projects (我为统战成员办实事)
  const program = await ok<{ id: string }>(
    admin({ method: 'POST', url: '/api/v1/programs', payload: { title: '模范机关建设“五项行动”', ownerUnitId: t.root.id, startsOn: period.from, endsOn: period.to } }),
  );
  const items = [...range(19).map((i) => ({ kind: 'key_task', title: `机关党建重点工作${i + 1}` })), ...range(4).map((i) => ({ kind: 'service_project', title: `我为统战成员办实事项目${i + 1}` }))];
  await inBatches(items, 8, (item) => ok(admin({ method: 'POST', url: `/api/v1/programs/${program.id}/items`, payload: item })));

  // 11 problems found on the village visits, each rectified: a measure done by its owner, verified by another
  const categories = (await ok<{ items: ProblemCategory[] }>(admin({ url: '/api/v1/rectification/categories' }))).items;
  await inBatches(range(11), 4, async (i) => {
    const p = await ok<{ id: string }>(
      admin({
        method: 'POST',
        url: '/api/v1/rectification/problems',
        payload: { source: 'research', title: `联系村反映问题${i + 1}`, description: '走访中群众反映', categoryId: categories[0]?.id, foundOn: dayOf(i), programId: program.id },
      }),
    );
    const withMeasure = await ok<{ measureList: Made[] }>(
      admin({ method: 'POST', url: `/api/v1/rectification/problems/${p.id}/measures`, payload: { title: '协调有关部门解决', ownerUserId, deadline: dayOffset(30) } }),
    );
    const m = withMeasure.measureList[0];
    const done = await ok<{ measureList: Made[] }>(owner({ method: 'POST', url: `/api/v1/rectification/measures/${m?.id}/progress`, payload: { percent: 100, note: '已协调解决' } }));
    await ok(admin({ method: 'POST', url: `/api/v1/rectification/measures/${m?.id}/verify`, payload: { version: done.measureList[0]?.version } }));
  });

  // 350 questionnaires answered on the public form, from as many devices
  const form = await ok<Made & { publicId: string }>(
    admin({ method: 'POST', url: '/api/v1/feedback/forms', payload: { title: '营商环境调查问卷', programId: program.id, fields: [{ key: 'opinion', label: '意见建议', kind: 'text', required: true }] } }),
  );
  const opened = await ok<{ publicId: string }>(admin({ method: 'POST', url: `/api/v1/feedback/forms/${form.id}/status`, payload: { version: form.version, status: 'open' } }));
  await inBatches(range(350), 25, (i) =>
    ok(
      app.inject({
        method: 'POST',
        url: `/api/v1/public/forms/${opened.publicId}/responses`,
        headers: { ...CSRF },
        remoteAddress: `10.8.${Math.floor(i / 200)}.${i % 200}`,
        payload: { answers: { opinion: `建议${i + 1}` } },
      }),
    ),
  );

  // service cases: 6 problems of Taiwan-funded enterprises, 5 resolved; 10 + 2 projects helped to signing
  const newCase = (enterpriseId: string, problem: string, category: string, i: number) =>
    ok<Made>(admin({ method: 'POST', url: '/api/v1/unitedfront/cases', payload: { officeId: office.id, enterpriseId, problem, category, raisedOn: dayOf(i) } }));
  const taiwanCases = await inBatches(range(6), 6, (i) => newCase(taiwanCompanies[i]?.id ?? '', `台企反映用工问题${i + 1}`, '用工', i));
  await inBatches(taiwanCases.slice(0, 5), 5, (c) =>
    ok(admin({ method: 'POST', url: `/api/v1/unitedfront/cases/${c.id}/followups`, payload: { version: c.version, note: '会同人社部门协调', status: 'resolved', result: '已解决', closedOn: shanghaiToday } })),
  );
  openTaiwanCase = taiwanCases[5];
  const signing = [...range(10).map((i) => taiwanCompanies[10 + i]?.id ?? ''), ...overseas.map((c) => c.id)];
  await inBatches(signing, 6, (id, i) => newCase(id, '组织参加2021世界制造业大会签约活动', '项目签约', i));

  // 8 rules adopted before the period and revised in it
  await inBatches(range(8), 4, async (i) => {
    const rule = await ok<Made>(
      admin({ method: 'POST', url: '/api/v1/unitedfront/integrity/rules', payload: { officeId: office.id, title: `管理规定${i + 1}`, adoptedOn: dayOffset(-800), summary: '首次制定' } }),
    );
    await ok(admin({ method: 'POST', url: `/api/v1/unitedfront/integrity/rules/${rule.id}/revisions`, payload: { version: rule.version, revisedOn: dayOf(i), summary: '修订完善' } }));
  });
}, 180_000);

async function generate(): Promise<PreviewResponse> {
  const templates = await ok<Template[]>(admin({ url: '/api/v1/reports/templates' }));
  const body = templates.find((x) => x.code === 'model_organ')?.body ?? '';
  const p = await ok<PreviewResponse>(admin({ method: 'POST', url: '/api/v1/reports/summaries/preview', payload: { period, unitIds: [], body } }));
  expect(p.errors).toEqual([]);
  return p;
}

/** The reference report's figures, as the shipped template states them (20余 → 21, 10余 → 12). */
const figures = [
  '开展现场教学4次',
  '共举办培训班16期，培训党外人士637人次',
  '共召开机关集体学习会议21次，其中组织党史集中学习15次',
  '开展学习交流研讨13次，召开理论学习中心组（扩大）会议2次',
  '向部务会议汇报党建工作5次，召开党委委员会议15次，研究推进机关党建重点工作19项',
  '实施“我为统战成员办实事”项目4个',
  '走访调研联系村12次，帮助协调解决问题11个',
  '实地走访民营企业22家，发放调查问卷350份',
  '走访台资企业32家，协调有关部门解决问题5个',
  '组织10个台资、2个侨资项目参加签约活动',
  '参与志愿服务300人次',
  '部务会先后4次分析研判党风廉政建设重点工作',
  '修订完善制度8项',
  '开展警示教育5次',
];

describe('the reference report from records (issue 8 acceptance)', () => {
  it('generates the summary from the shipped template with every figure of the reference report', async () => {
    const p = await generate();
    for (const f of figures) expect(p.text).toContain(f);
    // every figure carries its records: the 637 people-times stand on 16 classes
    const trainees = p.figures.find((f) => f.source === '{{training.trainees party=none}}');
    expect([trainees?.value, trainees?.records.length]).toEqual([637, 16]);
    const visits = p.figures.find((f) => f.source === '{{enterprises.visited enterprise_type=private}}');
    expect(visits?.records).toHaveLength(22);
  });

  it('follows a changed record: exactly its figure changes, the others stay', async () => {
    const before = await generate();
    const changedFigures = (after: PreviewResponse) => after.figures.filter((f, i) => f.value !== before.figures[i]?.value).map((f) => [f.source, before.figures[f.index]?.value, f.value]);

    // a warning-education session cancelled as entered twice
    const w = made.warning_education?.[4];
    await ok(admin({ method: 'POST', url: `/api/v1/activities/${w?.id}/cancel`, payload: { version: w?.version, reason: '录入重复' } }));
    const after = await generate();
    expect(changedFigures(after)).toEqual([['{{activities.count type=warning_education}}', 5, 4]]);
    expect(after.text).toContain('开展警示教育4次');

    // the sixth Taiwan-funded enterprise's problem resolved: only that figure (and the one above) moved
    const c = openTaiwanCase;
    await ok(admin({ method: 'POST', url: `/api/v1/unitedfront/cases/${c?.id}/followups`, payload: { version: c?.version, note: '协调解决', status: 'resolved', result: '已解决', closedOn: shanghaiToday } }));
    const third = await generate();
    expect(changedFigures(third)).toEqual([
      ['{{cases.resolved enterprise_type=taiwan_funded}}', 5, 6],
      ['{{activities.count type=warning_education}}', 5, 4],
    ]);
    expect(third.text).toContain('走访台资企业32家，协调有关部门解决问题6个');
  });
});

describe('shipped templates stay upgradeable', () => {
  it('brings an unedited template of an older release to the current body, and leaves an edited one alone', async () => {
    const current = defaultTemplates.find((x) => x.code === 'model_organ');
    const old = 'model_organ';
    expect(previousBodies[old]?.length).toBeGreaterThan(0);
    expect(previousBodies[old]).not.toContain(bodyHash(current?.body ?? ''));
    const other = await buildTenant(db, '另一个统战部');
    // simulate a tenant seeded by an older release: a body whose hash is listed as shipped before
    const oldBody = '旧模板';
    const listed = { ...previousBodies };
    previousBodies[old] = [...(previousBodies[old] ?? []), bodyHash(oldBody)];
    try {
      await db.execute(sql`update report_templates set body = ${oldBody} where tenant_id = ${other.tenantId} and code = ${old}`);
      await db.transaction((tx) => seedReportTemplates(tx, other.tenantId));
      await db.transaction((tx) => seedReportTemplates(tx, other.tenantId));
      const rows = await db.execute<{ body: string; version: number }>(sql`select body, version from report_templates where tenant_id = ${other.tenantId} and code = ${old}`);
      expect(rows.rows[0]?.body).toBe(current?.body);
      expect(rows.rows[0]?.version).toBe(2);
      // edited by the tenant: kept as it is
      await db.execute(sql`update report_templates set body = '我们自己的总结' where tenant_id = ${other.tenantId} and code = ${old}`);
      await db.transaction((tx) => seedReportTemplates(tx, other.tenantId));
      const kept = await db.execute<{ body: string }>(sql`select body from report_templates where tenant_id = ${other.tenantId} and code = ${old}`);
      expect(kept.rows[0]?.body).toBe('我们自己的总结');
    } finally {
      Object.assign(previousBodies, listed);
    }
  });
});

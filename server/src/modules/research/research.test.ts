import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ActivityDetail, ActivityType, ErrorBody, ProblemDetail, ResearchCounts, TopicDetail, TopicSummary } from '@tongxin/contracts';
import type { OrgUnitRow } from '../org/org.repo';
import { CSRF, buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

const { app, db } = await testApp();

let tenant: TenantFixture;
let office: OrgUnitRow;
let otherOffice: OrgUnitRow;
let staff: Client;
let reader: Client;
let narrow: Client;
let foreign: Client;
let leadId: string;
let memberIds: string[];
let foreignPersonId: string;
let foreignActivityId: string;
let categoryId: string;
let foreignRect: Client;
const types = new Map<string, ActivityType>();

const URL = '/api/v1/research';

beforeAll(async () => {
  tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '党派工作科' });
  otherOffice = await buildUnit(db, tenant, { name: '民族宗教科' });
  leadId = await buildPerson(db, tenant.tenantId, { officeId: office.id, name: '牛部长' });
  memberIds = [await buildPerson(db, tenant.tenantId, { officeId: office.id, name: '组员甲' }), await buildPerson(db, tenant.tenantId, { officeId: office.id, name: '组员乙' })];
  staff = await signIn(
    app,
    await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read', 'unitedfront.write', 'activities.read', 'activities.write', 'rectification.read', 'rectification.write'] }),
  );
  reader = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read'] }));
  narrow = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: otherOffice.id, permissions: ['unitedfront.read', 'unitedfront.write'] }));
  for (const ty of (await staff({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>().items) types.set(ty.code, ty);
  categoryId = (await staff({ url: '/api/v1/rectification/categories' })).json<{ items: { id: string }[] }>().items[0]?.id ?? '';

  const t2 = await buildTenant(db, '别的部门');
  const o2 = await buildUnit(db, t2, { name: '办公室' });
  foreignPersonId = await buildPerson(db, t2.tenantId, { officeId: o2.id });
  foreign = await signIn(app, await buildUser(db, t2.tenantId, { scopeUnitId: t2.root.id, permissions: ['unitedfront.read', 'unitedfront.write', 'activities.read', 'activities.write'] }));
  foreignRect = await signIn(app, await buildUser(db, t2.tenantId, { scopeUnitId: t2.root.id, permissions: ['rectification.read', 'rectification.write'] }));
  const ft = (await foreign({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>().items.find((x) => x.code === 'symposium');
  foreignActivityId = (await foreign({ method: 'POST', url: '/api/v1/activities', payload: activity(ft?.id ?? '', o2.id, '外部座谈') })).json<ActivityDetail>().id;
});

function activity(typeId: string, unitId: string, topic: string, o: Record<string, unknown> = {}) {
  const start = Date.parse('2026-04-01T01:00:00Z');
  return { typeId, unitId, topic, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString(), ...o };
}

/** An activity of the type, held (a planned visit is not a place visited). */
async function held(code: string, topic: string, extra: Record<string, unknown> = {}, startsAt = '2026-04-01T01:00:00Z'): Promise<string> {
  const start = Date.parse(startsAt);
  const res = await staff({
    method: 'POST',
    url: '/api/v1/activities',
    payload: activity(types.get(code)?.id ?? '', office.id, topic, { extra, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3_600_000).toISOString() }),
  });
  if (res.statusCode !== 201) throw new Error(`activity: ${res.body}`);
  const a = res.json<ActivityDetail>();
  const t = await staff({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'held' } });
  if (t.statusCode !== 200) throw new Error(`held: ${t.body}`);
  return a.id;
}

const topicBody = (o: Record<string, unknown> = {}) => ({
  officeId: office.id,
  title: '持续优化营商环境，构建亲清新型政商关系',
  leadPersonId: leadId,
  memberIds,
  plan: '走访民营企业、召开座谈会、形成调研报告',
  startsOn: '2026-03-01',
  endsOn: '2026-09-30',
  ...o,
});

async function createTopic(o: Record<string, unknown> = {}): Promise<TopicDetail> {
  const res = await staff({ method: 'POST', url: `${URL}/topics`, payload: topicBody(o) });
  expect(res.statusCode).toBe(201);
  return res.json<TopicDetail>();
}

async function topicCount(): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from research_topics where tenant_id = ${tenant.tenantId}`);
  return r.rows[0]?.n ?? 0;
}

describe('research topics', () => {
  it('creates a topic with its lead, members, plan and period, and edits it with a version', async () => {
    const t = await createTopic();
    expect(t).toMatchObject({ leadName: '牛部长', officeName: '党派工作科', activities: 0, suggestions: 0, hasReport: false, report: null });
    expect(t.members.map((m) => m.name).sort()).toEqual(['组员乙', '组员甲'].sort());
    const edited = await staff({ method: 'PATCH', url: `${URL}/topics/${t.id}`, payload: { version: t.version, endsOn: '2026-10-31', memberIds: [memberIds[0]] } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<TopicDetail>()).toMatchObject({ endsOn: '2026-10-31', members: [{ name: '组员甲' }] });
    const stale = await staff({ method: 'PATCH', url: `${URL}/topics/${t.id}`, payload: { version: t.version, title: '旧版本' } });
    expect(stale.statusCode).toBe(409);
    const list = (await reader({ url: `${URL}/topics?q=${encodeURIComponent('亲清')}` })).json<{ items: TopicSummary[]; total: number }>();
    expect(list.items.map((x) => x.id)).toContain(t.id);
  });

  it.each([
    ['no lead', () => { const { leadPersonId: _l, ...b } = topicBody(); return b; }, 'leadPersonId'],
    ['a lead of another tenant', () => topicBody({ leadPersonId: foreignPersonId }), 'leadPersonId'],
    ['a member of another tenant', () => topicBody({ memberIds: [memberIds[0], foreignPersonId] }), 'memberIds.1'],
    ['a member twice', () => topicBody({ memberIds: [memberIds[0], memberIds[0]] }), 'memberIds'],
    ['a period ending before it starts', () => topicBody({ startsOn: '2026-05-01', endsOn: '2026-04-01' }), 'endsOn'],
    ['an empty title', () => topicBody({ title: '  ' }), 'title'],
    ['an office outside the scope', () => topicBody({ officeId: office.id }), 'officeId'],
  ])('refuses a topic with %s, and changes nothing', async (_name, body, path) => {
    const before = await topicCount();
    const who = path === 'officeId' ? narrow : staff;
    const res = await who({ method: 'POST', url: `${URL}/topics`, payload: body() });
    expect(res.statusCode).toBe(400);
    const err = res.json<ErrorBody>().error;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(err.details)).toContain(path);
    expect(await topicCount()).toBe(before);
  });

  it('links field trips and symposiums, lists the places visited, and refuses other activities', async () => {
    const t = await createTopic({ title: '乡村振兴同心实践' });
    const visit = await held('field_visit', '走访宣州区', { placeKind: 'district', placeName: '宣州区' });
    const town = await held('field_visit', '走访水东镇', { placeKind: 'town', placeName: '水东镇' });
    const sym = await held('symposium', '民营企业家座谈会');
    for (const id of [visit, town, sym]) {
      const res = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/activities`, payload: { activityId: id } });
      expect(res.statusCode).toBe(201);
    }
    const d = (await reader({ url: `${URL}/topics/${t.id}` })).json<TopicDetail>();
    expect(d).toMatchObject({ activities: 3, symposiums: 1 });
    expect(d.places).toEqual([
      { kind: 'district', name: '宣州区' },
      { kind: 'town', name: '水东镇' },
    ]);
    expect(d.activityList.find((a) => a.id === visit)).toMatchObject({ typeCode: 'field_visit', placeKind: 'district', placeName: '宣州区' });

    const twice = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/activities`, payload: { activityId: visit } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().error.code).toBe('DUPLICATE');
    const study = await held('collective_study', '集体学习');
    const wrongType = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/activities`, payload: { activityId: study } });
    expect(wrongType.json<ErrorBody>().error.details).toContainEqual({ path: 'activityId', problem: 'not a field visit or a symposium' });
    const other = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/activities`, payload: { activityId: foreignActivityId } });
    expect(other.statusCode).toBe(400);
    expect(other.json<ErrorBody>().error.details).toContainEqual({ path: 'activityId', problem: 'unknown activity' });

    const unlinked = await staff({ method: 'DELETE', url: `${URL}/topics/${t.id}/activities/${sym}`, headers: CSRF });
    expect(unlinked.json<TopicDetail>()).toMatchObject({ activities: 2, symposiums: 0 });
    const again = await staff({ method: 'DELETE', url: `${URL}/topics/${t.id}/activities/${sym}`, headers: CSRF });
    expect(again.statusCode).toBe(404);
  });

  it('collects suggestions, only from its own activities, and never dated in the future', async () => {
    const t = await createTopic({ title: '民族团结进步' });
    const sym = await held('symposium', '宗教界人士座谈会');
    await staff({ method: 'POST', url: `${URL}/topics/${t.id}/activities`, payload: { activityId: sym } });
    const ok = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/suggestions`, payload: { content: '加强宗教活动场所消防安全', source: '某寺庙', activityId: sym, receivedOn: '2026-04-01' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<TopicDetail>()).toMatchObject({ suggestions: 1, suggestionList: [{ content: '加强宗教活动场所消防安全', activityId: sym }] });
    const unlinkedAct = await held('symposium', '别的座谈会');
    const bad = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/suggestions`, payload: { content: 'x', activityId: unlinkedAct, receivedOn: '2026-04-01' } });
    expect(bad.json<ErrorBody>().error.details).toContainEqual({ path: 'activityId', problem: 'not an activity of this topic' });
    const future = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/suggestions`, payload: { content: 'x', receivedOn: '2999-01-01' } });
    expect(future.statusCode).toBe(400);
    const empty = await staff({ method: 'POST', url: `${URL}/topics/${t.id}/suggestions`, payload: { content: '', receivedOn: '2026-04-01' } });
    expect(empty.statusCode).toBe(400);
    const after = (await reader({ url: `${URL}/topics/${t.id}` })).json<TopicDetail>();
    expect(after.suggestions).toBe(1);
  });

  it('uploads the final report (PDF or DOCX only) and serves it back', async () => {
    const t = await createTopic({ title: '新的社会阶层人士' });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const up = await upload(t.id, 'report.pdf', pdf);
    expect(up.statusCode).toBe(201);
    expect(up.json<TopicDetail>()).toMatchObject({ hasReport: true, report: { filename: 'report.pdf', contentType: 'application/pdf', size: pdf.length } });
    const down = await reader({ url: `${URL}/topics/${t.id}/report` });
    expect(down.statusCode).toBe(200);
    expect(down.rawPayload.equals(pdf)).toBe(true);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const refused = await upload(t.id, 'photo.pdf', png);
    expect(refused.statusCode).toBe(415);
    expect((await reader({ url: `${URL}/topics/${t.id}` })).json<TopicDetail>().report?.filename).toBe('report.pdf');
    const none = await reader({ url: `${URL}/topics/${(await createTopic({ title: '无报告' })).id}/report` });
    expect(none.statusCode).toBe(404);
  });

  it('turns a recommendation into a rectification problem (source research), once', async () => {
    const t = await createTopic({ title: '为企纾困解难' });
    const withRec = (await staff({ method: 'POST', url: `${URL}/topics/${t.id}/recommendations`, payload: { content: '建立涉企问题首问负责制' } })).json<TopicDetail>();
    const rec = withRec.recommendationList[0];
    if (!rec) throw new Error('recommendation');
    expect(rec.problemId).toBeNull();
    const noRight = await reader({ method: 'POST', url: `${URL}/recommendations/${rec.id}/problem`, payload: { categoryId } });
    expect(noRight.statusCode).toBe(403);
    const badCat = await staff({ method: 'POST', url: `${URL}/recommendations/${rec.id}/problem`, payload: { categoryId: foreignPersonId } });
    expect(badCat.statusCode).toBe(400);
    expect((await reader({ url: `${URL}/topics/${t.id}` })).json<TopicDetail>().recommendationList[0]?.problemId).toBeNull();

    const res = await staff({ method: 'POST', url: `${URL}/recommendations/${rec.id}/problem`, payload: { categoryId, foundOn: '2026-05-01' } });
    expect(res.statusCode).toBe(201);
    const linked = res.json<TopicDetail>().recommendationList[0];
    expect(linked?.problemId).toBeTruthy();
    const problem = (await staff({ url: `/api/v1/rectification/problems/${linked?.problemId}` })).json<ProblemDetail>();
    expect(problem).toMatchObject({ source: 'research', title: '建立涉企问题首问负责制', foundOn: '2026-05-01', number: linked?.problemNumber });
    expect(problem.description).toContain('为企纾困解难');
    const twice = await staff({ method: 'POST', url: `${URL}/recommendations/${rec.id}/problem`, payload: { categoryId } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().error.code).toBe('INVALID_STATE');
  });

  it('turns a recommendation into a measure of an existing problem, once, and never after a problem', async () => {
    const measures = async () => (await db.execute<{ n: number }>(sql`select count(*)::int as n from rectification_measures`)).rows[0]?.n ?? -1;
    const ownerUserId = (await staff({ url: '/api/v1/rectification/assignees' })).json<{ items: { id: string }[] }>().items[0]?.id ?? '';
    const problem = (
      await staff({ method: 'POST', url: '/api/v1/rectification/problems', payload: { source: 'research', categoryId, title: '涉企服务响应慢', description: '企业反映诉求办理周期长', foundOn: '2026-04-01' } })
    ).json<ProblemDetail>();
    const t = await createTopic({ title: '优化涉企服务' });
    await staff({ method: 'POST', url: `${URL}/topics/${t.id}/recommendations`, payload: { content: '推行涉企诉求限时办结' } });
    const recs = (await staff({ method: 'POST', url: `${URL}/topics/${t.id}/recommendations`, payload: { content: '建立政企恳谈月制度' } })).json<TopicDetail>().recommendationList;
    const [rec, other] = recs;
    if (!rec || !other) throw new Error('recommendations');
    expect(rec).toMatchObject({ measureId: null, measureProblemId: null });
    const body = { problemId: problem.id, ownerUserId, deadline: '2026-06-30' };
    const url = (id: string) => `${URL}/recommendations/${id}/measure`;

    // errors first: nothing is written
    const before = await measures();
    expect((await reader({ method: 'POST', url: url(rec.id), payload: body })).statusCode).toBe(403);
    const bad = await staff({ method: 'POST', url: url(rec.id), payload: { ...body, deadline: 'tomorrow' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
    const foreignProblem = (
      await foreignRect({ method: 'POST', url: '/api/v1/rectification/problems', payload: { source: 'research', categoryId: (await foreignRect({ url: '/api/v1/rectification/categories' })).json<{ items: { id: string }[] }>().items[0]?.id, title: '外部问题', description: '外部', foundOn: '2026-04-01' } })
    ).json<ProblemDetail>();
    expect(foreignProblem.id).toBeTruthy();
    const elsewhere = await staff({ method: 'POST', url: url(rec.id), payload: { ...body, problemId: foreignProblem.id } });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json<ErrorBody>().error.code).toBe('NOT_FOUND');
    expect((await foreign({ method: 'POST', url: url(rec.id), payload: body })).statusCode).toBe(404);
    expect(await measures()).toBe(before);

    const res = await staff({ method: 'POST', url: url(rec.id), payload: body });
    expect(res.statusCode).toBe(201);
    const linked = res.json<TopicDetail>().recommendationList.find((r) => r.id === rec.id);
    expect(linked).toMatchObject({ problemId: null, measureTitle: '推行涉企诉求限时办结', measureProblemId: problem.id, measureProblemNumber: problem.number });
    const detail = (await staff({ url: `/api/v1/rectification/problems/${problem.id}` })).json<ProblemDetail>();
    expect(detail.measureList.map((m) => m.id)).toEqual([linked?.measureId]);
    expect(detail.measureList[0]).toMatchObject({ title: '推行涉企诉求限时办结', deadline: '2026-06-30' });
    expect(await measures()).toBe(before + 1);

    // converted (to a measure, or to a problem): INVALID_STATE, before any measure is written
    const twice = await staff({ method: 'POST', url: url(rec.id), payload: { ...body, title: '再来一次' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().error.code).toBe('INVALID_STATE');
    const asProblem = await staff({ method: 'POST', url: `${URL}/recommendations/${rec.id}/problem`, payload: { categoryId } });
    expect(asProblem.json<ErrorBody>().error.code).toBe('INVALID_STATE');
    expect((await staff({ method: 'POST', url: `${URL}/recommendations/${other.id}/problem`, payload: { categoryId } })).statusCode).toBe(201);
    const afterProblem = await staff({ method: 'POST', url: url(other.id), payload: body });
    expect(afterProblem.statusCode).toBe(409);
    expect(afterProblem.json<ErrorBody>().error.code).toBe('INVALID_STATE');
    expect(await measures()).toBe(before + 1);
    const final = (await staff({ url: `${URL}/topics/${t.id}` })).json<TopicDetail>().recommendationList;
    expect(final.find((r) => r.id === other.id)).toMatchObject({ measureId: null });
    expect(final.find((r) => r.id === other.id)?.problemId).toBeTruthy();
  });

  it('refuses a recommendation that is both a problem and a measure, in the database', async () => {
    const t = await createTopic({ title: '双重转化' });
    const rec = (await staff({ method: 'POST', url: `${URL}/topics/${t.id}/recommendations`, payload: { content: '一条建议' } })).json<TopicDetail>().recommendationList[0];
    const [m] = (await db.execute<{ id: string; problem_id: string }>(sql`select id, problem_id from rectification_measures limit 1`)).rows;
    if (!rec || !m) throw new Error('fixtures');
    await expect(db.execute(sql`update research_recommendations set problem_id = ${m.problem_id}, measure_id = ${m.id} where id = ${rec.id}`)).rejects.toThrow();
  });

  it('deletes a suggestion and a recommendation not converted, audited; a converted recommendation stays', async () => {
    const t = await createTopic({ title: '删除测试' });
    await staff({ method: 'POST', url: `${URL}/topics/${t.id}/suggestions`, payload: { content: '录错的意见', receivedOn: '2026-04-01' } });
    await staff({ method: 'POST', url: `${URL}/topics/${t.id}/recommendations`, payload: { content: '录错的建议' } });
    const d = (await staff({ method: 'POST', url: `${URL}/topics/${t.id}/recommendations`, payload: { content: '要转为问题的建议' } })).json<TopicDetail>();
    const [sug] = d.suggestionList;
    const [free, kept] = d.recommendationList;
    if (!sug || !free || !kept) throw new Error('fixtures');
    expect((await staff({ method: 'POST', url: `${URL}/recommendations/${kept.id}/problem`, payload: { categoryId } })).statusCode).toBe(201);

    for (const url of [`${URL}/suggestions/${sug.id}`, `${URL}/recommendations/${free.id}`]) {
      expect((await reader({ method: 'DELETE', url })).statusCode).toBe(403);
      expect((await narrow({ method: 'DELETE', url })).statusCode).toBe(404);
      expect((await foreign({ method: 'DELETE', url })).statusCode).toBe(404);
    }
    const converted = await staff({ method: 'DELETE', url: `${URL}/recommendations/${kept.id}` });
    expect(converted.statusCode).toBe(409);
    expect(converted.json<ErrorBody>().error.code).toBe('INVALID_STATE');

    const afterSug = await staff({ method: 'DELETE', url: `${URL}/suggestions/${sug.id}` });
    expect(afterSug.statusCode).toBe(200);
    expect(afterSug.json<TopicDetail>()).toMatchObject({ suggestions: 0, suggestionList: [] });
    const afterRec = (await staff({ method: 'DELETE', url: `${URL}/recommendations/${free.id}` })).json<TopicDetail>();
    expect(afterRec.recommendationList.map((r) => r.id)).toEqual([kept.id]);
    expect((await staff({ method: 'DELETE', url: `${URL}/suggestions/${sug.id}` })).statusCode).toBe(404);
    const audits = await db.execute<{ action: string }>(
      sql`select action from audit_log where target_id in (${sug.id}, ${free.id}) and action like '%.delete' order by action`,
    );
    expect(audits.rows.map((r) => r.action)).toEqual(['research.recommendation.delete', 'research.suggestion.delete']);
  });

  it('hides topics outside the scope and of other tenants', async () => {
    const t = await createTopic({ title: '范围之外' });
    expect((await narrow({ url: `${URL}/topics/${t.id}` })).statusCode).toBe(404);
    expect((await foreign({ url: `${URL}/topics/${t.id}` })).statusCode).toBe(404);
    expect((await narrow({ url: `${URL}/topics` })).json<{ total: number }>().total).toBe(0);
    const link = await narrow({ method: 'POST', url: `${URL}/topics/${t.id}/suggestions`, payload: { content: 'x', receivedOn: '2026-04-01' } });
    expect(link.statusCode).toBe(404);
  });
});

describe('research counts', () => {
  it('counts topics, distinct districts and towns visited, symposiums and suggestions of a period', async () => {
    const t2 = await buildTenant(db, '计数部门');
    const o = await buildUnit(db, t2, { name: '办公室' });
    const lead = await buildPerson(db, t2.tenantId, { officeId: o.id, name: '课题负责人' });
    const c = await signIn(app, await buildUser(db, t2.tenantId, { scopeUnitId: t2.root.id, permissions: ['unitedfront.read', 'unitedfront.write', 'activities.read', 'activities.write'] }));
    const ty = new Map((await c({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>().items.map((x) => [x.code, x.id]));
    const make = async (code: string, topic: string, extra: Record<string, unknown>, at: string, hold = true) => {
      const a = (await c({ method: 'POST', url: '/api/v1/activities', payload: { typeId: ty.get(code), unitId: o.id, topic, extra, startsAt: at, endsAt: at } })).json<ActivityDetail>();
      if (hold) await c({ method: 'POST', url: `/api/v1/activities/${a.id}/transition`, payload: { version: a.version, status: 'held' } });
      return a.id;
    };
    const topics: string[] = [];
    for (const [i, title] of ['课题一', '课题二', '课题三'].entries()) {
      const r = await c({ method: 'POST', url: `${URL}/topics`, payload: { officeId: o.id, title, leadPersonId: lead, startsOn: i < 2 ? '2026-01-01' : '2025-01-01', endsOn: i < 2 ? '2026-12-31' : '2025-06-30' } });
      topics.push(r.json<TopicDetail>().id);
    }
    const [a, b] = topics;
    const link = (topic: string | undefined, id: string) => c({ method: 'POST', url: `${URL}/topics/${topic}/activities`, payload: { activityId: id } });
    // the same district visited for two topics counts once; a planned visit and last year's visit not at all
    await link(a, await make('field_visit', '区1', { placeKind: 'district', placeName: '宣州区' }, '2026-03-01T02:00:00Z'));
    await link(b, await make('field_visit', '区1再访', { placeKind: 'district', placeName: '宣州区' }, '2026-04-01T02:00:00Z'));
    await link(a, await make('field_visit', '区2', { placeKind: 'district', placeName: '郎溪县' }, '2026-03-02T02:00:00Z'));
    await link(a, await make('field_visit', '镇1', { placeKind: 'town', placeName: '水东镇' }, '2026-03-03T02:00:00Z'));
    await link(a, await make('field_visit', '计划中', { placeKind: 'town', placeName: '孙埠镇' }, '2026-03-04T02:00:00Z', false));
    await link(b, await make('field_visit', '去年', { placeKind: 'town', placeName: '杨柳镇' }, '2025-03-04T02:00:00Z'));
    const sym = await make('symposium', '座谈1', {}, '2026-05-01T02:00:00Z');
    await link(a, sym);
    await link(b, sym);
    await link(b, await make('symposium', '座谈2', {}, '2026-05-02T02:00:00Z'));
    await make('symposium', '未关联的座谈会', {}, '2026-05-03T02:00:00Z');
    for (const [i, d] of ['2026-03-01', '2026-03-02', '2025-12-31'].entries()) {
      await c({ method: 'POST', url: `${URL}/topics/${a}/suggestions`, payload: { content: `建议${i}`, receivedOn: d } });
    }
    const counts = (await c({ url: `${URL}/counts?from=2026-01-01&to=2026-12-31` })).json<ResearchCounts>();
    expect(counts).toEqual({ topics: 2, districts: 2, towns: 1, symposiums: 2, suggestions: 2 });
    const bad = await c({ url: `${URL}/counts?from=2026-12-31&to=2026-01-01` });
    expect(bad.statusCode).toBe(400);
  });
});

async function upload(id: string, filename: string, data: Buffer) {
  const boundary = '----tongxin' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return staff({ method: 'POST', url: `${URL}/topics/${id}/report`, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
}

import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { permissions, type Permission } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { builtinRoles } from '../../modules/auth/auth.roles';
import { ensureTypesAndRules } from '../../modules/duties/duties.fixtures';

/**
 * The authorisation matrix, generated from the route table: every route × every built-in
 * role (granted over the whole department), plus no session and a user of another tenant.
 * A new route is covered the moment it is registered.
 */
const { app, db } = await testApp({ loginRateLimitPerMinute: 10_000 });
let t: TenantFixture;
const clients = new Map<string, Client>();
let otherTenant: Client;

const guarded = () => app.routeTable.filter((r) => r.access !== 'public' && r.access !== 'session');
const urlOf = (url: string) => url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000');

beforeAll(async () => {
  t = await buildTenant(db);
  for (const role of builtinRoles) {
    clients.set(role.code, await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: role.permissions })));
  }
  const o = await buildTenant(db, '别的部门');
  otherTenant = await signIn(app, await buildUser(db, o.tenantId, { scopeUnitId: o.root.id, permissions: [...permissions] }));
});

async function call(client: Client | null, method: string, url: string) {
  const opts = { method: method as 'GET', url: urlOf(url), ...(method === 'GET' ? {} : { payload: {} }) };
  return client ? client(opts) : app.inject({ ...opts, headers: { 'x-requested-with': 'tongxin' } });
}

describe('authorisation matrix', () => {
  it('covers every API route, and each declares what it requires', () => {
    expect(guarded().length).toBeGreaterThan(15);
    for (const r of app.routeTable) expect(['public', 'session', ...permissions]).toContain(r.access);
  });

  it('refuses every guarded route without a session', async () => {
    for (const r of guarded()) {
      const res = await call(null, r.method, r.url);
      expect([r.method, r.url, res.statusCode]).toEqual([r.method, r.url, 401]);
    }
  });

  it('allows a route exactly to the roles holding its permission', { timeout: 300_000 }, async () => {
    const rows: string[] = [];
    for (const r of guarded()) {
      for (const role of builtinRoles) {
        const res = await call(clients.get(role.code) ?? null, r.method, r.url);
        const allowed = role.permissions.includes(r.access as Permission);
        const denied = res.statusCode === 403 && res.json().error.code === 'FORBIDDEN';
        if (allowed === denied || res.statusCode === 401 || res.statusCode >= 500) rows.push(`${r.method} ${r.url} ${role.code}: ${res.statusCode}`);
      }
    }
    expect(rows).toEqual([]);
  });

  it('never lets another tenant reach a record by its id', async () => {
    const unit = await buildUnit(db, t, { type: 'office', name: '别人的科室' });
    const person = await buildPerson(db, t.tenantId, { officeId: unit.id });
    const user = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    const userId = (await db.execute<{ id: string }>(sql`select id from users where username = ${user}`)).rows[0]?.id;
    await ensureTypesAndRules(db, t.tenantId);
    const dutyRuleId = (await db.execute<{ id: string }>(sql`select id from duty_rules where tenant_id = ${t.tenantId} limit 1`)).rows[0]?.id;
    const typeId = (await db.execute<{ id: string }>(sql`select id from activity_types where tenant_id = ${t.tenantId} limit 1`)).rows[0]?.id;
    const activityId = (
      await db.execute<{ id: string }>(
        sql`insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, signin_secret) values (${t.tenantId}, ${typeId}, ${unit.id}, '别人的活动', now(), now(), 'x') returning id`,
      )
    ).rows[0]?.id;
    const mine = await programsAreaIds(t.tenantId, unit.id, person, userId ?? '');
    const more = await otherAreaIds(t.tenantId, unit.id, person, userId ?? '');
    const idFor = (url: string) =>
      Object.entries({ ...mine.ids, ...more }).find(([prefix]) => url.startsWith(prefix))?.[1] ??
      (url.startsWith('/api/v1/activity-types') ? typeId : url.startsWith('/api/v1/activities') ? activityId :
      url.startsWith('/api/v1/duties/rules') ? dutyRuleId : url.startsWith('/api/v1/people') ? person : url.startsWith('/api/v1/org/units') ? unit.id : url.startsWith('/api/v1/users') ? userId : undefined);
    const byId = guarded().filter((x) => x.url.includes(':id'));
    expect(byId.length).toBeGreaterThan(5);
    const wrong: string[] = [];
    for (const r of byId) {
      const id = idFor(r.url);
      if (id === undefined) {
        wrong.push(`${r.method} ${r.url}: no record of tenant t to try`);
        continue;
      }
      // a body each write accepts, so what answers is the lookup of the record, not validation
      const payload = { version: 1, field: 'phone', parentId: unit.id, status: 'held', reason: '理由', html: '<p>x</p>', code: 'x', approve: true, personId: person, roleId: '00000000-0000-4000-8000-000000000000', scopeUnitId: unit.id, items: [{ personId: person, attendance: 'present' }], accept: false, answer: '答复', note: '跟进', reviewedOn: '2026-06-01', nextDueOn: '2026-12-01', revisedOn: '2026-06-01', summary: '修订' };
      const url = r.url.replace(':id', id ?? '').replace(/:(personId|attachmentId|userId|activityId|sessionId)\b/g, person);
      const body = r.url.startsWith('/api/v1/programs/') || r.url.startsWith('/api/v1/feedback/') || r.url.startsWith('/api/v1/rectification/') ? { ...payload, ...mine.body(r.url) } : r.url.includes('/sessions') ? { ...payload, topic: '课次', startsAt: '2026-06-01T09:00:00+08:00', endsAt: '2026-06-01T10:00:00+08:00', items: [{ participantId: person, present: true }] } : r.url.includes('/cases/') ? { ...payload, status: 'coordinating' } : r.url.startsWith('/api/v1/research/') ? { ...payload, activityId: person, categoryId: person, content: '内容', receivedOn: '2026-01-01', problemId: person, ownerUserId: person, deadline: '2026-06-30', status: 'not_started' } : payload;
      const res = await otherTenant({ method: r.method as 'GET', url, ...(r.method === 'GET' ? {} : { payload: body }) });
      if (res.statusCode !== 404) wrong.push(`${r.method} ${r.url}: ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});

/** A record of tenant t for the :id routes of points, united front and reports (more specific prefixes first). */
async function otherAreaIds(tenantId: string, unitId: string, personId: string, userId: string): Promise<Record<string, string>> {
  const one = async (q: ReturnType<typeof sql>) => (await db.execute<{ id: string }>(q)).rows[0]?.id ?? '';
  const branch = await buildUnit(db, t, { type: 'branch', name: '别人的支部' });
  const manual = await one(
    sql`insert into points_manual_requests (tenant_id, person_id, branch_id, rule_code, amount, period, reason, evidence, created_by)
        values (${tenantId}, ${personId}, ${branch.id}, 'honour', 1, '2026-01-01', '理由', '证据', ${userId}) returning id`,
  );
  const entry = await one(
    sql`insert into points_entries (tenant_id, person_id, branch_id, period, amount, source, rule_code, rule_kind, manual_request_id)
        values (${tenantId}, ${personId}, ${branch.id}, '2026-01-01', 1, 'manual', 'honour', 'honour', ${manual}) returning id`,
  );
  const notice = await one(
    sql`insert into points_notices (tenant_id, branch_id, quarter, window_ends_at) values (${tenantId}, ${branch.id}, '2026-01-01', now() + interval '5 days') returning id`,
  );
  const objection = await one(
    sql`insert into points_objections (tenant_id, notice_id, entry_id, person_id, raised_by, text) values (${tenantId}, ${notice}, ${entry}, ${personId}, ${userId}, '异议') returning id`,
  );
  const contact = await one(sql`insert into contacts (tenant_id, office_id, name, name_grams) values (${tenantId}, ${unitId}, '别人的联系人', '{}') returning id`);
  const enterprise = await one(
    sql`insert into enterprises (tenant_id, office_id, name, credit_code, type) values (${tenantId}, ${unitId}, '别人的企业', '91350100M000100Y43', 'private') returning id`,
  );
  const serviceCase = await one(
    sql`insert into service_cases (tenant_id, office_id, requester_type, enterprise_id, problem, category, raised_on)
        values (${tenantId}, ${unitId}, 'enterprise', ${enterprise}, '问题', 'other', '2026-01-01') returning id`,
  );
  const risk = await one(
    sql`insert into integrity_risks (tenant_id, office_id, duty, risk, level, controls, owner_person_id, review_due_on)
        values (${tenantId}, ${unitId}, '职责', '风险', 'low', '措施', ${personId}, '2026-12-31') returning id`,
  );
  const rule = await one(sql`insert into integrity_rules (tenant_id, office_id, title) values (${tenantId}, ${unitId}, '别人的制度') returning id`);
  const template = await one(sql`insert into report_templates (tenant_id, name, body) values (${tenantId}, '别人的模板', '正文') returning id`);
  const topic = await one(
    sql`insert into research_topics (tenant_id, office_id, title, lead_person_id, starts_on, ends_on) values (${tenantId}, ${unitId}, '别人的课题', ${personId}, '2026-01-01', '2026-12-31') returning id`,
  );
  const publicity = await one(
    sql`insert into publicity_items (tenant_id, office_id, title, channel, published_on) values (${tenantId}, ${unitId}, '别人的信息', 'wechat', '2026-01-01') returning id`,
  );
  const recommendation = await one(sql`insert into research_recommendations (tenant_id, topic_id, content) values (${tenantId}, ${topic}, '别人的建议') returning id`);
  const suggestion = await one(sql`insert into research_suggestions (tenant_id, topic_id, content, received_on) values (${tenantId}, ${topic}, '别人的意见', '2026-01-01') returning id`);
  return {
    '/api/v1/points/manual-entries': manual,
    '/api/v1/points/notices': notice,
    '/api/v1/points/objections': objection,
    '/api/v1/unitedfront/contacts': contact,
    '/api/v1/unitedfront/enterprises': enterprise,
    '/api/v1/unitedfront/cases': serviceCase,
    '/api/v1/unitedfront/integrity/risks': risk,
    '/api/v1/unitedfront/integrity/rules': rule,
    '/api/v1/reports/templates': template,
    '/api/v1/research/topics': topic,
    '/api/v1/research/recommendations': recommendation,
    '/api/v1/research/suggestions': suggestion,
    '/api/v1/unitedfront/publicity': publicity,
  };
}

/** Records of the programs, feedback and rectification routes in tenant t, and a body each of their writes accepts. */
async function programsAreaIds(tenantId: string, unitId: string, personId: string, userId: string) {
  const one = async (q: ReturnType<typeof sql>) => (await db.execute<{ id: string }>(q)).rows[0]?.id ?? '';
  const programId = await one(sql`insert into programs (tenant_id, title, owner_unit_id, starts_on, ends_on) values (${tenantId}, '别人的方案', ${unitId}, '2026-01-01', '2026-12-31') returning id`);
  const itemId = await one(sql`insert into program_items (tenant_id, program_id, kind, title) values (${tenantId}, ${programId}, '行动', '别人的行动') returning id`);
  const indicatorId = await one(sql`insert into program_indicators (tenant_id, item_id, name, kind) values (${tenantId}, ${itemId}, '别人的指标', 'manual') returning id`);
  const formId = await one(sql`insert into feedback_forms (tenant_id, public_id, title, fields) values (${tenantId}, ${`others${Date.now()}padpadpadpad`}, '别人的表', '[]') returning id`);
  const responseId = await one(sql`insert into feedback_responses (tenant_id, form_id, answers) values (${tenantId}, ${formId}, '{}') returning id`);
  const sha = 'a'.repeat(64);
  const fileId = await one(sql`insert into feedback_files (tenant_id, response_id, field_key, sha256, filename, content_type, size) values (${tenantId}, ${responseId}, 'f', ${sha}, 'x.pdf', 'application/pdf', 1) returning id`);
  const categoryId = await one(sql`select id from problem_categories where tenant_id = ${tenantId} limit 1`);
  const problemId = await one(
    sql`insert into problems (tenant_id, number, source, category_id, title, description, found_on) values (${tenantId}, 1, 'other', ${categoryId}, '别人的问题', '描述', '2026-01-01') returning id`,
  );
  const measureId = await one(
    sql`insert into rectification_measures (tenant_id, problem_id, title, owner_user_id, deadline) values (${tenantId}, ${problemId}, '别人的措施', ${userId}, '2026-12-31') returning id`,
  );
  const evidenceId = await one(
    sql`insert into measure_evidence (tenant_id, measure_id, sha256, filename, content_type, size) values (${tenantId}, ${measureId}, ${sha}, 'x.pdf', 'application/pdf', 1) returning id`,
  );
  return {
    // more specific prefixes first
    ids: {
      '/api/v1/programs/items': itemId,
      '/api/v1/programs/indicators': indicatorId,
      '/api/v1/programs': programId,
      '/api/v1/feedback/forms': formId,
      '/api/v1/feedback/files': fileId,
      '/api/v1/rectification/categories': categoryId,
      '/api/v1/rectification/problems': problemId,
      '/api/v1/rectification/measures': measureId,
      '/api/v1/rectification/evidence': evidenceId,
    } as Record<string, string>,
    body: (url: string) => ({
      kind: 'manual',
      title: 'x',
      name: 'x',
      percent: 1,
      note: 'x',
      userId,
      ownerUserId: userId,
      deadline: '2026-12-31',
      status: url.startsWith('/api/v1/feedback/') ? 'closed' : 'done',
      personId,
    }),
  };
}

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

  it('allows a route exactly to the roles holding its permission', async () => {
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
    const idFor = (url: string) =>
      Object.entries(mine.ids).find(([prefix]) => url.startsWith(prefix))?.[1] ??
      (url.startsWith('/api/v1/activity-types') ? typeId : url.startsWith('/api/v1/activities') ? activityId :
      url.startsWith('/api/v1/duties/rules') ? dutyRuleId : url.startsWith('/api/v1/people') ? person : url.startsWith('/api/v1/org/units') ? unit.id : url.startsWith('/api/v1/users') ? userId : undefined);
    const byId = guarded().filter((x) => x.url.includes(':id'));
    expect(byId.length).toBeGreaterThan(5);
    for (const r of byId) {
      const id = idFor(r.url);
      expect([r.url, id !== undefined]).toEqual([r.url, true]);
      // a body each write accepts, so what answers is the lookup of the record, not validation
      const payload = { version: 1, field: 'phone', parentId: unit.id, status: 'held', reason: '理由', html: '<p>x</p>', code: 'x', approve: true, personId: person, roleId: '00000000-0000-4000-8000-000000000000', scopeUnitId: unit.id, items: [{ personId: person, attendance: 'present' }] };
      const url = r.url.replace(':id', id ?? '').replace(/:(personId|attachmentId|userId)\b/g, person);
      const body = r.url.startsWith('/api/v1/programs/') || r.url.startsWith('/api/v1/feedback/') || r.url.startsWith('/api/v1/rectification/') ? { ...payload, ...mine.body(r.url) } : payload;
      const res = await otherTenant({ method: r.method as 'GET', url, ...(r.method === 'GET' ? {} : { payload: body }) });
      expect([r.method, r.url, res.statusCode]).toEqual([r.method, r.url, 404]);
    }
  });
});

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

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
    const idFor = (url: string) =>
      url.startsWith('/api/v1/activity-types') ? typeId : url.startsWith('/api/v1/activities') ? activityId :
      url.startsWith('/api/v1/duties/rules') ? dutyRuleId : url.startsWith('/api/v1/people') ? person : url.startsWith('/api/v1/org/units') ? unit.id : url.startsWith('/api/v1/users') ? userId : undefined;
    const byId = guarded().filter((x) => x.url.includes(':id'));
    expect(byId.length).toBeGreaterThan(5);
    for (const r of byId) {
      const id = idFor(r.url);
      expect([r.url, id !== undefined]).toEqual([r.url, true]);
      // a body each write accepts, so what answers is the lookup of the record, not validation
      const payload = { version: 1, field: 'phone', parentId: unit.id, status: 'held', reason: '理由', html: '<p>x</p>', code: 'x', approve: true, personId: person, roleId: '00000000-0000-4000-8000-000000000000', scopeUnitId: unit.id, items: [{ personId: person, attendance: 'present' }] };
      const url = r.url.replace(':id', id ?? '').replace(/:(personId|attachmentId)\b/g, person);
      const res = await otherTenant({ method: r.method as 'GET', url, ...(r.method === 'GET' ? {} : { payload }) });
      expect([r.method, r.url, res.statusCode]).toEqual([r.method, r.url, 404]);
    }
  });
});

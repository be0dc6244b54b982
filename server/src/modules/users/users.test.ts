import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CSRF, TEST_PASSWORD, buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import { ensureBuiltinRoles } from '../auth/auth.service';
import { insertGrant, insertUser } from '../auth/auth.repo';
import { hashPassword } from '../../platform/passwords';

const { app, db } = await testApp({ loginRateLimitPerMinute: 10_000 });
let t: TenantFixture;
let sys: Client;
let sec: Client;
let sysName: string;
let secName: string;
let roleIds: Map<string, string>;

const login = (username: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username, password } });

async function userByName(client: Client, name: string) {
  const page = (await client({ url: `/api/v1/users?q=${encodeURIComponent(name)}` })).json();
  const u = page.items.find((x: { username: string }) => x.username === name);
  if (!u) throw new Error(`no user ${name}`);
  return u as { id: string; version: number; active: boolean; lockedUntil: string | null; mustChangePassword: boolean; grants: { roleCode: string; scopeUnitId: string }[] };
}

/** An account holding a built-in role, as the CLI or this module creates them. */
async function builtinUser(username: string, role: string) {
  const user = await insertUser(db, { tenantId: t.tenantId, username, displayName: username, passwordHash: await hashPassword(TEST_PASSWORD), personId: null, mustChangePassword: false });
  await insertGrant(db, { tenantId: t.tenantId, userId: user.id, roleId: roleIds.get(role) ?? '', scopeUnitId: t.root.id });
  return user.id;
}

beforeAll(async () => {
  t = await buildTenant(db, '用户部');
  roleIds = await db.transaction((tx) => ensureBuiltinRoles(tx, t.tenantId));
  sysName = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['users.manage', 'org.read'] });
  secName = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['security.manage'] });
  sys = await signIn(app, sysName);
  sec = await signIn(app, secName);
});

describe('accounts (system administrator)', () => {
  it('creates an account with a generated password that must be changed, linked to a person', async () => {
    const office = await buildUnit(db, t, { type: 'office', name: '账户科' });
    const personId = await buildPerson(db, t.tenantId, { officeId: office.id, name: '张账户' });
    const res = await sys({ method: 'POST', url: '/api/v1/users', payload: { username: 'zhang.zh', displayName: '张账户', personId } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.initialPassword).toMatch(/^.{20}$/);
    expect(body.user).toMatchObject({ username: 'zhang.zh', personName: '张账户', active: true, mustChangePassword: true, grants: [] });
    const me = (await (await signIn(app, 'zhang.zh', body.initialPassword))({ url: '/api/v1/auth/me' })).json();
    expect(me.mustChangePassword).toBe(true);
    const audit = await db.execute<{ action: string }>(sql`select action from audit_log where tenant_id = ${t.tenantId} and action = 'users.create'`);
    expect(audit.rows).toHaveLength(1);
    // the same person cannot get a second account
    const again = await sys({ method: 'POST', url: '/api/v1/users', payload: { username: 'zhang.two', displayName: '张', personId } });
    expect([again.statusCode, again.json().error.details[0].problem]).toEqual([409, 'personHasAccount']);
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const post = (payload: object) => sys({ method: 'POST', url: '/api/v1/users', payload });
    await post({ username: 'dup.user', displayName: 'A' });
    const cases: [object, number, string][] = [
      [{ username: 'DUP.user', displayName: 'B' }, 409, 'DUPLICATE'],
      [{ username: 'a b', displayName: 'B' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'x', displayName: 'B' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'Admin', displayName: 'B' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'weak.pw', displayName: 'B', password: 'short' }, 400, 'PASSWORD_POLICY'],
      [{ username: 'weak.pw', displayName: 'B', password: 'weak.pw-Passw0rd' }, 400, 'PASSWORD_POLICY'],
      [{ username: 'no.person', displayName: 'B', personId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED'],
      [{ username: 'no.name', displayName: '' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(payload);
      expect([JSON.stringify(payload), res.statusCode, res.json().error.code]).toEqual([JSON.stringify(payload), status, code]);
    }
    const n = await db.execute<{ n: number }>(sql`select count(*)::int as n from users where username in ('weak.pw', 'no.person', 'no.name')`);
    expect(n.rows[0]?.n).toBe(0);
    // a typed password meeting the policy is taken and not echoed back
    const ok = await post({ username: 'typed.pw', displayName: 'C', password: 'Good-Passw0rd!' });
    expect([ok.statusCode, ok.json().initialPassword]).toEqual([201, null]);
    expect((await login('typed.pw', 'Good-Passw0rd!')).statusCode).toBe(200);
  });

  it('deactivates (ending sessions) and reactivates, with version checks, never oneself', async () => {
    await builtinUser('deact.me', 'member');
    const client = await signIn(app, 'deact.me');
    const u = await userByName(sys, 'deact.me');
    const stale = await sys({ method: 'POST', url: `/api/v1/users/${u.id}/deactivate`, payload: { version: u.version + 1 } });
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const off = await sys({ method: 'POST', url: `/api/v1/users/${u.id}/deactivate`, payload: { version: u.version } });
    expect(off.json()).toMatchObject({ active: false, version: u.version + 1 });
    expect((await client({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await login('deact.me', TEST_PASSWORD)).json().error.code).toBe('INVALID_CREDENTIALS');
    const on = await sys({ method: 'POST', url: `/api/v1/users/${u.id}/reactivate`, payload: { version: u.version + 1 } });
    expect(on.json().active).toBe(true);
    expect((await login('deact.me', TEST_PASSWORD)).statusCode).toBe(200);

    const self = await userByName(sys, sysName);
    const res = await sys({ method: 'POST', url: `/api/v1/users/${self.id}/deactivate`, payload: { version: self.version } });
    expect([res.statusCode, res.json().error.code, res.json().error.details[0].problem]).toEqual([403, 'FORBIDDEN', 'selfDeactivate']);
  });

  it('resets a password: forced change, sessions ended; unlocks a locked name', async () => {
    await builtinUser('reset.me', 'member');
    const client = await signIn(app, 'reset.me');
    const u = await userByName(sys, 'reset.me');
    const res = await sys({ method: 'POST', url: `/api/v1/users/${u.id}/reset-password`, payload: { version: u.version } });
    const pw = res.json().initialPassword as string;
    expect(res.json().user.mustChangePassword).toBe(true);
    expect((await client({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await login('reset.me', TEST_PASSWORD)).statusCode).toBe(401);

    for (let i = 0; i < 5; i++) await login('reset.me', 'wrong-password');
    expect((await login('reset.me', pw)).json().error.code).toBe('ACCOUNT_LOCKED');
    expect((await userByName(sys, 'reset.me')).lockedUntil).not.toBeNull();
    const un = await sys({ method: 'POST', url: `/api/v1/users/${u.id}/unlock` });
    expect(un.json().lockedUntil).toBeNull();
    expect((await login('reset.me', pw)).statusCode).toBe(200);
    const actions = await db.execute<{ action: string }>(sql`select action from audit_log where target_id = ${u.id} order by id`);
    expect(actions.rows.map((r) => r.action)).toEqual(['users.reset_password', 'users.unlock']);
  });

  it('keeps the security administrator out of accounts and the system administrator out of roles', async () => {
    const u = await userByName(sys, sysName);
    expect((await sec({ method: 'POST', url: '/api/v1/users', payload: { username: 'by.sec', displayName: 'x' } })).statusCode).toBe(403);
    expect((await sys({ method: 'POST', url: `/api/v1/users/${u.id}/grants`, payload: { version: 1, roleId: roleIds.get('member'), scopeUnitId: t.root.id } })).statusCode).toBe(403);
    const member = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] }));
    expect((await member({ url: '/api/v1/users' })).json().error.code).toBe('FORBIDDEN');
    expect((await member({ url: '/api/v1/users/roles' })).json().error.code).toBe('FORBIDDEN');
    expect((await sec({ url: '/api/v1/users/roles' })).json().items.map((r: { code: string }) => r.code)).toContain('security_admin');
    expect((await sec({ url: '/api/v1/users/units' })).json().items.map((u: { id: string }) => u.id)).toContain(t.root.id);
    expect((await member({ url: '/api/v1/users/units' })).json().error.code).toBe('FORBIDDEN');
  });
});

describe('roles (security administrator)', () => {
  it('grants and revokes a role on a unit; the user gains and loses its permissions', async () => {
    await builtinUser('grant.me', 'member');
    const branch = await buildUnit(db, t, { type: 'branch', name: '授权支部' });
    let u = await userByName(sec, 'grant.me');
    const res = await sec({ method: 'POST', url: `/api/v1/users/${u.id}/grants`, payload: { version: u.version, roleId: roleIds.get('branch_secretary'), scopeUnitId: branch.id } });
    expect(res.statusCode).toBe(200);
    expect(res.json().grants).toContainEqual(expect.objectContaining({ roleCode: 'branch_secretary', scopeUnitName: '授权支部' }));
    const me = (await (await signIn(app, 'grant.me'))({ url: '/api/v1/auth/me' })).json();
    expect(me.permissions).toContain('people.write');
    u = res.json();
    const again = await sec({ method: 'POST', url: `/api/v1/users/${u.id}/grants`, payload: { version: u.version, roleId: roleIds.get('branch_secretary'), scopeUnitId: branch.id } });
    expect(again.json().error.code).toBe('DUPLICATE');
    const rev = await sec({ method: 'POST', url: `/api/v1/users/${u.id}/revoke`, payload: { version: u.version, roleId: roleIds.get('branch_secretary'), scopeUnitId: branch.id } });
    expect(rev.statusCode).toBe(200);
    const me2 = (await (await signIn(app, 'grant.me'))({ url: '/api/v1/auth/me' })).json();
    expect(me2.permissions).not.toContain('people.write');
    const actions = await db.execute<{ action: string }>(sql`select action from audit_log where target_id = ${u.id} order by id`);
    expect(actions.rows.map((r) => r.action)).toEqual(['users.grant', 'users.revoke']);
  });

  it('refuses a second administrator role, self role changes, unknown roles and units, other tenants, stale versions', async () => {
    const adminId = await builtinUser('two.hats', 'sys_admin');
    const u = await userByName(sec, 'two.hats');
    const grant = (id: string, payload: object, client = sec) => client({ method: 'POST', url: `/api/v1/users/${id}/grants`, payload });
    const base = { version: u.version, roleId: roleIds.get('audit_admin'), scopeUnitId: t.root.id };
    const second = await grant(adminId, base);
    expect([second.statusCode, second.json().error.code, second.json().error.details[0].problem]).toEqual([409, 'CONFLICT', 'adminRolesExclusive']);

    const self = await userByName(sec, secName);
    const selfRes = await grant(self.id, { ...base, version: self.version, roleId: roleIds.get('member') });
    expect([selfRes.statusCode, selfRes.json().error.details[0].problem]).toEqual([403, 'selfRoleChange']);
    const selfRevoke = await sec({ method: 'POST', url: `/api/v1/users/${self.id}/revoke`, payload: { ...base, version: self.version } });
    expect(selfRevoke.json().error.details[0].problem).toBe('selfRoleChange');

    const other = await buildTenant(db, '别的部');
    const otherRoles = await db.transaction((tx) => ensureBuiltinRoles(tx, other.tenantId));
    const cases: [object, number, string][] = [
      [{ ...base, roleId: '00000000-0000-4000-8000-000000000000' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, roleId: otherRoles.get('member') }, 400, 'VALIDATION_FAILED'],
      [{ ...base, roleId: roleIds.get('member'), scopeUnitId: other.root.id }, 400, 'VALIDATION_FAILED'],
      [{ ...base, roleId: roleIds.get('member'), version: u.version + 5 }, 409, 'STALE_VERSION'],
      [{ ...base, roleId: 'not-a-uuid' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await grant(adminId, payload);
      expect([JSON.stringify(payload), res.statusCode, res.json().error.code]).toEqual([JSON.stringify(payload), status, code]);
    }
    // a user of another tenant is not found
    const foreign = await insertUser(db, { tenantId: other.tenantId, username: 'foreign.u', displayName: 'f', passwordHash: 'x', personId: null, mustChangePassword: false });
    expect((await grant(foreign.id, { ...base, roleId: roleIds.get('member') })).statusCode).toBe(404);
    expect((await sys({ method: 'POST', url: `/api/v1/users/${foreign.id}/unlock` })).statusCode).toBe(404);
    const grants = await db.execute<{ n: number }>(sql`select count(*)::int as n from role_grants where user_id in (${adminId}, ${foreign.id})`);
    expect(grants.rows[0]?.n).toBe(1);
  });

  it('maps the database guard on administrator roles to a typed conflict', async () => {
    const id = await builtinUser('db.guard', 'security_admin');
    const e = await db.transaction((tx) => insertGrant(tx, { tenantId: t.tenantId, userId: id, roleId: roleIds.get('sys_admin') ?? '', scopeUnitId: t.root.id })).catch((x: unknown) => x);
    expect(String((e as Error).cause ?? e)).toMatch(/only one of the three administrator roles/);
  });
});

describe('built-in administrator rename', () => {
  it('allows nothing but me, logout, the password change and the rename until renamed', async () => {
    const user = await insertUser(db, {
      tenantId: t.tenantId,
      username: 'administrator',
      displayName: '内置管理员',
      passwordHash: await hashPassword(TEST_PASSWORD),
      personId: null,
      mustChangePassword: true,
      mustRename: true,
    });
    await insertGrant(db, { tenantId: t.tenantId, userId: user.id, roleId: roleIds.get('sys_admin') ?? '', scopeUnitId: t.root.id });
    const admin = await signIn(app, 'administrator');
    expect((await admin({ url: '/api/v1/users' })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await admin({ method: 'POST', url: '/api/v1/auth/rename', payload: { username: 'wang.admin' } })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const pw = await admin({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'New-Passw0rd!x' } });
    expect(pw.statusCode).toBe(200);
    expect((await admin({ url: '/api/v1/auth/me' })).json()).toMatchObject({ mustRename: true, mustChangePassword: false });
    for (const url of ['/api/v1/users', '/api/v1/org/units', '/api/v1/auth/sessions']) {
      const res = await admin({ url });
      expect([url, res.statusCode, res.json().error.code]).toEqual([url, 403, 'ADMIN_RENAME_REQUIRED']);
    }
    for (const username of ['root', 'ADMIN', 'a', sysName]) {
      const res = await admin({ method: 'POST', url: '/api/v1/auth/rename', payload: { username } });
      expect(res.statusCode, username).toBeGreaterThanOrEqual(400);
    }
    const ok = await admin({ method: 'POST', url: '/api/v1/auth/rename', payload: { username: 'wang.admin' } });
    expect(ok.json()).toMatchObject({ username: 'wang.admin', mustRename: false });
    expect((await admin({ url: '/api/v1/users' })).statusCode).toBe(200);
    expect((await admin({ method: 'POST', url: '/api/v1/auth/rename', payload: { username: 'again.admin' } })).json().error.code).toBe('INVALID_STATE');
    expect((await login('administrator', 'New-Passw0rd!x')).statusCode).toBe(401);
    expect((await login('wang.admin', 'New-Passw0rd!x')).statusCode).toBe(200);
    const a = await db.execute<{ details: { from: string; to: string } }>(sql`select details from audit_log where action = 'auth.rename' and target_id = ${user.id}`);
    expect(a.rows[0]?.details).toEqual({ from: 'administrator', to: 'wang.admin' });
  });
});

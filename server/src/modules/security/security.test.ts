import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CSRF, TEST_PASSWORD, buildTenant, buildUser, signIn, testApp, type TenantFixture } from '../../test/harness';

const { app, db } = await testApp({ loginRateLimitPerMinute: 1000 });
let t: TenantFixture;

beforeAll(async () => {
  t = await buildTenant(db);
});

const login = (username: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username, password } });

describe('lockout', () => {
  it('locks a name after 5 failures for known and unknown users alike, with the same answers', async () => {
    const known = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    const unknown = 'no-such-user-x';
    for (const name of [known, unknown]) {
      const codes: string[] = [];
      for (let i = 0; i < 6; i++) codes.push((await login(name, 'wrong-password')).json().error.code);
      expect(codes).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED']);
    }
    // even the right password is refused while locked
    expect((await login(known, TEST_PASSWORD)).json().error.code).toBe('ACCOUNT_LOCKED');
    // the lock ends after its time
    await db.execute(sql`update login_failures set locked_until = now() - interval '1 second' where username_key = ${known.toLowerCase()}`);
    expect((await login(known, TEST_PASSWORD)).statusCode).toBe(200);
    const left = await db.execute(sql`select 1 from login_failures where username_key = ${known.toLowerCase()}`);
    expect(left.rows).toHaveLength(0);
  });

  it('forgets old failures after the window', async () => {
    const name = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    for (let i = 0; i < 4; i++) await login(name, 'wrong');
    await db.execute(sql`update login_failures set last_failed_at = now() - interval '31 minutes' where username_key = ${name.toLowerCase()}`);
    for (let i = 0; i < 4; i++) expect((await login(name, 'wrong')).json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await login(name, TEST_PASSWORD)).statusCode).toBe(200);
  });
});

describe('security policy', () => {
  it('is read and changed by the security admin only, with a version, and applies to the next password change', async () => {
    const secAdmin = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['security.manage'] }));
    const sysAdmin = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read', 'users.manage'] }));
    expect((await sysAdmin({ url: '/api/v1/security/policy' })).statusCode).toBe(403);
    const p = (await secAdmin({ url: '/api/v1/security/policy' })).json();
    expect(p).toMatchObject({ passwordMinLength: 10, passwordMinClasses: 3, passwordHistory: 5, passwordMaxAgeDays: 90, lockoutThreshold: 5, lockoutMinutes: 30 });

    const bad = await secAdmin({ method: 'PUT', url: '/api/v1/security/policy', payload: { ...p, passwordMinLength: 4 } });
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const warnTooLong = await secAdmin({ method: 'PUT', url: '/api/v1/security/policy', payload: { ...p, passwordWarnDays: 90 } });
    expect(warnTooLong.json().error.code).toBe('VALIDATION_FAILED');
    const ok = await secAdmin({ method: 'PUT', url: '/api/v1/security/policy', payload: { ...p, passwordMinLength: 14 } });
    expect(ok.json().version).toBe(p.version + 1);
    const stale = await secAdmin({ method: 'PUT', url: '/api/v1/security/policy', payload: { ...p, passwordMinLength: 12 } });
    expect(stale.json().error.code).toBe('STALE_VERSION');

    const name = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    const user = await signIn(app, name);
    expect((await user({ url: '/api/v1/auth/password-rules' })).json()).toEqual({ minLength: 14, minClasses: 3, history: 5 });
    const short = await user({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'Short-Pw1!x' } });
    expect(short.json().error.details).toContainEqual(expect.objectContaining({ problem: 'minLength:14' }));
    const audited = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'security.policy.update'`);
    expect(audited.rows[0]?.n).toBe(1);
    await secAdmin({ method: 'PUT', url: '/api/v1/security/policy', payload: { ...p, version: ok.json().version } });
  });
});

describe('password history and expiry', () => {
  it('refuses one of the last 5 passwords', async () => {
    const name = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    const user = await signIn(app, name);
    const change = (from: string, to: string) => user({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: from, newPassword: to } });
    const pw = (i: number) => `History-Pw-${i}!`;
    expect((await change(TEST_PASSWORD, pw(1))).statusCode).toBe(200);
    expect((await change(pw(1), pw(2))).statusCode).toBe(200);
    const reuse = await change(pw(2), TEST_PASSWORD);
    expect(reuse.json().error.details).toContainEqual(expect.objectContaining({ problem: 'reused:5' }));
    expect((await change(pw(2), pw(3))).statusCode).toBe(200);
    expect((await change(pw(3), pw(4))).statusCode).toBe(200);
    expect((await change(pw(4), pw(5))).statusCode).toBe(200);
    // TEST_PASSWORD is now the 6th most recent: allowed again
    expect((await change(pw(5), TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('warns before expiry and forces a change after it', async () => {
    const name = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    await db.execute(sql`update users set password_changed_at = now() - interval '85 days' where username = ${name}`);
    const soon = await signIn(app, name);
    const me = (await soon({ url: '/api/v1/auth/me' })).json();
    expect(me.passwordExpiringSoon).toBe(true);
    expect(me.mustChangePassword).toBe(false);
    await db.execute(sql`update users set password_changed_at = now() - interval '91 days' where username = ${name}`);
    const expired = await signIn(app, name);
    expect((await expired({ url: '/api/v1/auth/me' })).json().mustChangePassword).toBe(true);
    expect((await expired({ url: '/api/v1/org/units' })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});

describe('requiring the second factor', () => {
  it('is refused to a security admin without a second factor of their own', async () => {
    const tt = await buildTenant(db, '双因素部门');
    const secAdmin = await signIn(app, await buildUser(db, tt.tenantId, { scopeUnitId: tt.root.id, permissions: ['security.manage'] }));
    const p = (await secAdmin({ url: '/api/v1/security/policy' })).json();
    expect(p.totpRequired).toBe(false);
    const res = await secAdmin({ method: 'PUT', url: '/api/v1/security/policy', payload: { ...p, totpRequired: true } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].path).toBe('totpRequired');
    expect((await secAdmin({ url: '/api/v1/security/policy' })).json().totpRequired).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { CSRF, TEST_PASSWORD, buildTenant, buildUser, signIn, testApp } from '../../test/harness';

const { app, db } = await testApp({ loginRateLimitPerMinute: 10_000 });

const login = (username: string, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username, password: TEST_PASSWORD, ...extra } });

/** A code for the step after `step`, so each test signs in with a fresh, unused code. */
const codeAt = (secret: string, offsetSteps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

async function enrol(username: string) {
  const call = await signIn(app, username);
  const setup = await call({ method: 'POST', url: '/api/v1/auth/totp/setup' });
  expect(setup.statusCode).toBe(200);
  const { secret, otpauthUri } = setup.json<{ secret: string; otpauthUri: string }>();
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  const wrong = await call({ method: 'POST', url: '/api/v1/auth/totp/enable', payload: { code: '000000' } });
  expect(wrong.json().error.code).toBe('SECOND_FACTOR_INVALID');
  const enabled = await call({ method: 'POST', url: '/api/v1/auth/totp/enable', payload: { code: await codeAt(secret, -1) } });
  expect(enabled.statusCode).toBe(200);
  const codes = enabled.json<{ recoveryCodes: string[] }>().recoveryCodes;
  expect(codes).toHaveLength(10);
  return { secret, codes, call };
}

describe('second factor (TOTP)', () => {
  it('enrols, then asks for the code at sign-in, refuses a wrong or replayed code, accepts a recovery code once', async () => {
    const t = await buildTenant(db);
    const name = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    const { secret, codes } = await enrol(name);
    const stored = await db.execute<{ secret_enc: string }>(sql`select secret_enc from user_totp`);
    expect(stored.rows[0]?.secret_enc).toMatch(/^v1:/);
    expect(stored.rows[0]?.secret_enc).not.toContain(secret);

    expect((await login(name)).json().error.code).toBe('SECOND_FACTOR_REQUIRED');
    expect((await login(name, { otp: '123456' })).json().error.code).toBe('SECOND_FACTOR_INVALID');
    const code = await codeAt(secret);
    expect((await login(name, { otp: code })).statusCode).toBe(200);
    // the same code again (within its 30 s) is a replay
    expect((await login(name, { otp: code })).json().error.code).toBe('SECOND_FACTOR_INVALID');

    const recovery = codes[0] ?? '';
    expect((await login(name, { recoveryCode: recovery.toUpperCase() })).statusCode).toBe(200);
    expect((await login(name, { recoveryCode: recovery })).json().error.code).toBe('SECOND_FACTOR_INVALID');
    // a password alone never yields a session
    await expect(signIn(app, name)).rejects.toThrow(/sign-in failed: 401/);
    expect((await db.execute(sql`select 1 from sessions s join users u on u.id = s.user_id where u.username = ${name}`)).rows).toHaveLength(3); // enrolment, code, recovery code
  });

  it('counts wrong codes towards the lockout', async () => {
    const t = await buildTenant(db);
    const name = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    await enrol(name);
    for (let i = 0; i < 5; i++) await login(name, { otp: '999999' });
    expect((await login(name, { otp: '999999' })).json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('makes privileged users enrol first when the policy requires it, and keeps them from switching it off', async () => {
    const t = await buildTenant(db, '严格部门', { totpRequired: true });
    const exporter = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['people.read', 'people.export'] });
    const plain = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    const call = await signIn(app, exporter);
    const me = (await call({ url: '/api/v1/auth/me' })).json();
    expect(me.totpEnrolmentRequired).toBe(true);
    expect((await call({ url: '/api/v1/people' })).json().error.code).toBe('TOTP_ENROLMENT_REQUIRED');
    expect((await (await signIn(app, plain))({ url: '/api/v1/org/units' })).statusCode).toBe(200);

    const { secret, call: enrolled } = await enrol(exporter);
    expect((await enrolled({ url: '/api/v1/people' })).statusCode).toBe(200);
    const off = await enrolled({ method: 'POST', url: '/api/v1/auth/totp/disable', payload: { password: TEST_PASSWORD } });
    expect(off.json().error.code).toBe('CONFLICT');
    expect((await login(exporter, { otp: await codeAt(secret, 1) })).statusCode).toBe(200);
  });

  it('lets an optional factor be switched off with the password, and new recovery codes be made', async () => {
    const t = await buildTenant(db);
    const name = await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] });
    const { call, codes } = await enrol(name);
    const again = await call({ method: 'POST', url: '/api/v1/auth/totp/setup' });
    expect(again.json().error.code).toBe('CONFLICT');
    const fresh = await call({ method: 'POST', url: '/api/v1/auth/totp/recovery-codes', payload: { password: TEST_PASSWORD } });
    expect(fresh.json().recoveryCodes).toHaveLength(10);
    expect((await login(name, { recoveryCode: codes[1] ?? '' })).json().error.code).toBe('SECOND_FACTOR_INVALID');
    expect((await call({ method: 'POST', url: '/api/v1/auth/totp/disable', payload: { password: 'wrong' } })).json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await call({ method: 'POST', url: '/api/v1/auth/totp/disable', payload: { password: TEST_PASSWORD } })).statusCode).toBe(200);
    expect((await login(name)).statusCode).toBe(200);
    const trail = await db.execute<{ action: string }>(sql`select action from audit_log where actor_name = ${name} and action like 'auth.totp.%' order by id`);
    expect(trail.rows.map((r) => r.action)).toEqual(['auth.totp.setup', 'auth.totp.enable', 'auth.totp.recovery_codes', 'auth.totp.disable']);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CSRF, TEST_PASSWORD, buildTenant, buildUser, signIn, testApp, testConfig } from '../../test/harness';
import { buildApp } from '../../platform/http/app';
import { ensureBuiltinRoles } from './auth.service';
import { findUserByUsername, insertGrant } from './auth.repo';

const ctx = await testApp({ sessionIdleMs: 60_000, loginRateLimitPerMinute: 25 });
const { app, db } = ctx;
let tenant: Awaited<ReturnType<typeof buildTenant>>;
let username: string;

beforeAll(async () => {
  tenant = await buildTenant(db);
  username = await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['org.read', 'people.read'] });
});

async function auditCount(action: string, result: string) {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action} and result = ${result}`);
  return r.rows[0]?.n ?? 0;
}

describe('sign-in', () => {
  it('signs in, sets an HttpOnly SameSite=Strict cookie, and /me answers', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'tx_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(res.json().permissions).toEqual(expect.arrayContaining(['org.read', 'people.read']));
    const me = await app.inject({ url: '/api/v1/auth/me', cookies: { tx_session: cookie?.value ?? '' } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe(username);
  });

  it('gives the same answer for an unknown user and a wrong password, and audits both', async () => {
    const before = await auditCount('auth.login', 'failed');
    const a = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username: 'nobody-here', password: 'x' } });
    const b = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username, password: 'wrong-password' } });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
    expect(a.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(await auditCount('auth.login', 'failed')).toBe(before + 2);
  });

  it('answers in English when asked', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { ...CSRF, 'accept-language': 'en-US,en;q=0.9' },
      payload: { username: 'nobody', password: 'x' },
    });
    expect(res.json().error.message).toBe('Wrong username or password');
  });

  it('rejects unsafe requests without the CSRF header', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: TEST_PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_REJECTED');
  });

  it('rejects requests without a session, and after sign-out', async () => {
    expect((await app.inject({ url: '/api/v1/org/units' })).json().error.code).toBe('UNAUTHENTICATED');
    const call = await signIn(app, username);
    expect((await call({ url: '/api/v1/org/units' })).statusCode).toBe(200);
    expect((await call({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(200);
    expect((await call({ url: '/api/v1/org/units' })).statusCode).toBe(401);
  });

  it('expires an idle session', async () => {
    const call = await signIn(app, username);
    await db.execute(sql`update sessions set last_seen_at = now() - interval '2 minutes'`);
    const res = await call({ url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('expires a session past its absolute lifetime', async () => {
    const call = await signIn(app, username);
    await db.execute(sql`update sessions set expires_at = now() - interval '1 second'`);
    expect((await call({ url: '/api/v1/auth/me' })).json().error.code).toBe('SESSION_EXPIRED');
  });
});

describe('rate limit', () => {
  it('limits sign-in attempts per address with a typed 429', async () => {
    // a new name each time, so the per-name lockout does not answer first
    let n = 0;
    const attempt = () =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username: `guess${n++}`, password: 'guess' }, remoteAddress: '10.9.9.9' });
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await attempt()).statusCode);
    expect(codes.every((c) => c === 401)).toBe(true);
    const last = await attempt();
    expect(last.statusCode).toBe(429);
    expect(last.json().error.code).toBe('RATE_LIMITED');
  });
});

describe('password change', () => {
  it('forces a change on first sign-in, enforces the policy, and ends other sessions', async () => {
    const name = await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['org.read'], mustChangePassword: true });
    const other = await signIn(app, name);
    const call = await signIn(app, name);
    const blocked = await call({ url: '/api/v1/org/units' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const weak = await call({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'alllowercase' } });
    expect(weak.json().error.code).toBe('PASSWORD_POLICY');
    const wrong = await call({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'not-it', newPassword: 'Better-Passw0rd' } });
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    const withName = await call({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: `${name}-X1!aaaa` } });
    expect(withName.json().error.details).toEqual(expect.arrayContaining([expect.objectContaining({ problem: 'containsUsername' })]));

    const ok = await call({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: TEST_PASSWORD, newPassword: 'Better-Passw0rd' } });
    expect(ok.statusCode).toBe(200);
    expect((await call({ url: '/api/v1/org/units' })).statusCode).toBe(200);
    expect((await other({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    await signIn(app, name, 'Better-Passw0rd');
  });
});

describe('sessions', () => {
  it('lists the user\'s sessions, ends one, and ends all others', async () => {
    const name = await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['org.read'] });
    const a = await signIn(app, name);
    const b = await signIn(app, name);
    const c = await signIn(app, name);
    const list = (await a({ url: '/api/v1/auth/sessions' })).json<{ items: { id: string; current: boolean }[] }>().items;
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const other = list.find((s) => !s.current);
    expect((await a({ method: 'DELETE', url: `/api/v1/auth/sessions/${other?.id}` })).statusCode).toBe(200);
    expect((await a({ method: 'DELETE', url: `/api/v1/auth/sessions/${other?.id}` })).statusCode).toBe(404);
    const alive = [await b({ url: '/api/v1/auth/me' }), await c({ url: '/api/v1/auth/me' })].filter((r) => r.statusCode === 200);
    expect(alive).toHaveLength(1);
    expect((await a({ method: 'POST', url: '/api/v1/auth/sessions/end-others' })).statusCode).toBe(200);
    expect((await b({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await c({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await a({ url: '/api/v1/auth/me' })).statusCode).toBe(200);
  });

  it('cannot end another user\'s session', async () => {
    const one = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['org.read'] }));
    const two = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['org.read'] }));
    const twoId = (await two({ url: '/api/v1/auth/sessions' })).json<{ items: { id: string }[] }>().items[0]?.id;
    expect((await one({ method: 'DELETE', url: `/api/v1/auth/sessions/${twoId}` })).statusCode).toBe(404);
    expect((await two({ url: '/api/v1/auth/me' })).statusCode).toBe(200);
  });
});

describe('API surface', () => {
  it('serves OpenAPI 3.1 describing the routes', async () => {
    const res = await app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/people/', '/api/v1/org/units', '/api/v1/auth/login']));
  });

  it('answers health and readiness', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('sends security headers: CSP without inline scripts, no framing, nosniff', async () => {
    const res = await app.inject({ url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves the API docs page from the app itself', async () => {
    const res = await app.inject({ url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger-ui');
    expect(res.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[a-z]/i);
  });

  it('returns a typed 404 for unknown API paths', async () => {
    const res = await app.inject({ url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});

describe('web app serving', () => {
  it('serves the SPA for client routes and 404 for missing assets', async () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>同心</title>');
    const web = await buildApp({ config: testConfig({ webDist: dist }), db });
    try {
      const page = await web.inject({ url: '/people' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('同心');
      expect((await web.inject({ url: '/assets/missing-123.js' })).statusCode).toBe(404);
      // a file added after start (a rebuild) is served without a restart
      fs.writeFileSync(path.join(dist, 'assets', 'late.js'), 'console.log(1)');
      expect((await web.inject({ url: '/assets/late.js' })).statusCode).toBe(200);
      expect((await web.inject({ url: '/api/v1/nope' })).json().error.code).toBe('NOT_FOUND');
    } finally {
      await web.close();
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('three separate administrators', () => {
  it('refuses a second administrator role to the same user, in the database itself', async () => {
    const ids = await db.transaction((tx) => ensureBuiltinRoles(tx, tenant.tenantId));
    const name = await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['org.read'] });
    const user = await findUserByUsername(db, name);
    const grant = (code: string) => insertGrant(db, { tenantId: tenant.tenantId, userId: user?.id ?? '', roleId: ids.get(code) ?? '', scopeUnitId: tenant.root.id });
    await grant('sys_admin');
    await grant('dept_leader');
    for (const code of ['security_admin', 'audit_admin']) {
      const err = await grant(code).then(
        () => null,
        (e: unknown) => e as { cause?: { constraint?: string } },
      );
      expect(err?.cause?.constraint).toBe('role_grants_admin_exclusive');
    }
  });
});

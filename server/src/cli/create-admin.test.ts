import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../platform/config';
import { defaultPolicy, passwordProblems } from '../modules/security/security.service';
import { tenants } from '../modules/org/org.schema';
import { buildTenant, signIn, testApp } from '../test/harness';
import { CreateAdminError, createAdmin, generatePassword } from './create-admin';

const { app, db } = await testApp();

const userCount = async () => (await db.execute<{ n: number }>(sql`select count(*)::int as n from users`)).rows[0]?.n ?? 0;

describe('create-admin', () => {
  it('creates the tenant, its root unit and a sys_admin who signs in and must change the password', async () => {
    const r = await createAdmin(db, { tenantCode: 'city-a', tenantName: '甲市委统战部', username: 'root.admin' });
    expect(r.tenantCreated).toBe(true);
    expect(r.passwordGenerated).toBe(true);
    expect(passwordProblems(r.password, 'root.admin', defaultPolicy)).toEqual([]);

    const client = await signIn(app, 'root.admin', r.password);
    const me = (await client({ url: '/api/v1/auth/me' })).json();
    expect(me.mustChangePassword).toBe(true);
    expect(me.tenantName).toBe('甲市委统战部');
    expect(me.roles).toEqual([expect.objectContaining({ code: 'sys_admin', scopeUnitName: '甲市委统战部' })]);
    expect(me.permissions).toEqual(expect.arrayContaining(['users.manage', 'org.write', 'people.write']));

    const changed = await client({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: r.password, newPassword: 'Another-Passw0rd!' } });
    expect(changed.statusCode).toBe(200);
    expect((await (await signIn(app, 'root.admin', 'Another-Passw0rd!'))({ url: '/api/v1/auth/me' })).json().mustChangePassword).toBe(false);

    const audit = await db.execute<{ action: string; actor_name: string }>(
      sql`select action, actor_name from audit_log where target_id = ${r.userId} and action = 'auth.user.create'`,
    );
    expect(audit.rows).toEqual([{ action: 'auth.user.create', actor_name: 'cli' }]);
  });

  it('adds an administrator to an existing tenant, over its root unit, with the given password', async () => {
    const t = await buildTenant(db, '乙市委统战部');
    const [row] = await db.select().from(tenants).where(eq(tenants.id, t.tenantId));
    const r = await createAdmin(db, { tenantCode: row?.code ?? '', username: 'second_admin', password: 'Given-Passw0rd#' });
    expect(r.tenantCreated).toBe(false);
    expect(r.tenantId).toBe(t.tenantId);
    expect(r.rootUnitName).toBe(t.root.name);
    const me = (await (await signIn(app, 'second_admin', 'Given-Passw0rd#'))({ url: '/api/v1/auth/me' })).json();
    expect(me.roles).toEqual([expect.objectContaining({ code: 'sys_admin', scopeUnitId: t.root.id })]);
    expect(me.mustChangePassword).toBe(true);
    expect(me.mustRename).toBe(false);
  });

  it('marks an account with a well-known name as the built-in administrator, who must be renamed', async () => {
    const t = await buildTenant(db, '丙市委统战部');
    const [row] = await db.select().from(tenants).where(eq(tenants.id, t.tenantId));
    const r = await createAdmin(db, { tenantCode: row?.code ?? '', username: 'Administrator' });
    const me = (await (await signIn(app, 'administrator', r.password))({ url: '/api/v1/auth/me' })).json();
    expect([me.mustChangePassword, me.mustRename]).toEqual([true, true]);
  });

  it('creates the other administrators of the three-role separation on request', async () => {
    const r = await createAdmin(db, { tenantCode: 'city-a', username: 'audit.admin', role: 'audit_admin' });
    const me = (await (await signIn(app, 'audit.admin', r.password))({ url: '/api/v1/auth/me' })).json();
    expect(me.roles).toEqual([expect.objectContaining({ code: 'audit_admin' })]);
    expect(me.permissions).not.toContain('users.manage');
    await expect(createAdmin(db, { tenantCode: 'city-a', username: 'x_admin', role: 'superuser' })).rejects.toThrow(/Unknown role "superuser"/);
  });

  it('reports a duplicate username, whatever its case, and creates nothing', async () => {
    await createAdmin(db, { tenantCode: 'city-b', tenantName: '丙市委统战部', username: 'dup.admin' });
    const before = await userCount();
    await expect(createAdmin(db, { tenantCode: 'city-b', username: 'DUP.Admin' })).rejects.toThrow(/user named "DUP.Admin" already exists/);
    await expect(createAdmin(db, { tenantCode: 'city-b', username: 'DUP.Admin' })).rejects.toBeInstanceOf(CreateAdminError);
    expect(await userCount()).toBe(before);
  });

  it('rejects a bad username, a weak password, and a new tenant without a name', async () => {
    await expect(createAdmin(db, { tenantCode: 'city-c', tenantName: 'x', username: 'a b' })).rejects.toThrow(/Invalid username "a b"/);
    await expect(createAdmin(db, { tenantCode: 'city-c', tenantName: 'x', username: '管理员' })).rejects.toThrow(/Invalid username/);
    await expect(createAdmin(db, { tenantCode: 'city-c', tenantName: 'x', username: 'ok_name', password: 'short' })).rejects.toThrow(/policy/);
    await expect(createAdmin(db, { tenantCode: 'city-c', username: 'ok_name' })).rejects.toThrow(/There is no tenant "city-c": give its name with --name/);
    expect(await db.select().from(tenants).where(eq(tenants.code, 'city-c'))).toEqual([]);
  });

  it('generates passwords that meet the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword('admin');
      expect(p).toHaveLength(20);
      expect(passwordProblems(p, 'admin', defaultPolicy)).toEqual([]);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });

  it('works from the command line, reading the password from standard input', async () => {
    const url = db.$client.options.connectionString ?? '';
    const run = (args: string[], input: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/cli/cli.ts'), 'create-admin', ...args], {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: url },
        input,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const ok = run(['--tenant', 'city-d', '--name', '丁市委统战部', '--username', 'stdin_admin', '--password-stdin'], 'Stdin-Passw0rd!\n');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/created tenant city-d \(丁市委统战部\)[\s\S]*created user stdin_admin/);
    expect(ok.stdout).not.toMatch(/Stdin-Passw0rd/);
    await signIn(app, 'stdin_admin', 'Stdin-Passw0rd!');

    const dup = run(['--tenant', 'city-d', '--username', 'stdin_admin'], '');
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);

    const generated = run(['--tenant', 'city-d', '--username', 'gen_admin'], '');
    const password = /initial password .*: (\S+)$/m.exec(generated.stdout)?.[1] ?? '';
    expect(password).toHaveLength(20);
    await signIn(app, 'gen_admin', password);

    const usage = run(['--tenant', 'city-d'], '');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--username is required/);
  }, 120_000);
});

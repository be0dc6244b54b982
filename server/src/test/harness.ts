import { ensureTenantDefaults } from '../commands/tenant-defaults.command';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Permission } from '@tongxin/contracts';
import { loadConfig, type Config } from '../platform/config';
import { createDb, type Db } from '../platform/db/db';
import { buildApp } from '../platform/http/app';
import { hashPassword } from '../platform/passwords';
import { tenants } from '../modules/org/org.schema';
import { securityPolicies } from '../modules/security/security.schema';
import { insertUnit, type OrgUnitRow } from '../modules/org/org.repo';
import { insertPeople, type PersonInsert } from '../modules/people/people.repo';
import { insertGrant, insertUser, upsertRole } from '../modules/auth/auth.repo';
import { withCheckDigit } from '../modules/people/people.mask';
import { sealNumbers } from '../modules/people/people.service';
import { TEMPLATE_DB, withDatabase } from './global-setup';


export const TEST_PASSWORD = 'Test-Passw0rd!';
let passwordHash: Promise<string> | undefined;

/** A fresh database cloned from the migrated template, dropped after the file's tests. */
export async function testDb(): Promise<Db> {
  const adminUrl = inject('adminUrl');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  await admin.end();
  const db = createDb(withDatabase(adminUrl, name), 5);
  afterAll(async () => {
    await db.$client.end();
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  return db;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'error', WEB_DIST: '/nonexistent' }), ...overrides };
}

/** The real Fastify app over a test database. */
export async function testApp(overrides: Partial<Config> = {}): Promise<{ app: FastifyInstance; db: Db; config: Config }> {
  const db = await testDb();
  const config = testConfig(overrides);
  const app = await buildApp({ config, db });
  afterAll(() => app.close());
  return { app, db, config };
}

// ---- factories ----

export type TenantFixture = { tenantId: string; root: OrgUnitRow };

/** A tenant with its root unit; the second factor is off unless asked for, so other tests need no codes. */
export async function buildTenant(db: Db, name = '测试统战部', o: { totpRequired?: boolean } = {}): Promise<TenantFixture> {
  const [t] = await db.insert(tenants).values({ code: `t-${randomUUID().slice(0, 8)}`, name }).returning();
  if (!t) throw new Error('tenant');
  await db.insert(securityPolicies).values({ tenantId: t.id, totpRequired: o.totpRequired ?? false });
  const root = await buildUnit(db, { tenantId: t.id, root: null }, { type: 'department', name });
  await db.transaction((tx) => ensureTenantDefaults(tx, t.id));
  return { tenantId: t.id, root };
}

export async function buildUnit(
  db: Db,
  ctx: { tenantId: string; root: OrgUnitRow | null },
  o: { parent?: OrgUnitRow; type?: string; name?: string } = {},
): Promise<OrgUnitRow> {
  const parent = o.parent ?? ctx.root;
  const id = randomUUID();
  return insertUnit(db, {
    id,
    tenantId: ctx.tenantId,
    parentId: parent?.id ?? null,
    type: o.type ?? 'office',
    name: o.name ?? `单位${id.slice(0, 6)}`,
    sortOrder: 0,
    path: `${parent?.path ?? '/'}${id}/`,
  });
}

let seq = 0;
export async function buildPerson(db: Db, tenantId: string, o: Partial<PersonInsert> & { officeId: string }): Promise<string> {
  seq += 1;
  // plaintext numbers given by a test are sealed like the service seals them
  const { phone, idNumber, ...rest } = o;
  const [id] = await insertPeople(db, [
    {
      tenantId,
      name: `测试${seq}`,
      gender: 'male',
      partyStatus: 'none',
      ...sealNumbers(
        phone === undefined ? `139${String(10000000 + seq).slice(-8)}` : phone,
        idNumber === undefined ? withCheckDigit(`11010119800101${String(seq % 1000).padStart(3, '0')}`) : idNumber,
      ),
      ...rest,
    },
  ]);
  if (!id) throw new Error('person');
  return id;
}

/** Creates a user holding the given permissions over a scope unit; returns its username. */
export async function buildUser(
  db: Db,
  tenantId: string,
  o: { scopeUnitId: string; permissions: Permission[]; username?: string; mustChangePassword?: boolean },
): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const username = o.username ?? `u${randomUUID().slice(0, 8)}`;
  const role = await upsertRole(db, { tenantId, code: `r-${username}`, name: 'test role', permissions: o.permissions });
  const user = await insertUser(db, {
    tenantId,
    username,
    displayName: username,
    passwordHash: await passwordHash,
    personId: null,
    mustChangePassword: o.mustChangePassword ?? false,
  });
  await insertGrant(db, { tenantId, userId: user.id, roleId: role.id, scopeUnitId: o.scopeUnitId });
  return username;
}

export const CSRF = { 'x-requested-with': 'tongxin' } as const;

/** Signs in through the API and returns a request function carrying the session cookie. */
export async function signIn(app: FastifyInstance, username: string, password = TEST_PASSWORD) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'tx_session');
  if (!cookie) throw new Error('no session cookie');
  return (opts: { method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse> =>
    app.inject({
      method: opts.method ?? 'GET',
      url: opts.url,
      headers: { ...CSRF, ...opts.headers },
      cookies: { tx_session: cookie.value },
      ...(opts.payload !== undefined ? { payload: opts.payload as string | object } : {}),
    });
}

export type Client = Awaited<ReturnType<typeof signIn>>;

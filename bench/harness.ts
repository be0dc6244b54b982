/**
 * What every bench/*.ts needs around its measurements: an embedded PostgreSQL of its own in a
 * temporary directory on a free port (migrated, as the app starts it), a pool for the floor
 * statements, a tenant with a department root and offices and its defaults, an actor holding
 * given permissions over the whole tenant, and nearest-rank percentiles.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Permission } from '@tongxin/contracts';
import { loadConfig, type Config } from '../server/src/platform/config';
import { startRuntime, type Runtime } from '../server/src/platform/runtime';
import type { Actor } from '../server/src/platform/access';
import type { Db } from '../server/src/platform/db/db';
import { tenants } from '../server/src/modules/org/org.schema';
import { insertUnit, type OrgUnitRow } from '../server/src/modules/org/org.repo';
import { ensureTenantDefaults } from '../server/src/commands/tenant-defaults.command';

/** The first port from `from` on which nothing listens (each bench starts at its own). */
export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port from ${from}`);
}

export type BenchDb = {
  config: Config;
  runtime: Runtime;
  db: Db;
  databaseUrl: string;
  /** the floor's own pool: owner connections, no transaction, no row-level security */
  pool: pg.Pool;
  dataDir: string;
  /** closes both pools, stops PostgreSQL, removes the directory unless kept */
  stop: () => Promise<void>;
};

export type BenchDbOptions = {
  /** names the temporary directory (tongxin-bench-<name>-…) */
  name: string;
  /** the first port tried */
  port: number;
  say: (m: string) => void;
  /** keep the data directory afterwards (its path is printed) */
  keep?: boolean;
  /** connections of the floor's pool */
  floorPoolMax?: number;
  /** more settings for loadConfig (e.g. DB_POOL_MAX) */
  env?: Record<string, string>;
};

export async function startBenchDb(o: BenchDbOptions): Promise<BenchDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tongxin-bench-${o.name}-`));
  // as root, PostgreSQL runs as the postgres user, which must reach the directory
  fs.chmodSync(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort(o.port)),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    JOBS_ENABLED: 'false',
    WEB_DIST: '/nonexistent',
    ...o.env,
  });
  let runtime: Runtime;
  // PostgreSQL's shutdown ends connections pg has just been told to close: not worth reporting
  let stopping = false;
  try {
    runtime = await startRuntime(config, (m) => {
      if (!stopping && /FATAL|PANIC/.test(m)) o.say(m);
    });
  } catch (e) {
    if (!o.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const pool = new pg.Pool({ connectionString: runtime.databaseUrl, max: o.floorPoolMax ?? 2, application_name: 'tongxin-bench-floor' });
  // an idle floor client losing its connection must not end the run
  pool.on('error', () => undefined);
  return {
    config,
    runtime,
    db: runtime.db,
    databaseUrl: runtime.databaseUrl,
    pool,
    dataDir,
    stop: async () => {
      stopping = true;
      await pool.end();
      await runtime.stop();
      if (!o.keep) fs.rmSync(dataDir, { recursive: true, force: true });
      else o.say(`kept ${dataDir}`);
    },
  };
}

/** Runs `fn` against a fresh bench database and always stops it. */
export async function withBenchDb<T>(o: BenchDbOptions, fn: (b: BenchDb) => Promise<T>): Promise<T> {
  const b = await startBenchDb(o);
  try {
    return await fn(b);
  } finally {
    await b.stop();
  }
}

/** An actor (no user row) holding `permissions` over the whole tenant, as the services take it. */
export function benchActor(tenantId: string, root: OrgUnitRow, permissions: Permission[]): Actor {
  return {
    userId: '00000000-0000-4000-8000-000000000000',
    username: 'bench',
    displayName: 'bench',
    personId: null,
    tenantId,
    mustChangePassword: false,
    mustRename: false,
    totpEnabled: false,
    totpEnrolmentRequired: false,
    grants: [{ code: 'bench', name: 'bench', permissions, scopeUnitId: root.id, scopeUnitName: root.name, scopePath: root.path }],
    ip: null,
    userAgent: null,
  };
}

export type BenchTenant = { tenantId: string; root: OrgUnitRow; offices: OrgUnitRow[]; actor: Actor };

/**
 * A tenant with its department root, offices under it and the per-tenant defaults (as tenant
 * creation makes them), and an actor over it. Tenant codes are unique per call.
 */
export async function benchTenant(
  db: Db,
  o: { tag: string; name?: string; rootName?: string; offices?: string[]; permissions?: Permission[] },
): Promise<BenchTenant> {
  const [t] = await db
    .insert(tenants)
    .values({ code: `bench-${o.tag}-${randomUUID().slice(0, 6)}`, name: o.name ?? `基准测试部${o.tag}` })
    .returning();
  if (!t) throw new Error('tenant');
  const rootId = randomUUID();
  const root = await insertUnit(db, { id: rootId, tenantId: t.id, parentId: null, type: 'department', name: o.rootName ?? '市委统战部', sortOrder: 0, path: `/${rootId}/` });
  const offices: OrgUnitRow[] = [];
  for (const [i, name] of (o.offices ?? []).entries()) {
    const id = randomUUID();
    offices.push(await insertUnit(db, { id, tenantId: t.id, parentId: rootId, type: 'office', name, sortOrder: i + 1, path: `${root.path}${id}/` }));
  }
  await db.transaction((tx) => ensureTenantDefaults(tx, t.id));
  return { tenantId: t.id, root, offices, actor: benchActor(t.id, root, o.permissions ?? []) };
}

export type Stats = { median: number; p95: number; p99: number; max: number; n: number };

/** Nearest-rank percentiles of a list of milliseconds. */
export function stats(runs: number[]): Stats {
  const s = [...runs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  return { median: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? 0, n: s.length };
}

/** Milliseconds taken by `fn`, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, r];
}

/** `--name value` as a string, or the fallback. */
export function stringArg(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (argv[i + 1] ?? fallback);
}

/** `--name N` (a non-negative number), or the fallback. */
export function countArg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number ≥ 0`);
  return Math.floor(v);
}

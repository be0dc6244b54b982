import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { TEMPLATE_DB, withDatabase } from '../test/global-setup';
import { repoRoot } from '../platform/config';

/** Runs `tongxin <args>` as a separate process, as an operator would. */
export function runCli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/cli/cli.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const cleanups: (() => Promise<unknown>)[] = [];
/** Runs after the file's tests, last registered first; usable inside a test, unlike afterAll. */
export function onCleanup(fn: () => Promise<unknown>) {
  cleanups.push(fn);
}
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

/**
 * A database of the test server, dropped after the file: empty, or cloned from the migrated
 * template. No pool stays open on it, because a restore refuses a target the app
 * (application_name 'tongxin') is connected to.
 */
export async function scratchDatabase(from: 'empty' | 'template'): Promise<string> {
  const adminUrl = inject('adminUrl');
  const name = `c_${randomUUID().replaceAll('-', '')}`;
  await withClient(adminUrl, (c) => c.query(`create database ${name}${from === 'template' ? ` template ${TEMPLATE_DB}` : ''}`));
  onCleanup(() => withClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)));
  return withDatabase(adminUrl, name);
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: 'tongxin-test' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Row count and a digest of every row of every table in schema public, plus the applied
 * migrations: equal digests mean identical contents.
 */
export async function digests(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    const tables = await c.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    );
    for (const { name } of tables.rows) {
      const r = await c.query<{ n: number; md5: string | null }>(
        `select count(*)::int as n, md5(string_agg(t::text, ',' order by t::text)) as md5 from ${pg.escapeIdentifier(name)} t`,
      );
      out[name] = `${r.rows[0]?.n}:${r.rows[0]?.md5}`;
    }
    const m = await c.query<{ t: string | null }>(`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
    if (m.rows[0]?.t) {
      const r = await c.query<{ list: string }>(`select string_agg(hash || '@' || created_at, ',' order by created_at) as list from drizzle.__drizzle_migrations`);
      out['drizzle.__drizzle_migrations'] = r.rows[0]?.list ?? '';
    }
    return out;
  });
}

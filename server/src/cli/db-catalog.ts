import fs from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import { migrationsFolder } from '../platform/db/migrate';

/** Backup and restore cover the schema that the committed migrations create. */
export const APP_SCHEMA = 'public';

/** Same key as runMigrations: a restore and an app starting up never migrate at once. */
export { MIGRATION_LOCK_KEY } from '../platform/db/migrate';

/**
 * Session settings for COPY: its text output follows DateStyle, IntervalStyle,
 * extra_float_digits and bytea_output, so both ends fix them (as pg_dump does). With
 * row_security off, a role subject to row-level security gets an error instead of a silently
 * partial backup. Timeouts set for the role would cut a long COPY.
 */
export const COPY_SESSION_SETTINGS = [
  "set local datestyle = 'ISO'",
  "set local intervalstyle = 'postgres'",
  'set local extra_float_digits = 3',
  "set local bytea_output = 'hex'",
  "set local timezone = 'UTC'",
  "set local client_encoding = 'UTF8'",
  'set local row_security = off',
  'set local statement_timeout = 0',
  'set local idle_in_transaction_session_timeout = 0',
];

export const qualified = (table: string) => `${pg.escapeIdentifier(APP_SCHEMA)}.${pg.escapeIdentifier(table)}`;
export const columnList = (columns: string[]) => columns.map((c) => pg.escapeIdentifier(c)).join(', ');

export type Migration = { hash: string; createdAt: number; tag: string | null };
export type CodeMigration = Migration & { statements: string[] };

/** The migrations this code carries, in order, as drizzle's migrator reads them. */
export function codeMigrations(folder = migrationsFolder): CodeMigration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };
  const tags = new Map(journal.entries.map((e) => [e.when, e.tag]));
  return readMigrationFiles({ migrationsFolder: folder }).map((m) => ({
    hash: m.hash,
    createdAt: m.folderMillis,
    tag: tags.get(m.folderMillis) ?? null,
    statements: m.sql,
  }));
}

export const migrationLabel = (m: Migration) => m.tag ?? `migration of ${new Date(m.createdAt).toISOString()}`;

/** Applied migrations of a database, oldest first; empty when it never ran any. */
export async function appliedMigrations(client: pg.ClientBase): Promise<Migration[]> {
  const exists = await client.query<{ t: string | null }>(`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
  if (!exists.rows[0]?.t) return [];
  const r = await client.query<{ hash: string; created_at: string }>('select hash, created_at::text from drizzle.__drizzle_migrations order by created_at, id');
  const tags = new Map(codeMigrations().map((m) => [m.createdAt, m.tag]));
  return r.rows.map((row) => ({ hash: row.hash, createdAt: Number(row.created_at), tag: tags.get(Number(row.created_at)) ?? null }));
}

/**
 * Where `prefix` stops being a prefix of `full`: undefined when it is one, else the first
 * position that differs (a migration missing from `full`, or a different one at that place).
 */
export function prefixMismatch(prefix: Migration[], full: Migration[]): { index: number; ours: Migration | undefined; theirs: Migration } | undefined {
  for (const [index, m] of prefix.entries()) {
    const f = full[index];
    if (!f || f.createdAt !== m.createdAt || f.hash !== m.hash) return { index, ours: f, theirs: m };
  }
  return undefined;
}

export type TableInfo = { oid: number; name: string; partitioned: boolean; columns: string[] };

/**
 * Application tables from the catalog, not from a list in code, so a table added by a later
 * migration is backed up without anyone remembering to add it here. Partitions are reached
 * through their parent; generated columns are left to the server to compute.
 */
export async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const t = await client.query<{ oid: number; name: string; kind: string }>(
    `select c.oid::int as oid, c.relname as name, c.relkind::text as kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition
      order by c.relname`,
    [APP_SCHEMA],
  );
  const oids = t.rows.map((r) => r.oid);
  const cols = await client.query<{ oid: number; name: string }>(
    `select attrelid::int as oid, attname as name from pg_attribute
      where attrelid = any($1::oid[]) and attnum > 0 and not attisdropped and attgenerated = ''
      order by attrelid, attnum`,
    [oids],
  );
  const byTable = new Map<number, string[]>();
  for (const c of cols.rows) byTable.set(c.oid, [...(byTable.get(c.oid) ?? []), c.name]);
  const tables = t.rows.map((r) => ({ oid: r.oid, name: r.name, partitioned: r.kind === 'p', columns: byTable.get(r.oid) ?? [] }));
  return orderByForeignKeys(client, tables);
}

/** Referenced tables first, so a load that cannot switch foreign-key checks off still succeeds. */
async function orderByForeignKeys(client: pg.ClientBase, tables: TableInfo[]): Promise<TableInfo[]> {
  const fk = await client.query<{ child: number; parent: number }>(
    `select distinct conrelid::int as child, confrelid::int as parent from pg_constraint
      where contype = 'f' and conrelid = any($1::oid[]) and confrelid = any($1::oid[]) and conrelid <> confrelid`,
    [tables.map((t) => t.oid)],
  );
  const parents = new Map<number, Set<number>>(tables.map((t) => [t.oid, new Set<number>()]));
  for (const e of fk.rows) parents.get(e.child)?.add(e.parent);
  const done = new Set<number>();
  const ordered: TableInfo[] = [];
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t.oid) && [...(parents.get(t.oid) ?? [])].every((p) => done.has(p)));
    // a cycle: take the rest in name order; only the replica-mode load handles it
    const next = ready.length > 0 ? ready : tables.filter((t) => !done.has(t.oid));
    for (const t of next) {
      done.add(t.oid);
      ordered.push(t);
    }
  }
  return ordered;
}

/** Tables that hold at least one row (a cheap test per table, not a count). */
export async function nonEmptyTables(client: pg.ClientBase, tables: { name: string }[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of tables) {
    const r = await client.query(`select 1 from ${qualified(t.name)} limit 1`);
    if ((r.rowCount ?? 0) > 0) out.push(t.name);
  }
  return out;
}

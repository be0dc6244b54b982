import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import { APP_CONNECTION_NAME } from '../platform/db/db';
import { from as copyFrom } from 'pg-copy-streams';
import { createDb } from '../platform/db/db';
import { runMigrations } from '../platform/db/migrate';
import { BackupFileError, BackupReader, asFileError, type Manifest } from './backup-format';
import {
  APP_SCHEMA,
  COPY_SESSION_SETTINGS,
  MIGRATION_LOCK_KEY,
  appliedMigrations,
  codeMigrations,
  columnList,
  listTables,
  migrationLabel,
  nonEmptyTables,
  prefixMismatch,
  qualified,
  type CodeMigration,
  type Migration,
} from './db-catalog';

export type RestoreOptions = { force: boolean; log: (m: string) => void };
export type RestoreSummary = {
  tables: number;
  rows: number;
  /** Migrations the backup was taken at, and those applied after it by this code. */
  migrationsAtBackup: number;
  migrationsApplied: number;
  /** How foreign keys and triggers were kept quiet while loading. */
  mode: 'replica' | 'ordered';
  ms: number;
};

/** Who wrote the error: the operator needs a different fix for a bad file than for a refused target. */
export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** Reads the whole file once, checking framing, row counts and the gzip checksum; returns its manifest. */
export async function verifyBackupFile(file: string): Promise<{ manifest: Manifest; rows: number }> {
  let manifest: Manifest | undefined;
  let rows = 0;
  await readBackup(file, async (reader) => {
    manifest = await reader.readHeader();
    for (const t of manifest.tables) {
      await reader.expectTable(t.name);
      for await (const _ of reader.tableData(t.name)) {
        // only the row count matters here
      }
      if (reader.rows !== t.rows) throw new BackupFileError(`The backup file is damaged: table ${t.name} has ${reader.rows} rows, its manifest says ${t.rows}.`);
      rows += reader.rows;
    }
    await reader.expectEnd();
  });
  if (!manifest) throw new BackupFileError('The backup file is empty.');
  return { manifest, rows };
}

async function readBackup(file: string, consume: (reader: BackupReader) => Promise<void>): Promise<void> {
  if (!fs.existsSync(file)) throw new BackupFileError(`No such backup file: ${file}`);
  try {
    await pipeline(fs.createReadStream(file), zlib.createGunzip(), async (source: AsyncIterable<Buffer>) => {
      await consume(new BackupReader(source));
    });
  } catch (e) {
    throw asFileError(e);
  }
}

/** The backup's schema must be one this code can reproduce: its migrations a prefix of ours. */
export function checkBackupMigrations(manifest: Manifest, code: CodeMigration[]): void {
  const mismatch = prefixMismatch(manifest.migrations, code);
  if (!mismatch) return;
  const latest = code.at(-1);
  const theirs = migrationLabel(mismatch.theirs);
  if (!mismatch.ours) {
    throw new RestoreRefused(
      `The backup was taken at migration ${theirs}, which this version of Tongxin does not have (its latest is ${latest ? migrationLabel(latest) : 'none'}). ` +
        'Restore it with the Tongxin release that made it, or a newer one.',
    );
  }
  throw new RestoreRefused(
    `The backup's migration ${theirs} differs from this code's ${migrationLabel(mismatch.ours)} at position ${mismatch.index + 1}: ` +
      'the backup comes from a different build of Tongxin. Restore it with the release that made it.',
  );
}

/**
 * Restores a backup into the database at `url`: into an empty database, or (force) over an
 * existing one at the same or an older schema. Everything up to the data load (migrations to
 * the backup's version, truncation, COPY, sequences) is one transaction, so a failure leaves
 * the target as it was; migrations newer than the backup then run as at start-up.
 */
export async function restoreDatabase(url: string, file: string, opts: RestoreOptions): Promise<RestoreSummary> {
  const started = performance.now();
  const { manifest, rows } = await verifyBackupFile(file);
  opts.log(`backup file checked: ${manifest.tables.length} tables, ${rows} rows, taken ${manifest.createdAt} at ${manifest.migrations.length} migrations`);
  const code = codeMigrations();
  checkBackupMigrations(manifest, code);

  const client = new pg.Client({ connectionString: url, application_name: 'tongxin-restore' });
  await client.connect();
  let mode: RestoreSummary['mode'];
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    for (const s of COPY_SESSION_SETTINGS) await client.query(s);
    await refuseWhileAppConnected(client);
    const applied = await checkTarget(client, manifest, opts.force);
    await warnOnEncoding(client, manifest, opts.log);

    const toApply = code.slice(applied.length, manifest.migrations.length);
    for (const m of toApply) await applyMigration(client, m);
    if (toApply.length > 0) opts.log(`migrated the target to the backup's schema (${toApply.length} migrations)`);

    const tables = await listTables(client);
    checkTablesMatch(manifest, tables, opts.log);
    const quiet = await quietTriggers(client, tables.map((t) => t.name));
    mode = quiet.mode;
    // also empties whatever the migrations inserted: those rows are in the backup too
    if (tables.length > 0) await client.query(`truncate ${tables.map((t) => qualified(t.name)).join(', ')}`);

    await readBackup(file, async (reader) => {
      await reader.readHeader();
      for (const t of manifest.tables) {
        await reader.expectTable(t.name);
        const copy = client.query(copyFrom(`copy ${qualified(t.name)} (${columnList(t.columns)}) from stdin`));
        await pipeline(reader.tableData(t.name), copy);
        if (copy.rowCount !== t.rows) throw new Error(`table ${t.name}: loaded ${copy.rowCount} rows, the backup has ${t.rows}`);
      }
      await reader.expectEnd();
    });

    await restoreSequences(client, manifest);
    for (const v of manifest.materializedViews) {
      if (v.populated) await client.query(`refresh materialized view ${qualified(v.name)}`);
    }
    await quiet.wake();
    await client.query('commit');
  } finally {
    // on an error the transaction is still open: closing the connection rolls it back, and
    // unlike a ROLLBACK cannot queue behind an interrupted COPY
    await client.end();
  }

  // two: runMigrations holds one connection for its advisory lock while drizzle migrates on another
  const db = createDb(url, 2);
  const before = manifest.migrations.length;
  try {
    await runMigrations(db);
  } catch (e) {
    throw new Error(
      `The data was restored at the backup's schema, but applying the newer migrations failed: ${e instanceof Error ? e.message : String(e)}. ` +
        'Starting the app retries them.',
      { cause: e },
    );
  } finally {
    await db.$client.end();
  }
  return {
    tables: manifest.tables.length,
    rows,
    migrationsAtBackup: before,
    migrationsApplied: code.length - before,
    mode,
    ms: Math.round(performance.now() - started),
  };
}

/** Restoring under a running app would pull the data from under it. */
async function refuseWhileAppConnected(client: pg.Client): Promise<void> {
  const r = await client.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and application_name = $1`,
    [APP_CONNECTION_NAME],
  );
  const n = r.rows[0]?.n ?? 0;
  if (n > 0) throw new RestoreRefused(`The Tongxin app has ${n} connection(s) open to this database: stop it before restoring.`);
}

/** Returns the target's applied migrations once it is known to be safe to overwrite. */
async function checkTarget(client: pg.Client, manifest: Manifest, force: boolean): Promise<Migration[]> {
  const applied = await appliedMigrations(client);
  const existing = await listTables(client);
  if (applied.length === 0) {
    if (existing.length > 0) {
      throw new RestoreRefused(
        `The target database has tables in schema ${APP_SCHEMA} (${existing.map((t) => t.name).join(', ')}) but no Tongxin migrations: ` +
          'it is not a Tongxin database. Restore into an empty database.',
      );
    }
    return applied;
  }
  const mismatch = prefixMismatch(applied, manifest.migrations);
  if (mismatch) {
    const newer = mismatch.ours === undefined;
    throw new RestoreRefused(
      newer
        ? `The target database is at a newer schema than the backup (it has migration ${migrationLabel(mismatch.theirs)}, the backup stops at ` +
            `${lastLabel(manifest.migrations)}). Restore into an empty database: a new one, or in embedded mode a new DATA_DIR ` +
            '(move the old one aside to keep it).'
        : `The target database's migration ${migrationLabel(mismatch.theirs)} differs from the backup's: restore into an empty database.`,
    );
  }
  const filled = await nonEmptyTables(client, existing);
  if (filled.length > 0 && !force) {
    throw new RestoreRefused(
      `The target database holds data (${filled.join(', ')}). A restore replaces all of it: add --force to do so, or restore into an empty database.`,
    );
  }
  return applied;
}

const lastLabel = (ms: Migration[]) => {
  const last = ms.at(-1);
  return last ? migrationLabel(last) : 'no migrations';
};

async function warnOnEncoding(client: pg.Client, manifest: Manifest, log: (m: string) => void) {
  const r = await client.query<{ encoding: string }>('select pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()');
  const enc = r.rows[0]?.encoding;
  if (enc && enc !== manifest.encoding) log(`warning: the target database's encoding is ${enc}, the backup's ${manifest.encoding}; text is converted on load`);
}

/** As drizzle's migrator does it (pg-core dialect), but inside this transaction and stopping at the backup's version. */
async function applyMigration(client: pg.Client, m: CodeMigration): Promise<void> {
  await client.query('create schema if not exists drizzle');
  await client.query('create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)');
  for (const stmt of m.statements) {
    if (stmt.trim() !== '') await client.query(stmt);
  }
  await client.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [m.hash, m.createdAt]);
}

function checkTablesMatch(manifest: Manifest, tables: { name: string; columns: string[] }[], log: (m: string) => void) {
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const t of manifest.tables) {
    const target = byName.get(t.name);
    if (!target) throw new RestoreRefused(`Table ${t.name} of the backup does not exist after migrating the target: the schema was changed outside the migrations.`);
    const missing = t.columns.filter((c) => !target.columns.includes(c));
    if (missing.length > 0) throw new RestoreRefused(`Table ${t.name} of the target lacks columns ${missing.join(', ')} of the backup.`);
  }
  const extra = tables.filter((t) => !manifest.tables.some((m) => m.name === t.name)).map((t) => t.name);
  if (extra.length > 0) log(`warning: tables not in the backup are left empty: ${extra.join(', ')}`);
}

/**
 * Foreign-key checks and triggers (an audit hash chain or an append-only guard) must not act on
 * rows that already passed them once. A superuser (the embedded server's role) switches them
 * off for this transaction with session_replication_role; a table owner without that right
 * disables the tables' own triggers instead, enables them again before commit, and relies on
 * the backup's parent-first order for foreign keys.
 */
async function quietTriggers(client: pg.Client, tables: string[]): Promise<{ mode: RestoreSummary['mode']; wake: () => Promise<void> }> {
  await client.query('savepoint replica');
  try {
    await client.query('set local session_replication_role = replica');
    await client.query('release savepoint replica');
    return { mode: 'replica', wake: async () => undefined };
  } catch {
    await client.query('rollback to savepoint replica');
  }
  // only those enabled now, so a trigger someone disabled on purpose stays disabled
  const r = await client.query<{ table: string; trigger: string }>(
    `select c.relname as table, t.tgname as trigger from pg_trigger t
       join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = any($2) and not t.tgisinternal and t.tgenabled = 'O'`,
    [APP_SCHEMA, tables],
  );
  const toggle = async (how: 'enable' | 'disable') => {
    for (const t of r.rows) await client.query(`alter table ${qualified(t.table)} ${how} trigger ${pg.escapeIdentifier(t.trigger)}`);
  };
  await toggle('disable');
  return { mode: 'ordered', wake: () => toggle('enable') };
}

/** Sequences back where the backup saw them, and never behind the ids actually loaded. */
async function restoreSequences(client: pg.Client, manifest: Manifest): Promise<void> {
  for (const s of manifest.sequences) {
    const seq = qualified(s.name);
    const exists = await client.query<{ t: string | null }>('select to_regclass($1)::text as t', [seq]);
    if (!exists.rows[0]?.t) continue;
    let value = BigInt(s.lastValue);
    let isCalled = s.isCalled;
    if (s.ownedBy) {
      const m = await client.query<{ max: string | null }>(`select max(${pg.escapeIdentifier(s.ownedBy.column)})::text as max from ${qualified(s.ownedBy.table)}`);
      const max = m.rows[0]?.max;
      const next = isCalled ? value + 1n : value;
      if (max !== null && max !== undefined && BigInt(max) >= next) {
        value = BigInt(max);
        isCalled = true;
      }
    }
    await client.query('select setval($1::regclass, $2::bigint, $3)', [seq, value.toString(), isCalled]);
  }
}

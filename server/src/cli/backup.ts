import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { repoRoot } from '../platform/config';
import { FORMAT_VERSION, countLines, fileEnd, headerBytes, tableEnd, tableStart, type Manifest } from './backup-format';
import { APP_SCHEMA, COPY_SESSION_SETTINGS, appliedMigrations, columnList, listTables, qualified, type TableInfo } from './db-catalog';

export type BackupSummary = { file: string; bytes: number; tables: number; rows: number; migrations: number; ms: number };

/**
 * Writes a logical backup of the database at `url` to `outFile` (format: backup-format.ts).
 * One REPEATABLE READ READ ONLY transaction makes every table come from the same snapshot
 * while the app keeps running; the file appears under its name only once complete.
 */
export async function backupDatabase(url: string, outFile: string): Promise<BackupSummary> {
  const started = performance.now();
  const file = path.resolve(outFile);
  const partial = `${file}.partial`;
  const client = new pg.Client({ connectionString: url, application_name: 'tongxin-backup' });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    for (const s of COPY_SESSION_SETTINGS) await client.query(s);
    const tables = await listTables(client);
    // the catalog is read outside the snapshot: locks keep DDL (a migration) away until the end
    if (tables.length > 0) await client.query(`lock table ${tables.map((t) => qualified(t.name)).join(', ')} in access share mode`);
    const manifest = await readManifest(client, tables);
    await pipeline(
      content(client, manifest, tables),
      zlib.createGzip({ level: 6 }),
      // personal data and password hashes: readable by the owner only; flush = fsync before close
      fs.createWriteStream(partial, { mode: 0o600, flush: true }),
    );
    await client.query('commit');
    fs.renameSync(partial, file);
    return {
      file,
      bytes: fs.statSync(file).size,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      migrations: manifest.migrations.length,
      ms: Math.round(performance.now() - started),
    };
  } catch (e) {
    fs.rmSync(partial, { force: true });
    // no ROLLBACK: after an interrupted COPY it would wait behind it forever; closing the
    // connection ends the transaction just the same
    throw e;
  } finally {
    await client.end();
  }
}

async function readManifest(client: pg.Client, tables: TableInfo[]): Promise<Manifest> {
  const migrations = await appliedMigrations(client);
  if (migrations.length === 0) {
    throw new Error('This database has no Tongxin migrations: nothing to back up. Check DATABASE_URL / DATA_DIR.');
  }
  const info = await client.query<{ version: string; encoding: string }>(
    `select current_setting('server_version') as version, pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()`,
  );
  const withRows = [];
  for (const t of tables) {
    const r = await client.query<{ n: string }>(`select count(*)::text as n from ${qualified(t.name)}`);
    withRows.push({ name: t.name, columns: t.columns, rows: Number(r.rows[0]?.n ?? 0) });
  }
  return {
    format: 'tongxin-backup',
    formatVersion: FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    appVersion: appVersion(),
    serverVersion: info.rows[0]?.version ?? 'unknown',
    encoding: info.rows[0]?.encoding ?? 'unknown',
    migrations,
    tables: withRows,
    sequences: await readSequences(client),
    materializedViews: (
      await client.query<{ name: string; populated: boolean }>(
        `select c.relname as name, c.relispopulated as populated from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = $1 and c.relkind = 'm' order by c.oid`,
        [APP_SCHEMA],
      )
    ).rows,
  };
}

/**
 * Sequence positions as they are now (sequences ignore snapshots), which is at or past every
 * value visible in the snapshot: restored ids never collide with later inserts.
 */
async function readSequences(client: pg.Client): Promise<Manifest['sequences']> {
  const r = await client.query<{ name: string; table: string | null; column: string | null }>(
    `select s.relname as name, t.relname as table, a.attname as column
       from pg_class s join pg_namespace n on n.oid = s.relnamespace
       left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid
                            and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
       left join pg_class t on t.oid = d.refobjid
       left join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
      where n.nspname = $1 and s.relkind = 'S'
      order by s.relname`,
    [APP_SCHEMA],
  );
  const out: Manifest['sequences'] = [];
  for (const s of r.rows) {
    const v = await client.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${qualified(s.name)}`);
    const row = v.rows[0];
    if (!row) continue;
    out.push({
      name: s.name,
      lastValue: row.last_value,
      isCalled: row.is_called,
      ownedBy: s.table && s.column ? { table: s.table, column: s.column } : null,
    });
  }
  return out;
}

async function* content(client: pg.Client, manifest: Manifest, tables: TableInfo[]): AsyncGenerator<Buffer> {
  yield headerBytes(manifest);
  for (const [i, t] of manifest.tables.entries()) {
    const info = tables[i];
    if (!info) throw new Error(`table ${t.name} vanished`);
    yield tableStart(t.name);
    // COPY cannot read a partitioned table directly; a query over it reaches every partition
    const source = info.partitioned ? `(select ${columnList(t.columns)} from ${qualified(t.name)})` : `${qualified(t.name)} (${columnList(t.columns)})`;
    let rows = 0;
    for await (const chunk of client.query(copyTo(`copy ${source} to stdout`)) as AsyncIterable<Buffer>) {
      rows += countLines(chunk);
      yield chunk;
    }
    // both come from the same snapshot: a difference means the framing would be wrong
    if (rows !== t.rows) throw new Error(`table ${t.name}: COPY gave ${rows} rows, count(*) ${t.rows}`);
    yield tableEnd();
  }
  yield fileEnd();
}

function appVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

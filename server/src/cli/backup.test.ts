import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../platform/db/db';
import { seedDemo } from '../modules/demo/demo.seed';
import { backupDatabase } from './backup';
import { BackupFileError } from './backup-format';
import { digests, onCleanup, runCli, scratchDatabase, withClient } from './cli-test-helpers';
import { codeMigrations, prefixMismatch } from './db-catalog';
import { RestoreRefused, checkBackupMigrations, restoreDatabase, verifyBackupFile } from './restore';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-backup-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const quiet = { log: () => undefined };

let sourceUrl: string;
let backupFile: string;
let sourceDigests: Record<string, string>;

/** A demo department plus values that COPY must escape: tabs, newlines, backslashes, quotes, JSON, inet. */
async function seedSource(url: string) {
  const db = createDb(url, 2);
  try {
    await seedDemo(db);
  } finally {
    await db.$client.end();
  }
  await withClient(url, async (c) => {
    await c.query(`update people set ethnicity = E'汉族\\t"引号"\\n第二行\\\\反斜杠 \\\\.', birth_date = null where id = (select id from people order by name limit 1)`);
    await c.query(
      `insert into audit_log (tenant_id, actor_name, action, result, ip, user_agent, details)
       select id, E'操作员\\\\', 'test.action', 'ok', '10.1.2.3', E'agent\\twith tab', '{"说明": "line1\\nline2", "n": 1.5, "nested": {"a": [1, null, "\\\\."]}}'::jsonb
         from tenants, generate_series(1, 25)`,
    );
    await c.query(
      `insert into sessions (id_hash, tenant_id, user_id, expires_at, ip, user_agent)
       select 'h' || u.id, u.tenant_id, u.id, now() + interval '1 hour', '::1', null from users u limit 2`,
    );
    // ids handed out but never committed: the restored sequence must not reuse them
    await c.query(`select nextval('audit_log_id_seq') from generate_series(1, 5)`);
  });
}

beforeAll(async () => {
  sourceUrl = await scratchDatabase('template');
  await seedSource(sourceUrl);
  sourceDigests = await digests(sourceUrl);
  backupFile = path.join(dir, 'source.txb.gz');
  await backupDatabase(sourceUrl, backupFile);
});

async function sequenceState(url: string) {
  return withClient(url, async (c) => (await c.query(`select last_value::text, is_called from audit_log_id_seq`)).rows[0]);
}

/** The backup's decompressed text, edited, written as a new file. */
function editedBackup(name: string, edit: (text: string) => string): string {
  const text = zlib.gunzipSync(fs.readFileSync(backupFile)).toString('utf8');
  const out = path.join(dir, name);
  fs.writeFileSync(out, zlib.gzipSync(edit(text)));
  return out;
}

describe('backup', () => {
  it('records migrations, every table of the database and their row counts', async () => {
    const { manifest, rows } = await verifyBackupFile(backupFile);
    expect(manifest.migrations.map((m) => m.hash)).toEqual(codeMigrations().map((m) => m.hash));
    const tables = Object.keys(sourceDigests).filter((k) => !k.startsWith('drizzle.'));
    expect(manifest.tables.map((t) => t.name).sort()).toEqual(tables.sort());
    for (const t of manifest.tables) expect(`${t.rows}`).toBe(sourceDigests[t.name]?.split(':')[0]);
    expect(rows).toBeGreaterThan(100);
    // every referenced table before the tables referencing it
    const at = (n: string) => manifest.tables.findIndex((t) => t.name === n);
    const fks = await withClient(sourceUrl, async (c) =>
      (
        await c.query<{ child: string; parent: string }>(
          `select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint where contype = 'f' and conrelid <> confrelid`,
        )
      ).rows,
    );
    expect(fks.length).toBeGreaterThan(5);
    // a cycle of references (a points entry cites its manual request, which may cite the entry
    // it corrects) has no parent-first order: only the replica-mode load restores those
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      fks.some((e) => e.child === from && !seen.has(e.parent) && (e.parent === to || reaches(e.parent, to, seen.add(e.parent))));
    for (const fk of fks.filter((e) => !reaches(e.parent, e.child))) {
      expect(at(fk.parent), `${fk.parent} before ${fk.child}`).toBeLessThan(at(fk.child));
    }
    expect(manifest.sequences.find((s) => s.name === 'audit_log_id_seq')?.ownedBy).toEqual({ table: 'audit_log', column: 'id' });
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);
  });

  it('finds tables from the catalog, including one no code knows about', async () => {
    const url = await scratchDatabase('template');
    await withClient(url, (c) => c.query(`create table extra_things (id int primary key, note text); insert into extra_things values (1, 'x')`));
    const file = path.join(dir, 'extra.txb.gz');
    await backupDatabase(url, file);
    const { manifest } = await verifyBackupFile(file);
    expect(manifest.tables.find((t) => t.name === 'extra_things')?.rows).toBe(1);
    // its table does not come back from the migrations: a clear refusal, not a silent loss
    await expect(restoreDatabase(await scratchDatabase('empty'), file, { force: false, ...quiet })).rejects.toThrow(/extra_things.*outside the migrations/);
  });

  it('fails cleanly when the file cannot be written in the middle of a table', async () => {
    const url = await scratchDatabase('template');
    // megabytes of hardly compressible rows, so gzip writes while COPY still runs
    await withClient(url, (c) => c.query(`create table filler as select g, md5(g::text) as pad from generate_series(1, 60000) g`));
    // every write fails with ENOSPC, first when gzip flushes, i.e. during the COPY
    const out = path.join(dir, 'full.txb.gz');
    fs.symlinkSync('/dev/full', `${out}.partial`);
    await expect(backupDatabase(url, out)).rejects.toThrow(/ENOSPC/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });

  it('refuses a database that never ran the migrations', async () => {
    await expect(backupDatabase(await scratchDatabase('empty'), path.join(dir, 'none.txb.gz'))).rejects.toThrow(/no Tongxin migrations/);
    expect(fs.existsSync(path.join(dir, 'none.txb.gz'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'none.txb.gz.partial'))).toBe(false);
  });
});

describe('restore', () => {
  it('into an empty database gives identical rows, migrations and sequence position', async () => {
    const target = await scratchDatabase('empty');
    const s = await restoreDatabase(target, backupFile, { force: false, ...quiet });
    expect(s.mode).toBe('replica');
    expect(s.migrationsApplied).toBe(0);
    expect(await digests(target)).toEqual(sourceDigests);
    expect(await sequenceState(target)).toEqual(await sequenceState(sourceUrl));
    // the app can write again: a new audit row gets an id past every restored one
    await withClient(target, async (c) => {
      const r = await c.query<{ id: string; max: string }>(
        `with i as (insert into audit_log (action, result) values ('after.restore', 'ok') returning id) select i.id::text, (select max(id) from audit_log)::text as max from i`,
      );
      expect(BigInt(r.rows[0]?.id ?? 0)).toBeGreaterThan(30n);
    });
  });

  it('refuses a target that holds data unless forced, then replaces it', async () => {
    const target = await scratchDatabase('template');
    const db = createDb(target, 2);
    await seedDemo(db);
    await db.$client.end();
    await expect(restoreDatabase(target, backupFile, { force: false, ...quiet })).rejects.toThrow(/holds data.*--force/);
    await restoreDatabase(target, backupFile, { force: true, ...quiet });
    expect(await digests(target)).toEqual(sourceDigests);
  });

  it('refuses while the app is connected to the target', async () => {
    const target = await scratchDatabase('template');
    const db = createDb(target, 1);
    await db.$client.query('select 1');
    try {
      await expect(restoreDatabase(target, backupFile, { force: true, ...quiet })).rejects.toThrow(/stop it before restoring/);
    } finally {
      await db.$client.end();
    }
  });

  it('as a table owner without superuser rights, loading parents first', async () => {
    const role = `owner_${Date.now()}`;
    const adminTarget = await scratchDatabase('empty');
    const dbName = new URL(adminTarget).pathname.slice(1);
    await withClient(adminTarget, async (c) => {
      await c.query(`create role ${role} login password 'owner-pw'`);
      await c.query(`alter database ${dbName} owner to ${role}`);
    });
    onCleanup(() =>
      withClient(inject('adminUrl'), async (c) => {
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.query(`drop role if exists ${role}`);
      }),
    );
    const u = new URL(adminTarget);
    u.username = role;
    u.password = 'owner-pw';
    const s = await restoreDatabase(u.toString(), backupFile, { force: false, ...quiet });
    expect(s.mode).toBe('ordered');
    expect(await digests(adminTarget)).toEqual(sourceDigests);
  });
});

describe('restore of a bad file leaves the target unchanged', () => {
  let target: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    target = await scratchDatabase('template');
    const db = createDb(target, 2);
    await seedDemo(db);
    await db.$client.end();
    before = await digests(target);
  });

  it('a truncated file', async () => {
    const bytes = fs.readFileSync(backupFile);
    const file = path.join(dir, 'truncated.txb.gz');
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const err = await restoreDatabase(target, file, { force: true, ...quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupFileError);
    expect((err as Error).message).toMatch(/incomplete/);
    expect(await digests(target)).toEqual(before);
  });

  it('a file cut at a table boundary, with a valid gzip trailer', async () => {
    const file = editedBackup('cut.txb.gz', (t) => t.slice(0, t.indexOf('TABLE "people"')));
    await expect(restoreDatabase(target, file, { force: true, ...quiet })).rejects.toThrow(/incomplete: it ends before the data of table people/);
    expect(await digests(target)).toEqual(before);
  });

  it('a damaged byte', async () => {
    const bytes = Buffer.from(fs.readFileSync(backupFile));
    const i = Math.floor(bytes.length / 2);
    bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    const file = path.join(dir, 'damaged.txb.gz');
    fs.writeFileSync(file, bytes);
    await expect(restoreDatabase(target, file, { force: true, ...quiet })).rejects.toThrow(/damaged/);
    expect(await digests(target)).toEqual(before);
  });

  it('a row missing from a table', async () => {
    const file = editedBackup('missing-row.txb.gz', (t) => {
      const start = t.indexOf('TABLE "people"\n') + 'TABLE "people"\n'.length;
      return t.slice(0, start) + t.slice(t.indexOf('\n', start) + 1);
    });
    await expect(restoreDatabase(target, file, { force: true, ...quiet })).rejects.toThrow(/table people has 39 rows, its manifest says 40/);
    expect(await digests(target)).toEqual(before);
  });

  it('not a backup at all', async () => {
    const file = path.join(dir, 'not-a-backup.txt');
    fs.writeFileSync(file, 'hello');
    await expect(restoreDatabase(target, file, { force: true, ...quiet })).rejects.toThrow(/not a Tongxin backup/);
    const plain = path.join(dir, 'plain.gz');
    fs.writeFileSync(plain, zlib.gzipSync('hello\nworld\n'));
    await expect(restoreDatabase(target, plain, { force: true, ...quiet })).rejects.toThrow(/Not a Tongxin backup/);
  });

  it('a well-formed file whose data the database rejects rolls everything back, migrations included', async () => {
    // a value that is not a uuid: only the COPY into the table notices
    const file = editedBackup('bad-value.txb.gz', (t) => {
      const start = t.indexOf('TABLE "people"\n') + 'TABLE "people"\n'.length;
      return `${t.slice(0, start)}not-a-uuid${t.slice(t.indexOf('\t', start))}`;
    });
    await expect(restoreDatabase(target, file, { force: true, ...quiet })).rejects.toThrow(/uuid/);
    expect(await digests(target)).toEqual(before);
    const empty = await scratchDatabase('empty');
    await expect(restoreDatabase(empty, file, { force: false, ...quiet })).rejects.toThrow(/uuid/);
    expect(await digests(empty)).toEqual({});
  });
});

describe('schema versions', () => {
  it('refuses a backup taken at a migration this code does not have', async () => {
    const file = editedBackup('newer.txb.gz', (t) => {
      const [magic, manifest, ...rest] = t.split('\n');
      const m = JSON.parse(manifest ?? '') as { migrations: unknown[] };
      m.migrations.push({ hash: 'f'.repeat(64), createdAt: 4102444800000, tag: '9999_future' });
      return [magic, JSON.stringify(m), ...rest].join('\n');
    });
    const target = await scratchDatabase('empty');
    await expect(restoreDatabase(target, file, { force: false, ...quiet })).rejects.toThrow(/9999_future, which this version of Tongxin does not have/);
    expect(await digests(target)).toEqual({});
  });

  it('refuses a target at a newer schema than the backup, even forced', async () => {
    const target = await scratchDatabase('template');
    await withClient(target, (c) => c.query(`insert into drizzle.__drizzle_migrations (hash, created_at) values ('${'e'.repeat(64)}', 4102444800000)`));
    const before = await digests(target);
    await expect(restoreDatabase(target, backupFile, { force: true, ...quiet })).rejects.toBeInstanceOf(RestoreRefused);
    await expect(restoreDatabase(target, backupFile, { force: true, ...quiet })).rejects.toThrow(/newer schema than the backup/);
    expect(await digests(target)).toEqual(before);
  });

  it('accepts a backup whose migrations are a prefix of the code', () => {
    const m = (createdAt: number, hash = `h${createdAt}`) => ({ createdAt, hash, tag: null });
    expect(prefixMismatch([m(1), m(2)], [m(1), m(2), m(3)])).toBeUndefined();
    expect(prefixMismatch([m(1), m(2, 'other')], [m(1), m(2), m(3)])?.index).toBe(1);
    expect(prefixMismatch([m(1), m(2), m(3)], [m(1), m(2)])?.ours).toBeUndefined();
    const code = codeMigrations();
    const manifestOf = (migrations: { hash: string; createdAt: number; tag: string | null }[]) =>
      ({ migrations }) as Parameters<typeof checkBackupMigrations>[0];
    expect(() => checkBackupMigrations(manifestOf(code.slice(0, 1)), code)).not.toThrow();
    expect(() => checkBackupMigrations(manifestOf([{ ...m(1), tag: 'x' }]), code)).toThrow(/different build/);
  });
});

describe('the commands', () => {
  const cli = runCli;

  it('backup --out and restore --in against DATABASE_URL', async () => {
    const file = path.join(dir, 'cli.txb.gz');
    const b = cli(['backup', '--out', file], { DATABASE_URL: sourceUrl });
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(/^backup written: .*cli\.txb\.gz/);
    const target = await scratchDatabase('empty');
    const r = cli(['restore', '--in', file], { DATABASE_URL: target });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^restored \d+ tables/);
    expect(await digests(target)).toEqual(sourceDigests);
    const again = cli(['restore', '--in', file], { DATABASE_URL: target });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/--force/);
  }, 120_000);

  it('reports a missing option with the usage', () => {
    const r = cli(['backup'], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out is required\nusage: tongxin backup --out <file>/);
  }, 60_000);
});

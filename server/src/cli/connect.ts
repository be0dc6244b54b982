import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../platform/config';
import { createDb } from '../platform/db/db';
import { runMigrations } from '../platform/db/migrate';
import { LOCK_FILE, PASSWORD_FILE, isAlive } from '../platform/db/embedded';
import { startRuntime, type Runtime } from '../platform/runtime';

/**
 * The database of a CLI command. DATABASE_URL wins. Otherwise the embedded server under
 * DATA_DIR: a command that may run beside the app (`alongsideApp`: backup, create-admin)
 * connects to the server of the running app, since the app holds DATA_DIR's lock and a
 * second server cannot start on it; any other command starts the server itself, and so
 * fails with the lock's message while the app runs.
 */
export async function openRuntime(config: Config, log: (m: string) => void, opts: { alongsideApp: boolean; migrate: boolean }): Promise<Runtime> {
  if (!config.databaseUrl && opts.alongsideApp) {
    const url = runningEmbeddedUrl(config.dataDir);
    if (url) {
      log(`the app is running on ${config.dataDir}: using its database`);
      const db = createDb(url, 2);
      try {
        if (opts.migrate) await runMigrations(db);
      } catch (e) {
        await db.$client.end();
        throw e;
      }
      return { db, databaseUrl: url, embedded: true, stop: () => db.$client.end() };
    }
  }
  // PostgreSQL's own start-up chatter is not for the console of a CLI command
  return startRuntime(config, () => undefined, { migrate: opts.migrate });
}

/**
 * The URL of the embedded server a live app started, from what it leaves in DATA_DIR: the
 * lock with the app's pid (embedded.ts), the password file, and PostgreSQL's postmaster.pid,
 * whose fourth line is the port. Undefined when no live app holds the lock.
 */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const lock = path.join(dataDir, LOCK_FILE);
  if (!fs.existsSync(lock)) return undefined;
  const pid = Number(fs.readFileSync(lock, 'utf8').trim());
  if (!pid || pid === process.pid || !isAlive(pid)) return undefined;
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const lines = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n') : [];
  const port = Number(lines[3]);
  if (!port) throw new Error(`The app (pid ${pid}) holds ${dataDir} but its PostgreSQL is not running (no ${pidFile}): wait for it to start, or stop it.`);
  const password = fs.readFileSync(path.join(dataDir, PASSWORD_FILE), 'utf8').trim();
  // same user and database name as runtime.ts / embedded.ts
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/tongxin`;
}

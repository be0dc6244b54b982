import type { Config } from './config';
import { createDb, type Db } from './db/db';
import { startEmbedded } from './db/embedded';
import { runMigrations } from './db/migrate';
import { loadDataKey, setDataKey } from './crypto';

export type Runtime = { db: Db; databaseUrl: string; embedded: boolean; stop: () => Promise<void> };

/** Database for the app and the CLI: the given server, or the embedded one under DATA_DIR. */
export async function startRuntime(config: Config, log: (m: string) => void, opts: { migrate: boolean } = { migrate: true }): Promise<Runtime> {
  setDataKey(loadDataKey(config.dataKey, config.dataDir));
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const embedded = await startEmbedded({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'tongxin', log });
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const db = createDb(url, config.dbPoolMax);
  try {
    if (opts.migrate) await runMigrations(db);
  } catch (e) {
    await db.$client.end();
    await stopEmbedded?.();
    throw e;
  }
  return {
    db,
    databaseUrl: url,
    embedded: stopEmbedded !== undefined,
    stop: async () => {
      await db.$client.end();
      await stopEmbedded?.();
    },
  };
}

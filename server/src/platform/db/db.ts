import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';

export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Repos take either the pool-backed db or a transaction. */
export type Executor = Db | Tx;

// DATE columns stay ISO strings: no time-zone shift of birth dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/** The pool's name in pg_stat_activity; restore refuses while such connections exist. */
export const APP_CONNECTION_NAME = 'tongxin';

export function createDb(url: string, max: number): Db {
  const pool = new pg.Pool({ connectionString: url, max, application_name: APP_CONNECTION_NAME });
  // an idle client losing its connection must not crash the process
  pool.on('error', () => undefined);
  return drizzle(pool, { schema });
}

export { schema };

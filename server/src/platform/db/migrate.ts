import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { repoRoot } from '../config';
import type { Db } from './db';

export const migrationsFolder = path.join(repoRoot, 'server/migrations');
/** Advisory lock key held while migrating; the CLI's restore takes the same one. */
export const MIGRATION_LOCK_KEY = 727274;

/**
 * Applies committed migrations in order. An advisory lock serialises processes starting
 * together; the migrations run on the very connection holding it, so a pool of one works.
 */
export async function runMigrations(db: Db): Promise<void> {
  const client = await db.$client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

import PgBoss from 'pg-boss';
import type { Db } from '../db/db';
import { APP_CONNECTION_NAME } from '../db/db';

/** A scheduled job: a plain function of (db, now), so tests call it directly with a fixed now. */
export type JobDefinition = { name: string; cron: string; run: (db: Db, now: Date) => Promise<number> };

export type Jobs = { boss: PgBoss; stop: () => Promise<void> };

/** pg-boss keeps its tables in a schema of its own, apart from the app's migrations. */
export const JOBS_SCHEMA = 'pgboss';

/**
 * Starts pg-boss over the app's database and schedules the jobs (cron in Asia/Shanghai).
 * With several app processes each schedules the same crons; pg-boss keeps one schedule per
 * name and hands each job to one worker, so a reminder is computed once per tick.
 */
export async function startJobs(db: Db, databaseUrl: string, jobs: JobDefinition[], log: (m: string) => void): Promise<Jobs> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: JOBS_SCHEMA, application_name: APP_CONNECTION_NAME, max: 2 });
  boss.on('error', (e: unknown) => log(`jobs: ${e instanceof Error ? e.message : String(e)}`));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name);
    await boss.schedule(job.name, job.cron, {}, { tz: 'Asia/Shanghai' });
    await boss.work(job.name, async () => {
      const n = await job.run(db, new Date());
      log(`jobs: ${job.name} sent ${n}`);
    });
  }
  return {
    boss,
    // graceful: a running handler finishes (it is one short transaction per tenant) before the pool closes
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}

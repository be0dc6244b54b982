import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDb } from '../../test/harness';
import { JOBS_SCHEMA, startJobs } from './jobs';
import { scheduledJobs } from './schedule';

describe('jobs runtime (pg-boss)', () => {
  it('creates its own schema, schedules the reminders in Asia/Shanghai, runs a job on demand and stops', async () => {
    const db = await testDb();
    const url = db.$client.options.connectionString as string;
    const ran: Date[] = [];
    const jobs = await startJobs(db, url, [...scheduledJobs, { name: 'test-job', cron: '0 0 1 1 *', run: async (_db, now) => (ran.push(now), 1) }], () => undefined);
    try {
      const s = await db.execute<{ name: string; cron: string; timezone: string }>(sql.raw(`select name, cron, timezone from ${JOBS_SCHEMA}.schedule order by name`));
      expect(s.rows).toEqual([
        { name: 'activity-reminders', cron: '5 * * * *', timezone: 'Asia/Shanghai' },
        { name: 'duty-reminders', cron: '0 8 * * *', timezone: 'Asia/Shanghai' },
        { name: 'integrity-review-overdue', cron: '40 8 * * *', timezone: 'Asia/Shanghai' },
        { name: 'rectification-overdue', cron: '30 8 * * *', timezone: 'Asia/Shanghai' },
        { name: 'test-job', cron: '0 0 1 1 *', timezone: 'Asia/Shanghai' },
      ]);
      await jobs.boss.send('test-job', {});
      const until = Date.now() + 15_000;
      while (ran.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(ran).toHaveLength(1);
    } finally {
      await jobs.stop();
    }
    // the app's tables are untouched: pg-boss lives apart
    const tables = await db.execute<{ n: number }>(sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename like '%job%'`);
    expect(tables.rows[0]?.n).toBe(0);
  }, 30_000);
});

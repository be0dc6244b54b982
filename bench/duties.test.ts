import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testDb } from '../server/src/test/harness';
import { dutyCells } from '../server/src/modules/duties/duties.repo';
import { generateDuties } from './duties.generate';

// the duties generator must keep producing data the schema accepts and the calendar counts
describe('duties bench generator', () => {
  it('loads units, activities and participant rows by COPY, with the indexes back', async () => {
    const db = await testDb();
    const url = db.$client.options.connectionString as string;
    const g = await generateDuties(db, url, { units: 20, activities: 600, attendance: 3000, seed: 7, years: [2026], log: () => undefined });
    expect(g.counts).toMatchObject({ units: 20, branches: 6, groups: 12, activities: 600, attendance: 3000 });
    const n = await db.execute<{ a: number; p: number; i: number }>(sql`
      select (select count(*)::int from activities where tenant_id = ${g.tenantId}) as a,
             (select count(*)::int from activity_participants where tenant_id = ${g.tenantId}) as p,
             (select count(*)::int from pg_indexes where indexname in ('activity_participants_activity_person_idx', 'activity_participants_person_idx')) as i`);
    expect(n.rows[0]).toEqual({ a: 600, p: 3000, i: 2 });
    const cells = await dutyCells(db, g.tenantId, 2026, { pathPrefix: g.root.path }, { all: true });
    expect(cells.length).toBeGreaterThan(100);
    expect(cells.some((c) => c.done > 0)).toBe(true);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildPerson, buildTenant, buildUnit, testDb, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import { inTenant } from '../../platform/db/tenant';
import { branchTally, branchTallyFromLedger, personMonthsOf, rebuildPersonMonths } from './points.repo';

/**
 * points_person_months (ADR 0012): the database keeps it from the ledger in the inserting
 * transaction; the application can only read it. Entries are written straight into the
 * ledger here (the trigger does not care who writes them).
 */

const db = await testDb();
let t: TenantFixture;
let branch: OrgUnitRow;
let other: OrgUnitRow;
let people: string[];

type E = { person: string; branch?: string; period: string; amount: number; rule?: string; kind?: string; version?: number; cap?: number; capPeriod?: 'month' | 'quarter' | 'year' };

async function book(...es: E[]): Promise<void> {
  // one statement, as the service books an activity's attendance
  await db.execute(sql`
    insert into points_entries (tenant_id, person_id, branch_id, period, amount, source, rule_code, rule_kind, rule_set_version, cap, cap_period)
    values ${sql.join(
      es.map(
        (e) =>
          sql`(${t.tenantId}, ${e.person}, ${e.branch ?? branch.id}, ${e.period}::date, ${e.amount}, 'manual', ${e.rule ?? 'study'}, ${e.kind ?? 'attend'},
            ${e.version ?? 1}, ${e.cap ?? null}, ${e.capPeriod ?? null})`,
      ),
      sql`, `,
    )}`);
}

const rowsOf = async (person: string, period: string) => (await personMonthsOf(db, t.tenantId)).filter((r) => r.person_id === person && r.period === period);

beforeAll(async () => {
  t = await buildTenant(db, '积分汇总测试');
  const office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  branch = await buildUnit(db, t, { type: 'branch', name: '汇总支部' });
  other = await buildUnit(db, t, { type: 'branch', name: '另一支部' });
  people = [];
  for (const n of ['甲', '乙', '丙']) people.push(await buildPerson(db, t.tenantId, { officeId: office.id, name: n, partyStatus: 'full', branchId: branch.id }));
});

describe('points_person_months', () => {
  it('is kept by every ledger insert: caps per bucket, moves between branches, sanctions; equals its rebuild and the ledger computation', async () => {
    const [a, b] = people as [string, string];
    await book(
      { person: a, period: '2026-01-01', amount: 4, cap: 6, capPeriod: 'quarter' },
      { person: a, period: '2026-02-01', amount: 4, cap: 6, capPeriod: 'quarter' },
      { person: b, period: '2026-01-01', amount: -20, rule: 'sanction', kind: 'sanction' },
    );
    // the person moved: March's step counts in the other branch, with what the cap still allowed
    await book({ person: a, branch: other.id, period: '2026-03-01', amount: 4, cap: 6, capPeriod: 'quarter' });
    expect(await rowsOf(a, '2026-02-01')).toEqual([{ person_id: a, period: '2026-02-01', branch_id: branch.id, additions: 2, deductions: 0, capped: 2, sanctioned: false }]);
    expect(await rowsOf(a, '2026-03-01')).toEqual([{ person_id: a, period: '2026-03-01', branch_id: other.id, additions: 0, deductions: 0, capped: 4, sanctioned: false }]);
    expect((await rowsOf(b, '2026-01-01'))[0]).toMatchObject({ deductions: -20, sanctioned: true });
    const kept = await personMonthsOf(db, t.tenantId);
    expect(await rebuildPersonMonths(db, t.tenantId)).toBe(kept.length);
    expect(await personMonthsOf(db, t.tenantId)).toEqual(kept);
    for (const m of ['2026-01-01', '2026-02-01', '2026-03-01'])
      for (const u of [branch, other]) expect(await branchTally(db, t.tenantId, u.id, m, m)).toEqual(await branchTallyFromLedger(db, t.tenantId, u.id, m, m));
  });

  it("a closed month's rows do not change when later entries of the year are added, even under a lower cap of a new rule version", async () => {
    const c = people[2] as string;
    await book({ person: c, period: '2026-01-01', amount: 8, rule: 'volunteer', kind: 'volunteer', cap: 10, capPeriod: 'year' });
    const january = await rowsOf(c, '2026-01-01');
    expect(january).toMatchObject([{ additions: 8 }]);
    await book(
      { person: c, period: '2026-07-01', amount: 4, rule: 'volunteer', kind: 'volunteer', version: 2, cap: 5, capPeriod: 'year' },
      { person: c, period: '2026-08-01', amount: -3, rule: 'absent', kind: 'absent' },
    );
    expect(await rowsOf(c, '2026-01-01')).toEqual(january);
    // a new year starts a new bucket and leaves the old year alone
    await book({ person: c, period: '2027-01-01', amount: 1, rule: 'volunteer', kind: 'volunteer', version: 2, cap: 5, capPeriod: 'year' });
    expect(await rowsOf(c, '2026-01-01')).toEqual(january);
    const kept = await personMonthsOf(db, t.tenantId);
    await rebuildPersonMonths(db, t.tenantId);
    expect(await personMonthsOf(db, t.tenantId)).toEqual(kept);
  });

  it('two transactions adding entries for the same person-year both count', async () => {
    const a = people[0] as string;
    const entry = (amount: number) =>
      sql`insert into points_entries (tenant_id, person_id, branch_id, period, amount, source, rule_code, rule_kind, rule_set_version)
          values (${t.tenantId}, ${a}, ${branch.id}, '2026-05-01', ${amount}, 'manual', 'honour', 'honour', 1)`;
    // the first holds its person-year while the second inserts; the second recomputes after it commits
    const first = db.transaction(async (tx) => {
      await tx.execute(entry(3));
      await new Promise((r) => setTimeout(r, 150));
    });
    await new Promise((r) => setTimeout(r, 30));
    const second = db.transaction(async (tx) => {
      await tx.execute(entry(4));
    });
    await Promise.all([first, second]);
    expect((await rowsOf(a, '2026-05-01'))[0]).toMatchObject({ additions: 7 });
    const kept = await personMonthsOf(db, t.tenantId);
    await rebuildPersonMonths(db, t.tenantId);
    expect(await personMonthsOf(db, t.tenantId)).toEqual(kept);
  });

  it('the application role can read it but neither write it nor rebuild it', async () => {
    const rows = await inTenant(db, t.tenantId, (tx) => personMonthsOf(tx, t.tenantId));
    expect(rows.length).toBeGreaterThan(0);
    for (const stmt of [
      sql`insert into points_person_months (tenant_id, person_id, period, branch_id, additions, deductions, capped, sanctioned) values (${t.tenantId}, ${people[0]}, '2026-05-01', ${branch.id}, 100, 0, 0, false)`,
      sql`update points_person_months set additions = 100`,
      sql`delete from points_person_months`,
      sql`select points_rebuild_person_months(${t.tenantId}::uuid)`,
    ]) {
      const err = await inTenant(db, t.tenantId, (tx) => tx.execute(stmt)).then(
        () => null,
        (e: unknown) => e as { cause?: { code?: string } },
      );
      expect(err?.cause?.code).toBe('42501');
    }
  });
});

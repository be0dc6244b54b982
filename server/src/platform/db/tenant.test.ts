import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildPerson, buildTenant, buildUnit, testDb } from '../../test/harness';
import { inTenant } from './tenant';

const db = await testDb();

/** The PostgreSQL message behind a failed query (drizzle wraps the driver's error in `cause`). */
async function pgError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as { cause?: { message?: string } }).cause?.message ?? e);
  }
  return 'no error';
}

describe('row-level security', () => {
  it('confines a query to the tenant set on the transaction, even without a tenant filter', async () => {
    const a = await buildTenant(db, '甲部门');
    const b = await buildTenant(db, '乙部门');
    const officeA = await buildUnit(db, a, { type: 'office' });
    const officeB = await buildUnit(db, b, { type: 'office' });
    await buildPerson(db, a.tenantId, { officeId: officeA.id, name: '甲一' });
    await buildPerson(db, b.tenantId, { officeId: officeB.id, name: '乙一' });

    const seen = await inTenant(db, a.tenantId, async (tx) => {
      const role = await tx.execute<{ r: string }>(sql`select current_user as r`);
      const people = await tx.execute<{ name: string }>(sql`select name from people`);
      const units = await tx.execute<{ tenant_id: string }>(sql`select distinct tenant_id from org_units`);
      const tenants = await tx.execute<{ id: string }>(sql`select id from tenants`);
      return { role: role.rows[0]?.r, people: people.rows.map((r) => r.name), units: units.rows.map((r) => r.tenant_id), tenants: tenants.rows.map((r) => r.id) };
    });
    expect(seen).toEqual({ role: 'tongxin_app', people: ['甲一'], units: [a.tenantId], tenants: [a.tenantId] });
  });

  it('refuses writes into another tenant and any change to the audit trail', async () => {
    const a = await buildTenant(db, '丙部门');
    const b = await buildTenant(db, '丁部门');
    const officeB = await buildUnit(db, b, { type: 'office' });
    expect(
      await pgError(
        inTenant(db, a.tenantId, (tx) => tx.execute(sql`insert into people (tenant_id, office_id, name, gender, party_status) values (${b.tenantId}, ${officeB.id}, '越界', 'male', 'none')`)),
      ),
    ).toMatch(/row-level security/);
    const updated = await inTenant(db, a.tenantId, (tx) => tx.execute(sql`update people set name = 'x' where tenant_id = ${b.tenantId}`));
    expect(updated.rowCount).toBe(0);
    expect(await pgError(inTenant(db, a.tenantId, (tx) => tx.execute(sql`update audit_log set result = 'ok'`)))).toMatch(/permission denied/);
    expect(await pgError(inTenant(db, a.tenantId, (tx) => tx.execute(sql`delete from audit_log`)))).toMatch(/permission denied/);
  });

  it('sees nothing when no tenant is set', async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'tongxin_app', true)`);
      return (await tx.execute(sql`select 1 from people`)).rows;
    });
    expect(rows).toEqual([]);
  });
});

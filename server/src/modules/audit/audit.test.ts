import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { buildTenant, buildUser, signIn, testApp } from '../../test/harness';
import { insertAudit, verifyAuditChains } from './audit.repo';

const { app, db } = await testApp();

async function write(tenantId: string | null, n: number) {
  for (let i = 0; i < n; i++) {
    await insertAudit(db, {
      tenantId,
      actorUserId: null,
      actorName: `用户${i}`,
      action: 'test.write',
      result: 'ok',
      ip: '127.0.0.1',
      details: { i, note: '统战', nested: { b: 1, a: [1, 2] } },
    });
  }
}

describe('audit chain', () => {
  it('links every entry to the previous one of its tenant and verifies clean', async () => {
    const a = await buildTenant(db, '甲');
    const b = await buildTenant(db, '乙');
    await write(a.tenantId, 5);
    await write(b.tenantId, 3);
    await write(null, 2);
    const rows = await db.execute<{ id: number; prev_hash: string | null; hash: string }>(
      sql`select id, prev_hash, hash from audit_log where tenant_id = ${a.tenantId} order by id`,
    );
    expect(rows.rows).toHaveLength(5);
    expect(rows.rows[0]?.prev_hash).toBeNull();
    for (let i = 1; i < rows.rows.length; i++) expect(rows.rows[i]?.prev_hash).toBe(rows.rows[i - 1]?.hash);
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    expect(await verifyAuditChains(db)).toEqual({ checked: 10, breaks: [] });
  });

  it('keeps the chain in order under concurrent writers', async () => {
    const t = await buildTenant(db, '并发');
    await Promise.all(Array.from({ length: 20 }, () => db.transaction((tx) => insertAudit(tx, { tenantId: t.tenantId, actorUserId: null, actorName: 'x', action: 'test.concurrent', result: 'ok' }))));
    expect((await verifyAuditChains(db)).breaks).toEqual([]);
  });

  it('finds the edited row when an entry is changed directly in the database', async () => {
    const t = await buildTenant(db, '篡改');
    await write(t.tenantId, 6);
    const ids = await db.execute<{ id: number }>(sql`select id::int from audit_log where tenant_id = ${t.tenantId} order by id`);
    const victim = ids.rows[3]?.id;
    await db.execute(sql`update audit_log set details = '{"i": 99}' where id = ${victim}`);
    const res = await verifyAuditChains(db);
    expect(res.breaks).toEqual([{ id: victim, tenantId: t.tenantId, reason: 'hash_mismatch' }]);
  });

  it('finds a deleted row by the broken link after it', async () => {
    const t = await buildTenant(db, '删除');
    await write(t.tenantId, 4);
    const ids = await db.execute<{ id: number }>(sql`select id::int from audit_log where tenant_id = ${t.tenantId} order by id`);
    await db.execute(sql`delete from audit_log where id = ${ids.rows[1]?.id}`);
    const res = await verifyAuditChains(db);
    expect(res.breaks).toContainEqual({ id: ids.rows[2]?.id, tenantId: t.tenantId, reason: 'prev_link_broken' });
  });
});

describe('audit trail API', () => {
  it('lets only the audit admin search, export and verify their tenant\'s trail', async () => {
    const t = await buildTenant(db, '审计');
    const other = await buildTenant(db, '他人');
    await write(other.tenantId, 2);
    const auditor = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['audit.read'], username: 'auditor-x' }));
    const sysAdmin = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read', 'org.write', 'users.manage'] }));
    expect((await sysAdmin({ url: '/api/v1/audit' })).statusCode).toBe(403);
    await sysAdmin({ method: 'POST', url: '/api/v1/org/units', payload: { parentId: t.root.id, type: 'office', name: '审计科' } });

    const page = (await auditor({ url: '/api/v1/audit?pageSize=50' })).json();
    const actions = page.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'org.unit.create', 'access.denied']));
    expect(page.items.every((e: { details: unknown }) => JSON.stringify(e.details ?? {}).indexOf('他人') === -1)).toBe(true);
    const onlyOrg = (await auditor({ url: '/api/v1/audit?action=org.' })).json();
    expect(onlyOrg.items.map((e: { action: string }) => e.action)).toEqual(['org.unit.create']);
    const denied = (await auditor({ url: '/api/v1/audit?result=denied' })).json();
    expect(denied.total).toBe(1);
    expect((await auditor({ url: '/api/v1/audit?from=yesterday' })).statusCode).toBe(400);

    const res = await auditor({ url: '/api/v1/audit/export.xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.getRow(1).getCell(4).value).toBe('操作');
    // the export's own entry is written first, so the file holds it too
    expect((sheet?.rowCount ?? 0) - 1).toBe(page.total + 1);
    const exported = (await auditor({ url: '/api/v1/audit?action=audit.export' })).json();
    expect(exported.items[0].details.rows).toBe(page.total);

    expect((await auditor({ url: '/api/v1/audit/verify' })).json()).toMatchObject({ breaks: [] });
  });
});

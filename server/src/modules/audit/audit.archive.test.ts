import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access';
import { buildTenant, testDb } from '../../test/harness';
import { verifyAudit } from './audit.service';
import { archivableChains, insertAudit, removeArchived, verifyAuditChains } from './audit.repo';
import { ArchiveError, archiveAudit, archiveCutoff, archivePublicKey, verifyArchiveFile } from './audit.archive.service';

const db = await testDb();
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-archive-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

async function backdated(tenantId: string | null, n: number, daysAgo: number) {
  for (let i = 0; i < n; i++) {
    await db.execute(sql`
      insert into audit_log (tenant_id, at, actor_name, action, result, ip, details)
      values (${tenantId}, now() - make_interval(days => ${daysAgo}) + make_interval(secs => ${i}), ${`用户${i}`}, 'test.old', 'ok', '10.0.0.1', ${JSON.stringify({ i, note: '统战|管道' })}::jsonb)`);
  }
}

const countOf = async (tenantId: string) =>
  (await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where tenant_id = ${tenantId}`)).rows[0]?.n;

describe('audit archive', () => {
  it('moves entries past the retention to a signed file; the chain still verifies from the anchor', async () => {
    const a = await buildTenant(db, '归档甲');
    const b = await buildTenant(db, '归档乙');
    await backdated(a.tenantId, 5, 200);
    await backdated(b.tenantId, 2, 400);
    await backdated(a.tenantId, 3, 10);
    const before = archiveCutoff(180);

    const r = await archiveAudit(db, { before, retentionDays: 180, outDir });
    expect(r).toMatchObject({ entries: 7, chains: 2, publicKey: archivePublicKey() });
    if (!r) throw new Error('nothing archived');
    expect(fs.existsSync(r.file) && fs.existsSync(r.signatureFile)).toBe(true);
    expect((fs.statSync(r.file).mode & 0o777).toString(8)).toBe('600');

    // recent entries stay, with the archive's own entry; the old ones are gone
    expect(await countOf(a.tenantId)).toBe(3 + 1);
    expect(await countOf(b.tenantId)).toBe(1);
    const anchors = await db.execute<{ tenant_id: string; entry_count: number; file_sha256: string }>(sql`select tenant_id, entry_count, file_sha256 from audit_anchors order by entry_count`);
    expect(anchors.rows.map((x) => [x.tenant_id, x.entry_count, x.file_sha256])).toEqual([
      [b.tenantId, 2, r.fileSha256],
      [a.tenantId, 5, r.fileSha256],
    ]);
    expect((await verifyAuditChains(db)).breaks).toEqual([]);
    // a chain emptied by the archive continues from its anchor
    await insertAudit(db, { tenantId: b.tenantId, actorUserId: null, actorName: 'x', action: 'test.after', result: 'ok' });
    expect((await verifyAuditChains(db)).breaks).toEqual([]);

    const auditor: Actor = {
      ...{ userId: randomUUID(), username: 'auditor', displayName: 'a', personId: null, tenantId: b.tenantId },
      ...{ mustChangePassword: false, mustRename: false, totpEnabled: false, totpEnrolmentRequired: false, ip: null, userAgent: null },
      grants: [{ code: 'audit_admin', name: 'a', permissions: ['audit.read'], scopeUnitId: b.root.id, scopeUnitName: 'b', scopePath: b.root.path }],
    };
    const shown = await verifyAudit(db, auditor);
    expect(shown).toMatchObject({ breaks: [], archives: [{ entries: 2, fileName: path.basename(r.file), fileSha256: r.fileSha256 }] });

    const check = await verifyArchiveFile(r.file, archivePublicKey());
    expect(check).toEqual({ ok: true, entries: 7, chains: 2, problems: [] });

    // nothing is old enough any more
    expect(await archiveAudit(db, { before, retentionDays: 180, outDir })).toBeNull();

    // a deleted row after the anchor is still found
    const ids = await db.execute<{ id: number }>(sql`select id::int from audit_log where tenant_id = ${a.tenantId} order by id`);
    await db.execute(sql`delete from audit_log where id = ${ids.rows[0]?.id}`);
    expect((await verifyAuditChains(db, a.tenantId)).breaks).toEqual([{ id: ids.rows[1]?.id, tenantId: a.tenantId, reason: 'prev_link_broken' }]);
  });

  it('takes no lock: an entry the app appends while a chain is archived links to the anchor', async () => {
    const t = await buildTenant(db, '归档丁');
    await backdated(t.tenantId, 3, 250);
    const before = archiveCutoff(180);
    await db.transaction(async (tx) => {
      const chains = (await archivableChains(tx, before)).filter((c) => c.tenantId === t.tenantId);
      expect(chains.map((c) => c.count)).toEqual([3]);
      // another connection writes meanwhile, and commits before the archive does
      await insertAudit(db, { tenantId: t.tenantId, actorUserId: null, actorName: 'app', action: 'test.during', result: 'ok' });
      for (const c of chains) await removeArchived(tx, c, { name: 'x.jsonl.gz', sha256: 'a'.repeat(64) }, before);
    });
    expect(await countOf(t.tenantId)).toBe(1);
    expect((await verifyAuditChains(db, t.tenantId)).breaks).toEqual([]);
  });

  it('refuses to archive within the retention', async () => {
    await expect(archiveAudit(db, { before: archiveCutoff(100), retentionDays: 180, outDir })).rejects.toBeInstanceOf(ArchiveError);
  });

  it('finds an edited entry, a foreign key and a changed file', async () => {
    const t = await buildTenant(db, '归档丙');
    await backdated(t.tenantId, 4, 300);
    const r = await archiveAudit(db, { before: archiveCutoff(180), retentionDays: 180, outDir, now: new Date(Date.now() + 1000) });
    if (!r) throw new Error('nothing archived');
    expect((await verifyArchiveFile(r.file, 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=')).problems).toContain('signature made with another key than expected');

    // an entry edited and the file re-compressed: digest, signature and the entry's hash all fail
    const lines = zlib.gunzipSync(fs.readFileSync(r.file)).toString('utf8').split('\n');
    lines[2] = lines[2]?.replace('"result":"ok"', '"result":"ok"').replace(/"text":"([^"]*)test\.old/, '"text":"$1test.new') ?? '';
    fs.writeFileSync(r.file, zlib.gzipSync(lines.join('\n')));
    const bad = await verifyArchiveFile(r.file, archivePublicKey());
    expect(bad.ok).toBe(false);
    expect(bad.problems.join('\n')).toMatch(/differs from the signed/);
    expect(bad.problems.join('\n')).toMatch(/signature invalid/);
    expect(bad.problems.join('\n')).toMatch(/hash_mismatch/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as cli, onCleanup, scratchDatabase, withClient } from './cli-test-helpers';

const DATA_KEY = Buffer.alloc(32, 9).toString('base64');

describe('tongxin audit-archive / audit-verify-archive', () => {
  it('archives back-dated entries to a signed file that verifies (retention, foreign keys, the chain after the anchor: audit.archive.test.ts)', async () => {
    const url = await scratchDatabase('template');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-cli-archive-'));
    onCleanup(async () => fs.rmSync(out, { recursive: true, force: true }));
    await withClient(url, async (c) => {
      const t = await c.query<{ id: string }>(`insert into tenants (code, name) values ('ar', '归档') returning id`);
      for (let i = 0; i < 3; i++) {
        await c.query(`insert into audit_log (tenant_id, at, actor_name, action, result) values ($1, now() - interval '365 days', 'x', 'test.old', 'ok')`, [t.rows[0]?.id]);
      }
      await c.query(`insert into audit_log (tenant_id, actor_name, action, result) values ($1, 'x', 'test.new', 'ok')`, [t.rows[0]?.id]);
    });
    const env = { DATABASE_URL: url, DATA_KEY };

    const r = cli(['audit-archive', '--out', out], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/archived 3 entries of 1 chain/);
    const file = fs.readdirSync(out).find((f) => f.endsWith('.jsonl.gz'));
    if (!file) throw new Error('no archive file');

    const ok = cli(['audit-verify-archive', path.join(out, file)], { DATA_KEY });
    expect([ok.status, ok.stdout.trim()]).toEqual([0, 'archive intact: 3 entries in 1 chain(s), signature valid']);
  });
});

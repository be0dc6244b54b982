import { describe, expect, it } from 'vitest';
import { runCli as cli, scratchDatabase, withClient } from './cli-test-helpers';

describe('tongxin audit-verify', () => {
  it('reports an intact trail, then the entry edited directly in the database, with exit code 3', async () => {
    const url = await scratchDatabase('template');
    const ids = await withClient(url, async (c) => {
      const t = await c.query<{ id: string }>(`insert into tenants (code, name) values ('av', '审计校验') returning id`);
      const tenantId = t.rows[0]?.id;
      const out: number[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await c.query<{ id: number }>(
          `insert into audit_log (tenant_id, actor_name, action, result, details) values ($1, 'x', 'test', 'ok', $2) returning id::int`,
          [tenantId, JSON.stringify({ i })],
        );
        out.push(r.rows[0]?.id ?? 0);
      }
      return out;
    });
    const ok = cli(['audit-verify'], { DATABASE_URL: url });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/audit trail intact: 4 entries checked/);

    await withClient(url, (c) => c.query(`update audit_log set action = 'forged' where id = $1`, [ids[2]]));
    const broken = cli(['audit-verify'], { DATABASE_URL: url });
    expect(broken.status).toBe(3);
    expect(broken.stdout).toContain(`BROKEN at entry ${ids[2]}`);
    expect(broken.stdout).toContain('hash_mismatch');
  });
});

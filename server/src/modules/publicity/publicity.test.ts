import { beforeAll, describe, expect, it } from 'vitest';
import type { PublicityCountsSchema, PublicityItem } from '@tongxin/contracts';
import type { z } from 'zod';
import type { OrgUnitRow } from '../org/org.repo';
import { buildTenant, buildUnit, buildUser, signIn, testApp, type Client } from '../../test/harness';

const { app, db } = await testApp();

let office: OrgUnitRow;
let staff: Client;

beforeAll(async () => {
  const tenant = await buildTenant(db);
  office = await buildUnit(db, tenant, { name: '宣传研究室' });
  staff = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['unitedfront.read', 'unitedfront.write'] }));
});

describe('publicity items', () => {
  it('counts items per channel and per adopting level', async () => {
    const items = [
      { channel: 'newspaper', outlet: '市报统战专栏', adoptedLevel: null },
      { channel: 'wechat', outlet: '同心公众号', adoptedLevel: null },
      { channel: 'report_to_higher', adoptedLevel: 'provincial' },
      { channel: 'report_to_higher', adoptedLevel: 'city' },
      { channel: 'website', link: 'https://tzb.example.gov.cn/a/1', adoptedLevel: null },
    ];
    for (const [i, it] of items.entries()) {
      const res = await staff({ method: 'POST', url: '/api/v1/unitedfront/publicity', payload: { officeId: office.id, title: `信息${i}`, publishedOn: '2026-05-0' + String(i + 1), ...it } });
      expect(res.statusCode).toBe(201);
    }
    const bad = await staff({ method: 'POST', url: '/api/v1/unitedfront/publicity', payload: { officeId: office.id, title: '坏链接', channel: 'website', publishedOn: '2026-05-01', link: 'javascript:alert(1)' } });
    expect(bad.statusCode).toBe(400);
    const res = (await staff({ url: '/api/v1/unitedfront/publicity?from=2026-01-01&to=2026-12-31' })).json<z.infer<typeof PublicityCountsSchema>>();
    expect(res.items).toHaveLength(5);
    expect(res.byChannel).toEqual([
      { channel: 'newspaper', count: 1 },
      { channel: 'report_to_higher', count: 2 },
      { channel: 'website', count: 1 },
      { channel: 'wechat', count: 1 },
    ]);
    expect(res.byAdoptedLevel).toEqual([
      { level: 'city', count: 1 },
      { level: 'provincial', count: 1 },
    ]);
    const reports = (await staff({ url: '/api/v1/unitedfront/publicity?channel=report_to_higher' })).json<z.infer<typeof PublicityCountsSchema>>();
    expect(reports.items.map((x) => x.adoptedLevel).sort()).toEqual(['city', 'provincial']);
    expect(reports.byChannel).toHaveLength(4);
    const notAdopted = (await staff({ url: '/api/v1/unitedfront/publicity?adoptedLevel=none' })).json<z.infer<typeof PublicityCountsSchema>>();
    expect(notAdopted.items).toHaveLength(3);
  });

  it('edits an item with its version, and refuses a bad link or a future date', async () => {
    const item = (await staff({ method: 'POST', url: '/api/v1/unitedfront/publicity', payload: { officeId: office.id, title: '待改', channel: 'wechat', publishedOn: '2026-06-01' } })).json<PublicityItem>();
    const edited = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/publicity/${item.id}`, payload: { version: item.version, adoptedLevel: 'provincial', title: '已改' } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<PublicityItem>()).toMatchObject({ title: '已改', adoptedLevel: 'provincial', channel: 'wechat', version: item.version + 1 });
    const stale = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/publicity/${item.id}`, payload: { version: item.version, title: '旧' } });
    expect(stale.statusCode).toBe(409);
    const bad = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/publicity/${item.id}`, payload: { version: item.version + 1, link: 'ftp://x' } });
    expect(bad.statusCode).toBe(400);
    const future = await staff({ method: 'PATCH', url: `/api/v1/unitedfront/publicity/${item.id}`, payload: { version: item.version + 1, publishedOn: '2999-01-01' } });
    expect(future.statusCode).toBe(400);
  });
});

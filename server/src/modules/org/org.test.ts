import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { OrgUnit } from '@tongxin/contracts';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';

const { app, db } = await testApp();
let t: TenantFixture;
let admin: Client;

beforeAll(async () => {
  t = await buildTenant(db);
  admin = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read', 'org.write'] }));
});

async function create(body: Record<string, unknown>) {
  return admin({ method: 'POST', url: '/api/v1/org/units', payload: body });
}

async function unitCount() {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from org_units where tenant_id = ${t.tenantId}`);
  return r.rows[0]?.n ?? 0;
}

describe('org units', () => {
  it('creates a committee, a branch and a group, and lists them as a tree', async () => {
    const committee = (await create({ parentId: t.root.id, type: 'party_committee', name: '机关党委' })).json<OrgUnit>();
    const branch = await create({ parentId: committee.id, type: 'branch', name: '第一党支部' });
    expect(branch.statusCode).toBe(201);
    const group = await create({ parentId: branch.json<OrgUnit>().id, type: 'party_group', name: '第一党小组' });
    expect(group.json<OrgUnit>().parentId).toBe(branch.json<OrgUnit>().id);
    const list = await admin({ url: '/api/v1/org/units' });
    expect(list.json<{ items: OrgUnit[] }>().items.map((u) => u.name)).toEqual(expect.arrayContaining(['机关党委', '第一党支部', '第一党小组']));
    const audited = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'org.unit.create' and tenant_id = ${t.tenantId}`);
    expect(audited.rows[0]?.n).toBe(3);
  });

  it.each([
    ['wrong type', { parentId: 'x', type: 'branch', name: 'a' }],
    ['missing name', { type: 'office' }],
    ['unknown type', { type: 'club', name: 'a' }],
    ['over-long name', { type: 'office', name: '长'.repeat(101) }],
    ['name of spaces', { type: 'office', name: '   ' }],
    ['number as name', { type: 'office', name: 12 }],
  ])('rejects %s with VALIDATION_FAILED and writes nothing', async (_label, body) => {
    const before = await unitCount();
    const res = await create({ parentId: t.root.id, ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details.length).toBeGreaterThan(0);
    expect(await unitCount()).toBe(before);
  });

  it('rejects an unknown parent with NOT_FOUND', async () => {
    const res = await create({ parentId: '00000000-0000-4000-8000-000000000000', type: 'office', name: '无' });
    expect(res.statusCode).toBe(404);
  });

  it('rejects a party group outside a branch', async () => {
    const res = await create({ parentId: t.root.id, type: 'party_group', name: '小组' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('INVALID_MOVE');
  });

  it('rejects a duplicate sibling name', async () => {
    await create({ parentId: t.root.id, type: 'office', name: '办公室' });
    const res = await create({ parentId: t.root.id, type: 'office', name: '办公室' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('DUPLICATE');
  });

  it('rejects a body over the size limit', async () => {
    const res = await create({ parentId: t.root.id, type: 'office', name: 'x', padding: 'x'.repeat(1_100_000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('rejects malformed JSON', async () => {
    const res = await admin({ method: 'POST', url: '/api/v1/org/units', payload: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('updates with a version and answers a stale update with 409, leaving the row as it was', async () => {
    const u = (await create({ parentId: t.root.id, type: 'office', name: '干部科' })).json<OrgUnit>();
    const ok = await admin({ method: 'PATCH', url: `/api/v1/org/units/${u.id}`, payload: { version: u.version, name: '干部一科' } });
    expect(ok.json<OrgUnit>().version).toBe(u.version + 1);
    const stale = await admin({ method: 'PATCH', url: `/api/v1/org/units/${u.id}`, payload: { version: u.version, name: '干部二科' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE_VERSION');
    const list = (await admin({ url: '/api/v1/org/units' })).json<{ items: OrgUnit[] }>().items;
    expect(list.find((x) => x.id === u.id)?.name).toBe('干部一科');
  });

  it('moves a subtree and rewrites its paths; refuses a move under its own descendant', async () => {
    const committee = (await create({ parentId: t.root.id, type: 'party_committee', name: '党委甲' })).json<OrgUnit>();
    const other = (await create({ parentId: t.root.id, type: 'party_committee', name: '党委乙' })).json<OrgUnit>();
    const branch = (await create({ parentId: committee.id, type: 'branch', name: '支部甲' })).json<OrgUnit>();
    const group = (await create({ parentId: branch.id, type: 'party_group', name: '小组甲' })).json<OrgUnit>();

    const intoChild = await admin({ method: 'POST', url: `/api/v1/org/units/${committee.id}/move`, payload: { version: committee.version, parentId: branch.id } });
    expect(intoChild.statusCode).toBe(422);
    expect(intoChild.json().error.code).toBe('INVALID_MOVE');
    const intoSelf = await admin({ method: 'POST', url: `/api/v1/org/units/${committee.id}/move`, payload: { version: committee.version, parentId: committee.id } });
    expect(intoSelf.json().error.code).toBe('INVALID_MOVE');

    const moved = await admin({ method: 'POST', url: `/api/v1/org/units/${branch.id}/move`, payload: { version: branch.version, parentId: other.id } });
    expect(moved.statusCode).toBe(200);
    const paths = await db.execute<{ id: string; path: string }>(sql`select id, path from org_units where id in (${branch.id}, ${group.id}, ${other.id})`);
    const byId = new Map(paths.rows.map((r) => [r.id, r.path]));
    expect(byId.get(branch.id)).toBe(`${byId.get(other.id)}${branch.id}/`);
    expect(byId.get(group.id)).toBe(`${byId.get(other.id)}${branch.id}/${group.id}/`);
  });

  it('deactivates only units without active children or people, never deletes', async () => {
    const office = (await create({ parentId: t.root.id, type: 'office', name: '宣传研究室' })).json<OrgUnit>();
    const pid = await buildPerson(db, t.tenantId, { officeId: office.id });
    const blocked = await admin({ method: 'POST', url: `/api/v1/org/units/${office.id}/deactivate`, payload: { version: office.version } });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details[0].problem).toBe('hasActivePeople');
    await db.execute(sql`update people set active = false where id = ${pid}`);
    const ok = await admin({ method: 'POST', url: `/api/v1/org/units/${office.id}/deactivate`, payload: { version: office.version } });
    expect(ok.json<OrgUnit>().active).toBe(false);
    const hidden = (await admin({ url: '/api/v1/org/units' })).json<{ items: OrgUnit[] }>().items;
    expect(hidden.some((u) => u.id === office.id)).toBe(false);
    const all = (await admin({ url: '/api/v1/org/units?includeInactive=true' })).json<{ items: OrgUnit[] }>().items;
    expect(all.some((u) => u.id === office.id)).toBe(true);
    const root = await admin({ method: 'POST', url: `/api/v1/org/units/${t.root.id}/deactivate`, payload: { version: t.root.version } });
    expect(root.statusCode).toBe(409);
  });

  it('forbids writes without org.write, and writes outside the scope', async () => {
    const reader = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['org.read'] }));
    const res = await reader({ method: 'POST', url: '/api/v1/org/units', payload: { parentId: t.root.id, type: 'office', name: '新科室' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const sub = await buildUnit(db, t, { type: 'party_committee', name: '范围内' });
    const scoped = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: sub.id, permissions: ['org.read', 'org.write'] }));
    const outside = await scoped({ method: 'POST', url: '/api/v1/org/units', payload: { parentId: t.root.id, type: 'office', name: '越权科室' } });
    expect(outside.statusCode).toBe(404);
    const inside = await scoped({ method: 'POST', url: '/api/v1/org/units', payload: { parentId: sub.id, type: 'branch', name: '范围内支部' } });
    expect(inside.statusCode).toBe(201);
  });

  it('keeps tenants apart', async () => {
    const other = await buildTenant(db, '另一统战部');
    const res = await create({ parentId: other.root.id, type: 'office', name: '跨租户' });
    expect(res.statusCode).toBe(404);
  });
});

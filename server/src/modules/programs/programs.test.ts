import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { IndicatorRecords, ProgramDetail } from '@tongxin/contracts';
import { buildTenant, buildUnit, buildUser, buildPerson, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';

const { app, db } = await testApp();
let t: TenantFixture;
let office: OrgUnitRow, branch: OrgUnitRow, branch2: OrgUnitRow;
let staff: Client, reader: Client, branchWriter: Client;
let ownerPerson: string;

async function activity(unitId: string, typeCode: string, startsAt: string, status: string) {
  await db.execute(sql`insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, status, signin_secret)
    select ${t.tenantId}, id, ${unitId}, '学习会', ${startsAt}::timestamptz, ${startsAt}::timestamptz + interval '1 hour', ${status}, 'x'
    from activity_types where tenant_id = ${t.tenantId} and code = ${typeCode}`);
}

beforeAll(async () => {
  t = await buildTenant(db);
  office = await buildUnit(db, t, { type: 'office', name: '办公室' });
  const committee = await buildUnit(db, t, { type: 'party_committee', name: '机关党委' });
  branch = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第一党支部' });
  branch2 = await buildUnit(db, t, { parent: committee, type: 'branch', name: '第二党支部' });
  ownerPerson = await buildPerson(db, t.tenantId, { officeId: office.id, name: '王主任' });
  staff = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: t.root.id, permissions: ['programs.read', 'programs.write'] }));
  reader = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: ['programs.read'] }));
  branchWriter = await signIn(app, await buildUser(db, t.tenantId, { scopeUnitId: branch.id, permissions: ['programs.read', 'programs.write'] }));
});

async function typeCodes(): Promise<string[]> {
  const r = await db.execute<{ code: string }>(sql`select code from activity_types where tenant_id = ${t.tenantId} order by sort_order limit 2`);
  return r.rows.map((x) => x.code);
}

describe('programs', () => {
  let program: ProgramDetail;

  it('creates a program with a tree of any depth, owners and due dates', async () => {
    const res = await staff({ method: 'POST', url: '/api/v1/programs', payload: { title: '主题教育实施方案', ownerUnitId: t.root.id, startsOn: '2026-01-01', endsOn: '2026-12-31' } });
    expect(res.statusCode).toBe(201);
    program = res.json<ProgramDetail>();
    expect(program.progress).toBeNull();
    const track = (
      await staff({ method: 'POST', url: `/api/v1/programs/${program.id}/items`, payload: { kind: '具体方案', title: '学习方案', ownerPersonIds: [ownerPerson], dueOn: '2026-06-30' } })
    ).json<ProgramDetail>().items[0];
    expect(track?.owners.map((o) => o.name)).toEqual(['王主任']);
    let parent = track?.id;
    // four more levels below the track
    for (let depth = 2; depth <= 5; depth++) {
      const r = await staff({ method: 'POST', url: `/api/v1/programs/${program.id}/items`, payload: { parentId: parent, kind: '举措', title: `第${depth}层` } });
      expect(r.statusCode).toBe(201);
      parent = r.json<ProgramDetail>().items.find((i) => i.title === `第${depth}层`)?.id;
    }
    const six = await staff({ method: 'POST', url: `/api/v1/programs/${program.id}/items`, payload: { parentId: parent, kind: '举措', title: '第6层' } });
    expect(six.statusCode).toBe(201);
    const seven = await staff({
      method: 'POST',
      url: `/api/v1/programs/${program.id}/items`,
      payload: { parentId: six.json<ProgramDetail>().items.at(-1)?.id, kind: '举措', title: '第7层' },
    });
    expect(seven.statusCode).toBe(400);
    program = (await staff({ url: `/api/v1/programs/${program.id}` })).json<ProgramDetail>();
    expect(program.items.map((i) => i.title)).toEqual(['学习方案', '第2层', '第3层', '第4层', '第5层', '第6层']);
  });

  it('an unknown owner or a parent of another program is refused', async () => {
    const other = (await staff({ method: 'POST', url: '/api/v1/programs', payload: { title: '另一个', ownerUnitId: t.root.id, startsOn: '2026-01-01', endsOn: '2026-12-31' } })).json<ProgramDetail>();
    const root = program.items[0]?.id;
    expect(root).toBeDefined();
    expect((await staff({ method: 'POST', url: `/api/v1/programs/${other.id}/items`, payload: { parentId: root, kind: '举措', title: 'x' } })).statusCode).toBe(400);
    expect(
      (await staff({ method: 'POST', url: `/api/v1/programs/${other.id}/items`, payload: { kind: '举措', title: 'x', ownerPersonIds: ['00000000-0000-4000-8000-000000000000'] } })).statusCode,
    ).toBe(400);
    const bad = await staff({ method: 'POST', url: '/api/v1/programs', payload: { title: 'x', ownerUnitId: t.root.id, startsOn: '2026-12-01', endsOn: '2026-01-01' } });
    expect(bad.statusCode).toBe(400);
  });

  it('computed indicators count held/recorded activities of the types in the unit subtree and period; every count opens its records', async () => {
    const [code1, code2] = await typeCodes();
    if (!code1 || !code2) throw new Error('no activity types seeded');
    await activity(branch.id, code1, '2026-03-01T02:00:00Z', 'held');
    await activity(branch.id, code1, '2026-04-01T02:00:00Z', 'recorded');
    await activity(branch.id, code1, '2026-05-01T02:00:00Z', 'planned'); // not held
    await activity(branch2.id, code1, '2026-05-01T02:00:00Z', 'held'); // other subtree
    await activity(branch.id, code2, '2026-05-01T02:00:00Z', 'held'); // other type
    await activity(branch.id, code1, '2025-05-01T02:00:00Z', 'held'); // before the period
    const track = program.items[0];
    const r = await staff({
      method: 'POST',
      url: `/api/v1/programs/items/${track?.id}/indicators`,
      payload: { kind: 'computed', name: '支部学习次数', source: 'activities', query: { typeCodes: [code1], unitId: branch.id }, target: 4 },
    });
    expect(r.statusCode).toBe(201);
    const ind = r.json<ProgramDetail>().items[0]?.indicators[0];
    expect(ind?.count).toBe(2);
    expect(ind?.progress).toBe(50);
    expect(r.json<ProgramDetail>().items[0]?.progress).toBe(50);
    const recs = (await reader({ url: `/api/v1/programs/indicators/${ind?.id}/records` })).json<IndicatorRecords>();
    expect(recs.total).toBe(2);
    expect(recs.items.map((x) => x.link).every((l) => l.startsWith('/activities/'))).toBe(true);
  });

  it('linked_activities counts the held/recorded activities linked to the indicator\'s own item', async () => {
    const [code1] = await typeCodes();
    // in the office, outside the branch the indicator above counts
    const own = (await staff({ method: 'POST', url: '/api/v1/programs', payload: { title: '五大行动', ownerUnitId: t.root.id, startsOn: '2026-01-01', endsOn: '2026-12-31' } })).json<ProgramDetail>();
    await staff({ method: 'POST', url: `/api/v1/programs/${own.id}/items`, payload: { kind: '行动', title: '学习行动' } });
    const two = (await staff({ method: 'POST', url: `/api/v1/programs/${own.id}/items`, payload: { kind: '行动', title: '服务行动' } })).json<ProgramDetail>();
    const [learn, serve] = two.items;
    if (!learn || !serve || !code1) throw new Error('setup');
    const link = async (itemId: string, status: string) => {
      const r = await db.execute<{ id: string }>(sql`insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, status, signin_secret)
        select ${t.tenantId}, id, ${office.id}, '行动学习', '2026-06-01T02:00:00Z', '2026-06-01T03:00:00Z', ${status}, 'x'
        from activity_types where tenant_id = ${t.tenantId} and code = ${code1} returning id`);
      await db.execute(sql`insert into activity_program_items (tenant_id, activity_id, item_id) values (${t.tenantId}, ${r.rows[0]?.id}, ${itemId})`);
    };
    await link(learn.id, 'held');
    await link(learn.id, 'recorded');
    await link(learn.id, 'planned'); // not held
    await link(serve.id, 'held'); // another item
    const r = await staff({
      method: 'POST',
      url: `/api/v1/programs/items/${learn.id}/indicators`,
      payload: { kind: 'computed', name: '关联活动', source: 'linked_activities', target: 4 },
    });
    expect(r.statusCode).toBe(201);
    const ind = r.json<ProgramDetail>().items.find((i) => i.id === learn.id)?.indicators[0];
    expect(ind?.count).toBe(2);
    expect(ind?.progress).toBe(50);
    const recs = (await reader({ url: `/api/v1/programs/indicators/${ind?.id}/records` })).json<IndicatorRecords>();
    expect(recs.total).toBe(2);
    expect(recs.items.map((x) => x.title)).toEqual(['行动学习', '行动学习']);
  });

  it('manual indicators need evidence with the judgement; progress rolls up per track', async () => {
    const track = program.items[0];
    const r = await staff({ method: 'POST', url: `/api/v1/programs/items/${track?.id}/indicators`, payload: { kind: 'manual', name: '学习心得质量' } });
    const ind = r.json<ProgramDetail>().items[0]?.indicators.find((i) => i.kind === 'manual');
    const noEvidence = await staff({ method: 'PATCH', url: `/api/v1/programs/indicators/${ind?.id}`, payload: { version: ind?.version, manualPercent: 100 } });
    expect(noEvidence.statusCode).toBe(400);
    const judged = await staff({
      method: 'PATCH',
      url: `/api/v1/programs/indicators/${ind?.id}`,
      payload: { version: ind?.version, manualPercent: 100, manualEvidence: '心得体会 30 篇，已归档' },
    });
    expect(judged.statusCode).toBe(200);
    // (50 + 100) / 2
    expect(judged.json<ProgramDetail>().items[0]?.progress).toBe(75);
    expect(judged.json<ProgramDetail>().progress).toBe(75);
    const stale = await staff({ method: 'PATCH', url: `/api/v1/programs/indicators/${ind?.id}`, payload: { version: ind?.version, manualPercent: 10 } });
    expect(stale.statusCode).toBe(409);
  });

  it('reading needs programs.read; writing needs programs.write over the owner unit', async () => {
    expect((await reader({ url: `/api/v1/programs/${program.id}` })).statusCode).toBe(200);
    expect((await reader({ method: 'POST', url: `/api/v1/programs/${program.id}/items`, payload: { kind: 'x', title: 'x' } })).statusCode).toBe(403);
    expect((await branchWriter({ method: 'POST', url: `/api/v1/programs/${program.id}/items`, payload: { kind: 'x', title: 'x' } })).statusCode).toBe(403);
    const own = await branchWriter({ method: 'POST', url: '/api/v1/programs', payload: { title: '支部计划', ownerUnitId: branch.id, startsOn: '2026-01-01', endsOn: '2026-12-31' } });
    expect(own.statusCode).toBe(201);
    // the detail says whose it is to edit, so the page offers only what will succeed
    expect(own.json<ProgramDetail>().canEdit).toBe(true);
    expect((await branchWriter({ url: `/api/v1/programs/${program.id}` })).json<ProgramDetail>().canEdit).toBe(false);
    expect((await reader({ url: `/api/v1/programs/${program.id}` })).json<ProgramDetail>().canEdit).toBe(false);
    expect((await staff({ url: `/api/v1/programs/${program.id}` })).json<ProgramDetail>().canEdit).toBe(true);
    const list = (await reader({ url: '/api/v1/programs?q=支部' })).json<{ total: number }>();
    expect(list.total).toBe(1);
  });
});

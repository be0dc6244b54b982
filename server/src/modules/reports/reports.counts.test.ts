import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDetail, ActivityType, DashboardResponse, MetricResult } from '@tongxin/contracts';
import type { Actor } from '../../platform/access';
import { inTenant } from '../../platform/db/tenant';
import { buildPerson, buildTenant, buildUnit, buildUser, signIn, testApp, type Client, type TenantFixture } from '../../test/harness';
import type { OrgUnitRow } from '../org/org.repo';
import * as repo from './reports.repo';
import { contextOf, dutiesFromCells } from './reports.service';

// activity_month_counts (migration 0030, docs/decisions/0013) is kept by the database: after a
// random series of writes through the activities API (and the changes only an owner can make:
// unit, type, validity, deletion) it must equal its rebuild and the counts taken from the
// records; and the dashboard's values read from it must equal the record-based metrics.
const { app, db } = await testApp();
let tenant: TenantFixture;
let committee: OrgUnitRow;
let branches: OrgUnitRow[];
let admin: Client;
let types: Map<string, string>;

type CountRow = { month: string; unitId: string; typeId: string; held: number; valid: number; present: number };

/** the table's rows with any count (rows that fell to zero stay in the table and add nothing) */
async function maintained(): Promise<CountRow[]> {
  const r = await db.execute<CountRow>(sql`select month::text as month, unit_id as "unitId", type_id as "typeId", held, valid, present
    from activity_month_counts where tenant_id = ${tenant.tenantId} and (held <> 0 or valid <> 0 or present <> 0)`);
  return sortRows(r.rows);
}

/** activity_month_type_counts: the same counts summed over units */
async function maintainedByType(): Promise<CountRow[]> {
  const r = await db.execute<CountRow>(sql`select month::text as month, '' as "unitId", type_id as "typeId", held, valid, present
    from activity_month_type_counts where tenant_id = ${tenant.tenantId} and (held <> 0 or valid <> 0 or present <> 0)`);
  return sortRows(r.rows);
}

function byType(rows: CountRow[]): CountRow[] {
  const out = new Map<string, CountRow>();
  for (const r of rows) {
    const k = `${r.month}|${r.typeId}`;
    const x = out.get(k) ?? { month: r.month, unitId: '', typeId: r.typeId, held: 0, valid: 0, present: 0 };
    x.held += r.held;
    x.valid += r.valid;
    x.present += r.present;
    out.set(k, x);
  }
  return sortRows([...out.values()].filter((x) => x.held || x.valid || x.present));
}

/** the counts taken from the records, here in TypeScript: Shanghai month of the start, held or recorded only */
async function fromRecords(): Promise<CountRow[]> {
  const acts = await db.execute<{ id: string; unitId: string; typeId: string; startsAt: Date; status: string; valid: boolean }>(
    sql`select id, unit_id as "unitId", type_id as "typeId", starts_at as "startsAt", status, valid from activities where tenant_id = ${tenant.tenantId}`,
  );
  const present = await db.execute<{ activityId: string }>(
    sql`select activity_id as "activityId" from activity_participants where tenant_id = ${tenant.tenantId} and attendance = 'present'`,
  );
  const presentOf = new Map<string, number>();
  for (const p of present.rows) presentOf.set(p.activityId, (presentOf.get(p.activityId) ?? 0) + 1);
  const out = new Map<string, CountRow>();
  for (const a of acts.rows) {
    if (a.status !== 'held' && a.status !== 'recorded') continue;
    const local = new Date(new Date(a.startsAt).getTime() + 8 * 3_600_000);
    const month = `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-01`;
    const k = `${month}|${a.unitId}|${a.typeId}`;
    const row = out.get(k) ?? { month, unitId: a.unitId, typeId: a.typeId, held: 0, valid: 0, present: 0 };
    row.held += 1;
    row.valid += a.valid ? 1 : 0;
    row.present += presentOf.get(a.id) ?? 0;
    out.set(k, row);
  }
  return sortRows([...out.values()]);
}

function sortRows(rows: CountRow[]): CountRow[] {
  const key = (r: CountRow) => `${r.month}|${r.unitId}|${r.typeId}`;
  return rows.map((r) => ({ ...r, held: Number(r.held), valid: Number(r.valid), present: Number(r.present) })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** a small deterministic generator, so a failing series can be replayed */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

beforeAll(async () => {
  tenant = await buildTenant(db, '计数部门');
  committee = await buildUnit(db, tenant, { type: 'party_committee', name: '机关党委' });
  branches = [await buildUnit(db, tenant, { parent: committee, type: 'branch', name: '第一党支部' }), await buildUnit(db, tenant, { parent: committee, type: 'branch', name: '第二党支部' })];
  for (const b of branches) for (let i = 0; i < 4; i++) await buildPerson(db, tenant.tenantId, { officeId: b.id, branchId: b.id, name: `${b.name}${i}`, partyStatus: 'full' });
  admin = await signIn(app, await buildUser(db, tenant.tenantId, { scopeUnitId: tenant.root.id, permissions: ['activities.read', 'activities.write', 'reports.read'] }));
  types = new Map((await admin({ url: '/api/v1/activity-types' })).json<{ items: ActivityType[] }>().items.map((t) => [t.code, t.id]));
  // visits name registry enterprises by place (企业甲) or link them (企业丙)
  const e = await db.execute<{ id: string }>(sql`insert into enterprises (tenant_id, office_id, name, credit_code, type)
    values (${tenant.tenantId}, ${tenant.root.id}, '企业甲', '913500000000000001', 'private'), (${tenant.tenantId}, ${tenant.root.id}, '企业丙', '913500000000000002', 'taiwan_funded') returning id`);
  enterpriseIds = e.rows.map((x) => x.id);
});

// instants either side of Shanghai month ends (UTC+8): 2021-01-31T16:30Z is 1 February in Shanghai
const starts = ['2021-01-31T23:30:00+08:00', '2021-01-31T16:30:00Z', '2021-02-15T09:00:00+08:00', '2021-03-31T23:59:00+08:00', '2021-04-01T08:00:00+08:00', '2020-12-31T20:00:00+08:00'];
const typeCodes = ['branch_general_meeting', 'party_lecture', 'theme_party_day', 'collective_study', 'training_class', 'field_visit'];
const places = ['企业甲', '企业乙', '村一', '村二'];
let enterpriseIds: string[] = [];

describe('activity_month_counts', () => {
  it('equals its rebuild and the records after a random series of writes', async () => {
    const rnd = prng(20261123);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const ids: string[] = [];
    const get = async (id: string) => (await admin({ url: `/api/v1/activities/${id}` })).json<ActivityDetail>();
    let applied = 0;
    for (let step = 0; step < 80; step++) {
      // weighted: attendance and transitions often, cancellations and deletions seldom
      const op = step < 6 ? 0 : (pick([0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 6, 7, 7, 8]) as number);
      if (op === 0 || !ids.length) {
        const unit = pick(branches);
        const at = pick(starts);
        const code = pick(typeCodes);
        const r = await admin({
          method: 'POST',
          url: '/api/v1/activities',
          payload: { typeId: types.get(code), unitId: unit.id, topic: `活动 ${step}`, startsAt: at, endsAt: new Date(Date.parse(at) + 3_600_000).toISOString(), extra: code === 'training_class' ? { hours: 2 } : code === 'field_visit' ? { placeKind: 'enterprise', placeName: pick(places) } : {},
            ...(code === 'field_visit' && rnd() < 0.5 ? { enterpriseIds: [enterpriseIds[1] as string] } : {}),
          },
        });
        expect(r.statusCode, r.body).toBe(201);
        const id = r.json<ActivityDetail>().id;
        ids.push(id);
        await admin({ method: 'POST', url: `/api/v1/activities/${id}/participants`, payload: { unitIds: [unit.id] } });
        applied++;
        continue;
      }
      const id = pick(ids);
      const a = await get(id);
      let res: { statusCode: number } | undefined;
      switch (op) {
        case 1:
          res = await admin({ method: 'POST', url: `/api/v1/activities/${id}/transition`, payload: { version: a.version, status: 'held' } });
          break;
        case 2:
          res = await admin({ method: 'POST', url: `/api/v1/activities/${id}/transition`, payload: { version: a.version, status: 'recorded' } });
          break;
        case 3: {
          const ps = (a.participants ?? []).filter((p) => p.personId);
          if (!ps.length) break;
          const items = ps.filter(() => rnd() < 0.7).map((p) => ({ personId: p.personId as string, attendance: pick(['present', 'present', 'absent', 'pending'] as const) }));
          if (items.length) res = await admin({ method: 'POST', url: `/api/v1/activities/${id}/attendance`, payload: { items } });
          break;
        }
        case 4: {
          const at = pick(starts);
          res = await admin({ method: 'PATCH', url: `/api/v1/activities/${id}`, payload: { version: a.version, startsAt: at, endsAt: new Date(Date.parse(at) + 3_600_000).toISOString() } });
          break;
        }
        case 5:
          res = await admin({ method: 'POST', url: `/api/v1/activities/${id}/cancel`, payload: { version: a.version, reason: '测试取消' } });
          break;
        case 6: {
          const p = (a.participants ?? []).find((x) => x.personId);
          if (p) res = await admin({ method: 'DELETE', url: `/api/v1/activities/${id}/participants/${p.personId}` });
          break;
        }
        case 7: {
          // what no service does (unit, type or validity change): the triggers still follow
          const k = rnd();
          if (k < 0.35) await db.execute(sql`update activities set unit_id = ${pick(branches).id} where id = ${id}`);
          else if (k < 0.7) await db.execute(sql`update activities set type_id = ${types.get(pick(typeCodes))} where id = ${id}`);
          else await db.execute(sql`update activities set valid = not valid where id = ${id}`);
          applied++;
          break;
        }
        case 8:
          // an activity without points entries (a recorded one has them and cannot go)
          if (rnd() < 0.5 && a.status !== 'recorded') {
            await db.execute(sql`delete from activities where id = ${id}`);
            ids.splice(ids.indexOf(id), 1);
            applied++;
          }
          break;
      }
      if (res && res.statusCode < 300) applied++;
      // kept at every step of the way, not only at the end
      if (step % 20 === 19) {
        const records = await fromRecords();
        expect(await maintained()).toEqual(records);
        expect(await maintainedByType()).toEqual(byType(records));
      }
    }
    expect(applied).toBeGreaterThan(30);
    const records = await fromRecords();
    expect(records.some((r) => r.present > 0)).toBe(true);
    expect(records.some((r) => r.valid < r.held)).toBe(true);
    expect(await maintained()).toEqual(records);
    expect(await maintainedByType()).toEqual(byType(records));
    await db.execute(sql`select rebuild_activity_month_counts(${tenant.tenantId})`);
    expect(await maintained()).toEqual(records);
    expect(await maintainedByType()).toEqual(byType(records));
  });

  it('is read-only for the application role', async () => {
    const attempt = (statement: ReturnType<typeof sql>) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', ${tenant.tenantId}, true)`);
        await tx.execute(statement);
      });
    await expect(attempt(sql`insert into activity_month_counts (tenant_id, month, unit_id, type_id, held) values (${tenant.tenantId}, '2021-01-01', ${committee.id}, ${types.get('party_lecture')}, 1)`)).rejects.toThrow();
    await expect(attempt(sql`update activity_month_counts set held = held + 1`)).rejects.toThrow();
    await expect(attempt(sql`update activity_month_type_counts set held = held + 1`)).rejects.toThrow();
    await expect(attempt(sql`select rebuild_activity_month_counts(${tenant.tenantId})`)).rejects.toThrow();
    await expect(
      attempt(sql`select activity_month_counts_add(array[${tenant.tenantId}]::uuid[], array['2021-01-01']::date[], array[${committee.id}]::uuid[], array[${types.get('party_lecture')}]::uuid[], array[1], array[1], array[1])`),
    ).rejects.toThrow();
  });

  it('gives the dashboard the values the record-based metrics give', async () => {
    const actor: Actor = {
      userId: '00000000-0000-0000-0000-000000000000',
      username: 'x',
      displayName: 'x',
      personId: null,
      tenantId: tenant.tenantId,
      mustChangePassword: false,
      mustRename: false,
      totpEnabled: false,
      totpEnrolmentRequired: false,
      grants: [{ code: 'r', name: 'r', permissions: ['reports.read', 'activities.read'], scopeUnitId: tenant.root.id, scopeUnitName: '', scopePath: tenant.root.path }],
      ip: null,
      userAgent: null,
    };
    const periods = [
      { period: { kind: 'year', year: 2021 }, unitIds: [] as string[] },
      { period: { kind: 'quarter', year: 2021, quarter: 1 }, unitIds: [] as string[] },
      { period: { kind: 'month', year: 2021, month: 2 }, unitIds: [branches[0]?.id as string] },
      { period: { kind: 'range', from: '2021-01-01', to: '2021-03-31' }, unitIds: [branches[1]?.id as string] },
    ];
    for (const c of periods) {
      const res = await admin({ method: 'POST', url: '/api/v1/reports/dashboard', payload: c });
      expect(res.statusCode, res.body).toBe(200);
      const d = res.json<DashboardResponse>();
      expect(d.figures.some((f) => f.value > 0)).toBe(true);
      if (c.period.kind === 'year') for (const m of ['activities.places', 'enterprises.visited', 'activities.people_times']) expect(d.figures.find((f) => f.metric === m)?.value).toBeGreaterThan(0);
      for (const f of d.figures) {
        for (const [range, value] of [
          [{ from: d.from, to: d.to }, f.value],
          [{ from: d.previousFrom, to: d.previousTo }, f.previous],
        ] as const) {
          const r = await admin({ method: 'POST', url: '/api/v1/reports/metrics/evaluate', payload: { period: { kind: 'range', ...range }, unitIds: c.unitIds, metric: f.metric, args: f.args } });
          expect(r.statusCode, r.body).toBe(200);
          expect([f.metric, range.from, value]).toEqual([f.metric, range.from, r.json<MetricResult>().value]);
        }
      }
      // the trend, the types and the duties against the records (the duties area's own calendar)
      const reference = await inTenant(db, tenant.tenantId, async (tx) => {
        const ctx = await contextOf(tx, actor, c as never);
        const q = { tenantId: tenant.tenantId, scope: ctx.scope, unitPaths: ctx.unitPaths, from: ctx.range.from, to: ctx.range.to, args: {} };
        return { ...(await repo.activityBreakdown(tx, q)), duties: await dutiesFromCells(tx, actor, ctx) };
      });
      const byKey = <T>(xs: T[], k: (x: T) => string) => [...xs].sort((a, b) => (k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0));
      expect(byKey(d.trend, (x) => `${x.month}|${x.category}`)).toEqual(byKey(reference.trend, (x) => `${x.month}|${x.category}`));
      expect(d.byType).toEqual(reference.byType);
      expect(byKey(d.duties, (x) => x.ruleId)).toEqual(byKey(reference.duties, (x) => x.ruleId));
      expect(d.duties.length).toBeGreaterThan(0);
    }
  });
});

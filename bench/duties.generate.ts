/**
 * Duties-calendar bench data: one new tenant with `units` org units (a department, its organ
 * Party committee, branches, two Party groups per branch), people in every branch, `activities`
 * activities over several years and `attendance` participant rows.
 *
 * Activities and participant rows go in through COPY (pg-copy-streams) from generated text,
 * with foreign-key triggers off for the loading session (session_replication_role = replica:
 * every reference is generated consistent) and the participant table's two secondary indexes
 * built after the load, so 20,000,000 rows take minutes, not hours. A seeded PRNG makes two
 * runs with the same seed the same data (uuids apart).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'drizzle-orm';
import type { Db } from '../server/src/platform/db/db';
import { tenants, orgUnits } from '../server/src/modules/org/org.schema';
import { securityPolicies } from '../server/src/modules/security/security.schema';
import { ensureTenantDefaults } from '../server/src/commands/tenant-defaults.command';
import { prng } from '../server/src/modules/demo/demo.names';

export type DutiesGenOptions = {
  units: number;
  activities: number;
  attendance: number;
  seed: number;
  /** activities fall in these Shanghai calendar years */
  years: number[];
  log: (m: string) => void;
};

export type DutiesGenerated = {
  tenantId: string;
  root: { id: string; path: string };
  counts: { units: number; branches: number; groups: number; people: number; activities: number; attendance: number };
  ms: { setup: number; activities: number; attendance: number; indexes: number; analyze: number; total: number };
};

type Unit = { id: string; path: string; type: 'branch' | 'party_group' | 'party_committee'; branchIndex: number };

const SECRET = '0'.repeat(32);
const HOUR = 3_600_000;

/** COPY text escaping: backslash, tab, newline, carriage return. */
function esc(v: string): string {
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Streams `rows` generated lazily, in ~256 KB chunks, into `COPY <target> FROM STDIN`. */
async function copyRows(url: string, target: string, rows: () => Generator<string>): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'tongxin-bench-copy' });
  await client.connect();
  try {
    // the generator keeps every reference consistent: skip the per-row foreign-key triggers
    await client.query('set session_replication_role = replica');
    const chunks = function* () {
      let buf = '';
      for (const line of rows()) {
        buf += line;
        if (buf.length > 256 * 1024) {
          yield buf;
          buf = '';
        }
      }
      if (buf) yield buf;
    };
    await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${target} from stdin`)));
  } finally {
    await client.end();
  }
}

export async function generateDuties(db: Db, url: string, o: DutiesGenOptions): Promise<DutiesGenerated> {
  const t0 = Date.now();
  const rnd = prng(o.seed);
  const [tenant] = await db.insert(tenants).values({ code: `bench-duties-${randomUUID().slice(0, 8)}`, name: '基准测试统战部' }).returning();
  if (!tenant) throw new Error('tenant');
  const tenantId = tenant.id;
  await db.insert(securityPolicies).values({ tenantId, totpRequired: false });

  // units: department → organ Party committee → branches → two groups each
  const rootId = randomUUID();
  const committeeId = randomUUID();
  const rootPath = `/${rootId}/`;
  const committeePath = `${rootPath}${committeeId}/`;
  const nBranches = Math.max(1, Math.floor((o.units - 2) / 3));
  const units: Unit[] = [{ id: committeeId, path: committeePath, type: 'party_committee', branchIndex: -1 }];
  const rows: (typeof orgUnits.$inferInsert)[] = [
    { id: rootId, tenantId, parentId: null, type: 'department', name: '基准测试统战部', path: rootPath },
    { id: committeeId, tenantId, parentId: rootId, type: 'party_committee', name: '机关党委', path: committeePath },
  ];
  for (let b = 0; b < nBranches; b++) {
    const id = randomUUID();
    const path = `${committeePath}${id}/`;
    units.push({ id, path, type: 'branch', branchIndex: b });
    rows.push({ id, tenantId, parentId: committeeId, type: 'branch', name: `第${b + 1}党支部`, path, sortOrder: b });
    for (let g = 0; g < 2; g++) {
      const gid = randomUUID();
      const gpath = `${path}${gid}/`;
      units.push({ id: gid, path: gpath, type: 'party_group', branchIndex: b });
      rows.push({ id: gid, tenantId, parentId: id, type: 'party_group', name: `第${g + 1}党小组`, path: gpath, sortOrder: g });
    }
  }
  for (let i = 0; i < rows.length; i += 1000) await db.insert(orgUnits).values(rows.slice(i, i + 1000));
  await db.transaction((tx) => ensureTenantDefaults(tx, tenantId));

  // people: as many per branch as one activity has participants (at least 5)
  const perActivity = Math.max(1, Math.round(o.attendance / o.activities));
  const perBranch = Math.max(5, perActivity);
  const branchIds = units.filter((u) => u.type === 'branch').map((u) => u.id);
  await db.execute(sql`
    insert into people (tenant_id, office_id, name, gender, party_status, branch_id)
    select ${tenantId}, ${rootId}, '党员' || b.i || '-' || n, case when n % 2 = 0 then 'male' else 'female' end, 'full', b.id
      from unnest(${sql.param(branchIds)}::uuid[]) with ordinality as b(id, i), generate_series(1, ${perBranch}::int) n`);
  const peopleRows = await db.execute<{ id: string; branch_id: string }>(sql`select id, branch_id from people where tenant_id = ${tenantId} order by branch_id, id`);
  const peopleOf = new Map<string, string[]>();
  for (const r of peopleRows.rows) {
    const list = peopleOf.get(r.branch_id) ?? [];
    list.push(r.id);
    peopleOf.set(r.branch_id, list);
  }
  const types = await db.execute<{ id: string; code: string }>(sql`select id, code from activity_types where tenant_id = ${tenantId}`);
  const typeId = (code: string) => types.rows.find((x) => x.code === code)?.id ?? (types.rows[0]?.id as string);
  const branchTypes = ['theme_party_day', 'branch_committee_meeting', 'branch_general_meeting', 'party_lecture', 'organisational_life_meeting', 'member_appraisal', 'collective_study', 'volunteer_service'].map(typeId);
  const branchWeights = [30, 30, 12, 12, 3, 3, 6, 4];
  const committeeTypes = ['central_group_study', 'theme_party_day', 'party_lecture'].map(typeId);
  const groupType = typeId('party_group_meeting');
  const pickBranchType = () => {
    let x = rnd() * 100;
    for (let i = 0; i < branchTypes.length; i++) {
      x -= branchWeights[i] as number;
      if (x < 0) return branchTypes[i] as string;
    }
    return branchTypes[0] as string;
  };
  const yearStarts = o.years.map((y) => Date.UTC(y, 0, 1) - 8 * HOUR);
  const yearLen = (y: number) => Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1);
  const setupMs = Date.now() - t0;

  // activities (COPY); participant rows follow from the same plan, so keep (activity, branch) pairs compactly
  const t1 = Date.now();
  const activityIds: string[] = new Array<string>(o.activities);
  const activityBranch = new Int32Array(o.activities);
  const tenantCol = tenantId;
  await copyRows(url, 'activities (id, tenant_id, type_id, unit_id, topic, starts_at, ends_at, status, cancel_reason, valid, signin_secret)', function* () {
    for (let i = 0; i < o.activities; i++) {
      const u = units[i % units.length] as Unit;
      const id = randomUUID();
      activityIds[i] = id;
      activityBranch[i] = u.branchIndex;
      const yi = Math.floor(rnd() * o.years.length);
      const start = new Date((yearStarts[yi] as number) + Math.floor(rnd() * (yearLen(o.years[yi] as number) / HOUR)) * HOUR);
      const end = new Date(start.getTime() + 2 * HOUR);
      const type = u.type === 'branch' ? pickBranchType() : u.type === 'party_group' ? groupType : (committeeTypes[Math.floor(rnd() * 3)] as string);
      const s = rnd();
      const status = s < 0.85 ? 'recorded' : s < 0.9 ? 'held' : s < 0.95 ? 'planned' : 'cancelled';
      const valid = rnd() < 0.92 ? 't' : 'f';
      yield `${id}\t${tenantCol}\t${type}\t${u.id}\t${esc(`活动${i}`)}\t${start.toISOString()}\t${end.toISOString()}\t${status}\t${status === 'cancelled' ? '时间冲突' : '\\N'}\t${valid}\t${SECRET}\n`;
    }
  });
  const activitiesMs = Date.now() - t1;
  o.log(`activities: ${o.activities} in ${(activitiesMs / 1000).toFixed(1)} s`);

  // participant rows (COPY), secondary indexes dropped during the load and rebuilt after
  const t2 = Date.now();
  await db.execute(sql`drop index if exists activity_participants_activity_person_idx`);
  await db.execute(sql`drop index if exists activity_participants_person_idx`);
  let attendance = 0;
  const committeePeople = peopleOf.get(branchIds[0] as string) ?? [];
  await copyRows(url, 'activity_participants (tenant_id, activity_id, person_id, attendance, party_status, branch_id)', function* () {
    let left = o.attendance;
    for (let i = 0; i < o.activities && left > 0; i++) {
      const bi = activityBranch[i] as number;
      const branchId = (bi >= 0 ? branchIds[bi] : branchIds[0]) as string;
      const pool = bi >= 0 ? (peopleOf.get(branchIds[bi] as string) ?? []) : committeePeople;
      const k = Math.min(pool.length, perActivity, left);
      const offset = i % pool.length;
      for (let j = 0; j < k; j++) {
        const r = rnd();
        yield `${tenantCol}\t${activityIds[i]}\t${pool[(offset + j) % pool.length]}\t${r < 0.85 ? 'present' : r < 0.93 ? 'leave' : 'absent'}\tfull\t${branchId}\n`;
      }
      left -= k;
      attendance += k;
    }
  });
  const attendanceMs = Date.now() - t2;
  o.log(`participant rows: ${attendance} in ${(attendanceMs / 1000).toFixed(1)} s`);
  const t3 = Date.now();
  await db.execute(sql`create unique index activity_participants_activity_person_idx on activity_participants using btree (activity_id, person_id)`);
  await db.execute(sql`create index activity_participants_person_idx on activity_participants using btree (person_id)`);
  const indexesMs = Date.now() - t3;
  o.log(`participant indexes rebuilt in ${(indexesMs / 1000).toFixed(1)} s`);
  const t4 = Date.now();
  await db.execute(sql`vacuum analyze activities`);
  await db.execute(sql`analyze activity_participants`);
  await db.execute(sql`analyze org_units`);
  await db.execute(sql`analyze duty_rules`);
  const analyzeMs = Date.now() - t4;
  return {
    tenantId,
    root: { id: rootId, path: rootPath },
    counts: { units: rows.length, branches: nBranches, groups: nBranches * 2, people: peopleRows.rows.length, activities: o.activities, attendance },
    ms: { setup: setupMs, activities: activitiesMs, attendance: attendanceMs, indexes: indexesMs, analyze: analyzeMs, total: Date.now() - t0 },
  };
}

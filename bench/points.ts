/**
 * Points benchmark: the yearly evaluation against one hand-written SQL aggregate of the same
 * totals, and "my points" for random members, same run.
 *
 *   node --import tsx bench/points.ts [--members 100000] [--entries 5000000] [--iterations 5]
 *                                     [--samples 200] [--keep]
 *
 * Starts an embedded PostgreSQL in a temporary directory and generates, set-based as the
 * owner: a tenant with one office, `members / 200` branches of 200 full members each, a rule
 * set, and `entries` ledger rows over 2026 (attendance +2 / absence −2 / study +2 capped at
 * 6 a month / speaker +5 / volunteer hours capped at 10 a quarter / a few sanctions and their
 * corrections). Then times, after two warm-up calls:
 *   service: points.service evaluation() for the whole tenant (inTenant, RLS, caps, ranks,
 *            grades, overrides) — what GET /api/v1/points/evaluation runs;
 *   floor:   one statement through `pg` as the owner over points_person_months (ADR 0012):
 *            per person the base plus the sum of the year's months, no ranking;
 *   ledger floor: the old reference, one statement over the raw ledger (bucket sums clamped
 *            to their cap, summed per person, plus the base).
 * The totals of all three must agree person by person. The generator loads the ledger with
 * triggers off, so the summary is rebuilt afterwards (timed). Then "my points" (myPoints(),
 * what GET /api/v1/points/me runs) for `samples` random members: p50 / p95; and the write
 * cost of the summary: one attendance-sized insert (200 entries of a branch in one statement)
 * with and without the ledger's trigger, rolled back each time.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type { Actor } from '../server/src/platform/access';
import type { Executor } from '../server/src/platform/db/db';
import { inTenant } from '../server/src/platform/db/tenant';
import { evaluation, myPoints } from '../server/src/modules/points/points.service';
import * as repo from '../server/src/modules/points/points.repo';
import { intArg } from './generate';
import { startBenchDb } from './harness';

const YEAR = 2026;
const BRANCH_SIZE = 200;


type Stats = { median: number; p95: number; min: number; max: number };

function stats(runs: number[]): Stats {
  const s = [...runs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
  return { median: at(0.5), p95: at(0.95), min: s[0] as number, max: s[s.length - 1] as number };
}

async function time<T>(n: number, fn: () => Promise<T>): Promise<{ stats: Stats; last: T }> {
  await fn();
  let last = await fn();
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    last = await fn();
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { stats: stats(runs), last };
}

const rules = [
  { code: 'attend_meeting', kind: 'attend', nameZh: '参加组织生活', nameEn: 'Meeting', typeCodes: ['branch_general_meeting'], roles: [], amount: 2, cap: null },
  { code: 'absent_meeting', kind: 'absent', nameZh: '无故缺席', nameEn: 'Absent', typeCodes: ['branch_general_meeting'], roles: [], amount: 2, cap: null },
  { code: 'attend_study', kind: 'attend', nameZh: '参加学习', nameEn: 'Study', typeCodes: ['collective_study'], roles: [], amount: 2, cap: { period: 'month', max: 6 } },
  { code: 'speaker', kind: 'role', nameZh: '授课', nameEn: 'Speaker', typeCodes: ['collective_study'], roles: ['speaker'], amount: 5, cap: null },
  { code: 'volunteer', kind: 'volunteer', nameZh: '志愿服务', nameEn: 'Volunteer', typeCodes: ['volunteer_service'], roles: [], amount: 1, cap: { period: 'quarter', max: 10 } },
  { code: 'sanction', kind: 'sanction', nameZh: '处分', nameEn: 'Sanction', typeCodes: [], roles: [], amount: 20, cap: null },
];

/** Same totals as the service, from the summary the service reads: the year's months summed per person, plus the base. */
const floorSql = `
select person_id, (60 + sum(additions + deductions))::float8 as total
  from points_person_months
 where tenant_id = $1 and period between $2::date and $3::date
 group by person_id`;

/** The same totals from the raw ledger: bucket sums clamped to their cap, summed per person, plus the base. */
const ledgerFloorSql = `
with b as (
  select person_id, rule_code, sum(amount) as amt, min(cap) as cap
    from points_entries
   where tenant_id = $1 and period between $2::date and $3::date
   group by person_id, rule_code, date_trunc(coalesce(cap_period, 'month'), period)
)
select person_id, (60 + sum(case when cap is null then amt else greatest(-cap, least(cap, amt)) end))::float8 as total
  from b group by person_id`;

async function generate(pool: pg.Pool, members: number, entries: number, say: (m: string) => void) {
  const t0 = Date.now();
  const c = await pool.connect();
  try {
    const q = async (text: string, params: unknown[] = []) => c.query(text, params);
    // bulk load: no per-row foreign-key triggers (the generator's references are right by construction)
    await q(`set session_replication_role = replica`);
    const tenant = (await q(`insert into tenants (code, name) values ('bench-points', '积分基准') returning id`)).rows[0] as { id: string };
    const tid = tenant.id;
    const root = (await q(`insert into org_units (id, tenant_id, parent_id, type, name, sort_order, path) select id, $1, null, 'department', '积分基准', 0, '/' || id || '/' from (select gen_random_uuid() as id) x returning id, path`, [tid])).rows[0] as {
      id: string;
      path: string;
    };
    const office = (await q(`insert into org_units (id, tenant_id, parent_id, type, name, sort_order, path) select id, $1, $2, 'office', '办公室', 0, $3 || id || '/' from (select gen_random_uuid() as id) x returning id`, [tid, root.id, root.path]))
      .rows[0] as { id: string };
    const branches = Math.ceil(members / BRANCH_SIZE);
    await q(
      `insert into org_units (id, tenant_id, parent_id, type, name, sort_order, path)
       select id, $1, $2, 'branch', '第' || n || '党支部', n, $3 || id || '/' from (select gen_random_uuid() as id, n from generate_series(1, $4) n) x`,
      [tid, root.id, root.path, branches],
    );
    await q(
      `insert into people (tenant_id, office_id, name, gender, party_status, branch_id)
       select $1, $2, '党员' || n, case when n % 2 = 0 then 'male' else 'female' end, 'full', b.id
         from generate_series(0, $3 - 1) n
         join (select id, row_number() over (order by sort_order) - 1 as i from org_units where tenant_id = $1 and type = 'branch') b on b.i = n / ${BRANCH_SIZE}`,
      [tid, office.id, members],
    );
    await q(
      `insert into points_rule_sets (tenant_id, version, effective_from, base_score, rules, grading)
       values ($1, 1, '2000-01-01', 60, $2::jsonb, '{"excellentTopPercent":20,"excellentNoSanction":true,"basicBelow":70,"failBelow":60}'::jsonb)`,
      [tid, JSON.stringify(rules)],
    );
    say(`org and people in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // ledger rows: k-th entry of a person picks month and rule from a hash of (person, k)
    const perPerson = Math.max(1, Math.round(entries / members));
    await q(`create temporary table p as select id, branch_id, row_number() over (order by id) as i from people where tenant_id = $1`, [tid]);
    const chunk = 10_000;
    for (let from = 1; from <= members; from += chunk) {
      await q(
        `insert into points_entries (tenant_id, person_id, branch_id, period, amount, source, rule_code, rule_kind, rule_set_version, cap, cap_period, note)
         select $1, p.id, p.branch_id, make_date(${YEAR}, 1 + (h % 12), 1),
                case r when 0 then 2 when 1 then -2 when 2 then 2 when 3 then 5 when 4 then (h % 4) + 1 else -20 end,
                'manual',
                (array['attend_meeting','absent_meeting','attend_study','speaker','volunteer','sanction'])[r + 1],
                (array['attend','absent','attend','role','volunteer','sanction'])[r + 1],
                1,
                case r when 2 then 6 when 4 then 10 end,
                case r when 2 then 'month' when 4 then 'quarter' end,
                'bench'
           from p cross join generate_series(1, $4) k,
                lateral (select abs(hashint8(p.i * 1000 + k)) as h) hh,
                lateral (select case when h % 1000 = 0 then 5 else (h / 12) % 5 end as r) rr
          where p.i between $2 and $3`,
        [tid, from, Math.min(members, from + chunk - 1), perPerson],
      );
    }
    await q('analyze points_entries');
    await q('analyze people');
    const n = (await q('select count(*)::int as n from points_entries')).rows[0] as { n: number };
    say(`ledger: ${n.n} entries in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // the bulk load bypassed the ledger's trigger: the summary is built from scratch, as after a restore by hand
    await q(`set session_replication_role = origin`);
    const t1 = Date.now();
    const rebuilt = (await q('select points_rebuild_person_months($1) as n', [tid])).rows[0] as { n: number };
    await q('analyze points_person_months');
    const rebuildMs = Date.now() - t1;
    say(`summary: ${rebuilt.n} person-month rows rebuilt in ${(rebuildMs / 1000).toFixed(1)} s`);
    return { tenantId: tid, root, entries: n.n, summaryRows: rebuilt.n, rebuildMs };
  } finally {
    c.release();
  }
}

/**
 * One attendance-sized write: 200 entries (a branch's members, one activity) in one statement,
 * timed with the ledger's trigger and without it (replica role), each in a transaction rolled
 * back, so the data stays as generated.
 */
async function writeCost(pool: pg.Pool, tenantId: string, n: number): Promise<{ withTrigger: Stats; without: Stats }> {
  const c = await pool.connect();
  const insert = `
    insert into points_entries (tenant_id, person_id, branch_id, period, amount, source, rule_code, rule_kind, rule_set_version, note)
    select $1, id, branch_id, '${YEAR}-06-01', 2, 'manual', 'attend_meeting', 'attend', 1, 'bench write'
      from people where tenant_id = $1 and branch_id = (select branch_id from people where tenant_id = $1 order by name limit 1)`;
  const one = async (trigger: boolean) => {
    await c.query('begin');
    try {
      if (!trigger) await c.query('set local session_replication_role = replica');
      const t = process.hrtime.bigint();
      const r = await c.query(insert, [tenantId]);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.rowCount !== BRANCH_SIZE) throw new Error(`write: ${r.rowCount} rows`);
      return ms;
    } finally {
      await c.query('rollback');
    }
  };
  try {
    const withTrigger: number[] = [];
    const without: number[] = [];
    await one(true);
    await one(false);
    for (let i = 0; i < Math.max(5, n); i++) {
      withTrigger.push(await one(true));
      without.push(await one(false));
    }
    return { withTrigger: stats(withTrigger), without: stats(without) };
  } finally {
    c.release();
  }
}

/** The statement a repo function sends, captured by an executor that only records it. */
async function statementOf(call: (ex: Executor) => Promise<unknown>): Promise<{ text: string; params: unknown[] }> {
  const dialect = new PgDialect();
  let q: { sql: string; params: unknown[] } | undefined;
  const recorder = {
    execute: async (s: SQL) => {
      // the last statement: a repo function may set something for its transaction first
      q = dialect.sqlToQuery(s);
      return { rows: [] };
    },
  } as unknown as Executor;
  await call(recorder).catch(() => undefined);
  if (!q) throw new Error('no statement captured');
  return { text: q.sql, params: q.params };
}

/**
 * --profile: EXPLAIN (ANALYZE, BUFFERS) of the service's statements as the application role
 * with row-level security, and the evaluation's SQL timed apart from the work in JS.
 */
async function profile(pool: pg.Pool, db: Parameters<typeof inTenant>[0], tenantId: string, personId: string, branchId: string, say: (m: string) => void) {
  const month = `${YEAR}-06-01`;
  const statements: [string, (ex: Executor) => Promise<unknown>][] = [
    ['yearTotals', (ex) => repo.yearTotals(ex, tenantId, YEAR)],
    ['personMonthAndYear', (ex) => repo.personMonthAndYear(ex, tenantId, personId, month)],
    ['branchTally (month)', (ex) => repo.branchTally(ex, tenantId, branchId, month, month)],
    ['listEntries (my year)', (ex) => repo.listEntries(ex, tenantId, { personId, from: `${YEAR}-01-01`, to: `${YEAR}-12-01`, limit: 500 })],
    ['listObjections (mine)', (ex) => repo.listObjections(ex, tenantId, { personId })],
    ['listNotices (my branch)', (ex) => repo.listNotices(ex, tenantId, [branchId])],
    ['personBrief', (ex) => repo.personBrief(ex, tenantId, personId)],
  ];
  const c = await pool.connect();
  try {
    for (const [name, call] of statements) {
      const q = await statementOf(call);
      await c.query('begin');
      try {
        await c.query(`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', $1, true)`, [tenantId]);
        const plan = await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.text}`, q.params);
        console.log(`\n-- ${name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      } finally {
        await c.query('rollback');
      }
    }
  } finally {
    c.release();
  }
  // the trigger's recomputation for one branch (200 person-years), and the write without the summary's foreign keys
  const c2 = await pool.connect();
  try {
    const ids = (await c2.query<{ id: string }>(`select id from people where tenant_id = $1 and branch_id = $2`, [tenantId, branchId])).rows.map((r) => r.id);
    const plan = await c2.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) select * from points_person_month_calc where person_id = any($1::uuid[]) and year = any($2::date[])`,
      [ids, [`${YEAR}-01-01`]],
    );
    console.log(`\n-- trigger recomputation of one branch\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    await c2.query('begin');
    for (const col of ['tenant_id', 'person_id', 'branch_id']) {
      const ref = col === 'tenant_id' ? 'tenants' : col === 'person_id' ? 'people' : 'org_units';
      await c2.query(`alter table points_person_months drop constraint points_person_months_${col}_${ref}_id_fk`);
    }
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      await c2.query('savepoint w');
      const t = process.hrtime.bigint();
      await c2.query(
        `insert into points_entries (tenant_id, person_id, branch_id, period, amount, source, rule_code, rule_kind, rule_set_version, note)
         select $1, id, branch_id, '${YEAR}-06-01', 2, 'manual', 'attend_meeting', 'attend', 1, 'bench write' from people where tenant_id = $1 and branch_id = $2`,
        [tenantId, branchId],
      );
      runs.push(Number(process.hrtime.bigint() - t) / 1e6);
      await c2.query('rollback to savepoint w');
    }
    await c2.query('rollback');
    say(`profile: 200-entry write with the trigger, summary without foreign keys: median ${stats(runs).median.toFixed(0)} ms`);
  } finally {
    c2.release();
  }
  // variants of the evaluation's statement, as the application role: what each part costs
  const yt = await statementOf((ex) => repo.yearTotals(ex, tenantId, YEAR));
  const c3 = await pool.connect();
  try {
    const variants: [string, string, string | null][] = [
      ['at the default work_mem', yt.text, null],
      ['without order by', yt.text.replace(/order by u\.name[\s\S]*$/, ''), null],
      ['as the service runs it (work_mem 64MB)', yt.text, `set local work_mem = '64MB'`],
      ['the per-person sums alone (RLS)', floorSql, null],
      ['the per-person sums alone (RLS), work_mem 64MB', floorSql, `set local work_mem = '64MB'`],
    ];
    for (const [name, text, setting] of variants) {
      const runs: number[] = [];
      for (let i = 0; i < 4; i++) {
        await c3.query('begin');
        try {
          await c3.query(`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', $1, true)`, [tenantId]);
          if (setting) await c3.query(setting);
          const t = process.hrtime.bigint();
          await c3.query(text, text === floorSql ? [tenantId, `${YEAR}-01-01`, `${YEAR}-12-01`] : yt.params);
          if (i > 0) runs.push(Number(process.hrtime.bigint() - t) / 1e6);
        } finally {
          await c3.query('rollback');
        }
      }
      say(`profile: yearTotals ${name}: median ${stats(runs).median.toFixed(0)} ms`);
    }
  } finally {
    c3.release();
  }
  const sqlOnly = await time(3, () => inTenant(db, tenantId, (tx) => repo.yearTotals(tx, tenantId, YEAR)));
  say(`profile: yearTotals through inTenant (SQL, transfer, parsing) median ${sqlOnly.stats.median.toFixed(0)} ms`);
}

async function main() {
  const argv = process.argv.slice(2);
  const o = {
    members: Math.floor(intArg(argv, 'members', 100_000)),
    entries: Math.floor(intArg(argv, 'entries', 5_000_000)),
    iterations: Math.floor(intArg(argv, 'iterations', 5)),
    samples: Math.floor(intArg(argv, 'samples', 200)),
  };
  const keep = argv.includes('--keep');
  const say = (m: string) => console.log(`[bench points] ${m}`);
  const bench = await startBenchDb({ name: 'points', port: 54900, say, keep });
  const { runtime, pool, dataDir } = bench;
  say(`members ${o.members}, entries ${o.entries}, ${o.iterations} timed runs, ${o.samples} my-points samples; data in ${dataDir}`);
  try {
    const g = await generate(pool, o.members, o.entries, say);
    const actor = (personId: string | null): Actor => ({
      userId: '00000000-0000-4000-8000-000000000000',
      username: 'bench',
      displayName: 'bench',
      personId,
      tenantId: g.tenantId,
      mustChangePassword: false,
      mustRename: false,
      totpEnabled: false,
      totpEnrolmentRequired: false,
      grants: [{ code: 'bench', name: 'bench', permissions: ['points.read'], scopeUnitId: g.root.id, scopeUnitName: '', scopePath: g.root.path }],
      ip: null,
      userAgent: null,
    });
    if (argv.includes('--profile')) {
      const some = (await pool.query<{ id: string; branch_id: string }>(`select id, branch_id from people where tenant_id = $1 order by name limit 1`, [g.tenantId])).rows[0];
      if (some) await profile(pool, runtime.db, g.tenantId, some.id, some.branch_id, say);
    }
    const params = [g.tenantId, `${YEAR}-01-01`, `${YEAR}-12-01`];
    const service = await time(o.iterations, () => evaluation(runtime.db, actor(null), YEAR));
    const floor = await time(o.iterations, () => pool.query<{ person_id: string; total: number }>(floorSql, params));
    const ledgerFloor = await time(o.iterations, () => pool.query<{ person_id: string; total: number }>(ledgerFloorSql, params));
    for (const [name, f] of [
      ['floor', floor],
      ['ledger floor', ledgerFloor],
    ] as const) {
      const totals = new Map(f.last.rows.map((r) => [r.person_id, Math.round(r.total * 100) / 100]));
      const mismatches = service.last.rows.filter((r) => (totals.get(r.personId) ?? 60) !== r.total);
      if (service.last.rows.length !== o.members || mismatches.length) {
        throw new Error(`service and ${name} disagree: rows ${service.last.rows.length}, mismatches ${mismatches.length}, e.g. ${JSON.stringify(mismatches.slice(0, 3))}`);
      }
    }
    const write = await writeCost(pool, g.tenantId, o.iterations);
    const grades = service.last.rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.grade]: (acc[r.grade] ?? 0) + 1 }), {});

    const ids = (await pool.query<{ id: string }>(`select id from people where tenant_id = $1 order by random() limit $2`, [g.tenantId, o.samples])).rows.map((r) => r.id);
    for (const id of ids.slice(0, 5)) await myPoints(runtime.db, actor(id), `${YEAR}-06`);
    const mine: number[] = [];
    for (const id of ids) {
      const t = process.hrtime.bigint();
      await myPoints(runtime.db, actor(id), `${YEAR}-06`);
      mine.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const my = stats(mine);
    const ratio = service.stats.median / floor.stats.median;
    const fmt = (s: Stats) => `${s.median.toFixed(0)} | ${s.p95.toFixed(0)} | ${s.min.toFixed(0)}`;
    console.log('');
    console.log(`Points ${YEAR}: ${o.members} members, ${g.entries} ledger entries; grades ${JSON.stringify(grades)}`);
    console.log('| case | median ms | p95 ms | min ms |');
    console.log('|---|---|---|---|');
    console.log(`| service: yearly evaluation (inTenant + RLS, caps, ranks, grades) | ${fmt(service.stats)} |`);
    console.log(`| floor SQL: yearly totals per person from points_person_months (owner, no RLS) | ${fmt(floor.stats)} |`);
    console.log(`| reference: the same totals from the raw ledger, caps per bucket (owner, no RLS) | ${fmt(ledgerFloor.stats)} |`);
    console.log(`| service: my points (${o.samples} random members) | ${my.median.toFixed(1)} | ${my.p95.toFixed(1)} | ${my.min.toFixed(1)} |`);
    console.log(`| write: 200 ledger entries in one insert, with the summary trigger | ${fmt(write.withTrigger)} |`);
    console.log(`| write: the same insert without the trigger | ${fmt(write.without)} |`);
    console.log(`summary rebuild after the load: ${g.summaryRows} rows in ${g.rebuildMs} ms`);
    console.log(
      `ratio evaluation / floor (medians): ${ratio.toFixed(2)}x; / raw-ledger floor: ${(service.stats.median / ledgerFloor.stats.median).toFixed(2)}x; goal < 3000 ms and <= 1.5x: ${service.stats.median < 3000 && ratio <= 1.5 ? 'met' : 'MISSED'}; my points p95 < 30 ms: ${my.p95 < 30 ? 'met' : 'MISSED'}`,
    );
    const out = path.join(import.meta.dirname, 'results', `points-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(
        {
          date: new Date().toISOString(),
          options: o,
          entries: g.entries,
          summaryRows: g.summaryRows,
          rebuildMs: g.rebuildMs,
          grades,
          evaluation: service.stats,
          floor: floor.stats,
          ledgerFloor: ledgerFloor.stats,
          ratio,
          myPoints: my,
          write,
        },
        null,
        2,
      ));
    say(`figures: ${path.relative(process.cwd(), out)}`);
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

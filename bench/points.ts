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
 *   floor:   one statement through `pg` as the owner: per person the base plus the capped
 *            sums of the year (bucket sums clamped to the cap), the same totals, no ranking.
 * The totals must agree person by person. Then "my points" (myPoints(), what GET
 * /api/v1/points/me runs) for `samples` random members: p50 / p95.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Actor } from '../server/src/platform/access';
import { evaluation, myPoints } from '../server/src/modules/points/points.service';
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

/** Same totals as the service: bucket sums clamped to their cap, summed per person, plus the base. */
const floorSql = `
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
    return { tenantId: tid, root, entries: n.n };
  } finally {
    c.release();
  }
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
    const params = [g.tenantId, `${YEAR}-01-01`, `${YEAR}-12-01`];
    const service = await time(o.iterations, () => evaluation(runtime.db, actor(null), YEAR));
    const floor = await time(o.iterations, () => pool.query<{ person_id: string; total: number }>(floorSql, params));
    const floorTotals = new Map(floor.last.rows.map((r) => [r.person_id, Math.round(r.total * 100) / 100]));
    const mismatches = service.last.rows.filter((r) => (floorTotals.get(r.personId) ?? 60) !== r.total);
    if (service.last.rows.length !== o.members || mismatches.length) {
      throw new Error(`service and floor disagree: rows ${service.last.rows.length}, mismatches ${mismatches.length}, e.g. ${JSON.stringify(mismatches.slice(0, 3))}`);
    }
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
    console.log(`| floor SQL: capped yearly totals per person (owner, no RLS) | ${fmt(floor.stats)} |`);
    console.log(`| service: my points (${o.samples} random members) | ${my.median.toFixed(1)} | ${my.p95.toFixed(1)} | ${my.min.toFixed(1)} |`);
    console.log(
      `ratio evaluation / floor (medians): ${ratio.toFixed(2)}x; goal < 3000 ms and <= 1.5x: ${service.stats.median < 3000 && ratio <= 1.5 ? 'met' : 'MISSED'}; my points p95 < 30 ms: ${my.p95 < 30 ? 'met' : 'MISSED'}`,
    );
    const out = path.join(import.meta.dirname, 'results', `points-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), options: o, entries: g.entries, grades, evaluation: service.stats, floor: floor.stats, ratio, myPoints: my }, null, 2));
    say(`figures: ${path.relative(process.cwd(), out)}`);
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

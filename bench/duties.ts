/**
 * Duties-calendar benchmark: the service against one hand-written SQL statement, same run.
 *
 *   node --import tsx bench/duties.ts [--units 1000] [--activities 1000000] [--attendance 20000000]
 *                                     [--iterations 10] [--seed 2026] [--keep] [--join-variant]
 *
 * Starts an embedded PostgreSQL in a temporary directory, generates a tenant
 * (bench/duties.generate.ts: activities over 2024–2026), then times, `--iterations` times each
 * after two warm-up calls:
 *   service: duties.service subtreeCalendar for the whole organ Party committee subtree
 *            (every unit × every rule × its months / quarters / year of 2026), through
 *            inTenant (transaction, SET ROLE, row-level security) and shaping into rows;
 *   floor:   the same cells as one hand-written statement through `pg` as the owner (no
 *            transaction, no row-level security), in two formulations: month aggregates
 *            summed per period (what the repo does), and (with --join-variant, slow) a direct
 *            join per period. The floor is the faster of the two.
 * Both must return the same cells and the same total of done counts. The data directory
 * (and with it the bench database) is removed at the end unless --keep.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../server/src/platform/access';
import { subtreeCalendar } from '../server/src/modules/duties/duties.service';
import { dutyCells } from '../server/src/modules/duties/duties.repo';
import { inTenant } from '../server/src/platform/db/tenant';
import { generateDuties } from './duties.generate';
import { intArg } from './generate';
import { startBenchDb } from './harness';

const YEAR = 2026;


/** Cells of the year, month aggregates summed per period: the same shape of work as the repo. */
const floorMonthly = `
with u as (select id, type from org_units where tenant_id = $1 and active and path like $2),
r as (select id, unit_type, type_id, period, min_count from duty_rules where tenant_id = $1 and active),
pp as (
  select p.period, p.idx, p.m_from, p.m_to from (
    select 'month' as period, m as idx, m as m_from, m as m_to from generate_series(1, 12) m
    union all select 'quarter', q, 3 * q - 2, 3 * q from generate_series(1, 4) q
    union all select 'year', 1, 1, 12) p),
m as (
  select a.unit_id, a.type_id, extract(month from a.starts_at at time zone 'Asia/Shanghai')::int as month, count(*)::int as n
    from activities a join u on u.id = a.unit_id
   where a.tenant_id = $1 and a.starts_at >= $3 and a.starts_at < $4 and a.status in ('held', 'recorded') and a.valid
   group by 1, 2, 3)
select u.id as unit_id, r.id as rule_id, pp.period, pp.idx, r.min_count, coalesce(sum(m.n), 0)::int as done
  from u join r on r.unit_type = u.type join pp on pp.period = r.period
  left join m on m.unit_id = u.id and m.type_id = r.type_id and m.month between pp.m_from and pp.m_to
 group by u.id, r.id, pp.period, pp.idx, r.min_count`;

/** Cells of the year, activities joined straight to each period's Shanghai bounds. */
const floorJoin = `
with u as (select id, type from org_units where tenant_id = $1 and active and path like $2),
r as (select id, unit_type, type_id, period, min_count from duty_rules where tenant_id = $1 and active),
pp as (
  select p.period, p.idx,
         make_timestamp(${YEAR}, p.m_from, 1, 0, 0, 0) at time zone 'Asia/Shanghai' as s,
         (make_timestamp(${YEAR}, p.m_to, 1, 0, 0, 0) + interval '1 month') at time zone 'Asia/Shanghai' as e
    from (select 'month' as period, m as idx, m as m_from, m as m_to from generate_series(1, 12) m
          union all select 'quarter', q, 3 * q - 2, 3 * q from generate_series(1, 4) q
          union all select 'year', 1, 1, 12) p)
select u.id as unit_id, r.id as rule_id, pp.period, pp.idx, r.min_count, count(a.id)::int as done
  from u join r on r.unit_type = u.type join pp on pp.period = r.period
  left join activities a on a.unit_id = u.id and a.type_id = r.type_id and a.starts_at >= pp.s and a.starts_at < pp.e
       and a.status in ('held', 'recorded') and a.valid
 group by u.id, r.id, pp.period, pp.idx, r.min_count`;

type Stats = { median: number; p95: number; min: number; max: number; runs: number[] };

function stats(runs: number[]): Stats {
  const s = [...runs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
  return { median: at(0.5), p95: at(0.95), min: s[0] as number, max: s[s.length - 1] as number, runs };
}

async function time<T>(n: number, fn: () => Promise<T>): Promise<{ stats: Stats; last: T }> {
  // two warm-up calls
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

async function main() {
  const argv = process.argv.slice(2);
  const o = {
    units: Math.floor(intArg(argv, 'units', 1000)),
    activities: Math.floor(intArg(argv, 'activities', 1_000_000)),
    attendance: Math.floor(intArg(argv, 'attendance', 20_000_000)),
    iterations: Math.floor(intArg(argv, 'iterations', 10)),
    seed: Math.floor(intArg(argv, 'seed', 2026)),
  };
  const keep = argv.includes('--keep');
  const say = (m: string) => console.log(`[bench duties] ${m}`);
  const bench = await startBenchDb({ name: 'duties', port: 54700, say, keep });
  const { runtime, pool, dataDir } = bench;
  say(`units ${o.units}, activities ${o.activities}, participant rows ${o.attendance}, ${o.iterations} timed runs each; data in ${dataDir}`);
  try {
    const g = await generateDuties(runtime.db, runtime.databaseUrl, { ...o, years: [2024, 2025, 2026], log: say });
    say(`generated in ${(g.ms.total / 1000).toFixed(1)} s: ${JSON.stringify(g.counts)} ${JSON.stringify(g.ms)}`);
    const actor: Actor = {
      userId: '00000000-0000-4000-8000-000000000000',
      username: 'bench',
      displayName: 'bench',
      personId: null,
      tenantId: g.tenantId,
      mustChangePassword: false,
      mustRename: false,
      totpEnabled: false,
      totpEnrolmentRequired: false,
      grants: [{ code: 'bench', name: 'bench', permissions: ['activities.read'], scopeUnitId: g.root.id, scopeUnitName: '', scopePath: g.root.path }],
      ip: null,
      userAgent: null,
    };
    const now = new Date(`${YEAR}-11-23T12:00:00+08:00`);
    const from = new Date(Date.UTC(YEAR, 0, 1) - 8 * 3_600_000).toISOString();
    const to = new Date(Date.UTC(YEAR + 1, 0, 1) - 8 * 3_600_000).toISOString();
    const params = [g.tenantId, `${g.root.path}%`, from, to];

    const service = await time(o.iterations, () => subtreeCalendar(runtime.db, actor, g.root.id, YEAR, now));
    const monthly = await time(o.iterations, () => pool.query<{ done: number }>(floorMonthly, params));
    // the per-period join is several times slower than the month aggregates at this size: only on request
    const join = argv.includes('--join-variant') ? await time(o.iterations, () => pool.query<{ done: number }>(floorJoin, params.slice(0, 2))) : monthly;
    // diagnostics: where the service's time goes
    const repoOwner = await time(o.iterations, () => dutyCells(runtime.db, g.tenantId, YEAR, { pathPrefix: g.root.path }, { all: true }));
    const repoRls = await time(o.iterations, () => inTenant(runtime.db, g.tenantId, (tx) => dutyCells(tx, g.tenantId, YEAR, { pathPrefix: g.root.path }, { all: true })));

    const serviceCells = service.last.flatMap((u) => u.rows.flatMap((r) => r.cells));
    const sum = (xs: { done: number }[]) => xs.reduce((s, x) => s + x.done, 0);
    const check = {
      units: service.last.length,
      cells: serviceCells.length,
      done: sum(serviceCells),
      floorMonthlyCells: monthly.last.rows.length,
      floorMonthlyDone: sum(monthly.last.rows),
      floorJoinCells: join.last.rows.length,
      floorJoinDone: sum(join.last.rows),
    };
    if (check.cells !== check.floorMonthlyCells || check.done !== check.floorMonthlyDone || check.done !== check.floorJoinDone) {
      throw new Error(`service and floor disagree: ${JSON.stringify(check)}`);
    }
    const floor = Math.min(monthly.stats.median, join.stats.median);
    const ratio = service.stats.median / floor;
    const plan = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${floorMonthly}`, params);
    const fmt = (s: Stats) => `${s.median.toFixed(0)} | ${s.p95.toFixed(0)} | ${s.min.toFixed(0)}`;
    console.log('');
    console.log(`Duties calendar ${YEAR}, ${check.units} units, ${check.cells} cells (rules × periods), done total ${check.done}`);
    console.log('| case | median ms | p95 ms | min ms |');
    console.log('|---|---|---|---|');
    console.log(`| service (subtreeCalendar, inTenant + RLS) | ${fmt(service.stats)} |`);
    console.log(`| floor SQL: month aggregates per period | ${fmt(monthly.stats)} |`);
    if (join !== monthly) console.log(`| floor SQL: join per period | ${fmt(join.stats)} |`);
    console.log(`| diagnostic: repo statement as owner (no RLS) | ${fmt(repoOwner.stats)} |`);
    console.log(`| diagnostic: repo statement in inTenant (RLS) | ${fmt(repoRls.stats)} |`);
    console.log(`ratio service / floor (medians): ${ratio.toFixed(2)}x; goal < 1000 ms and <= 1.5x: ${service.stats.median < 1000 && ratio <= 1.5 ? 'met' : 'MISSED'}`);
    const out = path.join(import.meta.dirname, 'results', `duties-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify({ date: new Date().toISOString(), options: o, generated: g, check, service: service.stats, floorMonthly: monthly.stats, floorJoin: join.stats, ratio, plan: plan.rows.map((r) => r['QUERY PLAN']) }, null, 2),
    );
    say(`figures and plan: ${path.relative(process.cwd(), out)}`);
  } finally {
    await bench.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

/**
 * People-list benchmark: the real app against its floors.
 *
 *   npm run bench -- [--people 100000] [--duration 15] [--warmup 3] [--connections 50] [--seed 2026] [--wait-quiet 300]
 *
 * Starts an embedded PostgreSQL in a temporary directory (or uses BENCH_DATABASE_URL), generates
 * a tenant (bench/generate.ts), starts the app in-process on 127.0.0.1 and signs in as the
 * generated administrator. Then, each for `--duration` seconds after a warm-up:
 *   A  the app:   GET /api/v1/people for one branch (full members, page 3 of 20)
 *                 and for the whole tenant with a name filter (a common surname, page 1 of 20),
 *                 driven by autocannon (in a worker thread) with 50 connections;
 *   B  floor SQL: the same page and total fetched by one hand-written statement through `pg`
 *                 (a Pool as large as the app's), by a closed loop of 50 concurrent callers;
 *      floor HTTP: a bare Fastify handler sending the same body (no auth, no database);
 *   and, to tell where the time goes: the floor statement prepared (no planning per call) and
 *   wrapped as the app wraps its work (transaction, SET ROLE, tenant setting: row-level security),
 *   and the app's GET /api/v1/auth/me (about the fixed cost of any signed-in request).
 * Also reports the CPU taken by this process, its PostgreSQL and other work on the machine.
 * Prints a markdown table, writes the figures and EXPLAIN ANALYZE plans to bench/results/.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { loadConfig } from '../server/src/platform/config';
import { startRuntime } from '../server/src/platform/runtime';
import { buildApp } from '../server/src/platform/http/app';
import type { Db, Executor } from '../server/src/platform/db/db';
import { listPeople, type PeopleFilter } from '../server/src/modules/people/people.repo';
import { generate, intArg, type Generated } from './generate';
import type { LoadJob, LoadOutcome } from './load.worker';
import { machineLoad, postmasterPidOf, sampleCpu, shareBetween, type CpuShare } from './cpu';

type Args = { people: number; duration: number; warmup: number; connections: number; seed: number; waitQuiet: number };

function parseArgs(argv: string[]): Args {
  const duration = intArg(argv, 'duration', 15);
  return {
    people: Math.floor(intArg(argv, 'people', 100_000)),
    duration,
    warmup: intArg(argv, 'warmup', Math.min(3, Math.max(1, duration / 4))),
    connections: Math.floor(intArg(argv, 'connections', 50)),
    seed: Math.floor(intArg(argv, 'seed', 2026)),
    /** seconds to wait, at most, for other work on the machine to calm down before measuring */
    waitQuiet: intArg(argv, 'wait-quiet', 0),
  };
}

// ---- statistics

type Figures = { requests: number; seconds: number; reqPerSec: number; p50: number; p95: number; p99: number; mean: number; max: number };

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

function figuresOf(latencies: number[], seconds: number): Figures {
  const s = Float64Array.from(latencies).sort();
  const arr = Array.from(s);
  const sum = arr.reduce((a, b) => a + b, 0);
  return {
    requests: arr.length,
    seconds,
    reqPerSec: arr.length / seconds,
    p50: percentile(arr, 0.5),
    p95: percentile(arr, 0.95),
    p99: percentile(arr, 0.99),
    mean: arr.length ? sum / arr.length : Number.NaN,
    max: arr.at(-1) ?? Number.NaN,
  };
}

// ---- load drivers

function autocannonInWorker(job: LoadJob): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    // the worker inherits `--import tsx` from this process's execArgv
    const w = new Worker(new URL('./load.worker.ts', import.meta.url), { workerData: job });
    let done = false;
    w.once('message', (m: LoadOutcome) => {
      done = true;
      resolve(m);
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (!done) reject(new Error(`load worker exited with code ${code}`));
    });
  });
}

async function httpCase(url: string, headers: Record<string, string>, a: Args) {
  const out = await autocannonInWorker({ url, headers, connections: a.connections, warmup: a.warmup, duration: a.duration });
  if (out.non2xx > 0 || out.errors > 0) {
    throw new Error(`${url}: ${out.non2xx} non-2xx responses, ${out.errors} errors (${JSON.stringify(out.statusCodes)})`);
  }
  return { figures: figuresOf(out.latencies, out.seconds), autocannon: out.autocannon, statusCodes: out.statusCodes };
}

/** A closed loop like autocannon's: each of `concurrency` callers starts the next call when the last one returns. */
async function closedLoop(call: () => Promise<unknown>, concurrency: number, seconds: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const caller = async () => {
    while (performance.now() < end) {
      const t = process.hrtime.bigint();
      await call();
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

async function loopCase(call: () => Promise<unknown>, a: Args) {
  await closedLoop(call, a.connections, a.warmup);
  const r = await closedLoop(call, a.connections, a.duration);
  return { figures: figuresOf(r.latencies, r.seconds) };
}

/** One statement; `name` makes it a named prepared statement, parsed once per connection, its plan cached. */
function sqlCall(pool: pg.Pool, text: string, values: unknown[], name?: string): () => Promise<unknown> {
  const q: pg.QueryConfig = { text, values, ...(name ? { name } : {}) };
  return () => pool.query(q);
}

/**
 * The statement wrapped as the app wraps every request's work (platform/db/tenant.ts inTenant):
 * a transaction that becomes tongxin_app with the tenant set, so row-level security applies.
 */
function inTenantCall(pool: pg.Pool, tenantId: string, text: string, values: unknown[]): () => Promise<unknown> {
  return async () => {
    const c = await pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', $1, true)`, [tenantId]);
      await c.query(text, values);
      await c.query('commit');
    } catch (e) {
      await c.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };
}

// ---- the floor statements: the same page and total as the app, the best way we could write them:
// filter, count, sort and cut the page on `people` alone, then look up the units of 20 rows only

const floorOf = (where: string, limitOffset: string) => `
  with page as (
    select p.*, count(*) over ()::int as total
      from people p
     where ${where}
     order by p.name collate "zh-x-icu", p.id
     ${limitOffset})
  select page.id, page.tenant_id as "tenantId", page.office_id as "officeId", page.name, page.gender, page.birth_date as "birthDate",
         page.ethnicity, page.phone_enc as "phoneEnc", page.phone_masked as "phoneMasked", page.id_number_enc as "idNumberEnc",
         page.id_number_masked as "idNumberMasked", page.party_status as "partyStatus",
         page.party_joined_on as "partyJoinedOn", page.full_member_on as "fullMemberOn", page.branch_id as "branchId",
         page.group_id as "groupId", page.committee_role as "committeeRole", page.is_leader as "isLeader", page.active,
         page.version, page.created_at as "createdAt", page.updated_at as "updatedAt",
         o.name as "officeName", b.name as "branchName", g.name as "groupName",
         o.path as "officePath", b.path as "branchPath", g.path as "groupPath", page.total
    from page
    join org_units o on o.id = page.office_id
    left join org_units b on b.id = page.branch_id
    left join org_units g on g.id = page.group_id
   order by page.name collate "zh-x-icu", page.id`;
/** Within a branch's subtree means: in the branch (its groups belong to it, offices never lie under a branch). */
const floorBranchSql = floorOf('p.tenant_id = $1 and p.branch_id = $2 and p.party_status = $3 and p.active', 'limit $4 offset $5');
const floorNameSql = floorOf('p.tenant_id = $1 and p.active and p.name like $2', 'limit $3 offset $4');

// ---- helpers

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port from ${from}`);
}

const dialect = new PgDialect();

/** The statement people.repo's listPeople sends, captured on its way to the database. */
async function appStatement(db: Db, f: PeopleFilter, page: number, pageSize: number): Promise<{ sql: string; params: unknown[] }> {
  let first: { sql: string; params: unknown[] } | undefined;
  const recorder = {
    execute: (q: SQL) => {
      first ??= dialect.sqlToQuery(q);
      return db.execute(q);
    },
  } as unknown as Executor;
  await listPeople(recorder, f, page, pageSize);
  if (!first) throw new Error('listPeople sent no statement');
  return first;
}

/** EXPLAIN (ANALYZE, BUFFERS), the last of three runs (caches warm, as under load); with a tenant, as the app runs it (RLS). */
async function explain(pool: pg.Pool, text: string, params: unknown[], tenantId?: string): Promise<{ plan: string; executionMs: number; planningMs: number }> {
  const c = await pool.connect();
  let plan = '';
  try {
    await c.query('begin');
    if (tenantId) await c.query(`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', $1, true)`, [tenantId]);
    for (let i = 0; i < 3; i++) {
      const r = await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, params);
      plan = r.rows.map((x) => x['QUERY PLAN']).join('\n');
    }
  } finally {
    await c.query('rollback').catch(() => undefined);
    c.release();
  }
  const num = (re: RegExp) => Number(re.exec(plan)?.[1] ?? Number.NaN);
  return { plan, executionMs: num(/Execution Time: ([\d.]+) ms/), planningMs: num(/Planning Time: ([\d.]+) ms/) };
}

/** Waits until no query of the pool runs or waits (at most a minute). */
async function drained(pool: pg.Pool): Promise<void> {
  const until = performance.now() + 60_000;
  while (performance.now() < until && (pool.waitingCount > 0 || pool.idleCount < pool.totalCount)) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Page = { items: { id: string; name: string }[]; total: number };

async function signIn(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'tongxin' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('tx_session='));
  if (!cookie) throw new Error('sign-in set no tx_session cookie');
  return cookie;
}

async function getPage(url: string, cookie: string): Promise<{ body: string; page: Page }> {
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body}`);
  return { body, page: JSON.parse(body) as Page };
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 2 : 1) : '—');
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

// ---- main

type CaseResult = {
  case: string;
  kind: 'app' | 'floor-sql' | 'floor-sql-variant' | 'floor-http' | 'diagnostic';
  floor?: string;
  figures: Figures;
  autocannon?: LoadOutcome['autocannon'];
  cpu: CpuShare;
  /** machine busy (0 … 1) just before the case, while the bench was idle */
  loadBefore: number;
};

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const started = new Date();
  const externalUrl = process.env.BENCH_DATABASE_URL;
  const dataDir = externalUrl ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-bench-'));
  // as root, PostgreSQL runs as the postgres user, which must reach the directory
  if (dataDir) fs.chmodSync(dataDir, 0o755);
  const config = loadConfig({
    // with BENCH_DATABASE_URL the data key is the one of DATA_KEY or DATA_DIR, as for the app on that database
    DATA_DIR: dataDir ?? process.env.DATA_DIR ?? path.join(os.tmpdir(), 'tongxin-bench-data'),
    ...(process.env.DATA_KEY ? { DATA_KEY: process.env.DATA_KEY } : {}),
    EMBEDDED_PG_PORT: String(externalUrl ? 54500 : await freePort(54500)),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SEED_DEMO: 'false',
    WEB_DIST: '/nonexistent',
    ...(externalUrl ? { DATABASE_URL: externalUrl } : {}),
    ...(process.env.DB_POOL_MAX ? { DB_POOL_MAX: process.env.DB_POOL_MAX } : {}),
  });
  const say = (m: string) => console.log(`[bench] ${m}`);
  say(`people ${a.people}, ${a.duration} s per case after ${a.warmup} s warm-up, ${a.connections} connections, app pool ${config.dbPoolMax}`);
  say(externalUrl ? 'database: BENCH_DATABASE_URL' : `database: embedded PostgreSQL in ${dataDir} on port ${config.embeddedPgPort}`);
  const runtime = await startRuntime(config, (m) => {
    if (/FATAL|PANIC|initialising/.test(m)) say(m);
  });
  const floorPool = new pg.Pool({ connectionString: runtime.databaseUrl, max: config.dbPoolMax, application_name: 'tongxin-bench-floor' });
  floorPool.on('error', () => undefined);
  const app = await buildApp({ config, db: runtime.db });
  const bare = Fastify({ logger: false });
  try {
    const g: Generated = await generate(runtime.db, { people: a.people, seed: a.seed, log: say });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('app has no TCP address');
    const base = `http://127.0.0.1:${addr.port}`;
    const cookie = await signIn(base, g.admin.username, g.admin.password);
    say(`app on ${base}, signed in as ${g.admin.username}`);

    // a branch of median size (full, active members), and the most common first character of names
    const sizes = await floorPool.query<{ branch_id: string; n: number }>(
      `select branch_id, count(*)::int as n from people where tenant_id = $1 and party_status = 'full' and active
        group by branch_id order by n, branch_id`,
      [g.tenantId],
    );
    const median = sizes.rows[Math.floor(sizes.rows.length / 2)];
    const branch = g.branches.find((b) => b.id === median?.branch_id);
    if (!median || !branch) throw new Error('no branch with members');
    const surnameRow = await floorPool.query<{ s: string; n: number }>(
      `select left(name, 1) as s, count(*)::int as n from people where tenant_id = $1 group by 1 order by 2 desc, 1 limit 1`,
      [g.tenantId],
    );
    const surname = surnameRow.rows[0]?.s;
    if (!surname) throw new Error('no names');

    const branchUrl = `${base}/api/v1/people?unitId=${branch.id}&partyStatus=full&page=3&pageSize=20`;
    const nameUrl = `${base}/api/v1/people?q=${encodeURIComponent(surname)}&page=1&pageSize=20`;
    const branchParams = [g.tenantId, branch.id, 'full', 20, 40];
    const nameParams = [g.tenantId, `%${surname}%`, 20, 0];

    const appBranchSql = await appStatement(runtime.db, { tenantId: g.tenantId, scope: { all: true }, unitPath: branch.path, partyStatus: 'full', active: 'true' }, 3, 20);
    const appNameSql = await appStatement(runtime.db, { tenantId: g.tenantId, scope: { all: true }, q: surname, active: 'true' }, 1, 20);

    // the app and the floor must return the same rows and columns, or the comparison means nothing
    const appBranch = await getPage(branchUrl, cookie);
    const appName = await getPage(nameUrl, cookie);
    const check = async (label: string, app: Page, appSql: { sql: string; params: unknown[] }, text: string, params: unknown[]) => {
      const r = await floorPool.query<{ id: string; total: number }>(text, params);
      const same = JSON.stringify(app.items.map((x) => x.id)) === JSON.stringify(r.rows.map((x) => x.id)) && app.total === (r.rows[0]?.total ?? 0);
      if (!same) throw new Error(`${label}: the floor statement returns other rows than the app`);
      if (app.items.length !== 20) throw new Error(`${label}: expected a full page of 20, got ${app.items.length}`);
      const appColumns = (await floorPool.query(appSql.sql, appSql.params)).fields.map((f) => f.name).join(', ');
      const floorColumns = r.fields.map((f) => f.name).join(', ');
      if (appColumns !== floorColumns) {
        throw new Error(`${label}: the floor statement selects other columns than people.repo's listPeople; update floorOf in bench/run.ts\n  app:   ${appColumns}\n  floor: ${floorColumns}`);
      }
      return { total: app.total, rows: app.items.length };
    };
    const shapes = {
      branch: { branchName: branch.name, fullActiveMembers: median.n, ...(await check('branch list', appBranch.page, appBranchSql, floorBranchSql, branchParams)) },
      name: { q: surname, ...(await check('name search', appName.page, appNameSql, floorNameSql, nameParams)) },
    };
    say(`branch list: ${branch.name}, ${shapes.branch.total} full active members; name search q=${surname}: ${shapes.name.total} matches`);
    const plans = {
      appBranch: { statement: appBranchSql.sql, ...(await explain(floorPool, appBranchSql.sql, appBranchSql.params, g.tenantId)) },
      floorBranch: { statement: floorBranchSql, ...(await explain(floorPool, floorBranchSql, branchParams)) },
      appName: { statement: appNameSql.sql, ...(await explain(floorPool, appNameSql.sql, appNameSql.params, g.tenantId)) },
      floorName: { statement: floorNameSql, ...(await explain(floorPool, floorNameSql, nameParams)) },
    };
    for (const [k, v] of Object.entries(plans)) say(`EXPLAIN ANALYZE ${k}: planning ${ms(v.planningMs)} ms, execution ${ms(v.executionMs)} ms`);

    // other work on the machine (tests, browsers) steals the cores the figures depend on
    const postmasterPid = postmasterPidOf(dataDir ? path.join(dataDir, 'pg') : undefined);
    const quietBy = performance.now() + a.waitQuiet * 1000;
    /** Before each case: how busy the machine is while we are idle; with --wait-quiet, waits (within one budget) for < 10 %. */
    const awaitQuiet = async () => {
      let load = await machineLoad(1000);
      while (load > 0.1 && performance.now() < quietBy) {
        say(`machine ${pct(load)} busy with other work; waiting for it to calm down`);
        load = await machineLoad(3000);
      }
      if (load > 0.1) say(`WARNING: the machine is ${pct(load)} busy with other work; figures will suffer (--wait-quiet N waits up to N s in all)`);
      return load;
    };
    const idleLoad = await machineLoad(2000);

    const headers = { cookie };
    const results: CaseResult[] = [];
    const run = async (label: string, f: () => Promise<Omit<CaseResult, 'case' | 'kind' | 'floor' | 'cpu' | 'loadBefore'>>, kind: CaseResult['kind'], floor?: string) => {
      const loadBefore = await awaitQuiet();
      say(`running: ${label}`);
      const before = sampleCpu(postmasterPid);
      const r = await f();
      // requests still in flight when the load stopped finish before the next case (and before shutdown)
      await drained(runtime.db.$client);
      const cpu = shareBetween(before, sampleCpu(postmasterPid));
      results.push({ case: label, kind, ...(floor ? { floor } : {}), ...r, cpu, loadBefore });
      say(
        `  ${r.figures.reqPerSec.toFixed(0)} req/s, p50 ${ms(r.figures.p50)} ms, p95 ${ms(r.figures.p95)} ms, p99 ${ms(r.figures.p99)} ms; ` +
          `CPU: bench process ${pct(cpu.self)}, PostgreSQL ${cpu.postgres === null ? '?' : pct(cpu.postgres)}, other ${pct(cpu.other)}`,
      );
    };
    const cases = {
      appBranch: 'app: branch list (unitId, full, page 3)',
      floorBranch: 'floor SQL: branch list',
      appName: `app: name search (q=${surname}, page 1)`,
      floorName: 'floor SQL: name search',
      preparedBranch: 'floor SQL, prepared: branch list',
      preparedName: 'floor SQL, prepared: name search',
      tenantBranch: 'floor SQL in a tenant transaction (RLS): branch list',
      tenantName: 'floor SQL in a tenant transaction (RLS): name search',
      bare: 'floor HTTP: bare Fastify, same body',
      me: 'diagnostic: app GET /auth/me (session check + small tenant transaction)',
    };
    await run(cases.appBranch, () => httpCase(branchUrl, headers, a), 'app', cases.floorBranch);
    await run(cases.floorBranch, () => loopCase(sqlCall(floorPool, floorBranchSql, branchParams), a), 'floor-sql');
    await run(cases.appName, () => httpCase(nameUrl, headers, a), 'app', cases.floorName);
    await run(cases.floorName, () => loopCase(sqlCall(floorPool, floorNameSql, nameParams), a), 'floor-sql');
    // what planning costs: the app (drizzle's db.execute) sends unnamed statements, planned at every call
    await run(cases.preparedBranch, () => loopCase(sqlCall(floorPool, floorBranchSql, branchParams, 'bench_branch'), a), 'floor-sql-variant', cases.floorBranch);
    await run(cases.preparedName, () => loopCase(sqlCall(floorPool, floorNameSql, nameParams, 'bench_name'), a), 'floor-sql-variant', cases.floorName);
    // what the tenant wall costs: a transaction per request, SET ROLE, the tenant setting, row-level security
    await run(cases.tenantBranch, () => loopCase(inTenantCall(floorPool, g.tenantId, floorBranchSql, branchParams), a), 'floor-sql-variant', cases.floorBranch);
    await run(cases.tenantName, () => loopCase(inTenantCall(floorPool, g.tenantId, floorNameSql, nameParams), a), 'floor-sql-variant', cases.floorName);

    const body = appBranch.body;
    bare.get('/bare', (_req, reply) => reply.type('application/json; charset=utf-8').send(body));
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareAddr = bare.server.address();
    if (!bareAddr || typeof bareAddr === 'string') throw new Error('bare server has no TCP address');
    await run(cases.bare, () => httpCase(`http://127.0.0.1:${bareAddr.port}/bare`, {}, a), 'floor-http');
    // close to what every authenticated request pays before its own work: the session look-up, the hooks,
    // a tenant transaction (here with two small reads), a small response
    await run(cases.me, () => httpCase(`${base}/api/v1/auth/me`, headers, a), 'diagnostic');

    // ---- report
    const p95Of = (label: string | undefined) => results.find((r) => r.case === label)?.figures.p95 ?? Number.NaN;
    const lines = [
      '| case | req/s | p50 ms | p95 ms | p99 ms | p95 / floor p95 |',
      '|---|---:|---:|---:|---:|---:|',
      ...results.map((r) => {
        const ratio = r.floor ? `${(r.figures.p95 / p95Of(r.floor)).toFixed(r.kind === 'app' ? 1 : 2)}×` : r.kind === 'floor-sql' ? '1.0×' : '—';
        return `| ${r.case} | ${r.figures.reqPerSec.toFixed(0)} | ${ms(r.figures.p50)} | ${ms(r.figures.p95)} | ${ms(r.figures.p99)} | ${ratio} |`;
      }),
    ];
    const verdicts = results
      .filter((r) => r.kind === 'app')
      .map((r) => {
        const ratio = r.figures.p95 / p95Of(r.floor);
        const ok = r.figures.p95 < 50 && ratio <= 1.5;
        return `${r.case}: p95 ${ms(r.figures.p95)} ms (goal < 50 ms), ${ratio.toFixed(1)}× the floor (goal ≤ 1.5×): ${ok ? 'met' : 'MISSED'}`;
      });
    const pgVersion = (await floorPool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '?',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      postgres: pgVersion,
      embedded: runtime.embedded,
      platform: `${os.type()} ${os.release()}`,
    };
    console.log(`\n## People list, ${a.people.toLocaleString('en')} people — ${started.toISOString().slice(0, 10)}, ${machine.cpus} cores, Node ${machine.node.slice(1)}, PostgreSQL ${pgVersion}${runtime.embedded ? ' (embedded)' : ''}\n`);
    console.log(lines.join('\n'));
    console.log(`\n${verdicts.map((v) => `- ${v}`).join('\n')}`);
    // CPU ms per request: the share of the machine's core-seconds per second, over requests per second
    const perRequest = (share: number, r: CaseResult) => ((share * r.cpu.cores * 1000) / r.figures.reqPerSec).toFixed(2);
    const cpuLines = results.map(
      (r) =>
        `| ${r.case} | ${pct(r.cpu.self)} | ${r.cpu.postgres === null ? '?' : pct(r.cpu.postgres)} | ${pct(r.cpu.other)} | ` +
        `${perRequest(r.cpu.self, r)} | ${r.cpu.postgres === null ? '?' : perRequest(r.cpu.postgres, r)} |`,
    );
    console.log(
      `\nCPU during each case (warm-up included), as a share of ${machine.cpus} cores and in ms per request:\n\n` +
        `| case | bench process (app + load) | PostgreSQL | other work | bench ms/req | PostgreSQL ms/req |\n|---|---:|---:|---:|---:|---:|\n${cpuLines.join('\n')}`,
    );
    const noisy = results.filter((r) => r.cpu.other > 0.05);
    if (noisy.length > 0) console.log(`\nWARNING: other work on the machine took more than 5 % during: ${noisy.map((r) => r.case).join('; ')}. Re-run on a quiet machine.`);
    console.log(`\nOne statement, EXPLAIN ANALYZE execution time: app branch ${ms(plans.appBranch.executionMs)} ms vs floor ${ms(plans.floorBranch.executionMs)} ms; app name ${ms(plans.appName.executionMs)} ms vs floor ${ms(plans.floorName.executionMs)} ms.`);

    const outDir = path.join(import.meta.dirname, 'results');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `people-list-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      file,
      `${JSON.stringify({ started: started.toISOString(), args: a, machine, idleLoadBefore: idleLoad, appPool: config.dbPoolMax, generated: { counts: g.counts, ms: g.ms }, shapes, results, verdicts, table: lines.join('\n'), plans }, null, 2)}\n`,
    );
    say(`results written to ${path.relative(process.cwd(), file)}`);
  } finally {
    await bare.close();
    await app.close();
    await floorPool.end();
    await runtime.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

/**
 * Feedback-form benchmark: the public answer endpoint under 200 concurrent submitters, against a
 * bare Fastify handler doing the same insert in the same run; then the progress of a program with
 * 50 measures over 10 years of activity records.
 *
 *   node --import tsx bench/feedback.ts [--connections 200] [--duration 15] [--warmup 3] [--activities 100000]
 *
 * Starts an embedded PostgreSQL in a temporary directory, makes a tenant with an open anonymous
 * form (three questions), and drives, each for `--duration` seconds after a warm-up:
 *   app:   POST /api/v1/public/forms/:publicId/responses — CSRF header, rate limiter (each request
 *          from its own X-Forwarded-For address, TRUST_PROXY on), zod validation, tenant lookup
 *          by public id, a transaction as tongxin_app with the tenant set (RLS), answer checks,
 *          the insert;
 *   floor: a bare Fastify handler: JSON body parsed, one INSERT through `pg` as the owner
 *          (a Pool as large as the app's), 201.
 * After each phase the rows are counted: stored = 2xx answers (nothing lost, nothing extra).
 * Then: activities over 10 years, a program of 5 tracks × 10 measures each with a computed
 * indicator, and GET /api/v1/programs/:id timed (goal < 300 ms).
 * The data directory is removed at the end.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/platform/config';
import { startRuntime } from '../server/src/platform/runtime';
import { buildApp } from '../server/src/platform/http/app';
import { hashPassword } from '../server/src/platform/passwords';
import { tenants } from '../server/src/modules/org/org.schema';
import { securityPolicies } from '../server/src/modules/security/security.schema';
import { insertUnit } from '../server/src/modules/org/org.repo';
import { insertGrant, insertUser, upsertRole } from '../server/src/modules/auth/auth.repo';
import { ensureTenantDefaults } from '../server/src/commands/tenant-defaults.command';
import { insertForm } from '../server/src/modules/feedback/feedback.repo';
import { insertIndicator, insertItem, insertProgram } from '../server/src/modules/programs/programs.repo';
import { intArg } from './generate';
import type { FeedbackLoadJob, FeedbackLoadOutcome } from './feedback.worker';

const PASSWORD = 'Bench-Passw0rd!';

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

type Stats = { n: number; p50: number; p95: number; p99: number; mean: number; max: number };
function stats(ms: number[]): Stats {
  const s = Float64Array.from(ms).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: sum / s.length, max: s[s.length - 1] ?? Number.NaN };
}

function load(job: FeedbackLoadJob): Promise<{ warmupOk: number; outcome: FeedbackLoadOutcome }> {
  return new Promise((resolve, reject) => {
    // the worker inherits `--import tsx` from this process's execArgv
    const w = new Worker(new URL('./feedback.worker.ts', import.meta.url), { workerData: job });
    w.once('message', (m: { warmupOk: number; outcome: FeedbackLoadOutcome }) => resolve(m));
    w.once('error', reject);
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const connections = Math.floor(intArg(argv, 'connections', 200));
  const duration = intArg(argv, 'duration', 15);
  const warmup = intArg(argv, 'warmup', 3);
  const activitiesN = Math.floor(intArg(argv, 'activities', 100_000));
  // --progress-only: skip the load phases (to look at the program page alone)
  const progressOnly = argv.includes('--progress-only');
  const say = (m: string) => console.log(`[bench feedback] ${m}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-bench-feedback-'));
  fs.chmodSync(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort(54900)),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    JOBS_ENABLED: 'false',
    WEB_DIST: '/nonexistent',
    TRUST_PROXY: 'true',
  });
  const runtime = await startRuntime(config, (m) => {
    if (/FATAL|PANIC/.test(m)) say(m);
  });
  const db = runtime.db;
  const pool = new pg.Pool({ connectionString: runtime.databaseUrl, max: config.dbPoolMax, application_name: 'tongxin-bench-floor' });
  pool.on('error', () => undefined);
  const app = await buildApp({ config, db });
  const bare = Fastify({ logger: false });
  try {
    const [t] = await db.insert(tenants).values({ code: `bench-${Date.now().toString(36)}`, name: '基准测试部' }).returning();
    if (!t) throw new Error('tenant');
    await db.insert(securityPolicies).values({ tenantId: t.id, totpRequired: false });
    const rootId = crypto.randomUUID();
    const root = await insertUnit(db, { id: rootId, tenantId: t.id, parentId: null, type: 'department', name: '基准测试部', sortOrder: 0, path: `/${rootId}/` });
    await db.transaction((tx) => ensureTenantDefaults(tx, t.id));
    const fields = [
      { key: 'opinion', label: '意见建议', kind: 'text', required: true, long: true },
      { key: 'aspect', label: '涉及方面', kind: 'choice', required: false, options: ['作风', '效能', '服务'] },
      { key: 'score', label: '满意度', kind: 'rating', required: false },
    ];
    const publicId = 'benchAppForm0000000000';
    const formId = (await db.transaction((tx) => insertForm(tx, { tenantId: t.id, publicId, title: '征求意见表', mode: 'anonymous', status: 'open', fields }))) as string;
    const floorFormId = (await db.transaction((tx) => insertForm(tx, { tenantId: t.id, publicId: 'benchFloorForm00000000', title: '对照', mode: 'anonymous', status: 'open', fields }))) as string;
    const body = JSON.stringify({ answers: { opinion: '窗口服务等待时间较长，建议增加线上预约渠道，减少群众跑腿次数。', aspect: '效能', score: 4 } });
    const count = async (id: string) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from feedback_responses where form_id = ${id}`)).rows[0]?.n ?? 0;

    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    say(`app: ${connections} connections, ${warmup}s warm-up + ${duration}s`);
    const none = { warmupOk: 0, outcome: { latencies: [], completed: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0, seconds: 1, statusCodes: {} } };
    const appRun = progressOnly ? none : await load({ url: `http://127.0.0.1:${addr.port}/api/v1/public/forms/${publicId}/responses`, body, connections, warmup, duration, ipBase: 1 });
    const appRows = await count(formId);

    // the floor: what any handler must do at least — parse, insert, answer
    bare.post('/r', async (req, reply) => {
      const b = req.body as { answers?: unknown };
      if (typeof b !== 'object' || b === null || typeof b.answers !== 'object') return reply.code(400).send({});
      await pool.query('insert into feedback_responses (tenant_id, form_id, answers) values ($1, $2, $3)', [t.id, floorFormId, b.answers]);
      return reply.code(201).send({ ok: true });
    });
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareAddr = bare.server.address();
    if (!bareAddr || typeof bareAddr === 'string') throw new Error('no address');
    say('floor: bare Fastify handler, same insert');
    const floorRun = progressOnly ? none : await load({ url: `http://127.0.0.1:${bareAddr.port}/r`, body, connections, warmup, duration, ipBase: 2 });
    const floorRows = await count(floorFormId);

    // ---- program progress over 10 years of records
    const units: { id: string; path: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const id = crypto.randomUUID();
      units.push(await insertUnit(db, { id, tenantId: t.id, parentId: root.id, type: 'branch', name: `支部${i}`, sortOrder: i, path: `${root.path}${id}/` }));
    }
    say(`generating ${activitiesN} activities over 10 years in ${units.length} branches`);
    await db.execute(sql`insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, status, cancel_reason, signin_secret)
      select ${t.id}, ty.id, (${sql.param(units.map((u) => u.id))}::uuid[])[1 + (g % 50)], '学习会',
        now() - (g % 3650) * interval '1 day', now() - (g % 3650) * interval '1 day' + interval '1 hour',
        (array['held','recorded','planned','cancelled'])[1 + (g % 4)], case when g % 4 = 3 then '取消' end, 'x'
      from generate_series(1, ${activitiesN}) g
      join lateral (select id from activity_types where tenant_id = ${t.id} order by sort_order offset (g % 12) limit 1) ty on true`);
    await db.execute(sql`analyze activities`);
    const codes = (await db.execute<{ code: string }>(sql`select code from activity_types where tenant_id = ${t.id} order by sort_order limit 12`)).rows.map((r) => r.code);
    const today = new Date();
    const tenYearsAgo = new Date(today.getTime() - 3650 * 86_400_000);
    const programId = await db.transaction(async (tx) => {
      const pid = await insertProgram(tx, { tenantId: t.id, title: '十年规划', ownerUnitId: root.id, startsOn: tenYearsAgo.toISOString().slice(0, 10), endsOn: today.toISOString().slice(0, 10) });
      for (let track = 0; track < 5; track++) {
        const trackId = await insertItem(tx, { tenantId: t.id, programId: pid, kind: '行动', title: `行动${track + 1}`, sortOrder: track });
        for (let m = 0; m < 10; m++) {
          const k = track * 10 + m;
          const itemId = await insertItem(tx, { tenantId: t.id, programId: pid, parentId: trackId, kind: '举措', title: `举措${k + 1}`, sortOrder: m });
          const unit = k % 2 === 0 ? root : units[k % units.length];
          await insertIndicator(tx, {
            tenantId: t.id,
            itemId,
            name: `指标${k + 1}`,
            kind: 'computed',
            source: 'activities',
            query: { typeCodes: [codes[k % codes.length] ?? '', codes[(k + 5) % codes.length] ?? ''], unitId: unit?.id },
            target: 100,
          });
        }
      }
      return pid;
    });
    const role = await upsertRole(db, { tenantId: t.id, code: 'bench_reader', name: '读者', permissions: ['programs.read'] });
    const user = await insertUser(db, { tenantId: t.id, username: 'bench_prog', displayName: '读者', passwordHash: await hashPassword(PASSWORD), personId: null, mustChangePassword: false });
    await insertGrant(db, { tenantId: t.id, userId: user.id, roleId: role.id, scopeUnitId: root.id });
    const base = `http://127.0.0.1:${addr.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'tongxin' },
      body: JSON.stringify({ username: 'bench_prog', password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login ${login.status}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const times: number[] = [];
    let counted = 0;
    for (let i = 0; i < 35; i++) {
      const t0 = process.hrtime.bigint();
      const r = await fetch(`${base}/api/v1/programs/${programId}`, { headers: { cookie } });
      const detail = (await r.json()) as { items: { indicators: { count: number | null }[] }[] };
      if (i >= 5) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      counted = detail.items.flatMap((x) => x.indicators).reduce((a, x) => a + (x.count ?? 0), 0);
    }
    const progress = stats(times);
    const a = stats(appRun.outcome.latencies);
    const f = stats(floorRun.outcome.latencies);
    const rate = (o: FeedbackLoadOutcome) => o.ok / o.seconds;
    const line = (name: string, o: FeedbackLoadOutcome, s: Stats) =>
      `| ${name} | ${rate(o).toFixed(0)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${o.non2xx} | ${o.errors + o.timeouts} |`;
    console.log(`\n### Feedback forms — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version.slice(1)}, ${connections} connections, ${duration} s\n`);
    console.log('| case | stored/s | p50 ms | p95 ms | p99 ms | non-2xx | errors |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(line('app: public answer endpoint', appRun.outcome, a));
    console.log(line('floor: bare Fastify + INSERT', floorRun.outcome, f));
    // requests still in flight when autocannon stops are stored but their 201 is never read:
    // every 201 must have its row, and at most one extra row per connection per run
    const verdict = (rows: number, ok: number) => (rows >= ok && rows - ok <= 2 * connections ? 'nothing lost' : 'MISMATCH');
    const appOk = appRun.warmupOk + appRun.outcome.ok;
    const floorOk = floorRun.warmupOk + floorRun.outcome.ok;
    console.log(
      `\nrows: app ${appRows} stored, ${appOk} 201s read (${verdict(appRows, appOk)}; ${appRows - appOk} in flight at the cut-off); floor ${floorRows} stored, ${floorOk} 201s read (${verdict(floorRows, floorOk)})`,
    );
    console.log(
      `app / floor: ${(rate(appRun.outcome) / rate(floorRun.outcome)).toFixed(2)}x throughput, ${(a.p95 / f.p95).toFixed(1)}x p95; goal ≥ 500/s with p95 < 100 ms: ${rate(appRun.outcome) >= 500 && a.p95 < 100 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `\nprogram progress (50 measures, ${activitiesN} activities over 10 years, ${counted} counted): GET /programs/:id p50 ${progress.p50.toFixed(1)} ms, p95 ${progress.p95.toFixed(1)} ms, max ${progress.max.toFixed(1)} ms; goal < 300 ms: ${progress.p95 < 300 ? 'met' : 'MISSED'}`,
    );
  } finally {
    await bare.close();
    await app.close();
    await pool.end();
    await runtime.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

/**
 * Work-summary benchmark: a year's summary from the shipped template for a department with
 * ten years of records, against the same figures as hand-written SQL in the same run.
 *
 *   node --import tsx bench/reports.ts [--activities-per-year 1500] [--people 300] [--iterations 20] [--warmup 3]
 *
 * Starts an embedded PostgreSQL in a temporary directory, makes a tenant with 20 offices and
 * `--people` people, then ten years of held activities of every default type (extra fields as
 * the activities area records them; 5–40 present participants each) and registered
 * enterprises. Times, one call at a time:
 *   api:     POST /api/v1/reports/summaries/docx for last year with the model-organ template:
 *            HTTP, session, parse, every placeholder resolved with its evidence records,
 *            the DOCX with its evidence appendix written (goal: < 2 s);
 *   resolve: the same resolution in-process, without the DOCX;
 *   floor:   every figure of the template as one hand-written aggregate statement through `pg`
 *            as the owner (no row-level security, no evidence lists).
 * The data directory is removed at the end.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/platform/config';
import { startRuntime } from '../server/src/platform/runtime';
import { buildApp } from '../server/src/platform/http/app';
import { hashPassword } from '../server/src/platform/passwords';
import type { Actor } from '../server/src/platform/access';
import { inTenant } from '../server/src/platform/db/tenant';
import { tenants } from '../server/src/modules/org/org.schema';
import { securityPolicies } from '../server/src/modules/security/security.schema';
import { insertUnit } from '../server/src/modules/org/org.repo';
import { insertGrant, insertUser, upsertRole } from '../server/src/modules/auth/auth.repo';
import { ensureTenantDefaults } from '../server/src/commands/tenant-defaults.command';
import { contextOf, resolveBody } from '../server/src/modules/reports/reports.service';
import { defaultTemplates } from '../server/src/modules/reports/reports.defaults';
import { intArg } from './generate';

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

type Stats = { n: number; p50: number; p95: number; mean: number; max: number };

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
  return { n: s.length, p50: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s[s.length - 1] as number };
}

async function timed(n: number, warmup: number, call: () => Promise<void>): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await call();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await call();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return stats(out);
}

/** The model-organ template's figures as one statement: what a DBA would write by hand. */
const floorSql = `
with a as (
  select a.id, t.code, a.topic, a.extra, a.place,
         (select count(*) from activity_participants ap where ap.activity_id = a.id and ap.attendance = 'present') as present,
         (select count(*) from activity_participants ap where ap.activity_id = a.id and ap.attendance = 'present' and ap.party_status = 'none') as present_none,
         (select count(*) from activity_participants ap where ap.activity_id = a.id and ap.attendance = 'present' and ap.party_status <> 'none') as present_members
    from activities a join activity_types t on t.id = a.type_id
   where a.tenant_id = $1 and a.status in ('held','recorded')
     and a.starts_at >= ($2::date::timestamp at time zone 'Asia/Shanghai') and a.starts_at < (($3::date + 1)::timestamp at time zone 'Asia/Shanghai'))
select
  count(*) filter (where code = 'central_group_study') as central,
  count(*) filter (where code = 'field_teaching') as teaching,
  count(distinct coalesce(extra->>'placeVisited', place, topic)) filter (where code = 'field_teaching') as teaching_places,
  count(*) filter (where code = 'training_class') as classes,
  sum(present_none) filter (where code = 'training_class') as trainees,
  count(*) filter (where code = 'collective_study') as study,
  count(*) filter (where code = 'collective_study' and topic like '%党史%') as history,
  sum(present_members) filter (where code = 'collective_study') as study_people,
  count(*) filter (where code = 'symposium') as symposium,
  count(*) filter (where code = 'central_group_study_extended') as extended,
  count(*) filter (where topic like '%汇报党建%') as reports,
  count(*) filter (where code = 'branch_committee_meeting') as committee,
  count(*) filter (where code = 'theme_party_day') as party_day,
  count(*) filter (where code = 'party_group_meeting') as group_meeting,
  count(*) filter (where code = 'field_visit' and extra->>'placeKind' = 'village') as villages,
  count(distinct extra->>'placeName') filter (where code = 'field_visit' and exists (select 1 from enterprises e where e.tenant_id = $1 and e.name = a.extra->>'placeName' and e.type = 'private')) as private_visited,
  count(distinct extra->>'placeName') filter (where code = 'field_visit' and exists (select 1 from enterprises e where e.tenant_id = $1 and e.name = a.extra->>'placeName' and e.type = 'taiwan_funded')) as taiwan_visited,
  count(*) filter (where code = 'volunteer_service') as volunteer,
  sum(present) filter (where code = 'volunteer_service') as volunteer_people,
  count(*) filter (where topic like '%党风廉政%') as integrity,
  count(*) filter (where code = 'warning_education') as warning
from a`;

async function main() {
  const argv = process.argv.slice(2);
  const perYear = Math.floor(intArg(argv, 'activities-per-year', 1500));
  const people = Math.floor(intArg(argv, 'people', 300));
  const iterations = Math.floor(intArg(argv, 'iterations', 20));
  const warmup = Math.floor(intArg(argv, 'warmup', 3));
  const say = (m: string) => console.log(`[bench reports] ${m}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-bench-reports-'));
  fs.chmodSync(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort(55300)),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    JOBS_ENABLED: 'false',
    WEB_DIST: '/nonexistent',
  });
  const runtime = await startRuntime(config, (m) => {
    if (/FATAL|PANIC/.test(m)) say(m);
  });
  const db = runtime.db;
  const pool = new pg.Pool({ connectionString: runtime.databaseUrl, max: 2, application_name: 'tongxin-bench-floor' });
  pool.on('error', () => undefined);
  const app = await buildApp({ config, db });
  try {
    const [t] = await db.insert(tenants).values({ code: `bench-${Date.now().toString(36)}`, name: '基准测试部' }).returning();
    if (!t) throw new Error('tenant');
    await db.insert(securityPolicies).values({ tenantId: t.id, totpRequired: false });
    const rootId = crypto.randomUUID();
    const root = await insertUnit(db, { id: rootId, tenantId: t.id, parentId: null, type: 'department', name: '基准测试部', sortOrder: 0, path: `/${rootId}/` });
    for (let i = 0; i < 20; i++) {
      const id = crypto.randomUUID();
      await insertUnit(db, { id, tenantId: t.id, parentId: root.id, type: 'office', name: `科室${i + 1}`, sortOrder: i, path: `${root.path}${id}/` });
    }
    await db.transaction((tx) => ensureTenantDefaults(tx, t.id));
    const started = Date.now();
    // ten years of records, generated in SQL (seeded by setseed: the same data every run)
    await db.execute(sql`select setseed(0.2026)`);
    await db.execute(sql`
      insert into people (tenant_id, office_id, name, gender, party_status)
      select ${t.id}, (select id from org_units where tenant_id = ${t.id} and type = 'office' order by sort_order offset (g % 20) limit 1),
             '人员' || g, case when g % 2 = 0 then 'male' else 'female' end,
             case when g % 5 = 0 then 'none' when g % 7 = 0 then 'probationary' else 'full' end
        from generate_series(1, ${people}) g`);
    await db.execute(sql`
      insert into enterprises (tenant_id, office_id, name, credit_code, type)
      select ${t.id}, ${root.id}, '企业' || g, '9135' || lpad(g::text, 14, '0'), case when g % 3 = 0 then 'taiwan_funded' else 'private' end
        from generate_series(1, 200) g`);
    const years = 10;
    const thisYear = new Date().getFullYear();
    await db.execute(sql`
      with ty as (select id, code, row_number() over (order by code) - 1 as k, count(*) over () as n from activity_types where tenant_id = ${t.id}),
      g as (select g, (random() * 365 * ${years})::int as d from generate_series(1, ${perYear * years}) g)
      insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, status, extra, signin_secret)
      select ${t.id}, ty.id,
             (select id from org_units where tenant_id = ${t.id} and type = 'office' order by sort_order offset (g.g % 20) limit 1),
             case when g.g % 11 = 0 then '党史专题' when g.g % 13 = 0 then '汇报党建工作' when g.g % 17 = 0 then '党风廉政研判' else ty.code end || ' ' || g.g,
             make_date(${thisYear - years}, 1, 1) + g.d + time '09:00', make_date(${thisYear - years}, 1, 1) + g.d + time '11:00', 'recorded',
             case ty.code
               when 'field_visit' then jsonb_build_object('placeKind', case when g.g % 2 = 0 then 'village' else 'enterprise' end, 'placeName', case when g.g % 2 = 0 then '村' || (g.g % 50) else '企业' || (g.g % 300) end)
               when 'field_teaching' then jsonb_build_object('placeVisited', '基地' || (g.g % 12))
               when 'training_class' then jsonb_build_object('traineeCategory', '党外知识分子', 'hours', 8)
               else '{}'::jsonb end,
             'x'
        from g join ty on ty.k = g.g % ty.n`);
    await db.execute(sql`
      insert into activity_participants (tenant_id, activity_id, person_id, attendance, party_status)
      select a.tenant_id, a.id, p.id, case when random() < 0.9 then 'present' else 'absent' end, p.party_status
        from activities a cross join lateral (
          select id, party_status from people where tenant_id = a.tenant_id order by random() limit 5 + (hashtext(a.id::text) & 31)) p
       where a.tenant_id = ${t.id}`);
    await db.execute(sql`analyze`);
    const counts = await db.execute<{ a: number; p: number }>(
      sql`select (select count(*)::int from activities where tenant_id = ${t.id}) as a, (select count(*)::int from activity_participants where tenant_id = ${t.id}) as p`,
    );
    say(`generated ${counts.rows[0]?.a} activities, ${counts.rows[0]?.p} participants over ${years} years in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const role = await upsertRole(db, { tenantId: t.id, code: 'bench_leader', name: '部领导', permissions: ['reports.read', 'reports.write'] });
    const user = await insertUser(db, { tenantId: t.id, username: 'bench_leader', displayName: '部领导', passwordHash: await hashPassword(PASSWORD), personId: null, mustChangePassword: false });
    await insertGrant(db, { tenantId: t.id, userId: user.id, roleId: role.id, scopeUnitId: root.id });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const base = `http://127.0.0.1:${addr.port}`;
    const headers = { 'content-type': 'application/json', 'x-requested-with': 'tongxin' };
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username: 'bench_leader', password: PASSWORD }) });
    if (login.status !== 200) throw new Error(`login ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    const body = defaultTemplates.find((x) => x.code === 'model_organ')?.body ?? '';
    const year = thisYear - 1;
    const payload = JSON.stringify({ body, period: { kind: 'year', year }, unitIds: [] });
    let bytes = 0;
    const api = await timed(iterations, warmup, async () => {
      const r = await fetch(`${base}/api/v1/reports/summaries/docx`, { method: 'POST', headers: { ...headers, cookie }, body: payload });
      if (r.status !== 200) throw new Error(`docx ${r.status} ${await r.text()}`);
      bytes = (await r.arrayBuffer()).byteLength;
    });

    const actor = {
      userId: user.id,
      username: 'bench_leader',
      displayName: '部领导',
      personId: null,
      tenantId: t.id,
      mustChangePassword: false,
      mustRename: false,
      totpEnabled: false,
      totpEnrolmentRequired: false,
      grants: [{ code: role.code, name: role.name, permissions: ['reports.read', 'reports.write'], scopeUnitId: root.id, scopeUnitName: root.name, scopePath: root.path }],
      ip: null,
      userAgent: null,
    } satisfies Actor;
    let figures = 0;
    const resolve = await timed(iterations, warmup, async () => {
      const r = await inTenant(db, t.id, async (tx) => resolveBody(tx, await contextOf(tx, actor, { period: { kind: 'year', year }, unitIds: [] }), body));
      figures = r.figures.length;
    });
    const floor = await timed(iterations, warmup, async () => {
      await pool.query(floorSql, [t.id, `${year}-01-01`, `${year}-12-31`]);
    });

    const fmt = (s: Stats) => `| ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.mean.toFixed(1)} | ${s.max.toFixed(1)} |`;
    console.log(`\n## Reports: a year's work summary over ${years} years of records — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version.slice(1)}\n`);
    console.log(`${counts.rows[0]?.a} activities, ${counts.rows[0]?.p} participants; ${figures} figures; DOCX ${Math.round(bytes / 1024)} KiB\n`);
    console.log('| case | p50 ms | p95 ms | mean ms | max ms |');
    console.log('|---|---|---|---|---|');
    console.log(`| API: resolve + DOCX with appendix (HTTP) ${fmt(api)}`);
    console.log(`| resolve in-process (no DOCX) ${fmt(resolve)}`);
    console.log(`| SQL floor (one aggregate, no evidence) ${fmt(floor)}`);
    console.log(`\np95 API: ${api.p95.toFixed(0)} ms, goal < 2000 ms: ${api.p95 < 2000 ? 'met' : 'MISSED'}; resolve / floor: ${(resolve.p95 / floor.p95).toFixed(1)}x`);
  } finally {
    await app.close();
    await pool.end();
    await runtime.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

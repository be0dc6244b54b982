/**
 * Work-summary benchmark: a year's summary from the shipped template for a department with
 * ten years of records, against the same figures as hand-written SQL in the same run.
 *
 *   node --import tsx bench/reports.ts [--activities-per-year 1500] [--people 300] [--iterations 20] [--warmup 3]
 *
 * With --dashboard (or REPORTS_BENCH=dashboard): the dashboard API at province scale against
 * hand-written SQL; REPORTS_SCALE=1 is 1,000 units and 1,000,000 activities (default 0.01):
 *
 *   REPORTS_SCALE=1 node --import tsx bench/reports.ts --dashboard [--iterations 20] [--warmup 3]
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
import { sql, type SQL } from 'drizzle-orm';
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
import { contextOf, dashboard, resolveBody, type DashboardTimings } from '../server/src/modules/reports/reports.service';
import { defaultTemplates } from '../server/src/modules/reports/reports.defaults';
import { activitySource, dutiesFromCountsSql } from '../server/src/modules/reports/reports.repo';
import { dutyCells } from '../server/src/modules/duties/duties.repo';
import { evaluationIn } from '../server/src/modules/points/points.service';
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

/**
 * The dashboard's aggregates as hand-written SQL: the activity figures of both periods in one
 * scan, the monthly trend and the types of the period, the other areas' counts, and the period's
 * rectification measures by status.
 * Figures: $1 tenant, $2 previous period's first day, $3 period's first day, $4 its last day;
 * trend, types and measures by status: $1 tenant, $2 and $3 the period; other areas: $1, $2 previous first day, $3 last day.
 */
const dashboardFloorSql = [
  `with a as (
     select a.id, a.starts_at >= ($3::date::timestamp at time zone 'Asia/Shanghai') as cur, t.code, a.extra, a.place, a.topic,
            (select count(*) from activity_participants ap where ap.activity_id = a.id and ap.attendance = 'present') as present
       from activities a join activity_types t on t.id = a.type_id
      where a.tenant_id = $1 and a.status in ('held','recorded')
        and a.starts_at >= ($2::date::timestamp at time zone 'Asia/Shanghai') and a.starts_at < (($4::date + 1)::timestamp at time zone 'Asia/Shanghai'))
   select cur, count(*) as activities, sum(present) as people_times,
          count(*) filter (where code = 'training_class') as classes, sum(present) filter (where code = 'training_class') as trainees,
          count(distinct coalesce(nullif(extra->>'placeName', ''), nullif(extra->>'placeVisited', ''), nullif(place, ''), topic)) filter (where code = 'field_visit') as places,
          (select count(distinct v.e) from (
             select e.id as e from a v0 join enterprises e on e.tenant_id = $1 and e.name = v0.extra->>'placeName' where v0.code = 'field_visit' and v0.cur = a.cur
             union all
             select ae.enterprise_id from a v1 join activity_enterprises ae on ae.activity_id = v1.id where v1.code = 'field_visit' and v1.cur = a.cur) v) as enterprises
     from a
    group by cur`,
  `select to_char(a.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, t.category, count(*)
     from activities a join activity_types t on t.id = a.type_id
    where a.tenant_id = $1 and a.status in ('held','recorded')
      and a.starts_at >= ($2::date::timestamp at time zone 'Asia/Shanghai') and a.starts_at < (($3::date + 1)::timestamp at time zone 'Asia/Shanghai')
    group by 1, 2 order by 1, 2`,
  `select t.code, t.name_zh, count(*)
     from activities a join activity_types t on t.id = a.type_id
    where a.tenant_id = $1 and a.status in ('held','recorded')
      and a.starts_at >= ($2::date::timestamp at time zone 'Asia/Shanghai') and a.starts_at < (($3::date + 1)::timestamp at time zone 'Asia/Shanghai')
    group by t.code, t.name_zh, t.sort_order order by count(*) desc, t.sort_order`,
  `select (select count(*) from problems where tenant_id = $1 and found_on between $2::date and $3::date) as problems,
          (select count(*) from problems where tenant_id = $1 and status = 'rectified' and rectified_at >= ($2::date::timestamp at time zone 'Asia/Shanghai')) as rectified,
          (select count(*) from service_cases where tenant_id = $1 and status = 'resolved' and closed_on between $2::date and $3::date) as cases,
          (select count(*) from publicity_items where tenant_id = $1 and published_on between $2::date and $3::date) as publicity`,
  `select status, count(*) from rectification_measures
    where tenant_id = $1 and created_at >= ($2::date::timestamp at time zone 'Asia/Shanghai') and created_at < (($3::date + 1)::timestamp at time zone 'Asia/Shanghai')
    group by status`,
];

/**
 * The same dashboard as the service now computes it, as hand-written SQL: the activity
 * figures of both periods, the trend and the types from activity_month_counts (one scan of
 * the two years' month × type totals), the distinct places and enterprises visited from the
 * records, and the duties met/missed over the counts. $1 tenant, $2 previous period's first
 * day, $3 period's first day, $4 its last day.
 */
const dashboardSummaryFloorSql = {
  // the whole province: the counts summed over units (activity_month_type_counts), as the service reads them
  totals: `select c.month, t.code, t.category, sum(c.held) as held, sum(c.present) as present
             from activity_month_type_counts c join activity_types t on t.id = c.type_id
            where c.tenant_id = $1 and c.month between $2::date and $4::date and $3::date > $2::date
            group by c.month, t.code, t.category`,
  visited: `with a as (
     select a.id, a.starts_at >= ($3::date::timestamp at time zone 'Asia/Shanghai') as cur, a.extra, a.place, a.topic
       from activities a join activity_types t on t.id = a.type_id
      where a.tenant_id = $1 and t.code = 'field_visit' and a.status in ('held','recorded')
        and a.starts_at >= ($2::date::timestamp at time zone 'Asia/Shanghai') and a.starts_at < (($4::date + 1)::timestamp at time zone 'Asia/Shanghai'))
   select cur, count(distinct coalesce(nullif(extra->>'placeName', ''), nullif(extra->>'placeVisited', ''), nullif(place, ''), topic)) as places,
          (select count(distinct v.e) from (
             select e.id as e from a v0 join enterprises e on e.tenant_id = $1 and e.name = v0.extra->>'placeName' where v0.cur = a.cur
             union all
             select ae.enterprise_id from a v1 join activity_enterprises ae on ae.activity_id = v1.id where v1.cur = a.cur) v) as enterprises
     from a group by cur`,
  // months, quarters and the year of the period's year; every period ended by the period's end
  duties: `with u as (select id, type from org_units where tenant_id = $1 and active),
     r as (select d.id, d.unit_type, d.type_id, d.period, d.min_count from duty_rules d where d.tenant_id = $1 and d.active),
     pp as (select p.period, make_date(extract(year from $3::date)::int, p.f, 1) as s, (make_date(extract(year from $3::date)::int, p.t, 1) + interval '1 month')::date as e
              from (select 'month' as period, m as f, m as t from generate_series(1, 12) m
                    union all select 'quarter', 3 * q - 2, 3 * q from generate_series(1, 4) q union all select 'year', 1, 12) p),
     -- ($2, the previous period, is not needed: duties count the period's own months)
     m as (select unit_id, type_id, month, valid from activity_month_counts where tenant_id = $1 and valid > 0 and type_id in (select type_id from r) and month between $3::date and $4::date and $2::date < $3::date),
     c as (select u.id, r.id as rule_id, r.min_count, pp.s, coalesce(sum(m.valid), 0) as done
             from u join r on r.unit_type = u.type join pp on pp.period = r.period
             left join m on m.unit_id = u.id and m.type_id = r.type_id and m.month >= pp.s and m.month < pp.e
            group by u.id, r.id, r.min_count, pp.s)
   select rule_id, count(*) filter (where done >= min_count) as met, count(*) filter (where done < min_count) as missed from c group by rule_id`,
};

/**
 * The dashboard at province scale: REPORTS_SCALE=1 is 1,000 units and 1,000,000 activities
 * (five years, about 200,000 a year, 1–8 participants each); smaller fractions for a quick run.
 * Times POST /api/v1/reports/dashboard for the last full year (with the year before) for the
 * province-wide viewer and for one city's subtree, against dashboardFloorSql in the same run.
 */
async function dashboardBench(argv: string[]) {
  const scale = Number(process.env.REPORTS_SCALE ?? '0.01');
  if (!(scale > 0 && scale <= 10)) throw new Error('REPORTS_SCALE: a fraction of the province scale, 0 < scale <= 10');
  const unitCount = Math.max(20, Math.round(1000 * scale));
  const activityCount = Math.max(1000, Math.round(1_000_000 * scale));
  const iterations = Math.floor(intArg(argv, 'iterations', 20));
  const warmup = Math.floor(intArg(argv, 'warmup', 3));
  const say = (m: string) => console.log(`[bench dashboard] ${m}`);
  await withRuntime(say, async ({ db, app, pool }) => {
    const [t] = await db.insert(tenants).values({ code: `bench-${Date.now().toString(36)}`, name: '省级基准测试部' }).returning();
    if (!t) throw new Error('tenant');
    await db.insert(securityPolicies).values({ tenantId: t.id, totpRequired: false });
    const rootId = crypto.randomUUID();
    const root = await insertUnit(db, { id: rootId, tenantId: t.id, parentId: null, type: 'department', name: '省委统战部', sortOrder: 0, path: `/${rootId}/` });
    await db.transaction((tx) => ensureTenantDefaults(tx, t.id));
    const started = Date.now();
    // the tree: 19 cities (departments) under the province, the other units spread under them
    const cities = Math.min(19, unitCount - 1);
    await db.execute(sql`
      insert into org_units (id, tenant_id, parent_id, type, name, sort_order, path)
      select id, ${t.id}, ${root.id}, 'department', '市委统战部' || g, g, ${root.path} || id || '/'
        from (select gen_random_uuid() as id, g from generate_series(1, ${cities}) g) x`);
    await db.execute(sql`
      with c as (select array_agg(id order by sort_order) ids, array_agg(path order by sort_order) paths from org_units where tenant_id = ${t.id} and parent_id = ${root.id})
      insert into org_units (id, tenant_id, parent_id, type, name, sort_order, path)
      select x.id, ${t.id}, c.ids[1 + g % ${cities}], case when g % 3 = 0 then 'branch' else 'office' end, '单位' || g, g, c.paths[1 + g % ${cities}] || x.id || '/'
        from c, (select gen_random_uuid() as id, g from generate_series(1, ${unitCount - 1 - cities}) g) x`);
    await db.execute(sql`select setseed(0.2026)`);
    await db.execute(sql`
      with u as (select array_agg(id order by path) ids, count(*) n from org_units where tenant_id = ${t.id})
      insert into people (tenant_id, office_id, name, gender, party_status)
      select ${t.id}, u.ids[1 + g % u.n], '人员' || g, case when g % 2 = 0 then 'male' else 'female' end,
             case when g % 5 = 0 then 'none' when g % 7 = 0 then 'probationary' else 'full' end
        from u, generate_series(1, ${unitCount * 20}) g`);
    await db.execute(sql`
      insert into enterprises (tenant_id, office_id, name, credit_code, type)
      select ${t.id}, ${root.id}, '企业' || g, '9135' || lpad(g::text, 14, '0'), case when g % 3 = 0 then 'taiwan_funded' else 'private' end
        from generate_series(1, ${Math.max(200, unitCount * 2)}) g`);
    const years = 5;
    const thisYear = new Date().getFullYear();
    // bulk load without the activity_month_counts triggers (one rebuild afterwards is far
    // cheaper than a delta per statement here; the app never loads this way)
    await db.execute(sql`alter table activities disable trigger activity_month_counts_insert, disable trigger activity_month_counts_update, disable trigger activity_month_counts_delete`);
    await db.execute(sql`alter table activity_participants disable trigger activity_month_counts_insert, disable trigger activity_month_counts_update, disable trigger activity_month_counts_delete`);
    // five full years ending last December. Half the visits go to registry enterprises by name
    // ((g / 16) parity: with g % 2 every field visit, type g % 16, fell on the same parity, so none
    // named an enterprise before 2026-11-23 23:00). The unit is a hash of the row number, independent of
    // the type (before 2026-11-23 22:50 it was (7g mod units) with type g mod 16: only 2,000 of the
    // 16,000 unit × type pairs occurred, so a month's counts had ~2,000 rows instead of ~16,000)
    await db.execute(sql`
      with ty as (select array_agg(id order by code) ids, array_agg(code order by code) codes, count(*) n from activity_types where tenant_id = ${t.id}),
      u as (select array_agg(id order by path) ids, count(*) n from org_units where tenant_id = ${t.id}),
      g as (select g, (random() * 365 * ${years})::int as d, ty.ids[1 + g % ty.n] as type_id, ty.codes[1 + g % ty.n] as code, u.ids[1 + (abs(hashtext('u' || g)) % u.n)::int] as unit_id
              from ty, u, generate_series(1, ${activityCount}) g)
      insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, status, extra, signin_secret)
      select ${t.id}, g.type_id, g.unit_id, g.code || ' ' || g.g,
             make_date(${thisYear - years}, 1, 1) + g.d + time '09:00', make_date(${thisYear - years}, 1, 1) + g.d + time '11:00', 'recorded',
             case g.code
               when 'field_visit' then jsonb_build_object('placeKind', case when (g.g / 16) % 2 = 0 then 'village' else 'enterprise' end, 'placeName', case when (g.g / 16) % 2 = 0 then '村' || (g.g % 500) else '企业' || (1 + g.g % ${Math.max(200, unitCount * 2)}) end)
               when 'field_teaching' then jsonb_build_object('placeVisited', '基地' || (g.g % 40))
               when 'training_class' then jsonb_build_object('traineeCategory', '党外知识分子', 'hours', 8)
               else '{}'::jsonb end,
             'x'
        from g`);
    // 1–8 participants an activity, picked by arithmetic (no per-row sort of the people)
    await db.execute(sql`
      with p as (select array_agg(id order by id) ids, array_agg(party_status order by id) ps, count(*) n from people where tenant_id = ${t.id})
      insert into activity_participants (tenant_id, activity_id, person_id, attendance, party_status)
      select a.tenant_id, a.id, p.ids[1 + ((h + j * 7919) % p.n)], case when j % 10 = 0 then 'absent' else 'present' end, p.ps[1 + ((h + j * 7919) % p.n)]
        from (select tenant_id, id, abs(hashtext(id::text)::bigint) as h from activities where tenant_id = ${t.id}) a
        cross join p cross join lateral generate_series(1, 1 + (a.h % 8)::int) j
      on conflict do nothing`);
    const rebuildStarted = Date.now();
    await db.execute(sql`select rebuild_activity_month_counts(${t.id})`);
    const rebuildMs = Date.now() - rebuildStarted;
    await db.execute(sql`alter table activities enable trigger activity_month_counts_insert, enable trigger activity_month_counts_update, enable trigger activity_month_counts_delete`);
    await db.execute(sql`alter table activity_participants enable trigger activity_month_counts_insert, enable trigger activity_month_counts_update, enable trigger activity_month_counts_delete`);
    // as autovacuum would have by then on a live server: statistics, and the visibility map the
    // dashboard's index-only scans need (timed: it is part of loading, not of any request)
    const vacuumStarted = Date.now();
    await db.execute(sql`vacuum analyze`);
    say(`vacuum analyze in ${((Date.now() - vacuumStarted) / 1000).toFixed(1)} s`);
    const counts = await db.execute<{ a: number; mc: number; p: number; u: number }>(
      sql`select (select count(*)::int from activities where tenant_id = ${t.id}) as a, (select count(*)::int from activity_participants where tenant_id = ${t.id}) as p,
                 (select count(*)::int from activity_month_counts where tenant_id = ${t.id}) as mc,
                 (select count(*)::int from org_units where tenant_id = ${t.id}) as u`,
    );
    const c = counts.rows[0];
    say(`generated ${c?.u} units, ${c?.a} activities, ${c?.p} participants in ${((Date.now() - started) / 1000).toFixed(1)} s; activity_month_counts rebuilt in ${rebuildMs} ms (${c?.mc} rows)`);

    const { cookie, base, user, role } = await signInBench(app, db, t.id, root.id);
    const headers = { 'content-type': 'application/json', 'x-requested-with': 'tongxin', cookie };
    const year = thisYear - 1;
    const city = (await db.execute<{ id: string }>(sql`select id from org_units where tenant_id = ${t.id} and parent_id = ${root.id} order by sort_order limit 1`)).rows[0]?.id;
    const call = (unitIds: string[]) => async () => {
      const r = await fetch(`${base}/api/v1/reports/dashboard`, { method: 'POST', headers, body: JSON.stringify({ period: { kind: 'year', year }, unitIds }) });
      if (r.status !== 200) throw new Error(`dashboard ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    };
    const province = await timed(iterations, warmup, call([]));
    const oneCity = await timed(iterations, warmup, call(city ? [city] : []));
    // the floor, part by part (mean ms per call of each part, summed over the timed calls)
    const floorParts: Record<string, number> = {};
    const part = async (name: string, f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      floorParts[name] = (floorParts[name] ?? 0) + performance.now() - t0;
    };
    const floor = await timed(iterations, warmup, async () => {
      const [figures, trend, types, others, measures] = dashboardFloorSql;
      const prevFrom = `${year - 1}-01-01`;
      const [from, to] = [`${year}-01-01`, `${year}-12-31`];
      await part('figures', () => pool.query(figures ?? '', [t.id, prevFrom, from, to]));
      await part('trend', () => pool.query(trend ?? '', [t.id, from, to]));
      await part('types', () => pool.query(types ?? '', [t.id, from, to]));
      await part('others', () => pool.query(others ?? '', [t.id, prevFrom, to]));
      await part('measures', () => pool.query(measures ?? '', [t.id, from, to]));
      // the duties calendar and the points evaluation are those areas' own statements (the
      // dashboard calls them, it does not copy them): the floor calls them directly, without HTTP
      const yearStart = new Date(`${from}T00:00:00+08:00`);
      await part('duties', () => dutyCells(db, t.id, year, { pathPrefix: '' }, { endsAfter: yearStart, endsUntil: new Date(`${year + 1}-01-01T00:00:00+08:00`) }));
      await part('points', () => evaluationIn(db, t.id, year));
    });
    // the floor over the summary: what the service now does, as hand-written statements
    const summaryParts: Record<string, number> = {};
    const spart = async (name: string, f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      summaryParts[name] = (summaryParts[name] ?? 0) + performance.now() - t0;
    };
    const summaryFloor = await timed(iterations, warmup, async () => {
      const [, , , others, measures] = dashboardFloorSql;
      const prevFrom = `${year - 1}-01-01`;
      const [from, to] = [`${year}-01-01`, `${year}-12-31`];
      await spart('totals', () => pool.query(dashboardSummaryFloorSql.totals, [t.id, prevFrom, from, to]));
      await spart('visited', () => pool.query(dashboardSummaryFloorSql.visited, [t.id, prevFrom, from, to]));
      await spart('others', () => pool.query(others ?? '', [t.id, prevFrom, to]));
      await spart('measures', () => pool.query(measures ?? '', [t.id, from, to]));
      await spart('duties', () => pool.query(dashboardSummaryFloorSql.duties, [t.id, prevFrom, from, to]));
      await spart('points', () => evaluationIn(db, t.id, year));
    });
    // the service's own split, in-process (same actor as the HTTP leader)
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
      grants: [{ code: role.code, name: role.name, permissions: ['reports.read', 'reports.write', 'activities.read', 'points.read'], scopeUnitId: root.id, scopeUnitName: root.name, scopePath: root.path }],
      ip: null,
      userAgent: null,
    } satisfies Actor;
    const split: DashboardTimings = {};
    const inProcess = await timed(iterations, 0, async () => {
      await dashboard(db, actor, { period: { kind: 'year', year }, unitIds: [] }, split);
    });
    const per = (x: number | undefined, n: number) => ((x ?? 0) / n).toFixed(1);
    if (argv.includes('--explain')) {
      // the dominant statements' plans (as the owner: no row-level security)
      const prevFrom = `${year - 1}-01-01`;
      const [from, to] = [`${year}-01-01`, `${year}-12-31`];
      const plans: [string, string][] = [
        ['record floor: activity figures of both periods', dashboardFloorSql[0] ?? ''],
        ['summary: month × type totals of both periods', dashboardSummaryFloorSql.totals],
        ['records: places and enterprises visited', dashboardSummaryFloorSql.visited],
        ['summary: duties met/missed', dashboardSummaryFloorSql.duties],
      ];
      // the service's own statements, as the application role under row-level security
      const scopeAll = { all: true } as const;
      const q = { tenantId: t.id, scope: scopeAll, unitPaths: [], from, to, args: {} };
      const servicePlans: [string, SQL][] = [
        ['service: activities.places (records)', sql`explain (analyze, buffers) select count(distinct s.key) from (${activitySource({ ...q, args: { type: ['field_visit'] } }, { weight: 'one', key: 'place' })}) s`],
        ['service: enterprises.visited (records)', sql`explain (analyze, buffers) select count(distinct s.key) from (${activitySource({ ...q, args: { type: ['field_visit'] } }, { weight: 'one', key: 'place', enterprises: true })}) s`],
        [
          'service: duties met/missed (counts)',
          sql`explain (analyze, buffers) ${dutiesFromCountsSql({ tenantId: t.id, scopes: [scopeAll, scopeAll], unitPaths: [], years: [year], endsAfter: new Date(`${from}T00:00:00+08:00`), endsUntil: new Date(`${year + 1}-01-01T00:00:00+08:00`) })}`,
        ],
      ];
      for (const [name, statement] of servicePlans) {
        const r = await inTenant(db, t.id, (tx) => tx.execute<{ 'QUERY PLAN': string }>(statement));
        console.log(`\n### EXPLAIN ${name}\n${r.rows.map((x) => x['QUERY PLAN']).join('\n')}`);
      }
      for (const [name, text] of plans) {
        const r = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, [t.id, prevFrom, from, to]);
        console.log(`\n### EXPLAIN ${name}\n${r.rows.map((x) => x['QUERY PLAN']).join('\n')}`);
      }
    }
    const fmt = (s: Stats) => `| ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.mean.toFixed(1)} | ${s.max.toFixed(1)} |`;
    console.log(`\n## Reports: dashboard at ${scale === 1 ? 'province' : `${scale} × province`} scale — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version.slice(1)}\n`);
    console.log(`${c?.u} units, ${c?.a} activities over ${years} years, ${c?.p} participants; period ${year} against ${year - 1}\n`);
    console.log('| case | p50 ms | p95 ms | mean ms | max ms |');
    console.log('|---|---|---|---|---|');
    console.log(`| API: dashboard, whole province (HTTP) ${fmt(province)}`);
    console.log(`| API: dashboard, one city's subtree (HTTP) ${fmt(oneCity)}`);
    console.log(`| SQL floor over the records (reference: 5 hand-written statements + the duties calendar and points evaluation called directly, no RLS) ${fmt(floor)}`);
    console.log(`| SQL floor over activity_month_counts (the service's work as hand-written statements: totals, visited, others, measures, duties; points evaluation called directly) ${fmt(summaryFloor)}`);
    console.log(`\np95 API: ${province.p95.toFixed(0)} ms, goal < 300 ms: ${province.p95 < 300 ? 'met' : 'MISSED'}; API / summary floor: ${(province.p95 / summaryFloor.p95).toFixed(2)}x (goal within 1.5x); API / record floor: ${(province.p95 / floor.p95).toFixed(2)}x`);
    const n = iterations + warmup;
    console.log(`\nService split, whole province, in-process (mean ms over ${iterations} calls; p95 ${inProcess.p95.toFixed(1)}): ${(Object.keys(split) as (keyof DashboardTimings)[]).map((k) => `${k} ${per(split[k], iterations)}`).join(', ')}`);
    console.log(`Record floor split (mean ms over ${n} calls): ${Object.entries(floorParts).map(([k, v]) => `${k} ${per(v, n)}`).join(', ')}`);
    console.log(`Summary floor split (mean ms over ${n} calls): ${Object.entries(summaryParts).map(([k, v]) => `${k} ${per(v, n)}`).join(', ')}`);
  });
}

type Runtime = { db: Awaited<ReturnType<typeof startRuntime>>['db']; app: Awaited<ReturnType<typeof buildApp>>; pool: pg.Pool };

/** An embedded PostgreSQL in a temporary directory, the app on it, and a `pg` pool as the owner; all removed after. */
async function withRuntime(say: (m: string) => void, fn: (r: Runtime) => Promise<void>): Promise<void> {
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
  const pool = new pg.Pool({ connectionString: runtime.databaseUrl, max: 2, application_name: 'tongxin-bench-floor' });
  pool.on('error', () => undefined);
  const app = await buildApp({ config, db: runtime.db });
  try {
    await fn({ db: runtime.db, app, pool });
  } finally {
    await app.close();
    await pool.end();
    await runtime.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A leader granted on the root, signed in over HTTP on a listening app. */
async function signInBench(app: Runtime['app'], db: Runtime['db'], tenantId: string, rootId: string) {
  // activities.read and points.read as a real leader has them: the dashboard then draws the duties and points charts too
  const role = await upsertRole(db, { tenantId, code: 'bench_leader', name: '部领导', permissions: ['reports.read', 'reports.write', 'activities.read', 'points.read'] });
  const user = await insertUser(db, { tenantId, username: 'bench_leader', displayName: '部领导', passwordHash: await hashPassword(PASSWORD), personId: null, mustChangePassword: false });
  await insertGrant(db, { tenantId, userId: user.id, roleId: role.id, scopeUnitId: rootId });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const base = `http://127.0.0.1:${addr.port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'tongxin' }, body: JSON.stringify({ username: 'bench_leader', password: PASSWORD }) });
  if (login.status !== 200) throw new Error(`login ${login.status} ${await login.text()}`);
  return { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '', base, user, role };
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--dashboard') || process.env.REPORTS_BENCH === 'dashboard') return dashboardBench(argv);
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

/**
 * Attendance benchmark: recording attendance of a 50-person meeting through the API, against a
 * bare SQL floor in the same run.
 *
 *   node --import tsx bench/activities.ts [--people 50] [--iterations 300] [--warmup 30]
 *
 * Starts an embedded PostgreSQL in a temporary directory, makes a tenant with one branch of
 * `--people` full members and a branch secretary, plans a branch general meeting (quorum
 * rule: voting members) with the branch as participants, then times, one call at a time:
 *   api:     POST /api/v1/activities/:id/attendance with every participant (alternating
 *            present/absent each call, so every row really changes): HTTP, session, CSRF,
 *            validation, the service (lock, one UPDATE for all, quorum, points hook, audit);
 *   service: the same service call in-process (no HTTP, no session lookup);
 *   floor:   the one UPDATE … FROM unnest(…) statement alone, through `pg` as the owner
 *            (no transaction, no row-level security, no quorum, no audit).
 * The data directory is removed at the end.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Permission } from '@tongxin/contracts';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../server/src/platform/config';
import { startRuntime } from '../server/src/platform/runtime';
import { buildApp } from '../server/src/platform/http/app';
import { hashPassword } from '../server/src/platform/passwords';
import type { Actor } from '../server/src/platform/access';
import { tenants } from '../server/src/modules/org/org.schema';
import { securityPolicies } from '../server/src/modules/security/security.schema';
import { insertUnit } from '../server/src/modules/org/org.repo';
import { insertPeople } from '../server/src/modules/people/people.repo';
import { insertGrant, insertUser, upsertRole } from '../server/src/modules/auth/auth.repo';
import { ensureTenantDefaults } from '../server/src/commands/tenant-defaults.command';
import { setAttendance } from '../server/src/modules/activities/activities.service';
import * as repo from '../server/src/modules/activities/activities.repo';
import { afterAttendanceChanged, assertActivityEditable } from '../server/src/commands/attendance.command';
import { audit } from '../server/src/modules/audit/audit.service';
import { inTenant } from '../server/src/platform/db/tenant';
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

type Stats = { n: number; p50: number; p95: number; p99: number; mean: number; max: number };

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s[s.length - 1] as number };
}

async function main() {
  const argv = process.argv.slice(2);
  const people = Math.floor(intArg(argv, 'people', 50));
  const iterations = Math.floor(intArg(argv, 'iterations', 300));
  const warmup = Math.floor(intArg(argv, 'warmup', 30));
  const say = (m: string) => console.log(`[bench activities] ${m}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongxin-bench-activities-'));
  fs.chmodSync(dataDir, 0o755);
  const config = loadConfig({
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort(54800)),
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
    // ---- a tenant, a branch of `people` full members, a secretary
    const [t] = await db.insert(tenants).values({ code: `bench-${Date.now().toString(36)}`, name: '基准测试部' }).returning();
    if (!t) throw new Error('tenant');
    await db.insert(securityPolicies).values({ tenantId: t.id, totpRequired: false });
    const rootId = crypto.randomUUID();
    const root = await insertUnit(db, { id: rootId, tenantId: t.id, parentId: null, type: 'department', name: '基准测试部', sortOrder: 0, path: `/${rootId}/` });
    const branchId = crypto.randomUUID();
    const branch = await insertUnit(db, { id: branchId, tenantId: t.id, parentId: root.id, type: 'branch', name: '第一党支部', sortOrder: 0, path: `${root.path}${branchId}/` });
    await db.transaction((tx) => ensureTenantDefaults(tx, t.id));
    const ids = await insertPeople(
      db,
      Array.from({ length: people }, (_, i) => ({
        tenantId: t.id,
        officeId: root.id,
        name: `党员${String(i).padStart(3, '0')}`,
        gender: 'male',
        partyStatus: 'full',
        branchId: branch.id,
        committeeRole: i === 0 ? 'secretary' : null,
      })),
    );
    const permissions: Permission[] = ['org.read', 'people.read', 'activities.read', 'activities.write'];
    const role = await upsertRole(db, { tenantId: t.id, code: 'bench_secretary', name: '支部书记', permissions });
    const user = await insertUser(db, { tenantId: t.id, username: 'bench_sec', displayName: '书记', passwordHash: await hashPassword(PASSWORD), personId: null, mustChangePassword: false });
    await insertGrant(db, { tenantId: t.id, userId: user.id, roleId: role.id, scopeUnitId: branch.id });

    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    const base = `http://127.0.0.1:${addr.port}`;
    const headers = { 'content-type': 'application/json', 'x-requested-with': 'tongxin' };
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username: 'bench_sec', password: PASSWORD }) });
    if (login.status !== 200) throw new Error(`login ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const types = (await (await fetch(`${base}/api/v1/activity-types`, { headers: { cookie } })).json()) as { items: { id: string; code: string }[] };
    const typeId = types.items.find((x) => x.code === 'branch_general_meeting')?.id;
    const start = Date.now() + 86_400_000;
    const created = await fetch(`${base}/api/v1/activities`, {
      method: 'POST',
      headers: { ...headers, cookie },
      body: JSON.stringify({
        typeId,
        unitId: branch.id,
        topic: '支部党员大会',
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 7_200_000).toISOString(),
        participants: { unitIds: [branch.id] },
      }),
    });
    if (created.status !== 201) throw new Error(`create ${created.status} ${await created.text()}`);
    const activity = (await created.json()) as { id: string; participants: unknown[] };
    say(`meeting ${activity.id} with ${activity.participants.length} participants; ${iterations} timed calls each after ${warmup} warm-up`);
    const items = (i: number) => ids.map((personId, k) => ({ personId, attendance: (i + k) % 2 === 0 ? 'present' : 'absent' }));

    // a fresh meeting per timed save, as in life: the first save of a meeting's attendance,
    // then a correction of half of it; the meeting itself is made untimed, by SQL
    const freshMeeting = async (): Promise<string> => {
      const a = await pool.query<{ id: string }>(
        `insert into activities (tenant_id, type_id, unit_id, topic, starts_at, ends_at, signin_secret)
         values ($1, $2, $3, '支部党员大会', now() + interval '1 day', now() + interval '1 day 2 hours', md5(random()::text)) returning id`,
        [t.id, typeId, branch.id],
      );
      const id = a.rows[0]?.id ?? '';
      await pool.query(
        `insert into activity_participants (tenant_id, activity_id, person_id, party_status, committee_member, branch_id)
         select tenant_id, $1, id, party_status, committee_role is not null, branch_id from people where branch_id = $2`,
        [id, branch.id],
      );
      return id;
    };
    const post = async (id: string, body: unknown) => {
      const r = await fetch(`${base}/api/v1/activities/${id}/attendance`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify(body) });
      if (r.status !== 200) throw new Error(`attendance ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    };
    const firstSave: number[] = [];
    const correction: number[] = [];
    const meetings: string[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const id = await freshMeeting();
      meetings.push(id);
      let t0 = process.hrtime.bigint();
      await post(id, { items: items(0) });
      const first = Number(process.hrtime.bigint() - t0) / 1e6;
      t0 = process.hrtime.bigint();
      await post(id, { items: items(1).slice(0, people / 2) });
      const second = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= warmup) {
        firstSave.push(first);
        correction.push(second);
      }
    }
    const api = stats(firstSave);
    const apiCorrection = stats(correction);

    const actor: Actor = {
      userId: user.id,
      username: 'bench_sec',
      displayName: '书记',
      personId: null,
      tenantId: t.id,
      mustChangePassword: false,
      mustRename: false,
      totpEnabled: false,
      totpEnrolmentRequired: false,
      grants: [{ code: role.code, name: role.name, permissions, scopeUnitId: branch.id, scopeUnitName: branch.name, scopePath: branch.path }],
      ip: null,
      userAgent: null,
    };
    const serviceTimes: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const id = await freshMeeting();
      const t0 = process.hrtime.bigint();
      await setAttendance(db, actor, id, { items: items(0) as { personId: string; attendance: 'present' | 'absent' }[] });
      if (i >= warmup) serviceTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const service = stats(serviceTimes);

    // the same row changes as the app's statement makes (a sign-in time only while present)
    const floorSql = `update activity_participants ap set attendance = i.attendance,
             signed_in_at = case when i.attendance = 'present' then coalesce(ap.signed_in_at, now()) end,
             sign_in_method = case when i.attendance = 'present' then coalesce(ap.sign_in_method, 'manual') end, updated_at = now()
        from unnest($2::uuid[], $3::text[]) as i(person_id, attendance)
       where ap.activity_id = $1 and ap.person_id = i.person_id`;
    const floorTimes: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const id = await freshMeeting();
      const it = items(0);
      const t0 = process.hrtime.bigint();
      await pool.query(floorSql, [id, it.map((x) => x.personId), it.map((x) => x.attendance)]);
      if (i >= warmup) floorTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const floor = stats(floorTimes);

    // the floor statement wrapped as the app wraps every write: a transaction as tongxin_app
    // with the tenant set (row-level security), and its commit
    const txTimes: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const id = await freshMeeting();
      const it = items(0);
      const client = await pool.connect();
      try {
        const t0 = process.hrtime.bigint();
        await client.query('begin');
        await client.query(`select set_config('role', 'tongxin_app', true), set_config('tongxin.tenant_id', $1, true)`, [t.id]);
        await client.query(floorSql, [id, it.map((x) => x.personId), it.map((x) => x.attendance)]);
        await client.query('commit');
        if (i >= warmup) txTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } finally {
        client.release();
      }
    }
    const floorTx = stats(txTimes);

    // where the service's time goes: its steps one by one, in one transaction per save
    const steps: Record<string, number[]> = {};
    for (let i = 0; i < Math.min(iterations, 100); i++) {
      const id = await freshMeeting();
      const it = items(0).map((x) => ({ ref: x.personId, attendance: x.attendance, leaveReason: null }));
      let t0 = process.hrtime.bigint();
      const lap = (k: string) => {
        (steps[k] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6);
        t0 = process.hrtime.bigint();
      };
      await inTenant(db, t.id, async (tx) => {
        lap('begin, role, tenant');
        const a = await repo.findActivity(tx, t.id, id, true);
        if (!a) throw new Error('meeting');
        lap('load and lock the activity');
        await assertActivityEditable(tx, t.id, a.startsAt);
        lap('assertActivityEditable (points)');
        await repo.setAttendance(tx, id, it, user.id);
        lap('UPDATE of the 50 rows');
        await repo.recomputeQuorum(tx, t.id, id, a.quorumRule, false);
        lap('quorum');
        await afterAttendanceChanged(tx, t.id, id);
        lap('afterAttendanceChanged (points ledger)');
        await audit(tx, actor, 'activities.attendance.set', { type: 'activity', id }, { items: it });
        lap('audit entry');
      });
      lap('commit');
    }
    const activityId = meetings[meetings.length - 1] ?? activity.id;

    const audits = await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where target_id = ${activityId}`);
    const fmt = (s: Stats) => `| ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.mean.toFixed(2)} | ${s.max.toFixed(2)} |`;
    console.log(`\n## Activities: attendance of a ${people}-person meeting — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version.slice(1)}\n`);
    console.log('| case | p50 ms | p95 ms | p99 ms | mean ms | max ms |');
    console.log('|---|---|---|---|---|---|');
    console.log(`| API: first save of 50 (HTTP) ${fmt(api)}`);
    console.log(`| API: correction of 25 (HTTP) ${fmt(apiCorrection)}`);
    console.log(`| service in-process, first save ${fmt(service)}`);
    console.log(`| SQL floor (one UPDATE) ${fmt(floor)}`);
    console.log(`| SQL floor in a tenant transaction, with commit ${fmt(floorTx)}`);
    console.log('\n| service step | p50 ms | p95 ms |\n|---|---|---|');
    for (const [k, v] of Object.entries(steps)) console.log(`| ${k} | ${stats(v).p50.toFixed(2)} | ${stats(v).p95.toFixed(2)} |`);
    console.log(`\np95 API / floor: ${(api.p95 / floor.p95).toFixed(1)}x, API / floor in a transaction: ${(api.p95 / floorTx.p95).toFixed(1)}x; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; goal p95 < 100 ms: ${api.p95 < 100 ? 'met' : 'MISSED'}; audit entries of the last meeting: ${audits.rows[0]?.n}`);
  } finally {
    await app.close();
    await pool.end();
    await runtime.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

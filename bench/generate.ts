/**
 * Bench data generator: fills one new tenant with N people and a realistic organisation.
 *
 *   node --import tsx bench/generate.ts --people 100000 [--seed 2026]
 *     (DATABASE_URL or BENCH_DATABASE_URL names the database; migrations are applied first)
 *
 * Everything but the uuids is derived from a seeded PRNG, so two runs with the same seed and
 * date give the same names, dates, ID numbers and memberships. Rows go in with a handful of
 * set-based statements (`insert … select … from unnest(arrays)`) inside one transaction:
 * 100,000 people take a few seconds. Phone and ID numbers are sealed as the app seals them
 * (encrypted under the data key, masked copies, a keyed hash of the ID number): the data key
 * must be loaded (setDataKey; startRuntime does it) and be the app's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { permissions } from '@tongxin/contracts';
import type { Db, Tx } from '../server/src/platform/db/db';
import { createDb } from '../server/src/platform/db/db';
import { runMigrations } from '../server/src/platform/db/migrate';
import { hashPassword } from '../server/src/platform/passwords';
import { tenants } from '../server/src/modules/org/org.schema';
import { securityPolicies } from '../server/src/modules/security/security.schema';
import { insertGrant, insertUser, upsertRole } from '../server/src/modules/auth/auth.repo';
import { ensureBuiltinRoles } from '../server/src/modules/auth/auth.service';
import { nameGenerator, prng } from '../server/src/modules/demo/demo.names';
import { withCheckDigit } from '../server/src/modules/people/people.mask';
import { sealNumbers } from '../server/src/modules/people/people.service';
import { loadConfig } from '../server/src/platform/config';
import { loadDataKey, setDataKey } from '../server/src/platform/crypto';

/** Password of both generated users (the bench signs in with it). */
export const BENCH_PASSWORD = 'Bench-Passw0rd!';

export type GenerateOptions = {
  /** number of people (default 100,000) */
  people?: number;
  /** PRNG seed (default 2026) */
  seed?: number;
  /** number of offices under the root (default 50) */
  offices?: number;
  /** suffix of the tenant code and usernames, so several bench tenants can share a database (default: random) */
  tag?: string;
  /** the date the data is "as of": no date lies after it (default: today) */
  asOf?: Date;
  /** rows per insert statement (default 20,000) */
  chunk?: number;
  log?: (msg: string) => void;
};

export type UnitRef = { id: string; path: string; name: string };
export type BranchRef = UnitRef & { groups: UnitRef[] };

export type Generated = {
  tenantId: string;
  root: UnitRef;
  offices: UnitRef[];
  committee: UnitRef;
  branches: BranchRef[];
  admin: { username: string; password: string };
  secretary: { username: string; password: string; branchId: string; personId: string };
  counts: { people: number; members: number; probationary: number; units: number };
  /** people: generating, sealing and inserting; peopleSql: the insert statements, which overlap the rest */
  ms: { units: number; people: number; peopleSql: number; users: number; analyze: number; total: number };
};

const officeBaseNames = [
  '办公室',
  '干部科',
  '党派工作科',
  '经济联络科',
  '民族宗教工作科',
  '港澳台侨工作科',
  '宣传研究室',
  '知识分子工作科',
  '新的社会阶层人士工作科',
  '非公有制经济工作科',
  '统战理论研究室',
  '督查室',
  '人事科',
  '财务科',
  '信息中心',
  '法规科',
];
const districts = ['玄武', '秦淮', '建邺', '鼓楼', '浦口', '栖霞', '雨花台', '江宁', '六合', '溧水', '高淳'];
const groupNames = ['第一党小组', '第二党小组', '第三党小组'];
const committeeRoles = ['secretary', 'deputy_secretary', 'organization', 'publicity', 'discipline'] as const;
const ethnicities = ['汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '汉族', '回族', '满族', '壮族', '蒙古族', '苗族', '土家族'];
/** county-level administrative codes (GB/T 2260) of Nanjing: the first six digits of an ID number */
const regionCodes = ['320102', '320104', '320105', '320106', '320111', '320113', '320114', '320115', '320116', '320117', '320118'];
const phonePrefixes = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '177', '180', '186', '187', '188', '189', '199'];

const digits = '零一二三四五六七八九';
/** 1 → 一, 12 → 十二, 105 → 一百零五, 2001 → 二千零一 (1 … 9999) */
export function chineseNumber(n: number): string {
  if (n < 1 || n > 9999 || !Number.isInteger(n)) throw new Error(`chineseNumber: ${n}`);
  if (n < 10) return digits[n] ?? '';
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`;
  const units = ['千', '百', '十', ''];
  const parts = String(n).padStart(4, '0').split('').map(Number);
  let out = '';
  let zero = false;
  for (const [i, d] of parts.entries()) {
    if (d === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += (digits[d] ?? '') + (units[i] ?? '');
  }
  return out;
}

function officeName(i: number): string {
  const base = officeBaseNames[i];
  if (base) return base;
  const k = i - officeBaseNames.length;
  const d = districts[k];
  if (d) return `${d}区联络处`;
  return `综合${chineseNumber(k - districts.length + 1)}科`;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

type UnitRows = { id: string[]; parent: (string | null)[]; type: string[]; name: string[]; sort: number[]; path: string[] };

/** Generates the data inside one transaction and analyses the tables afterwards. */
export async function generate(db: Db, opts: GenerateOptions = {}): Promise<Generated> {
  const n = opts.people ?? 100_000;
  const seed = opts.seed ?? 2026;
  const officeCount = opts.offices ?? 50;
  const tag = opts.tag ?? randomBytes(4).toString('hex');
  const asOf = opts.asOf ?? new Date();
  const chunk = opts.chunk ?? 20_000;
  const log = opts.log ?? (() => undefined);
  if (!Number.isInteger(n) || n < 10) throw new Error('people: at least 10');
  const branchCount = Math.max(1, Math.round(n / 200));
  const t0 = performance.now();
  const passwordHash = await hashPassword(BENCH_PASSWORD);

  const result = await db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(tenants)
      .values({ code: `bench-${tag}`, name: `基准测试统战部 ${tag}` })
      .returning();
    if (!tenant) throw new Error('tenant insert failed');
    const tenantId = tenant.id;
    // the bench signs in with a password only: no second factor required of its administrator
    await tx.insert(securityPolicies).values({ tenantId, totpRequired: false });

    // ---- org units: root, offices, Party committee (+ discipline committee), branches, groups
    const u: UnitRows = { id: [], parent: [], type: [], name: [], sort: [], path: [] };
    const unit = (parent: UnitRef | null, type: string, name: string, sort: number): UnitRef => {
      const id = randomUUID();
      const p = `${parent?.path ?? '/'}${id}/`;
      u.id.push(id);
      u.parent.push(parent?.id ?? null);
      u.type.push(type);
      u.name.push(name);
      u.sort.push(sort);
      u.path.push(p);
      return { id, path: p, name };
    };
    const root = unit(null, 'department', '市委统战部', 0);
    const offices = Array.from({ length: officeCount }, (_, i) => unit(root, 'office', officeName(i), i + 1));
    const committee = unit(root, 'party_committee', '机关党委', officeCount + 1);
    unit(committee, 'discipline_committee', '机关纪委', 1);
    const branches: BranchRef[] = Array.from({ length: branchCount }, (_, i) => {
      const b = unit(committee, 'branch', `第${chineseNumber(i + 1)}党支部`, i + 2);
      return { ...b, groups: groupNames.map((g, j) => unit(b, 'party_group', g, j + 1)) };
    });
    const tu = performance.now();
    // parents come before children in the arrays; the FK is checked per statement, so one insert is fine
    await tx.execute(sql`
      insert into org_units (id, tenant_id, parent_id, type, name, sort_order, path)
      select id, ${tenantId}, parent_id, type, name, sort_order, path
        from unnest(${sql.param(u.id)}::uuid[], ${sql.param(u.parent)}::uuid[], ${sql.param(u.type)}::text[],
                    ${sql.param(u.name)}::text[], ${sql.param(u.sort)}::int[], ${sql.param(u.path)}::text[])
             as t(id, parent_id, type, name, sort_order, path)`);
    const unitsMs = performance.now() - tu;
    log(`org units: ${u.id.length} in ${unitsMs.toFixed(0)} ms`);

    // ---- people
    const rnd = prng(seed);
    const nextName = nameGenerator(seed + 1);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const asOfYear = asOf.getUTCFullYear();
    const day = 86_400_000;
    /** a date between two dates, inclusive */
    const dateBetween = (from: Date, to: Date) => new Date(from.getTime() + Math.floor(rnd() * ((to.getTime() - from.getTime()) / day + 1)) * day);
    // branches of each office: with at least as many branches as offices, a branch serves one office
    const branchesOfOffice = (o: number): number[] => {
      if (branchCount < officeCount) return [o % branchCount];
      const out: number[] = [];
      for (let b = o; b < branchCount; b += officeCount) out.push(b);
      return out;
    };
    const officeBranches = offices.map((_, o) => branchesOfOffice(o));
    const rolesGiven = new Array<number>(branchCount).fill(0);
    const idSeq = new Map<string, number>();
    let members = 0;
    let probationary = 0;
    let secretaryPersonId: string | undefined;
    const peopleMs = { total: 0 };

    type Cols = {
      id: string[];
      office: string[];
      name: string[];
      gender: string[];
      birth: string[];
      ethnicity: string[];
      phoneEnc: (string | null)[];
      phoneMasked: (string | null)[];
      idEnc: (string | null)[];
      idMasked: (string | null)[];
      idHash: (string | null)[];
      status: string[];
      joined: (string | null)[];
      full: (string | null)[];
      branch: (string | null)[];
      group: (string | null)[];
      role: (string | null)[];
      leader: boolean[];
      active: boolean[];
    };
    const empty = (): Cols => ({
      id: [],
      office: [],
      name: [],
      gender: [],
      birth: [],
      ethnicity: [],
      phoneEnc: [],
      phoneMasked: [],
      idEnc: [],
      idMasked: [],
      idHash: [],
      status: [],
      joined: [],
      full: [],
      branch: [],
      group: [],
      role: [],
      leader: [],
      active: [],
    });
    const flush = async (c: Cols) => {
      if (c.id.length === 0) return;
      const t = performance.now();
      await tx.execute(sql`
        insert into people (id, tenant_id, office_id, name, gender, birth_date, ethnicity,
                            phone_enc, phone_masked, id_number_enc, id_number_masked, id_number_hash, party_status,
                            party_joined_on, full_member_on, branch_id, group_id, committee_role, is_leader, active)
        select id, ${tenantId}, office_id, name, gender, birth_date, ethnicity,
               phone_enc, phone_masked, id_number_enc, id_number_masked, id_number_hash, party_status,
               party_joined_on, full_member_on, branch_id, group_id, committee_role, is_leader, active
          from unnest(${sql.param(c.id)}::uuid[], ${sql.param(c.office)}::uuid[], ${sql.param(c.name)}::text[],
                      ${sql.param(c.gender)}::text[], ${sql.param(c.birth)}::date[], ${sql.param(c.ethnicity)}::text[],
                      ${sql.param(c.phoneEnc)}::text[], ${sql.param(c.phoneMasked)}::text[], ${sql.param(c.idEnc)}::text[],
                      ${sql.param(c.idMasked)}::text[], ${sql.param(c.idHash)}::text[], ${sql.param(c.status)}::text[],
                      ${sql.param(c.joined)}::date[], ${sql.param(c.full)}::date[], ${sql.param(c.branch)}::uuid[],
                      ${sql.param(c.group)}::uuid[], ${sql.param(c.role)}::text[], ${sql.param(c.leader)}::boolean[],
                      ${sql.param(c.active)}::boolean[])
               as t(id, office_id, name, gender, birth_date, ethnicity,
                    phone_enc, phone_masked, id_number_enc, id_number_masked, id_number_hash, party_status,
                    party_joined_on, full_member_on, branch_id, group_id, committee_role, is_leader, active)`);
      peopleMs.total += performance.now() - t;
    };

    const tp = performance.now();
    let cols = empty();
    let pending: Promise<void> = Promise.resolve();
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      // offices differ in size: a skewed pick puts more people into the first offices
      const o = Math.min(officeCount - 1, Math.floor(officeCount * rnd() ** 1.3));
      const office = offices[o] as UnitRef;
      const male = rnd() < 0.55;
      const birth = dateBetween(new Date(Date.UTC(asOfYear - 62, 0, 1)), new Date(Date.UTC(asOfYear - 23, 11, 28)));
      const birthIso = iso(birth);
      // GB 11643: six-digit region, birth date, three-digit sequence (odd for men, even for women), check digit
      let region = pick(regionCodes);
      let k = `${region}${birthIso}`;
      let used = idSeq.get(k) ?? 0;
      while (used >= 499) {
        region = pick(regionCodes);
        k = `${region}${birthIso}`;
        used = idSeq.get(k) ?? 0;
      }
      idSeq.set(k, used + 1);
      const seq = male ? 2 * used + 1 : 2 * used + 2;
      const idNumber = withCheckDigit(`${region}${birthIso.replaceAll('-', '')}${String(seq).padStart(3, '0')}`);

      // about 75 % full members, 10 % probationary, 15 % outside the Party
      const r = rnd();
      const status = r < 0.75 ? 'full' : r < 0.85 ? 'probationary' : 'none';
      const active = rnd() >= 0.02;
      let joined: string | null = null;
      let full: string | null = null;
      let branch: string | null = null;
      let group: string | null = null;
      let role: string | null = null;
      if (status !== 'none') {
        members++;
        const bIdx = pick(officeBranches[o] as number[]);
        const b = branches[bIdx] as BranchRef;
        branch = b.id;
        group = pick(b.groups).id;
        if (status === 'probationary') {
          probationary++;
          // a probationary member joined within the year before asOf
          joined = iso(dateBetween(new Date(asOf.getTime() - 360 * day), new Date(asOf.getTime() - day)));
        } else {
          // joined at 20 or later and at least a year before asOf; full member one year later
          const from = new Date(Date.UTC(birth.getUTCFullYear() + 20, birth.getUTCMonth(), 1));
          const to = new Date(asOf.getTime() - 400 * day);
          const j = from.getTime() < to.getTime() ? dateBetween(from, to) : to;
          joined = iso(j);
          full = iso(new Date(Date.UTC(j.getUTCFullYear() + 1, j.getUTCMonth(), j.getUTCDate())));
          const given = rolesGiven[bIdx] ?? 0;
          if (active && given < committeeRoles.length) {
            role = committeeRoles[given] ?? null;
            rolesGiven[bIdx] = given + 1;
            if (bIdx === 0 && role === 'secretary') secretaryPersonId = id;
          }
        }
      }
      cols.id.push(id);
      cols.office.push(office.id);
      cols.name.push(nextName());
      cols.gender.push(male ? 'male' : 'female');
      cols.birth.push(birthIso);
      cols.ethnicity.push(pick(ethnicities));
      const sealed = sealNumbers(`${pick(phonePrefixes)}${String((i * 7919 + 1234567) % 100_000_000).padStart(8, '0')}`, idNumber);
      cols.phoneEnc.push(sealed.phoneEnc);
      cols.phoneMasked.push(sealed.phoneMasked);
      cols.idEnc.push(sealed.idNumberEnc);
      cols.idMasked.push(sealed.idNumberMasked);
      cols.idHash.push(sealed.idNumberHash);
      cols.status.push(status);
      cols.joined.push(joined);
      cols.full.push(full);
      cols.branch.push(branch);
      cols.group.push(group);
      cols.role.push(role);
      // the department's leadership team sits in the first office
      cols.leader.push(i < 8 && active);
      cols.active.push(active);
      if (cols.id.length >= chunk) {
        // PostgreSQL inserts this chunk while the next one is generated and sealed (encryption
        // is the slow part in Node): one statement in flight at a time, on the transaction's connection
        await pending;
        pending = flush(cols);
        void pending.catch(() => undefined); // handled when awaited; not an unhandled rejection meanwhile
        cols = empty();
        await new Promise((r) => setImmediate(r)); // let the statement go out before the next chunk
      }
    }
    await pending;
    await flush(cols);
    const peopleWallMs = performance.now() - tp;
    log(`people: ${n} in ${peopleWallMs.toFixed(0)} ms (insert statements running ${peopleMs.total.toFixed(0)} ms of it)`);

    // ---- users: an administrator over the root with every permission, a secretary of branch 1
    const tUsers = performance.now();
    const roleIds = await ensureBuiltinRoles(tx, tenantId);
    const allRole = await upsertRole(tx, { tenantId, code: 'bench_all', name: '基准测试（全部权限）', permissions: [...permissions] });
    const adminName = `bench_admin_${tag}`.slice(0, 32);
    const secretaryName = `bench_sec_${tag}`.slice(0, 32);
    const firstBranch = branches[0] as BranchRef;
    const adminUser = await insertUser(tx, { tenantId, username: adminName, displayName: '基准管理员', passwordHash, personId: null, mustChangePassword: false });
    await insertGrant(tx, { tenantId, userId: adminUser.id, roleId: allRole.id, scopeUnitId: root.id });
    if (!secretaryPersonId) secretaryPersonId = await anyMemberOf(tx, tenantId, firstBranch.id);
    const secUser = await insertUser(tx, {
      tenantId,
      username: secretaryName,
      displayName: `${firstBranch.name}书记`,
      passwordHash,
      personId: secretaryPersonId,
      mustChangePassword: false,
    });
    const secRole = roleIds.get('branch_secretary');
    if (!secRole) throw new Error('builtin role branch_secretary missing');
    await insertGrant(tx, { tenantId, userId: secUser.id, roleId: secRole, scopeUnitId: firstBranch.id });
    const usersMs = performance.now() - tUsers;

    return {
      tenantId,
      root,
      offices,
      committee,
      branches,
      admin: { username: adminName, password: BENCH_PASSWORD },
      secretary: { username: secretaryName, password: BENCH_PASSWORD, branchId: firstBranch.id, personId: secretaryPersonId },
      counts: { people: n, members, probationary, units: u.id.length },
      ms: { units: unitsMs, people: peopleWallMs, peopleSql: peopleMs.total, users: usersMs },
    };
  });

  // fresh statistics and visibility map, as autovacuum would leave them in steady state
  const ta = performance.now();
  await db.execute(sql`vacuum (analyze) org_units, people`);
  const analyzeMs = performance.now() - ta;
  const total = performance.now() - t0;
  log(`generated ${n} people, ${result.counts.units} units in ${(total / 1000).toFixed(1)} s (vacuum analyze ${analyzeMs.toFixed(0)} ms)`);
  return { ...result, ms: { ...result.ms, analyze: analyzeMs, total } };
}

async function anyMemberOf(tx: Tx, tenantId: string, branchId: string): Promise<string> {
  const r = await tx.execute<{ id: string }>(
    sql`select id from people where tenant_id = ${tenantId} and branch_id = ${branchId} and active order by id limit 1`,
  );
  const id = r.rows[0]?.id;
  if (!id) throw new Error('the first branch has no member');
  return id;
}

/** `--name value` from argv, as a positive integer. */
export function intArg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('set BENCH_DATABASE_URL or DATABASE_URL (bench/run.ts starts its own embedded PostgreSQL)');
  const argv = process.argv.slice(2);
  // the app's data key for this environment (DATA_KEY, else DATA_DIR/data.key), as startRuntime loads it
  const config = loadConfig();
  setDataKey(loadDataKey(config.dataKey, config.dataDir));
  const db = createDb(url, 2);
  try {
    await runMigrations(db);
    const g = await generate(db, {
      people: Math.floor(intArg(argv, 'people', 100_000)),
      seed: Math.floor(intArg(argv, 'seed', 2026)),
      log: (m) => console.log(m),
    });
    console.log(JSON.stringify({ tenantId: g.tenantId, admin: g.admin.username, secretary: g.secretary.username, counts: g.counts, ms: g.ms }, null, 2));
  } finally {
    await db.$client.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}

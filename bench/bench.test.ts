import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { QueryResultRow } from 'pg';
import { CSRF, testConfig, testDb } from '../server/src/test/harness';
import { buildApp } from '../server/src/platform/http/app';
import { isValidIdNumber, maskIdNumber, maskPhone } from '../server/src/modules/people/people.mask';
import { blindIndex, decrypt } from '../server/src/platform/crypto';
import { verifyPassword } from '../server/src/platform/passwords';
import type { Db } from '../server/src/platform/db/db';
import { BENCH_PASSWORD, chineseNumber, generate, type Generated } from './generate';

// the generator must keep producing data the schema accepts and the app can read
const N = 500;
let db: Db;
let g: Generated;

beforeAll(async () => {
  db = await testDb();
  g = await generate(db, { people: N, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
});

async function one<T extends QueryResultRow>(q: ReturnType<typeof sql>): Promise<T> {
  const r = await db.execute<T>(q);
  const row = r.rows[0];
  if (!row) throw new Error('no row');
  // drizzle types rows as Assume<T, QueryResultRow>, which for a generic T is T
  return row as T;
}

describe('bench generator', () => {
  it('writes chinese numerals', () => {
    expect([1, 10, 12, 20, 105, 110, 500, 2001].map(chineseNumber)).toEqual(['一', '十', '十二', '二十', '一百零五', '一百一十', '五百', '二千零一']);
  });

  it('builds the organisation: a root, 50 offices, a committee, N/200 branches of 3 groups', async () => {
    const r = await db.execute<{ type: string; n: number }>(
      sql`select type, count(*)::int as n from org_units where tenant_id = ${g.tenantId} group by type order by type`,
    );
    const byType = Object.fromEntries(r.rows.map((x) => [x.type, x.n]));
    expect(byType).toEqual({ department: 1, office: 50, party_committee: 1, discipline_committee: 1, branch: Math.round(N / 200), party_group: 3 * Math.round(N / 200) });
    expect(g.branches).toHaveLength(Math.round(N / 200));
    // every path is its parent's path plus its own id
    const bad = await one<{ n: number }>(sql`
      select count(*)::int as n from org_units c left join org_units p on p.id = c.parent_id
       where c.tenant_id = ${g.tenantId}
         and c.path <> coalesce(p.path, '/') || c.id || '/'`);
    expect(bad.n).toBe(0);
  });

  it('creates N people, about 85 % members of whom some are probationary, spread over branches and groups', async () => {
    const c = await one<{ total: number; members: number; prob: number; branches: number; groups: number; names: number }>(sql`
      select count(*)::int as total,
             count(*) filter (where party_status <> 'none')::int as members,
             count(*) filter (where party_status = 'probationary')::int as prob,
             count(distinct branch_id)::int as branches,
             count(distinct group_id)::int as groups,
             count(distinct name)::int as names
        from people where tenant_id = ${g.tenantId}`);
    expect(c.total).toBe(N);
    expect(c.members).toBe(g.counts.members);
    expect(c.members / N).toBeGreaterThan(0.78);
    expect(c.members / N).toBeLessThan(0.92);
    expect(c.prob / N).toBeGreaterThan(0.05);
    expect(c.prob / N).toBeLessThan(0.15);
    expect(c.branches).toBe(g.branches.length);
    expect(c.groups).toBe(3 * g.branches.length);
    expect(c.names).toBeGreaterThan(N / 2);
  });

  it('keeps every member in a group of their own branch, and non-members in none', async () => {
    const c = await one<{ wrong: number; outsiders: number; badDates: number; future: number }>(sql`
      select count(*) filter (where p.party_status <> 'none' and (g.parent_id is distinct from p.branch_id or b.type <> 'branch' or g.type <> 'party_group'))::int as wrong,
             count(*) filter (where p.party_status = 'none' and (p.branch_id is not null or p.group_id is not null or p.party_joined_on is not null))::int as outsiders,
             count(*) filter (where (p.party_status = 'full') <> (p.full_member_on is not null) or p.full_member_on < p.party_joined_on
                                 or p.party_joined_on < p.birth_date + interval '18 years')::int as "badDates",
             count(*) filter (where greatest(p.birth_date, p.party_joined_on, p.full_member_on) > date '2026-11-01')::int as future
        from people p
        left join org_units b on b.id = p.branch_id
        left join org_units g on g.id = p.group_id
       where p.tenant_id = ${g.tenantId}`);
    expect(c).toEqual({ wrong: 0, outsiders: 0, badDates: 0, future: 0 });
    // at most one holder of each committee role per branch, and every branch has a secretary
    const roles = await one<{ dup: number; secretaries: number }>(sql`
      select (select count(*)::int from (select 1 from people where tenant_id = ${g.tenantId} and committee_role is not null
                                          group by branch_id, committee_role having count(*) > 1) d) as dup,
             (select count(distinct branch_id)::int from people where tenant_id = ${g.tenantId} and committee_role = 'secretary') as secretaries`);
    expect(roles).toEqual({ dup: 0, secretaries: g.branches.length });
  });

  it('gives valid, unique ID numbers whose birth date and sex digit agree with the person, sealed as the app seals them', async () => {
    const r = await db.execute<{
      phone: string | null;
      id_number: string | null;
      phone_enc: string;
      phone_masked: string;
      id_number_enc: string;
      id_number_masked: string;
      id_number_hash: string;
      birth_date: string;
      gender: string;
    }>(sql`select phone, id_number, phone_enc, phone_masked, id_number_enc, id_number_masked, id_number_hash, birth_date, gender
             from people where tenant_id = ${g.tenantId}`);
    expect(r.rows).toHaveLength(N);
    for (const p of r.rows) {
      expect(p.phone).toBeNull();
      expect(p.id_number).toBeNull();
      const idNumber = decrypt(p.id_number_enc);
      const phone = decrypt(p.phone_enc);
      expect(isValidIdNumber(idNumber), idNumber).toBe(true);
      expect(idNumber.slice(6, 14)).toBe(p.birth_date.replaceAll('-', ''));
      expect(Number(idNumber[16]) % 2).toBe(p.gender === 'male' ? 1 : 0);
      expect(p.id_number_masked).toBe(maskIdNumber(idNumber));
      expect(p.id_number_hash).toBe(blindIndex(idNumber));
      expect(phone).toMatch(/^1[3-9]\d{9}$/);
      expect(p.phone_masked).toBe(maskPhone(phone));
    }
    expect(new Set(r.rows.map((p) => p.id_number_hash)).size).toBe(N);
  });

  it('creates an administrator over the root and a secretary scoped to the first branch, with the known password', async () => {
    const r = await db.execute<{ username: string; scope: string; permissions: string[]; hash: string; must: boolean }>(sql`
      select u.username, g.scope_unit_id as scope, r.permissions, u.password_hash as hash, u.must_change_password as must
        from users u join role_grants g on g.user_id = u.id join roles r on r.id = g.role_id
       where u.tenant_id = ${g.tenantId} order by u.username`);
    const admin = r.rows.find((x) => x.username === g.admin.username);
    const sec = r.rows.find((x) => x.username === g.secretary.username);
    expect(admin?.scope).toBe(g.root.id);
    expect(admin?.permissions).toEqual(expect.arrayContaining(['people.read', 'people.write', 'people.reveal', 'org.write', 'users.manage', 'audit.read']));
    expect(sec?.scope).toBe(g.secretary.branchId);
    expect(sec?.permissions).toContain('people.read');
    expect(admin?.must).toBe(false);
    expect(await verifyPassword(admin?.hash ?? '', BENCH_PASSWORD)).toBe(true);
    const person = await one<{ branch_id: string; committee_role: string | null }>(
      sql`select branch_id, committee_role from people where id = ${g.secretary.personId}`,
    );
    expect(person.branch_id).toBe(g.secretary.branchId);
  });

  it('is deterministic for a seed: the same names and ID numbers (by their keyed hash)', async () => {
    const again = await generate(db, { people: N, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
    const seq = async (tenantId: string) =>
      (await db.execute<{ s: string }>(sql`select string_agg(name || id_number_hash, ',' order by id_number_hash) as s from people where tenant_id = ${tenantId}`)).rows[0]?.s;
    expect(await seq(again.tenantId)).toBe(await seq(g.tenantId));
    expect(again.counts).toEqual(g.counts);
  });

  it('lets both users sign in and list people through the app, the secretary only in their branch', async () => {
    const app = await buildApp({ config: testConfig(), db });
    try {
      const signIn = async (username: string) => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: CSRF, payload: { username, password: BENCH_PASSWORD } });
        expect(res.statusCode, res.body).toBe(200);
        const cookie = res.cookies.find((c) => c.name === 'tx_session');
        if (!cookie) throw new Error('no session cookie');
        return (url: string) => app.inject({ method: 'GET', url, cookies: { tx_session: cookie.value } });
      };
      const admin = await signIn(g.admin.username);
      const branch = g.branches[0];
      if (!branch) throw new Error('no branch');
      const res = await admin(`/api/v1/people?unitId=${branch.id}&partyStatus=full&pageSize=20`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: { branchId: string | null }[]; total: number }>();
      expect(page.total).toBeGreaterThan(20);
      expect(page.items.every((p) => p.branchId === branch.id)).toBe(true);

      const inBranch = await one<{ n: number }>(sql`select count(*)::int as n from people where branch_id = ${branch.id} and active`);
      const secretary = await signIn(g.secretary.username);
      const mine = await secretary('/api/v1/people?pageSize=100');
      expect(mine.statusCode, mine.body).toBe(200);
      expect(mine.json<{ total: number }>().total).toBe(inBranch.n);
    } finally {
      await app.close();
    }
  });
});

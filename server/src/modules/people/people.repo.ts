import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likeContains, likePrefix } from '../../platform/db/like';
import type { TenantRunner } from '../../platform/db/tenant';
import { people } from './people.schema';

export type PersonRow = typeof people.$inferSelect;
/** A person as lists read them: masked and sealed personal numbers, never plaintext. */
export type PersonListRow = Omit<PersonRow, 'phone' | 'idNumber' | 'idNumberHash'> & {
  officeName: string;
  branchName: string | null;
  groupName: string | null;
  officePath: string;
  branchPath: string | null;
  groupPath: string | null;
};
export type PersonInsert = typeof people.$inferInsert;

export type PeopleFilter = {
  tenantId: string;
  scope: Scope;
  /** path of the unit whose subtree (office, branch or group) must contain the person */
  unitPath?: string | undefined;
  q?: string | undefined;
  partyStatus?: string | undefined;
  gender?: string | undefined;
  isLeader?: boolean | undefined;
  active: 'true' | 'false' | 'all';
};

/**
 * A person is within a set of subtrees when their office, branch or group lies in one. The
 * subtree is first resolved to unit ids (an array computed once per statement), so each of
 * the three columns is matched through its own index instead of filtering joined rows.
 */
function withinPaths(tenantId: string, paths: string[]): SQL {
  // one array parameter, not one parameter per element
  const likes = sql.param(paths.map(likePrefix));
  const ids = sql`array(select u.id from org_units u where u.tenant_id = ${tenantId} and u.path like any(${likes}::text[]))`;
  return sql`(p.office_id = any(${ids}) or p.branch_id = any(${ids}) or p.group_id = any(${ids}))`;
}

function whereOf(f: PeopleFilter): SQL {
  const conds: SQL[] = [sql`p.tenant_id = ${f.tenantId}`];
  if (!f.scope.all) conds.push(f.scope.paths.length ? withinPaths(f.tenantId, f.scope.paths) : sql`false`);
  if (f.unitPath) conds.push(withinPaths(f.tenantId, [f.unitPath]));
  if (f.active !== 'all') conds.push(sql`p.active = ${f.active === 'true'}`);
  if (f.q) conds.push(sql`p.name like ${likeContains(f.q)}`);
  if (f.partyStatus) conds.push(sql`p.party_status = ${f.partyStatus}`);
  if (f.gender) conds.push(sql`p.gender = ${f.gender}`);
  if (f.isLeader !== undefined) conds.push(sql`p.is_leader = ${f.isLeader}`);
  return sql.join(conds, sql` and `);
}

const selectList = sql`
  select p.id, p.tenant_id as "tenantId", p.office_id as "officeId", p.name, p.gender, p.birth_date as "birthDate",
         p.ethnicity, p.phone_enc as "phoneEnc", p.phone_masked as "phoneMasked", p.id_number_enc as "idNumberEnc",
         p.id_number_masked as "idNumberMasked", p.party_status as "partyStatus",
         p.party_joined_on as "partyJoinedOn", p.full_member_on as "fullMemberOn", p.branch_id as "branchId",
         p.group_id as "groupId", p.committee_role as "committeeRole", p.is_leader as "isLeader", p.active,
         p.version, p.created_at as "createdAt", p.updated_at as "updatedAt",
         o.name as "officeName", b.name as "branchName", g.name as "groupName",
         o.path as "officePath", b.path as "branchPath", g.path as "groupPath"`;
const fromSelected = sql`
    from sel p
    join org_units o on o.id = p.office_id
    left join org_units b on b.id = p.branch_id
    left join org_units g on g.id = p.group_id`;
// pinyin order for Chinese names; id breaks ties so pages are stable
const orderList = sql`order by p.name collate "zh-x-icu", p.id`;

/**
 * The units of the selected rows only: filtering and paging read `people` alone (its
 * indexes), then at most a page of rows is joined to its office, branch and group.
 */
function withUnits(selected: SQL): SQL {
  return sql`with sel as (${selected}) ${selectList}, p.total ${fromSelected} ${orderList}`;
}

/** One page and the total, in one statement. */
export async function listPeople(db: Executor, f: PeopleFilter, page: number, pageSize: number) {
  const r = await db.execute<PersonListRow & { total: number }>(
    withUnits(sql`select p.*, count(*) over ()::int as total from people p where ${whereOf(f)} ${orderList} limit ${pageSize} offset ${(page - 1) * pageSize}`),
  );
  const total = r.rows[0]?.total ?? (page > 1 ? await countPeople(db, f) : 0);
  return { rows: r.rows, total };
}

export async function countPeople(db: Executor, f: PeopleFilter): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`select count(*)::int as n from people p where ${whereOf(f)}`);
  return r.rows[0]?.n ?? 0;
}

/**
 * Every matching row in list order, in batches, for exports that must not hold everything
 * in memory. Keyset paging on (name in pinyin order, id): each batch starts where the last
 * ended, so the cost stays linear where OFFSET would re-read every earlier row.
 */
export async function* iteratePeople(run: TenantRunner, f: PeopleFilter, batch = 1000): AsyncGenerator<PersonListRow[]> {
  let after: { name: string; id: string } | undefined;
  for (;;) {
    const keyset = after ? sql`and (p.name collate "zh-x-icu", p.id) > (${after.name} collate "zh-x-icu", ${after.id}::uuid)` : sql``;
    // each batch is its own short transaction: a slow download holds no connection
    const r = await run((ex) =>
      ex.execute<PersonListRow>(withUnits(sql`select p.*, 0 as total from people p where ${whereOf(f)} ${keyset} ${orderList} limit ${batch}`)),
    );
    const last = r.rows[r.rows.length - 1];
    if (!last) return;
    yield r.rows;
    if (r.rows.length < batch) return;
    after = { name: last.name, id: last.id };
  }
}

export async function findPerson(db: Executor, tenantId: string, id: string): Promise<PersonListRow | undefined> {
  const r = await db.execute<PersonListRow>(withUnits(sql`select p.*, 0 as total from people p where p.tenant_id = ${tenantId} and p.id = ${id}`));
  return r.rows[0];
}

export async function insertPeople(db: Executor, rows: PersonInsert[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await db.insert(people).values(rows).returning({ id: people.id });
  return out.map((r) => r.id);
}

export async function updatePersonVersioned(
  db: Executor,
  tenantId: string,
  id: string,
  version: number,
  set: Partial<PersonInsert>,
): Promise<boolean> {
  const r = await db
    .update(people)
    .set({ ...set, version: sql`${people.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(people.tenantId, tenantId), eq(people.id, id), eq(people.version, version)))
    .returning({ id: people.id });
  return r.length === 1;
}

/** Which of these ID-number hashes a person of the tenant (active or not) already has. */
export async function existingIdNumberHashes(db: Executor, tenantId: string, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  // one array parameter: drizzle would expand a plain array into one parameter per element
  const r = await db.execute<{ h: string }>(
    sql`select distinct id_number_hash as h from people where tenant_id = ${tenantId} and id_number_hash = any(${sql.param(hashes)}::text[])`,
  );
  return new Set(r.rows.map((x) => x.h));
}

/** Rows still holding plaintext numbers from before encryption at rest, a batch at a time. */
export async function legacyPlaintextPeople(db: Executor, limit: number) {
  const r = await db.execute<{ id: string; phone: string | null; idNumber: string | null }>(sql`
    select id, phone, id_number as "idNumber" from people
     where phone is not null or id_number is not null
     order by id limit ${limit} for update skip locked`);
  return r.rows;
}

export async function setSealedNumbers(db: Executor, id: string, sealed: SealedNumbers): Promise<void> {
  await db.update(people).set(sealed).where(eq(people.id, id));
}

/** The personal-number columns as written: ciphertext, masked form, blind index; never plaintext. */
export type SealedNumbers = {
  phone: null;
  idNumber: null;
  phoneEnc: string | null;
  phoneMasked: string | null;
  idNumberEnc: string | null;
  idNumberMasked: string | null;
  idNumberHash: string | null;
};

/** Serialises imports of one tenant until the end of the transaction. */
export async function lockPeopleImport(db: Executor, tenantId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`people.import:${tenantId}`}))`);
}

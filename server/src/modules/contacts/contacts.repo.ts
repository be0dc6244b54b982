import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Arrangement } from '@tongxin/contracts';
import type { Executor } from '../../platform/db/db';
import type { Scope } from '../../platform/access';
import { likeContains, likePrefix } from '../../platform/db/like';
import type { TenantRunner } from '../../platform/db/tenant';
import { contactCategoryLinks, contacts, ufCategories, ufParties } from './contacts.schema';

export type ContactRow = typeof contacts.$inferSelect;
export type ContactInsert = typeof contacts.$inferInsert;
export type CategoryRow = typeof ufCategories.$inferSelect;
export type PartyRow = typeof ufParties.$inferSelect;

/** A contact as lists read it: sealed numbers, office and party names, categories; no plaintext. */
export type ContactListRow = Omit<ContactRow, 'nameGrams' | 'phoneHash' | 'idNumberHash'> & {
  officeName: string;
  officePath: string;
  partyName: string | null;
  categories: { id: string; code: string; name: string }[];
};

/**
 * Every 1- and 2-character substring of a name. Chinese names are 2 to 4 characters and
 * searches are for 1 or 2 of them, which trigram indexes cannot serve; containment of
 * these grams on a GIN index can, and a longer fragment is all of its bigrams plus LIKE.
 */
export function nameGrams(name: string): string[] {
  const chars = [...name.toLowerCase()];
  const grams = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) grams.add(`${chars[i]}${chars[i + 1]}`);
  return [...grams];
}

/** The grams a fragment's matches must all contain. */
function fragmentGrams(q: string): string[] {
  const chars = [...q.toLowerCase()];
  if (chars.length <= 2) return [chars.join('')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return [...out];
}

export type ContactsFilter = {
  tenantId: string;
  scope: Scope;
  q?: string | undefined;
  categoryId?: string | undefined;
  partyId?: string | undefined;
  tag?: string | undefined;
  officeId?: string | undefined;
  arrangement?: string | undefined;
  active: 'true' | 'false' | 'all';
};

/** Contacts are scoped by their owning office: the scope's subtrees resolved to unit ids once. */
function withinScope(tenantId: string, paths: string[]): SQL {
  const likes = sql.param(paths.map(likePrefix));
  return sql`c.office_id = any(array(select u.id from org_units u where u.tenant_id = ${tenantId} and u.path like any(${likes}::text[])))`;
}

/** A fragment of 1 or 2 characters is itself one gram of contact_name_grams. */
function shortGram(q: string | undefined): string | undefined {
  if (!q) return undefined;
  const grams = fragmentGrams(q);
  const [gram] = grams;
  return grams.length === 1 && gram !== undefined && [...gram].length <= 2 ? gram : undefined;
}

function whereOf(f: ContactsFilter): SQL {
  const conds: SQL[] = [sql`c.tenant_id = ${f.tenantId}`];
  if (!f.scope.all) conds.push(f.scope.paths.length ? withinScope(f.tenantId, f.scope.paths) : sql`false`);
  if (f.active !== 'all') conds.push(sql`c.active = ${f.active === 'true'}`);
  const gram = shortGram(f.q);
  if (gram !== undefined) {
    // gram equality is leakproof: the btree serves it under row-level security
    conds.push(sql`c.id in (select g.contact_id from contact_name_grams g where g.tenant_id = ${f.tenantId} and g.gram = ${gram})`);
  } else if (f.q) {
    // through a SECURITY DEFINER function: under row-level security the non-leakproof @> would
    // never use the GIN index (migration 0018); the function keeps to the transaction's tenant
    conds.push(sql`c.id in (select uf_contact_ids_by_grams(${sql.param(fragmentGrams(f.q))}::text[]))`);
    conds.push(sql`lower(c.name) like ${likeContains(f.q.toLowerCase())}`);
  }
  if (f.categoryId) {
    conds.push(sql`exists (select 1 from contact_category_links l where l.contact_id = c.id and l.category_id = ${f.categoryId})`);
  }
  if (f.partyId) conds.push(sql`c.party_id = ${f.partyId}`);
  if (f.tag) conds.push(sql`c.tags @> array[${f.tag}]::text[]`);
  if (f.officeId) conds.push(sql`c.office_id = ${f.officeId}`);
  if (f.arrangement) conds.push(sql`c.arrangements @> ${JSON.stringify([{ kind: f.arrangement }])}::jsonb`);
  return sql.join(conds, sql` and `);
}

/**
 * A search of 1 or 2 characters, filtered at most by scope, status and office, is answered by
 * contact_name_grams alone: its btree (tenant, gram, pinyin name, id, active, office) gives the
 * page in list order, stopping after it, and the total by an index-only count. The same rows,
 * order and total as the general query, without fetching and sorting every match (a common
 * surname matches 5 % of all contacts). Undefined when the filter needs contacts' own columns.
 */
function gramWhereOf(f: ContactsFilter): SQL | undefined {
  const gram = shortGram(f.q);
  if (gram === undefined || f.categoryId || f.partyId || f.tag || f.arrangement) return undefined;
  const conds: SQL[] = [sql`g.tenant_id = ${f.tenantId}`, sql`g.gram = ${gram}`];
  if (!f.scope.all) {
    conds.push(
      f.scope.paths.length
        ? sql`g.office_id = any(array(select u.id from org_units u where u.tenant_id = ${f.tenantId} and u.path like any(${sql.param(f.scope.paths.map(likePrefix))}::text[])))`
        : sql`false`,
    );
  }
  if (f.active !== 'all') conds.push(sql`g.active = ${f.active === 'true'}`);
  if (f.officeId) conds.push(sql`g.office_id = ${f.officeId}`);
  return sql.join(conds, sql` and `);
}

const orderList = sql`order by c.name collate "zh-x-icu", c.id`;

/** Office, party and categories of the selected rows only (at most a page). */
function withDetails(selected: SQL): SQL {
  return sql`
    with sel as (${selected})
    select c.id, c.tenant_id as "tenantId", c.office_id as "officeId", c.name, c.gender, c.ethnicity,
           c.birth_date as "birthDate", c.party_id as "partyId", c.party_joined_on as "partyJoinedOn",
           c.organisation, c.post, c.arrangements, c.phone_enc as "phoneEnc", c.phone_masked as "phoneMasked",
           c.id_number_enc as "idNumberEnc", c.id_number_masked as "idNumberMasked", c.tags, c.notes, c.active,
           c.version, c.created_at as "createdAt", c.updated_at as "updatedAt", c.total,
           o.name as "officeName", o.path as "officePath", p.name as "partyName",
           coalesce((select json_agg(json_build_object('id', k.id, 'code', k.code, 'name', k.name) order by k.sort_order, k.name)
                       from contact_category_links l join uf_categories k on k.id = l.category_id
                      where l.contact_id = c.id), '[]'::json) as categories
      from sel c
      join org_units o on o.id = c.office_id
      left join uf_parties p on p.id = c.party_id
     ${orderList}`;
}

export async function listContacts(db: Executor, f: ContactsFilter, page: number, pageSize: number) {
  const gw = gramWhereOf(f);
  const selected = gw
    ? sql`select c.*, (select count(*)::int from contact_name_grams g where ${gw}) as total
            from (select g.contact_id from contact_name_grams g where ${gw}
                   order by g.name collate "zh-x-icu", g.contact_id limit ${pageSize} offset ${(page - 1) * pageSize}) p
            join contacts c on c.id = p.contact_id`
    : sql`select c.*, count(*) over ()::int as total from contacts c where ${whereOf(f)} ${orderList} limit ${pageSize} offset ${(page - 1) * pageSize}`;
  const r = await db.execute<ContactListRow & { total: number }>(withDetails(selected));
  const total = r.rows[0]?.total ?? (page > 1 ? await countContacts(db, f) : 0);
  return { rows: r.rows, total };
}

export async function countContacts(db: Executor, f: ContactsFilter): Promise<number> {
  const gw = gramWhereOf(f);
  const r = await db.execute<{ n: number }>(
    gw ? sql`select count(*)::int as n from contact_name_grams g where ${gw}` : sql`select count(*)::int as n from contacts c where ${whereOf(f)}`,
  );
  return r.rows[0]?.n ?? 0;
}

/** Every matching row in list order, batch by batch (keyset on pinyin name, id), for exports. */
export async function* iterateContacts(run: TenantRunner, f: ContactsFilter, batch = 1000): AsyncGenerator<ContactListRow[]> {
  let after: { name: string; id: string } | undefined;
  for (;;) {
    const keyset = after ? sql`and (c.name collate "zh-x-icu", c.id) > (${after.name} collate "zh-x-icu", ${after.id}::uuid)` : sql``;
    const r = await run((ex) => ex.execute<ContactListRow>(withDetails(sql`select c.*, 0 as total from contacts c where ${whereOf(f)} ${keyset} ${orderList} limit ${batch}`)));
    const last = r.rows[r.rows.length - 1];
    if (!last) return;
    yield r.rows;
    if (r.rows.length < batch) return;
    after = { name: last.name, id: last.id };
  }
}

export async function findContact(db: Executor, tenantId: string, id: string): Promise<ContactListRow | undefined> {
  const r = await db.execute<ContactListRow>(withDetails(sql`select c.*, 0 as total from contacts c where c.tenant_id = ${tenantId} and c.id = ${id}`));
  return r.rows[0];
}

/** Names and offices of these contacts (that exist in the tenant). */
export async function findContactsBrief(db: Executor, tenantId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const r = await db.execute<{ id: string; name: string; officePath: string }>(sql`
    select c.id, c.name, o.path as "officePath" from contacts c join org_units o on o.id = c.office_id
     where c.tenant_id = ${tenantId} and c.id = any(${sql.param(ids)}::uuid[])`);
  return r.rows;
}

export async function insertContacts(db: Executor, rows: ContactInsert[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await db.insert(contacts).values(rows).returning({ id: contacts.id });
  return out.map((r) => r.id);
}

export async function updateContactVersioned(db: Executor, tenantId: string, id: string, version: number, set: Partial<ContactInsert>): Promise<boolean> {
  const r = await db
    .update(contacts)
    .set({ ...set, version: sql`${contacts.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id), eq(contacts.version, version)))
    .returning({ id: contacts.id });
  return r.length === 1;
}

export async function setContactCategories(db: Executor, tenantId: string, contactId: string, categoryIds: string[]): Promise<void> {
  await db.delete(contactCategoryLinks).where(eq(contactCategoryLinks.contactId, contactId));
  if (categoryIds.length > 0) await db.insert(contactCategoryLinks).values(categoryIds.map((categoryId) => ({ tenantId, contactId, categoryId })));
}

export async function insertCategoryLinks(db: Executor, rows: (typeof contactCategoryLinks.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await db.insert(contactCategoryLinks).values(rows).onConflictDoNothing();
}

/** Contacts that an ID-number hash or a (name, phone hash) pair already names. */
export async function findDuplicates(db: Executor, tenantId: string, idHashes: string[], namePhones: { name: string; phoneHash: string }[]) {
  if (idHashes.length === 0 && namePhones.length === 0) return [];
  const r = await db.execute<{ id: string; name: string; version: number; idNumberHash: string | null; phoneHash: string | null }>(sql`
    select c.id, c.name, c.version, c.id_number_hash as "idNumberHash", c.phone_hash as "phoneHash" from contacts c
     where c.tenant_id = ${tenantId}
       and (c.id_number_hash = any(${sql.param(idHashes)}::text[])
            or (c.name, c.phone_hash) in (select * from unnest(${sql.param(namePhones.map((x) => x.name))}::text[], ${sql.param(namePhones.map((x) => x.phoneHash))}::text[])))`);
  return r.rows;
}

// ---- import staging ----

/**
 * An import row as staged: validated and sealed (no plaintext number), in the staging
 * table's column names so a batch goes in as one JSON parameter.
 */
export type StagedContact = {
  row_no: number;
  name: string;
  name_grams: string[];
  gender: string | null;
  ethnicity: string | null;
  birth_date: string | null;
  office_id: string;
  category_ids: string[];
  party_id: string | null;
  party_joined_on: string | null;
  organisation: string | null;
  post: string | null;
  arrangements: Arrangement[];
  phone_enc: string | null;
  phone_masked: string | null;
  phone_hash: string | null;
  id_number_enc: string | null;
  id_number_masked: string | null;
  id_number_hash: string | null;
  tags: string[];
  notes: string | null;
};

const STAGED_COLUMNS = sql.raw(
  'row_no, name, name_grams, gender, ethnicity, birth_date, office_id, category_ids, party_id, party_joined_on, organisation, post, arrangements, ' +
    'phone_enc, phone_masked, phone_hash, id_number_enc, id_number_masked, id_number_hash, tags, notes',
);

/**
 * The import's staging table: temporary, private to this connection and dropped at the end of
 * the transaction (commit or rollback), so a failed import leaves nothing. No tenant column:
 * only this transaction sees it, and rows reach contacts through the row-level policy.
 */
export async function createImportStaging(db: Executor): Promise<void> {
  await db.execute(sql`
    create temporary table contacts_import_rows (
      row_no int primary key,
      id uuid not null default gen_random_uuid(),
      matched boolean not null default false,
      name text not null,
      name_grams text[] not null,
      gender text,
      ethnicity text,
      birth_date date,
      office_id uuid not null,
      category_ids uuid[] not null,
      party_id uuid,
      party_joined_on date,
      organisation text,
      post text,
      arrangements jsonb not null,
      phone_enc text,
      phone_masked text,
      phone_hash text,
      id_number_enc text,
      id_number_masked text,
      id_number_hash text,
      tags text[] not null,
      notes text
    ) on commit drop`);
}

export async function stageContacts(db: Executor, rows: StagedContact[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into pg_temp.contacts_import_rows (${STAGED_COLUMNS})
    select ${STAGED_COLUMNS} from json_populate_recordset(null::pg_temp.contacts_import_rows, ${JSON.stringify(rows)}::json)`);
}

/** Temporary tables are never analysed automatically; the duplicate join needs the row count. */
export async function analyzeImportStaging(db: Executor): Promise<void> {
  await db.execute(sql`analyze pg_temp.contacts_import_rows`);
}

/** Registered contacts that staged rows name, by ID-number hash or by name + phone hash; in row order, ID number first. */
export async function findStagedDuplicates(db: Executor, tenantId: string) {
  const r = await db.execute<{ row: number; id: string; name: string; version: number; by: 'idNumber' | 'namePhone' }>(sql`
    select s.row_no as row, c.id, c.name, c.version, 'idNumber' as by
      from pg_temp.contacts_import_rows s join contacts c on c.id_number_hash = s.id_number_hash
     where c.tenant_id = ${tenantId} and c.id_number_hash is not null
    union all
    select s.row_no, c.id, c.name, c.version, 'namePhone'
      from pg_temp.contacts_import_rows s join contacts c on c.name = s.name and c.phone_hash = s.phone_hash
     where c.tenant_id = ${tenantId} and c.phone_hash is not null
     order by 1, 5`);
  return r.rows;
}

/** Rows that name a registered contact are merged or skipped, never inserted. */
export async function markStagedMatched(db: Executor, rows: number[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`update pg_temp.contacts_import_rows set matched = true where row_no = any(${sql.param(rows)}::int[])`);
}

export async function stagedRows(db: Executor, rows: number[]): Promise<StagedContact[]> {
  if (rows.length === 0) return [];
  const r = await db.execute<StagedContact>(sql`
    select row_no, name, name_grams, gender, ethnicity, birth_date, office_id, category_ids::text[] as category_ids, party_id, party_joined_on,
           organisation, post, arrangements, phone_enc, phone_masked, phone_hash, id_number_enc, id_number_masked, id_number_hash, tags, notes
      from pg_temp.contacts_import_rows where row_no = any(${sql.param(rows)}::int[]) order by row_no`);
  return r.rows;
}

/** Every staged row not matched becomes a contact with its categories; returns how many. */
export async function insertStagedContacts(db: Executor, tenantId: string): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    with ins as (
      insert into contacts (id, tenant_id, office_id, name, name_grams, gender, ethnicity, birth_date, party_id, party_joined_on,
                            organisation, post, arrangements, phone_enc, phone_masked, phone_hash, id_number_enc, id_number_masked,
                            id_number_hash, tags, notes)
      select id, ${tenantId}, office_id, name, name_grams, gender, ethnicity, birth_date, party_id, party_joined_on,
             organisation, post, arrangements, phone_enc, phone_masked, phone_hash, id_number_enc, id_number_masked,
             id_number_hash, tags, notes
        from pg_temp.contacts_import_rows where not matched order by row_no
      returning 1)
    select count(*)::int as n from ins`);
  await db.execute(sql`
    insert into contact_category_links (tenant_id, contact_id, category_id)
    select ${tenantId}, s.id, k.category_id
      from pg_temp.contacts_import_rows s cross join unnest(s.category_ids) as k(category_id)
     where not s.matched
    on conflict do nothing`);
  return r.rows[0]?.n ?? 0;
}

/** Serialises imports of one tenant until the end of the transaction. */
export async function lockContactsImport(db: Executor, tenantId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`contacts.import:${tenantId}`}))`);
}

// ---- catalogues ----

export async function listCategories(db: Executor, tenantId: string): Promise<CategoryRow[]> {
  return db.select().from(ufCategories).where(eq(ufCategories.tenantId, tenantId)).orderBy(asc(ufCategories.sortOrder), asc(ufCategories.name));
}

export async function listParties(db: Executor, tenantId: string): Promise<PartyRow[]> {
  return db.select().from(ufParties).where(eq(ufParties.tenantId, tenantId)).orderBy(asc(ufParties.sortOrder), asc(ufParties.name));
}

export async function insertCategory(db: Executor, row: typeof ufCategories.$inferInsert): Promise<CategoryRow> {
  const [r] = await db.insert(ufCategories).values(row).returning();
  if (!r) throw new Error('category');
  return r;
}

/** Inserts what is missing by code, never touching what a tenant changed. */
export async function seedCatalogue(
  db: Executor,
  tenantId: string,
  categories: { code: string; name: string; needsParty: boolean; sortOrder: number }[],
  parties: { code: string; name: string; sortOrder: number }[],
): Promise<void> {
  await db
    .insert(ufCategories)
    .values(categories.map((c) => ({ ...c, tenantId })))
    .onConflictDoNothing();
  await db
    .insert(ufParties)
    .values(parties.map((p) => ({ ...p, tenantId })))
    .onConflictDoNothing();
}

import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Arrangement } from '@tongxin/contracts';
import { orgUnits, tenants } from '../org/org.schema';

/** The per-tenant catalogue of united-front categories (民主党派成员, 无党派人士, …). */
export const ufCategories = pgTable(
  'uf_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** a contact of this category names a democratic party */
    needsParty: boolean('needs_party').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(100),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    check('uf_categories_name_check', sql`length(${t.name}) between 1 and 64`),
    uniqueIndex('uf_categories_tenant_code_idx').on(t.tenantId, t.code),
    uniqueIndex('uf_categories_tenant_name_idx').on(t.tenantId, t.name),
  ],
);

/** The democratic parties a tenant lists (the eight by default). */
export const ufParties = pgTable(
  'uf_parties',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(100),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    check('uf_parties_name_check', sql`length(${t.name}) between 1 and 64`),
    uniqueIndex('uf_parties_tenant_code_idx').on(t.tenantId, t.code),
    uniqueIndex('uf_parties_tenant_name_idx').on(t.tenantId, t.name),
  ],
);

/** People outside the Party the department works with (统战成员库). */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    /** the owning office: data scope */
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    name: text('name').notNull(),
    /** every 1- and 2-character substring of the name: a fragment search is an array containment on a GIN index */
    nameGrams: text('name_grams').array().notNull(),
    gender: text('gender'),
    ethnicity: text('ethnicity'),
    birthDate: date('birth_date', { mode: 'string' }),
    partyId: uuid('party_id').references(() => ufParties.id),
    partyJoinedOn: date('party_joined_on', { mode: 'string' }),
    organisation: text('organisation'),
    post: text('post'),
    arrangements: jsonb('arrangements').$type<Arrangement[]>().notNull().default([]),
    /** AES-256-GCM under the data key (platform/crypto.ts), masked copy for lists, keyed hash for duplicate checks */
    phoneEnc: text('phone_enc'),
    phoneMasked: text('phone_masked'),
    phoneHash: text('phone_hash'),
    idNumberEnc: text('id_number_enc'),
    idNumberMasked: text('id_number_masked'),
    idNumberHash: text('id_number_hash'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('contacts_name_check', sql`length(${t.name}) between 1 and 64`),
    check('contacts_gender_check', sql`${t.gender} is null or ${t.gender} in ('male','female')`),
    check('contacts_party_joined_check', sql`${t.partyJoinedOn} is null or ${t.partyId} is not null`),
    check('contacts_arrangements_check', sql`jsonb_typeof(${t.arrangements}) = 'array'`),
    check('contacts_tags_check', sql`cardinality(${t.tags}) <= 20`),
    check('contacts_phone_sealed_check', sql`(${t.phoneEnc} is null) = (${t.phoneMasked} is null) and (${t.phoneEnc} is null) = (${t.phoneHash} is null)`),
    check('contacts_id_number_sealed_check', sql`(${t.idNumberEnc} is null) = (${t.idNumberMasked} is null) and (${t.idNumberEnc} is null) = (${t.idNumberHash} is null)`),
    // one contact per ID number, and per name + phone, within a tenant: never a silent duplicate
    uniqueIndex('contacts_tenant_id_number_idx').on(t.tenantId, t.idNumberHash).where(sql`${t.idNumberHash} is not null`),
    uniqueIndex('contacts_tenant_name_phone_idx').on(t.tenantId, t.name, t.phoneHash).where(sql`${t.phoneHash} is not null`),
    // list order: pinyin, then id
    index('contacts_tenant_name_zh_idx').on(t.tenantId, sql`${t.name} collate "zh-x-icu"`, t.id),
    index('contacts_name_grams_idx').using('gin', t.nameGrams),
    index('contacts_tags_idx').using('gin', t.tags),
    index('contacts_office_idx').on(t.officeId),
  ],
);

/** A contact's categories (one or more). */
export const contactCategoryLinks = pgTable(
  'contact_category_links',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id').notNull().references(() => ufCategories.id),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.categoryId] }), index('contact_category_links_category_idx').on(t.categoryId, t.contactId)],
);

/**
 * Every 1- and 2-character gram of each contact's name, one row per (contact, gram), kept by
 * triggers on contacts (migration 0026): the search of a 1- or 2-character fragment reads its
 * page straight off the btree in list order (pinyin, id) and stops at the page, and counts its
 * total by an index-only scan, where the GIN index had to fetch, count and sort every match (a
 * common surname is 5 % of a million contacts). Derived data: no foreign keys (a check per gram
 * row would double the cost of an import); the triggers insert and delete with the contact.
 * Active and office are copied so the count and the page filter on the index alone.
 */
export const contactNameGrams = pgTable(
  'contact_name_grams',
  {
    tenantId: uuid('tenant_id').notNull(),
    gram: text('gram').notNull(),
    name: text('name').notNull(),
    contactId: uuid('contact_id').notNull(),
    active: boolean('active').notNull(),
    officeId: uuid('office_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.gram] }),
    index('contact_name_grams_search_idx').on(t.tenantId, t.gram, sql`${t.name} collate "zh-x-icu"`, t.contactId, t.active, t.officeId),
  ],
);

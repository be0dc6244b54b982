import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    /** The owning unit: the office the person works in. */
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    name: text('name').notNull(),
    gender: text('gender').notNull(),
    birthDate: date('birth_date', { mode: 'string' }),
    ethnicity: text('ethnicity'),
    /** @deprecated plaintext of before encryption at rest; emptied at start-up, dropped in a later release */
    phone: text('phone'),
    /** @deprecated as `phone` */
    idNumber: text('id_number'),
    /** AES-256-GCM under the data key (platform/crypto.ts) */
    phoneEnc: text('phone_enc'),
    /** what lists and exports show: 138****5678 */
    phoneMasked: text('phone_masked'),
    idNumberEnc: text('id_number_enc'),
    idNumberMasked: text('id_number_masked'),
    /** HMAC of the ID number under the data key: uniqueness and duplicate checks without decrypting */
    idNumberHash: text('id_number_hash'),
    partyStatus: text('party_status').notNull(),
    partyJoinedOn: date('party_joined_on', { mode: 'string' }),
    fullMemberOn: date('full_member_on', { mode: 'string' }),
    branchId: uuid('branch_id').references(() => orgUnits.id),
    groupId: uuid('group_id').references(() => orgUnits.id),
    committeeRole: text('committee_role'),
    isLeader: boolean('is_leader').notNull().default(false),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('people_gender_check', sql`${t.gender} in ('male','female')`),
    check('people_party_status_check', sql`${t.partyStatus} in ('full','probationary','none')`),
    check(
      'people_committee_role_check',
      sql`${t.committeeRole} is null or ${t.committeeRole} in ('secretary','deputy_secretary','organization','publicity','discipline')`,
    ),
    check('people_name_check', sql`length(${t.name}) between 1 and 64`),
    check('people_phone_check', sql`${t.phone} is null or ${t.phone} ~ '^1[0-9]{10}$'`),
    check('people_id_number_check', sql`${t.idNumber} is null or ${t.idNumber} ~ '^[0-9]{17}[0-9X]$'`),
    // a non-member has no branch, group or committee role
    check(
      'people_member_fields_check',
      sql`${t.partyStatus} <> 'none' or (${t.branchId} is null and ${t.groupId} is null and ${t.committeeRole} is null)`,
    ),
    check('people_group_needs_branch', sql`${t.groupId} is null or ${t.branchId} is not null`),
    check('people_committee_needs_branch', sql`${t.committeeRole} is null or ${t.branchId} is not null`),
    // one person per ID number within a tenant
    uniqueIndex('people_tenant_id_number_hash_idx').on(t.tenantId, t.idNumberHash).where(sql`${t.idNumberHash} is not null`),
    check('people_phone_sealed_check', sql`(${t.phoneEnc} is null) = (${t.phoneMasked} is null)`),
    check('people_id_number_sealed_check', sql`(${t.idNumberEnc} is null) = (${t.idNumberMasked} is null) and (${t.idNumberEnc} is null) = (${t.idNumberHash} is null)`),
    // list order: pinyin, then id (keyset paging of exports walks this index)
    index('people_tenant_name_zh_idx').on(t.tenantId, sql`${t.name} collate "zh-x-icu"`, t.id),
    index('people_office_idx').on(t.officeId),
    index('people_branch_idx').on(t.branchId),
    index('people_group_idx').on(t.groupId),
    index('people_tenant_status_idx').on(t.tenantId, t.partyStatus),
  ],
);

import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';
import { contacts } from '../contacts/contacts.schema';

/** Enterprises the department works with (民营企业, 台资企业, 侨资企业…). */
export const enterprises = pgTable(
  'enterprises',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    name: text('name').notNull(),
    /** 统一社会信用代码, check digit verified by the service (GB 32100-2015) */
    creditCode: text('credit_code').notNull(),
    type: text('type').notNull(),
    industry: text('industry'),
    district: text('district'),
    address: text('address'),
    notes: text('notes'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('enterprises_name_check', sql`length(${t.name}) between 1 and 100`),
    check('enterprises_credit_code_check', sql`${t.creditCode} ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
    check('enterprises_type_check', sql`${t.type} in ('private','taiwan_funded','overseas_chinese_funded','hk_macao_funded','other')`),
    uniqueIndex('enterprises_tenant_credit_code_idx').on(t.tenantId, t.creditCode),
    index('enterprises_tenant_name_zh_idx').on(t.tenantId, sql`${t.name} collate "zh-x-icu"`, t.id),
    index('enterprises_tenant_type_idx').on(t.tenantId, t.type),
    index('enterprises_office_idx').on(t.officeId),
  ],
);

/** Contacts of an enterprise (legal representative, liaison…). */
export const enterpriseContacts = pgTable(
  'enterprise_contacts',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    enterpriseId: uuid('enterprise_id').notNull().references(() => enterprises.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id),
    role: text('role'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.enterpriseId, t.contactId] }), index('enterprise_contacts_contact_idx').on(t.contactId)],
);

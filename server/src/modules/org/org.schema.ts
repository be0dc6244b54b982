import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const orgUnits = pgTable(
  'org_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgUnits.id),
    type: text('type').notNull(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Materialised path of ids, '/root/child/…/self/': subtree = prefix match. */
    path: text('path').notNull(),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'org_units_type_check',
      sql`${t.type} in ('department','office','party_committee','discipline_committee','branch','party_group')`,
    ),
    check('org_units_name_check', sql`length(${t.name}) between 1 and 100`),
    check('org_units_not_own_parent', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    // text_pattern_ops: subtree queries are `path LIKE prefix%`
    index('org_units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('org_units_tenant_parent_idx').on(t.tenantId, t.parentId),
    // one root per tenant
    uniqueIndex('org_units_one_root_idx').on(t.tenantId).where(sql`${t.parentId} is null`),
    // sibling names are unique among active units
    uniqueIndex('org_units_sibling_name_idx').on(t.tenantId, t.parentId, t.name).where(sql`${t.active}`),
  ],
);

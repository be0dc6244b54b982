import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, date, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';
import { people } from '../people/people.schema';
import { users } from '../auth/auth.schema';

/**
 * A program (方案): a campaign such as the "five actions" or a theme education, with a
 * period, an owner unit and an owner (who may assign problems to leaders).
 */
export const programs = pgTable(
  'programs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    title: text('title').notNull(),
    description: text('description'),
    ownerUnitId: uuid('owner_unit_id').notNull().references(() => orgUnits.id),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('programs_title_check', sql`length(${t.title}) between 1 and 200`),
    check('programs_period_check', sql`${t.endsOn} >= ${t.startsOn}`),
    index('programs_tenant_start_idx').on(t.tenantId, t.startsOn),
  ],
);

/** A node of a program's tree (行动 → 举措 → …): any depth, labelled by the tenant. */
export const programItems = pgTable(
  'program_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => programItems.id, { onDelete: 'cascade' }),
    /** what the tenant calls this level: 行动, 具体方案, 举措… (free text, not code) */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    dueOn: date('due_on'),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('program_items_title_check', sql`length(${t.title}) between 1 and 300`),
    check('program_items_kind_check', sql`length(${t.kind}) between 1 and 20`),
    check('program_items_not_own_parent', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    index('program_items_program_idx').on(t.programId, t.parentId, t.sortOrder),
  ],
);

export const programItemOwners = pgTable(
  'program_item_owners',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => programItems.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.personId] })],
);

/**
 * An indicator of an item: either computed from records by a saved query over a source
 * ('activities' now; 'problems' and 'feedback_responses' count this program's own records,
 * later sources plug into the same column) with a target count, or a manual judgement
 * (percentage with evidence).
 */
export const programIndicators = pgTable(
  'program_indicators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => programItems.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** computed | manual */
    kind: text('kind').notNull(),
    /** for computed: activities | linked_activities (linked to this item) | problems | feedback_responses */
    source: text('source'),
    /** for computed: { typeCodes?: string[], unitId?: string, from?: date, to?: date } */
    query: jsonb('query').notNull().default(sql`'{}'::jsonb`),
    target: integer('target'),
    /** for manual: the judged completion, 0–100, with evidence */
    manualPercent: integer('manual_percent'),
    manualEvidence: text('manual_evidence'),
    judgedBy: uuid('judged_by').references(() => users.id),
    judgedAt: timestamp('judged_at', { withTimezone: true }),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('program_indicators_name_check', sql`length(${t.name}) between 1 and 200`),
    check('program_indicators_kind_check', sql`${t.kind} in ('computed','manual')`),
    check(
      'program_indicators_computed_check',
      sql`${t.kind} <> 'computed' or (${t.source} in ('activities','linked_activities','problems','feedback_responses') and ${t.target} >= 1)`,
    ),
    check('program_indicators_manual_check', sql`${t.manualPercent} is null or ${t.manualPercent} between 0 and 100`),
    check('program_indicators_query_check', sql`jsonb_typeof(${t.query}) = 'object'`),
    index('program_indicators_item_idx').on(t.itemId),
  ],
);

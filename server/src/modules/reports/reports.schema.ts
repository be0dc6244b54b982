import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../org/org.schema';
import { users } from '../auth/auth.schema';

/**
 * Work-summary templates (工作总结模板): prose with figure placeholders
 * (`{{activities.count type=training_class}}`, grammar in reports.placeholders.ts).
 * Seeded templates carry a code so the seeder never adds them twice; a tenant edits them freely.
 */
export const reportTemplates = pgTable(
  'report_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    code: text('code'),
    name: text('name').notNull(),
    body: text('body').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('report_templates_tenant_code_idx').on(t.tenantId, t.code).where(sql`${t.code} is not null`),
    index('report_templates_tenant_idx').on(t.tenantId),
    check('report_templates_name_check', sql`length(${t.name}) between 1 and 100`),
    check('report_templates_body_check', sql`length(${t.body}) <= 50000`),
  ],
);

/**
 * Figure-check mappings a user confirmed: the phrase before a number and its measure word
 * ('培训班' + '期') state this metric with these arguments. Remembered per tenant.
 */
export const reportFigureMappings = pgTable(
  'report_figure_mappings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    phrase: text('phrase').notNull(),
    measureWord: text('measure_word').notNull(),
    metric: text('metric').notNull(),
    args: jsonb('args').notNull().default(sql`'{}'::jsonb`),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('report_figure_mappings_phrase_idx').on(t.tenantId, t.phrase, t.measureWord),
    check('report_figure_mappings_phrase_check', sql`length(${t.phrase}) between 1 and 40`),
    check('report_figure_mappings_word_check', sql`${t.measureWord} in ('人次','次','期','家','份','个','条','场','项','名')`),
    check('report_figure_mappings_args_check', sql`jsonb_typeof(${t.args}) = 'object'`),
  ],
);

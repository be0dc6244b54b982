import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';
import { people } from '../people/people.schema';

/** 廉政风险点: a duty of an office, its risk, level, controls, owner and review date. */
export const integrityRisks = pgTable(
  'integrity_risks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    duty: text('duty').notNull(),
    risk: text('risk').notNull(),
    level: text('level').notNull(),
    controls: text('controls').notNull(),
    ownerPersonId: uuid('owner_person_id').notNull().references(() => people.id),
    reviewDueOn: date('review_due_on', { mode: 'string' }).notNull(),
    lastReviewedOn: date('last_reviewed_on', { mode: 'string' }),
    reviewsDone: integer('reviews_done').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('integrity_risks_level_check', sql`${t.level} in ('high','medium','low')`),
    check('integrity_risks_text_check', sql`length(${t.duty}) between 1 and 500 and length(${t.risk}) between 1 and 2000 and length(${t.controls}) between 1 and 4000`),
    index('integrity_risks_tenant_due_idx').on(t.tenantId, t.reviewDueOn),
    index('integrity_risks_office_idx').on(t.officeId),
  ],
);

/** 制度: a rule of the department, with its versions. */
export const integrityRules = pgTable(
  'integrity_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    title: text('title').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('integrity_rules_title_check', sql`length(${t.title}) between 1 and 200`), uniqueIndex('integrity_rules_tenant_title_idx').on(t.tenantId, t.title)],
);

export const integrityRuleVersions = pgTable(
  'integrity_rule_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    ruleId: uuid('rule_id').notNull().references(() => integrityRules.id, { onDelete: 'cascade' }),
    versionNo: integer('version_no').notNull(),
    /** the date of adoption (version 1) or revision */
    revisedOn: date('revised_on', { mode: 'string' }).notNull(),
    summary: text('summary').notNull(),
    body: text('body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('integrity_rule_versions_no_check', sql`${t.versionNo} >= 1`), uniqueIndex('integrity_rule_versions_rule_no_idx').on(t.ruleId, t.versionNo)],
);

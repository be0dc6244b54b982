import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { tenants } from '../org/org.schema';
import { users } from '../auth/auth.schema';
import { programs } from '../programs/programs.schema';
import { feedbackResponses } from '../feedback/feedback.schema';

/**
 * Problem categories, per tenant: defaults are collective/individual × work/thinking-and-style
 * (班子/个人 × 工作/思想作风); a tenant renames, adds or retires them.
 */
export const problemCategories = pgTable(
  'problem_categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [
    uniqueIndex('problem_categories_tenant_code_idx').on(t.tenantId, t.code),
    check('problem_categories_code_check', sql`${t.code} ~ '^[a-z][a-z0-9_]{1,47}$'`),
    check('problem_categories_name_check', sql`length(${t.nameZh}) between 1 and 50 and length(${t.nameEn}) between 1 and 100`),
  ],
);

/** A problem of the inventory (问题清单). `number` is the ledger's running number per tenant. */
export const problems = pgTable(
  'problems',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    number: integer('number').notNull(),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'set null' }),
    /** feedback_response | self_inspection | research | supervision | other */
    source: text('source').notNull(),
    sourceResponseId: uuid('source_response_id').references(() => feedbackResponses.id, { onDelete: 'set null' }),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => problemCategories.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    foundOn: date('found_on').notNull(),
    /** open → rectified (all measures closed) */
    status: text('status').notNull().default('open'),
    rectifiedAt: timestamp('rectified_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('problems_tenant_number_idx').on(t.tenantId, t.number),
    check('problems_source_check', sql`${t.source} in ('feedback_response','self_inspection','research','supervision','other')`),
    check('problems_status_check', sql`${t.status} in ('open','rectified')`),
    check('problems_rectified_check', sql`(${t.status} = 'rectified') = (${t.rectifiedAt} is not null)`),
    check('problems_title_check', sql`length(${t.title}) between 1 and 200`),
    check('problems_description_check', sql`length(${t.description}) between 1 and 5000`),
    index('problems_program_idx').on(t.programId),
    index('problems_tenant_found_idx').on(t.tenantId, t.foundOn),
  ],
);

/** The leaders who claimed a problem (认领), or were assigned it by the program owner. */
export const problemClaims = pgTable(
  'problem_claims',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    problemId: uuid('problem_id')
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    assignedBy: uuid('assigned_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.problemId, t.userId] }), index('problem_claims_user_idx').on(t.userId)],
);

/**
 * A rectification measure (整改措施). Closed (销号) only when a reviewer other than its owner
 * verifies it: `verified_by` is set and differs from the owner, in the database too.
 */
export const rectificationMeasures = pgTable(
  'rectification_measures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    problemId: uuid('problem_id')
      .notNull()
      .references(() => problems.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    ownerUserId: uuid('owner_user_id')
      .notNull()
      .references(() => users.id),
    deadline: date('deadline').notNull(),
    /** not_started | in_progress | done | long_term */
    status: text('status').notNull().default('not_started'),
    /** 立行立改: fixed at once */
    immediate: boolean('immediate').notNull().default(false),
    percent: integer('percent').notNull().default(0),
    verifiedBy: uuid('verified_by').references(() => users.id),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    returnedReason: text('returned_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('rectification_measures_status_check', sql`${t.status} in ('not_started','in_progress','done','long_term')`),
    check('rectification_measures_title_check', sql`length(${t.title}) between 1 and 500`),
    check('rectification_measures_percent_check', sql`${t.percent} between 0 and 100`),
    check('rectification_measures_verified_check', sql`(${t.verifiedBy} is null) = (${t.verifiedAt} is null)`),
    check('rectification_measures_verified_status_check', sql`${t.verifiedAt} is null or ${t.status} in ('done','long_term')`),
    check('rectification_measures_self_review_check', sql`${t.verifiedBy} is null or ${t.verifiedBy} <> ${t.ownerUserId}`),
    index('rectification_measures_problem_idx').on(t.problemId),
    index('rectification_measures_open_deadline_idx').on(t.tenantId, t.deadline).where(sql`${t.verifiedAt} is null`),
  ],
);

/** A progress note of a measure, with its percentage; evidence files hang off it. */
export const measureProgress = pgTable(
  'measure_progress',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    measureId: uuid('measure_id')
      .notNull()
      .references(() => rectificationMeasures.id, { onDelete: 'cascade' }),
    percent: integer('percent').notNull(),
    note: text('note').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('measure_progress_percent_check', sql`${t.percent} between 0 and 100`),
    check('measure_progress_note_check', sql`length(${t.note}) between 1 and 2000`),
    index('measure_progress_measure_idx').on(t.measureId, t.createdAt),
  ],
);

export const measureEvidence = pgTable(
  'measure_evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    measureId: uuid('measure_id')
      .notNull()
      .references(() => rectificationMeasures.id, { onDelete: 'cascade' }),
    progressId: uuid('progress_id').references(() => measureProgress.id, { onDelete: 'set null' }),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('measure_evidence_measure_idx').on(t.measureId),
    check('measure_evidence_sha_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('measure_evidence_size_check', sql`${t.size} > 0`),
    check('measure_evidence_name_check', sql`length(${t.filename}) between 1 and 255`),
  ],
);

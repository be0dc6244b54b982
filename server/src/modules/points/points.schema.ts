import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';
import { people } from '../people/people.schema';
import { users } from '../auth/auth.schema';
import { activities } from '../activities/activities.schema';

/**
 * A tenant's points rule set, one row per version. Never updated: a change is a new version
 * effective from a date, so entries computed under an older version (closed periods above
 * all) keep pointing at the rules that produced them.
 */
export const pointsRuleSets = pgTable(
  'points_rule_sets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    version: integer('version').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    baseScore: numeric('base_score', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    /** [{ code, kind, nameZh, nameEn, typeCodes, roles, amount, cap }]: validated by the contract */
    rules: jsonb('rules').notNull(),
    /** grading of the yearly evaluation: { excellentTopPercent, excellentNoSanction, basicBelow, failBelow } */
    grading: jsonb('grading').notNull(),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('points_rule_sets_tenant_version_idx').on(t.tenantId, t.version),
    index('points_rule_sets_tenant_from_idx').on(t.tenantId, t.effectiveFrom),
    check('points_rule_sets_version_check', sql`${t.version} >= 1`),
    check('points_rule_sets_base_check', sql`${t.baseScore} between -100000 and 100000`),
    check('points_rule_sets_rules_check', sql`jsonb_typeof(${t.rules}) = 'array'`),
  ],
);

/**
 * Manual entries (honours, sanctions, other) waiting for a second person's approval. The
 * request is a workflow row (its status changes); the points themselves only exist once an
 * approved request has put an entry into the ledger.
 */
export const pointsManualRequests = pgTable(
  'points_manual_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => orgUnits.id),
    /** honour | sanction | other, or an adjustment citing an entry of a closed period */
    ruleCode: text('rule_code').notNull(),
    amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    /** first day of the month the entry counts in */
    period: date('period', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    evidence: text('evidence').notNull(),
    /** SHA-256 of an uploaded evidence file in the file store, when there is one */
    evidenceFile: text('evidence_file'),
    /**
     * The entry an adjustment cites. No foreign key: the ledger cites its request
     * (points_entries.manual_request_id), and a reference back would make a cycle that a
     * restore without superuser rights cannot load parent-first. The service checks the entry
     * exists, and ledger rows are never deleted.
     */
    correctsEntryId: uuid('corrects_entry_id'),
    status: text('status').notNull().default('pending'),
    reviewNote: text('review_note'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('points_manual_requests_tenant_status_idx').on(t.tenantId, t.status, t.createdAt),
    check('points_manual_requests_status_check', sql`${t.status} in ('pending','approved','rejected')`),
    check('points_manual_requests_amount_check', sql`${t.amount} <> 0 and abs(${t.amount}) <= 1000`),
    check('points_manual_requests_reason_check', sql`length(${t.reason}) between 1 and 500 and length(${t.evidence}) between 1 and 1000`),
    check('points_manual_requests_period_check', sql`extract(day from ${t.period}) = 1`),
    check('points_manual_requests_reviewer_check', sql`${t.reviewedBy} is null or ${t.reviewedBy} <> ${t.createdBy}`),
  ],
);

/**
 * The ledger: append-only (the application role may only SELECT and INSERT). Every point a
 * member has is one of these rows; balances, tallies and evaluations are sums over them.
 * A correction is a new row with the difference, citing the row it corrects.
 */
export const pointsEntries = pgTable(
  'points_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** where the person was when the fact happened: points count there */
    branchId: uuid('branch_id')
      .notNull()
      .references(() => orgUnits.id),
    /** first day of the month the entry counts in */
    period: date('period', { mode: 'string' }).notNull(),
    amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    /** auto (from attendance) | manual (approved request) | objection (accepted objection) */
    source: text('source').notNull(),
    ruleCode: text('rule_code').notNull(),
    /** honour | sanction | … : the kind of the rule, kept so sums by kind need no rule set */
    ruleKind: text('rule_kind').notNull(),
    ruleSetVersion: integer('rule_set_version'),
    /** the rule's cap when the entry was made (null: none), and its period */
    cap: numeric('cap', { precision: 12, scale: 2, mode: 'number' }),
    capPeriod: text('cap_period'),
    activityId: uuid('activity_id').references(() => activities.id),
    /**
     * The attendance row, without a foreign key: the ledger is history and outlives the row
     * (a participant removed from an activity leaves entries and their reversal behind).
     */
    participantId: uuid('participant_id'),
    manualRequestId: uuid('manual_request_id').references(() => pointsManualRequests.id),
    correctsId: uuid('corrects_id').references((): AnyPgColumn => pointsEntries.id),
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('points_entries_tenant_period_idx').on(t.tenantId, t.period, t.branchId),
    index('points_entries_person_period_idx').on(t.personId, t.period),
    index('points_entries_activity_idx').on(t.activityId),
    index('points_entries_participant_idx').on(t.participantId),
    check('points_entries_source_check', sql`${t.source} in ('auto','manual','objection')`),
    check('points_entries_kind_check', sql`${t.ruleKind} in ('attend','absent','role','volunteer','honour','sanction','other')`),
    check('points_entries_amount_check', sql`abs(${t.amount}) <= 100000`),
    check('points_entries_period_check', sql`extract(day from ${t.period}) = 1`),
    check('points_entries_cap_check', sql`(${t.cap} is null) = (${t.capPeriod} is null) and (${t.cap} is null or ${t.cap} >= 0)`),
    check('points_entries_cap_period_check', sql`${t.capPeriod} is null or ${t.capPeriod} in ('month','quarter','year')`),
    check('points_entries_auto_check', sql`${t.source} <> 'auto' or (${t.activityId} is not null and ${t.participantId} is not null)`),
  ],
);

/** A quarter's public notice (公示) for one branch, and its objection window. */
export const pointsNotices = pgTable(
  'points_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => orgUnits.id),
    /** first day of the quarter */
    quarter: date('quarter', { mode: 'string' }).notNull(),
    status: text('status').notNull().default('published'),
    windowEndsAt: timestamp('window_ends_at', { withTimezone: true }).notNull(),
    publishedBy: uuid('published_by').references(() => users.id),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    closedBy: uuid('closed_by').references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('points_notices_branch_quarter_idx').on(t.tenantId, t.branchId, t.quarter),
    check('points_notices_status_check', sql`${t.status} in ('published','closed')`),
    check('points_notices_quarter_check', sql`extract(day from ${t.quarter}) = 1 and extract(month from ${t.quarter}) in (1,4,7,10)`),
    check('points_notices_closed_check', sql`(${t.status} = 'closed') = (${t.closedAt} is not null)`),
  ],
);

/** A member's objection to an entry of a published notice, and the secretary's answer. */
export const pointsObjections = pgTable(
  'points_objections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    noticeId: uuid('notice_id')
      .notNull()
      .references(() => pointsNotices.id),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => pointsEntries.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    text: text('text').notNull(),
    status: text('status').notNull().default('open'),
    answer: text('answer'),
    correctionEntryId: uuid('correction_entry_id').references(() => pointsEntries.id),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('points_objections_notice_idx').on(t.noticeId),
    index('points_objections_person_idx').on(t.personId),
    check('points_objections_status_check', sql`${t.status} in ('open','accepted','rejected')`),
    check('points_objections_text_check', sql`length(${t.text}) between 1 and 1000`),
    check('points_objections_answer_check', sql`(${t.status} = 'open') = (${t.answer} is null)`),
  ],
);

/**
 * A closed quarter of a branch: its entries are frozen. Written when the branch's notice is
 * closed; rows are never removed.
 */
export const pointsClosures = pgTable(
  'points_closures',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => orgUnits.id),
    quarter: date('quarter', { mode: 'string' }).notNull(),
    noticeId: uuid('notice_id').references(() => pointsNotices.id),
    closedBy: uuid('closed_by').references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('points_closures_pk_idx').on(t.tenantId, t.branchId, t.quarter), index('points_closures_tenant_quarter_idx').on(t.tenantId, t.quarter)],
);

/** The committee's override of a yearly grade, with its reason (also audited). */
export const pointsGradeOverrides = pgTable(
  'points_grade_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    year: integer('year').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    grade: text('grade').notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('points_grade_overrides_person_year_idx').on(t.tenantId, t.year, t.personId),
    check('points_grade_overrides_grade_check', sql`${t.grade} in ('excellent','qualified','basic','unqualified')`),
    check('points_grade_overrides_reason_check', sql`length(${t.reason}) between 1 and 500`),
  ],
);

/**
 * Who a branch's closed quarter listed: written with the closure, never changed. The closed
 * tally lists these people (and anyone with entries there, which cannot change either), not
 * the branch's members of today, so people moving or leaving later do not alter its figures.
 */
export const pointsClosureMembers = pgTable(
  'points_closure_members',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => orgUnits.id),
    quarter: date('quarter', { mode: 'string' }).notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [uniqueIndex('points_closure_members_pk_idx').on(t.tenantId, t.branchId, t.quarter, t.personId)],
);

/**
 * A projection of the ledger (ADR 0012): per person × month × branch, what the ledger's steps
 * counted after caps (split into additions and deductions), what the caps withheld, and
 * whether a sanction deduction stands. Written only by the database: a statement trigger on
 * points_entries recomputes the person-years an insert touches, in the same transaction
 * (migration 0030); the application role may only read it. points_rebuild_person_months()
 * recomputes a tenant from scratch. Tallies, the evaluation and "my points" read it instead
 * of aggregating the raw ledger.
 */
export const pointsPersonMonths = pgTable(
  'points_person_months',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    /** first day of the month */
    period: date('period', { mode: 'string' }).notNull(),
    branchId: uuid('branch_id')
      .notNull()
      .references(() => orgUnits.id),
    additions: numeric('additions', { precision: 16, scale: 2, mode: 'number' }).notNull(),
    deductions: numeric('deductions', { precision: 16, scale: 2, mode: 'number' }).notNull(),
    capped: numeric('capped', { precision: 16, scale: 2, mode: 'number' }).notNull(),
    sanctioned: boolean('sanctioned').notNull(),
  },
  (t) => [
    primaryKey({ name: 'points_person_months_pk', columns: [t.tenantId, t.personId, t.period, t.branchId] }),
    index('points_person_months_branch_idx').on(t.tenantId, t.branchId, t.period),
    index('points_person_months_period_idx').on(t.tenantId, t.period),
    check('points_person_months_signs_check', sql`${t.additions} >= 0 and ${t.deductions} <= 0 and ${t.capped} >= 0`),
  ],
);

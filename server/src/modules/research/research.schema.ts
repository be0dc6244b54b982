import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';
import { people } from '../people/people.schema';
import { users } from '../auth/auth.schema';
import { activities } from '../activities/activities.schema';
import { problems, rectificationMeasures } from '../rectification/rectification.schema';

/**
 * A research topic (调研课题): led by a leader, with members, a plan and a period. Its field
 * trips and symposiums are activities linked to it; its final report (调研报告) is a file in
 * the content-addressed store, named by the report_* columns (all set or all null).
 */
export const researchTopics = pgTable(
  'research_topics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    /** the owning unit (data scope) */
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    title: text('title').notNull(),
    leadPersonId: uuid('lead_person_id').notNull().references(() => people.id),
    plan: text('plan'),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    reportSha256: text('report_sha256'),
    reportFilename: text('report_filename'),
    reportContentType: text('report_content_type'),
    reportSize: bigint('report_size', { mode: 'number' }),
    reportUploadedAt: timestamp('report_uploaded_at', { withTimezone: true }),
    reportUploadedBy: uuid('report_uploaded_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('research_topics_title_check', sql`length(${t.title}) between 1 and 200`),
    check('research_topics_plan_check', sql`${t.plan} is null or length(${t.plan}) <= 10000`),
    check('research_topics_period_check', sql`${t.endsOn} >= ${t.startsOn}`),
    // a report is a whole: its file, name, type, size and upload time together
    check(
      'research_topics_report_check',
      sql`(${t.reportSha256} is null) = (${t.reportFilename} is null) and (${t.reportSha256} is null) = (${t.reportContentType} is null) and (${t.reportSha256} is null) = (${t.reportSize} is null) and (${t.reportSha256} is null) = (${t.reportUploadedAt} is null)`,
    ),
    check('research_topics_report_sha_check', sql`${t.reportSha256} is null or ${t.reportSha256} ~ '^[0-9a-f]{64}$'`),
    index('research_topics_tenant_period_idx').on(t.tenantId, t.startsOn),
    index('research_topics_office_idx').on(t.officeId),
  ],
);

/** Members of a topic's research group (the lead is not repeated here). */
export const researchTopicMembers = pgTable(
  'research_topic_members',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => researchTopics.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.personId] }), index('research_topic_members_person_idx').on(t.personId)],
);

/** Field trips and symposiums of a topic: activities of the activities area, linked here. */
export const researchTopicActivities = pgTable(
  'research_topic_activities',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => researchTopics.id, { onDelete: 'cascade' }),
    activityId: uuid('activity_id')
      .notNull()
      // a deleted activity takes its link with it rather than blocking the delete
      .references(() => activities.id, { onDelete: 'cascade' }),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.activityId] }), index('research_topic_activities_activity_idx').on(t.activityId)],
);

/** A suggestion collected (意见建议) during the research, optionally at one of its activities. */
export const researchSuggestions = pgTable(
  'research_suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => researchTopics.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    /** who raised it (a person, an enterprise, a village…), free text */
    source: text('source'),
    activityId: uuid('activity_id').references(() => activities.id, { onDelete: 'set null' }),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('research_suggestions_content_check', sql`length(${t.content}) between 1 and 2000`),
    check('research_suggestions_source_check', sql`${t.source} is null or length(${t.source}) between 1 and 100`),
    index('research_suggestions_topic_idx').on(t.topicId, t.receivedOn),
    index('research_suggestions_tenant_idx').on(t.tenantId, t.receivedOn),
  ],
);

/** A recommendation of the final report; it may become a problem or a measure of the rectification area (not both). */
export const researchRecommendations = pgTable(
  'research_recommendations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => researchTopics.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    /** the problem it became; a deleted problem frees the recommendation */
    problemId: uuid('problem_id').references(() => problems.id, { onDelete: 'set null' }),
    /** the measure it became (under an existing problem); a deleted measure frees the recommendation */
    measureId: uuid('measure_id').references(() => rectificationMeasures.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('research_recommendations_content_check', sql`length(${t.content}) between 1 and 2000`),
    index('research_recommendations_topic_idx').on(t.topicId, t.createdAt),
    // one conversion: a problem or a measure, never both
    check('research_recommendations_one_conversion_check', sql`${t.problemId} is null or ${t.measureId} is null`),
    index('research_recommendations_problem_idx').on(t.problemId),
    index('research_recommendations_measure_idx').on(t.measureId),
  ],
);

import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';
import { users } from '../auth/auth.schema';
import { activities } from '../activities/activities.schema';
import { contacts } from '../contacts/contacts.schema';
import { enterprises } from '../enterprises/enterprises.schema';

/** A problem raised by an enterprise or a contact (诉求), followed until resolved or not (办实事). */
export const serviceCases = pgTable(
  'service_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    officeId: uuid('office_id').notNull().references(() => orgUnits.id),
    requesterType: text('requester_type').notNull(),
    enterpriseId: uuid('enterprise_id').references(() => enterprises.id),
    contactId: uuid('contact_id').references(() => contacts.id),
    /** the visit it came from, when it did */
    activityId: uuid('activity_id').references(() => activities.id),
    /** a named project grouping visits and cases, e.g. 贴心服务助台企 */
    project: text('project'),
    problem: text('problem').notNull(),
    category: text('category').notNull(),
    departments: text('departments').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').notNull().default('open'),
    result: text('result'),
    satisfaction: text('satisfaction'),
    raisedOn: date('raised_on', { mode: 'string' }).notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('service_cases_requester_check', sql`(${t.requesterType} = 'enterprise' and ${t.enterpriseId} is not null and ${t.contactId} is null) or (${t.requesterType} = 'contact' and ${t.contactId} is not null and ${t.enterpriseId} is null)`),
    check('service_cases_status_check', sql`${t.status} in ('open','coordinating','resolved','cannot_resolve')`),
    // a closed case says what came of it, and when
    check('service_cases_closed_check', sql`(${t.status} in ('resolved','cannot_resolve')) = (${t.result} is not null and ${t.closedOn} is not null)`),
    check('service_cases_satisfaction_check', sql`${t.satisfaction} is null or ${t.satisfaction} in ('satisfied','basically_satisfied','unsatisfied')`),
    check('service_cases_problem_check', sql`length(${t.problem}) between 1 and 2000`),
    index('service_cases_tenant_status_idx').on(t.tenantId, t.status, t.raisedOn),
    index('service_cases_enterprise_idx').on(t.enterpriseId),
    index('service_cases_contact_idx').on(t.contactId),
    index('service_cases_activity_idx').on(t.activityId),
  ],
);

export const serviceCaseFollowups = pgTable(
  'service_case_followups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    caseId: uuid('case_id').notNull().references(() => serviceCases.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    note: text('note').notNull(),
    /** the status the follow-up moved the case to, if it did */
    status: text('status'),
    byUserId: uuid('by_user_id').references(() => users.id),
    byName: text('by_name').notNull(),
  },
  (t) => [check('service_case_followups_note_check', sql`length(${t.note}) between 1 and 2000`), index('service_case_followups_case_idx').on(t.caseId, t.at)],
);

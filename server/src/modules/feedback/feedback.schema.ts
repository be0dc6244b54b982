import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { orgUnits, tenants } from '../org/org.schema';
import { people } from '../people/people.schema';
import { users } from '../auth/auth.schema';
import { programs } from '../programs/programs.schema';

/**
 * A feedback solicitation form (征求意见表). `public_id` is the unguessable handle of the
 * public link: the public endpoint has no session, so it finds the tenant through it.
 */
export const feedbackForms = pgTable(
  'feedback_forms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    publicId: text('public_id').notNull(),
    programId: uuid('program_id').references(() => programs.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description'),
    /** named: the respondent gives a name; anonymous: nothing identifying is stored */
    mode: text('mode').notNull().default('anonymous'),
    /** only invitation links (one answer per token) are accepted */
    inviteOnly: boolean('invite_only').notNull().default(false),
    /** draft → open → closed (and may reopen) */
    status: text('status').notNull().default('draft'),
    /** [{ key, label, kind: text|choice|rating|file, required, options?, multiple? }] */
    fields: jsonb('fields').notNull().default(sql`'[]'::jsonb`),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('feedback_forms_public_id_idx').on(t.publicId),
    check('feedback_forms_public_id_check', sql`${t.publicId} ~ '^[A-Za-z0-9_-]{20,64}$'`),
    check('feedback_forms_title_check', sql`length(${t.title}) between 1 and 200`),
    check('feedback_forms_mode_check', sql`${t.mode} in ('named','anonymous')`),
    check('feedback_forms_status_check', sql`${t.status} in ('draft','open','closed')`),
    check('feedback_forms_fields_check', sql`jsonb_typeof(${t.fields}) = 'array'`),
    index('feedback_forms_tenant_idx').on(t.tenantId, t.createdAt),
  ],
);

/** A recipient on the target list: a unit or a person, with a one-use token (only its hash is kept). */
export const feedbackInvitations = pgTable(
  'feedback_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    formId: uuid('form_id')
      .notNull()
      .references(() => feedbackForms.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id').references(() => orgUnits.id),
    personId: uuid('person_id').references(() => people.id),
    tokenHash: text('token_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('feedback_invitations_token_idx').on(t.tokenHash),
    uniqueIndex('feedback_invitations_unit_idx').on(t.formId, t.unitId).where(sql`${t.unitId} is not null`),
    uniqueIndex('feedback_invitations_person_idx').on(t.formId, t.personId).where(sql`${t.personId} is not null`),
    check('feedback_invitations_target_check', sql`(${t.unitId} is null) <> (${t.personId} is null)`),
  ],
);

/** One answer to a form. Answers are plain text by field key: never HTML. */
export const feedbackResponses = pgTable(
  'feedback_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    formId: uuid('form_id')
      .notNull()
      .references(() => feedbackForms.id, { onDelete: 'cascade' }),
    invitationId: uuid('invitation_id').references(() => feedbackInvitations.id),
    respondentName: text('respondent_name'),
    respondentContact: text('respondent_contact'),
    /** { [fieldKey]: string | number | string[] | { fileId } } */
    answers: jsonb('answers').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('feedback_responses_form_idx').on(t.formId, t.createdAt),
    // one invitation answers once, whatever races the service loses
    uniqueIndex('feedback_responses_invitation_idx').on(t.invitationId).where(sql`${t.invitationId} is not null`),
    check('feedback_responses_answers_check', sql`jsonb_typeof(${t.answers}) = 'object'`),
    check('feedback_responses_name_check', sql`${t.respondentName} is null or length(${t.respondentName}) between 1 and 64`),
  ],
);

/** A file given as an answer; the bytes live in the file store under their SHA-256. */
export const feedbackFiles = pgTable(
  'feedback_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    responseId: uuid('response_id')
      .notNull()
      .references(() => feedbackResponses.id, { onDelete: 'cascade' }),
    fieldKey: text('field_key').notNull(),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('feedback_files_response_idx').on(t.responseId),
    check('feedback_files_sha_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('feedback_files_size_check', sql`${t.size} > 0`),
    check('feedback_files_name_check', sql`length(${t.filename}) between 1 and 255`),
  ],
);

import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { programItems } from '../programs/programs.schema';
import { orgUnits, tenants } from '../org/org.schema';
import { people } from '../people/people.schema';
import { users } from '../auth/auth.schema';
import { contacts } from '../contacts/contacts.schema';
import { enterprises } from '../enterprises/enterprises.schema';

/**
 * The activity-type catalogue: data, not code. Defaults are seeded per tenant by code
 * (activities.defaults.ts); a tenant edits names, fields and rules, adds its own types,
 * and retires a type by deactivating it (activities keep pointing at it).
 */
export const activityTypes = pgTable(
  'activity_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    /** stable key of a seeded default ('branch_general_meeting'…), or one the tenant chose */
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    /** organisational_life | study | education | training | meeting | visit | volunteer | other */
    category: text('category').notNull(),
    /** org unit types that may hold it; empty = any */
    unitTypes: text('unit_types').array().notNull().default(sql`'{}'::text[]`),
    takesAttendance: boolean('takes_attendance').notNull().default(true),
    /** attendance counts as people-times (人次) in the statistics */
    countsPersonTimes: boolean('counts_person_times').notNull().default(true),
    /**
     * How validity is decided: 'none' (always valid), 'voting_members' (more than half of the
     * organising branch's full members attend), 'committee' (more than half of its committee).
     */
    quorumRule: text('quorum_rule').notNull().default('none'),
    /** extra fields of the type: [{ key, labelZh, labelEn, kind, required, options? }] */
    fields: jsonb('fields').notNull().default(sql`'[]'::jsonb`),
    active: boolean('active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('activity_types_tenant_code_idx').on(t.tenantId, t.code),
    check('activity_types_code_check', sql`${t.code} ~ '^[a-z][a-z0-9_]{1,47}$'`),
    check('activity_types_name_check', sql`length(${t.nameZh}) between 1 and 50 and length(${t.nameEn}) between 1 and 100`),
    check(
      'activity_types_category_check',
      sql`${t.category} in ('organisational_life','study','education','training','meeting','visit','volunteer','other')`,
    ),
    check('activity_types_quorum_check', sql`${t.quorumRule} in ('none','voting_members','committee')`),
    check('activity_types_fields_check', sql`jsonb_typeof(${t.fields}) = 'array'`),
  ],
);

export const activities = pgTable(
  'activities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    typeId: uuid('type_id').notNull().references(() => activityTypes.id),
    /** the organising unit */
    unitId: uuid('unit_id').notNull().references(() => orgUnits.id),
    topic: text('topic').notNull(),
    content: text('content'),
    place: text('place'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** planned → held → recorded; or cancelled (with a reason) */
    status: text('status').notNull().default('planned'),
    cancelReason: text('cancel_reason'),
    /** values of the type's extra fields, by key */
    extra: jsonb('extra').notNull().default(sql`'{}'::jsonb`),
    /**
     * The place an activity visited, for distinct counts (metric activities.places): the type's
     * place name, else the place visited, else the place, else the topic. Stored so that the
     * dashboard's distinct places of a province's field visits come off an index, without a heap
     * page per visit (bench/README.md, dashboard, session 4); the place metrics read it too.
     */
    placeKey: text('place_key').generatedAlwaysAs(sql`coalesce(nullif(extra->>'placeName', ''), nullif(extra->>'placeVisited', ''), nullif(place, ''), topic)`),
    /** sanitised HTML of the minutes (会议记录) */
    minutesHtml: text('minutes_html'),
    /**
     * Quorum, recomputed whenever attendance changes: eligible = the denominator (full members
     * of the branch, or committee members, when the meeting was held), present = those of them
     * present. `valid` is what the duties calendar counts; true for types without a quorum rule.
     */
    quorumEligible: integer('quorum_eligible'),
    quorumPresent: integer('quorum_present'),
    valid: boolean('valid').notNull().default(true),
    /** secret of the rotating sign-in QR code (HMAC key); never sent to clients */
    signinSecret: text('signin_secret').notNull(),
    /**
     * Training classes: sessions a trainee must attend to complete the class; null = all of
     * them. Completed trainees are the class's present participants (people-times).
     */
    requiredSessions: integer('required_sessions'),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('activities_status_check', sql`${t.status} in ('planned','held','recorded','cancelled')`),
    check('activities_time_check', sql`${t.endsAt} >= ${t.startsAt}`),
    check('activities_cancel_reason_check', sql`(${t.status} = 'cancelled') = (${t.cancelReason} is not null)`),
    check('activities_topic_check', sql`length(${t.topic}) between 1 and 200`),
    check('activities_extra_check', sql`jsonb_typeof(${t.extra}) = 'object'`),
    check('activities_required_sessions_check', sql`${t.requiredSessions} is null or ${t.requiredSessions} between 1 and 500`),
    check('activities_quorum_check', sql`${t.quorumPresent} is null or (${t.quorumPresent} >= 0 and ${t.quorumPresent} <= ${t.quorumEligible})`),
    // the duties calendar and the lists: unit × type × time
    index('activities_unit_type_start_idx').on(t.unitId, t.typeId, t.startsAt),
    index('activities_tenant_start_idx').on(t.tenantId, t.startsAt),
    index('activities_type_idx').on(t.typeId),
    // the dashboard's distinct places and enterprises visited: an index-only scan of one type's
    // activities in a period, with what the statement reads
    index('activities_tenant_type_start_idx').on(t.tenantId, t.typeId, t.startsAt, t.status, t.unitId, t.placeKey, t.id),
  ],
);

/**
 * One row per person expected at (or added to) an activity: their role and attendance. A
 * participant is a person of the organisation or a contact of the united-front registry
 * (someone outside the Party: party status 'none', no branch, no points). Snapshots of party status and committee membership at recording time keep quorum and
 * points as they were, whatever changes in the person's record later.
 */
export const activityParticipants = pgTable(
  'activity_participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => people.id),
    contactId: uuid('contact_id').references(() => contacts.id),
    /** participant | speaker | host */
    role: text('role').notNull().default('participant'),
    /** pending (not yet known) | present | leave | absent */
    attendance: text('attendance').notNull().default('pending'),
    signedInAt: timestamp('signed_in_at', { withTimezone: true }),
    /** qr | manual */
    signInMethod: text('sign_in_method'),
    leaveReason: text('leave_reason'),
    /** requested | approved | rejected; null when no leave was asked */
    leaveStatus: text('leave_status'),
    partyStatus: text('party_status').notNull(),
    committeeMember: boolean('committee_member').notNull().default(false),
    /** the person's branch when they were added: points count where people were */
    branchId: uuid('branch_id').references(() => orgUnits.id),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('activity_participants_activity_person_idx').on(t.activityId, t.personId),
    uniqueIndex('activity_participants_activity_contact_idx').on(t.activityId, t.contactId),
    index('activity_participants_person_idx').on(t.personId),
    index('activity_participants_contact_idx').on(t.contactId),
    // a person or a contact, never both, never neither
    check('activity_participants_who_check', sql`num_nonnulls(${t.personId}, ${t.contactId}) = 1`),
    check('activity_participants_contact_none_check', sql`${t.contactId} is null or (${t.partyStatus} = 'none' and ${t.branchId} is null)`),
    check('activity_participants_role_check', sql`${t.role} in ('participant','speaker','host')`),
    check('activity_participants_attendance_check', sql`${t.attendance} in ('pending','present','leave','absent')`),
    check('activity_participants_method_check', sql`${t.signInMethod} is null or ${t.signInMethod} in ('qr','manual')`),
    check('activity_participants_leave_check', sql`${t.leaveStatus} is null or ${t.leaveStatus} in ('requested','approved','rejected')`),
    check('activity_participants_leave_reason_check', sql`${t.leaveStatus} is null or length(${t.leaveReason}) between 1 and 500`),
    check('activity_participants_signed_check', sql`${t.signedInAt} is null or ${t.attendance} = 'present'`),
    check('activity_participants_party_status_check', sql`${t.partyStatus} in ('full','probationary','none')`),
  ],
);

/** Photos and files of an activity; the bytes live in the file store under their SHA-256. */
export const activityAttachments = pgTable(
  'activity_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('activity_attachments_activity_idx').on(t.activityId),
    check('activity_attachments_sha_check', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('activity_attachments_size_check', sql`${t.size} > 0`),
    check('activity_attachments_name_check', sql`length(${t.filename}) between 1 and 255`),
  ],
);

/**
 * Program measures (program items) an activity carries out. The tenant column lets
 * row-level security hide the rows; the service checks that each item is the tenant's.
 */
export const activityProgramItems = pgTable(
  'activity_program_items',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      // a deleted measure (or program) takes its links with it rather than blocking the delete
      .references(() => programItems.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.itemId] }), index('activity_program_items_item_idx').on(t.itemId)],
);

/** Sessions (课次) of a training class: each takes its own attendance of the roster. */
export const activitySessions = pgTable(
  'activity_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    topic: text('topic').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('activity_sessions_activity_idx').on(t.activityId, t.startsAt),
    check('activity_sessions_time_check', sql`${t.endsAt} >= ${t.startsAt}`),
    check('activity_sessions_topic_check', sql`length(${t.topic}) between 1 and 200`),
  ],
);

/** Who of the roster attended a session; a row per trainee once attendance was taken. */
export const activitySessionAttendance = pgTable(
  'activity_session_attendance',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => activitySessions.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => activityParticipants.id, { onDelete: 'cascade' }),
    present: boolean('present').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.participantId] }), index('activity_session_attendance_participant_idx').on(t.participantId)],
);

/** Enterprises of the registry a visit went to: reports count visited enterprises by these links. */
export const activityEnterprises = pgTable(
  'activity_enterprises',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activities.id, { onDelete: 'cascade' }),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.enterpriseId] }), index('activity_enterprises_enterprise_idx').on(t.enterpriseId)],
);

// Request and response schemas of the activities area, shared by the server and the web.
import { z } from 'zod';
import { IdSchema, PageQuerySchema, VersionSchema } from './common';
import { PartyStatusSchema, UnitTypeSchema } from './org';

export const activityCategories = ['organisational_life', 'study', 'education', 'training', 'meeting', 'visit', 'volunteer', 'other'] as const;
export const ActivityCategorySchema = z.enum(activityCategories);
export const quorumRules = ['none', 'voting_members', 'committee'] as const;
export const QuorumRuleSchema = z.enum(quorumRules);
export const fieldKinds = ['text', 'number', 'select', 'date'] as const;
export const FieldKindSchema = z.enum(fieldKinds);

export const activityLimits = {
  topicMax: 200,
  contentMax: 10_000,
  placeMax: 200,
  reasonMax: 500,
  minutesMax: 200_000,
  fieldsMax: 20,
  optionsMax: 30,
  extraTextMax: 500,
  participantsMax: 2000,
  /** program measures one activity may be linked to */
  programItemsMax: 20,
  /** registry enterprises one visit may name */
  enterprisesMax: 20,
  /** sessions of one training class */
  sessionsMax: 200,
  attachmentMaxBytes: 20 * 1024 * 1024,
  /** the sign-in code changes every this many seconds */
  signinPeriodSeconds: 30,
} as const;

/** One extra field of an activity type, e.g. "place visited" or "hours". */
export const FieldDefSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,31}$/, 'key'),
    labelZh: z.string().trim().min(1).max(50),
    labelEn: z.string().trim().min(1).max(100),
    kind: FieldKindSchema,
    required: z.boolean().default(false),
    options: z.array(z.object({ value: z.string().trim().min(1).max(50), labelZh: z.string().trim().min(1).max(50), labelEn: z.string().trim().min(1).max(100) })).max(activityLimits.optionsMax).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'select') {
      if (!f.options || f.options.length === 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs options' });
      else if (new Set(f.options.map((o) => o.value)).size !== f.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'duplicate option' });
    } else if (f.options !== undefined) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only a select field has options' });
  });
export type FieldDef = z.infer<typeof FieldDefSchema>;

export const FieldDefsSchema = z
  .array(FieldDefSchema)
  .max(activityLimits.fieldsMax)
  .superRefine((fs, ctx) => {
    const keys = fs.map((f) => f.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'duplicate key' });
    });
  });

export const ActivityTypeSchema = z.object({
  id: IdSchema,
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  category: ActivityCategorySchema,
  unitTypes: z.array(UnitTypeSchema),
  takesAttendance: z.boolean(),
  countsPersonTimes: z.boolean(),
  quorumRule: QuorumRuleSchema,
  fields: z.array(FieldDefSchema),
  active: z.boolean(),
  sortOrder: z.number().int(),
  version: z.number().int(),
});
export type ActivityType = z.infer<typeof ActivityTypeSchema>;
export const ActivityTypeListSchema = z.object({ items: z.array(ActivityTypeSchema) });
export const ActivityTypeListQuerySchema = z.object({ includeInactive: z.enum(['true', 'false']).default('false').transform((v) => v === 'true') });

const typeFields = {
  nameZh: z.string().trim().min(1).max(50),
  nameEn: z.string().trim().min(1).max(100),
  category: ActivityCategorySchema,
  unitTypes: z.array(UnitTypeSchema).max(10).default([]),
  takesAttendance: z.boolean().default(true),
  countsPersonTimes: z.boolean().default(true),
  quorumRule: QuorumRuleSchema.default('none'),
  fields: FieldDefsSchema.default([]),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
};
export const CreateActivityTypeRequestSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,47}$/, 'code'),
  ...typeFields,
});
export type CreateActivityTypeRequest = z.infer<typeof CreateActivityTypeRequestSchema>;
export const UpdateActivityTypeRequestSchema = z.object({
  version: VersionSchema,
  nameZh: typeFields.nameZh.optional(),
  nameEn: typeFields.nameEn.optional(),
  category: ActivityCategorySchema.optional(),
  unitTypes: z.array(UnitTypeSchema).max(10).optional(),
  takesAttendance: z.boolean().optional(),
  countsPersonTimes: z.boolean().optional(),
  quorumRule: QuorumRuleSchema.optional(),
  fields: FieldDefsSchema.optional(),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
  active: z.boolean().optional(),
});
export type UpdateActivityTypeRequest = z.infer<typeof UpdateActivityTypeRequestSchema>;

export const activityStatuses = ['planned', 'held', 'recorded', 'cancelled'] as const;
export const ActivityStatusSchema = z.enum(activityStatuses);
export type ActivityStatus = z.infer<typeof ActivityStatusSchema>;
export const attendances = ['pending', 'present', 'leave', 'absent'] as const;
export const AttendanceSchema = z.enum(attendances);
export const participantRoles = ['participant', 'speaker', 'host'] as const;
export const ParticipantRoleSchema = z.enum(participantRoles);
export const LeaveStatusSchema = z.enum(['requested', 'approved', 'rejected']);

const ExtraValueSchema = z.union([z.string().max(activityLimits.extraTextMax), z.number(), z.null()]);
export const ExtraSchema = z.record(z.string().max(32), ExtraValueSchema);

/**
 * Who is expected: every member of these units (office, branch or group), these people, these
 * contacts of the united-front registry (people outside the Party), with a role.
 */
export const ParticipantPickSchema = z.object({
  unitIds: z.array(IdSchema).max(50).default([]),
  personIds: z.array(IdSchema).max(activityLimits.participantsMax).default([]),
  contactIds: z.array(IdSchema).max(activityLimits.participantsMax).default([]),
  speakerIds: z.array(IdSchema).max(50).default([]),
  hostIds: z.array(IdSchema).max(20).default([]),
});
export type ParticipantPick = z.infer<typeof ParticipantPickSchema>;

const activityFields = {
  typeId: IdSchema,
  unitId: IdSchema,
  topic: z.string().trim().min(1).max(activityLimits.topicMax),
  content: z.string().trim().max(activityLimits.contentMax).nullish(),
  place: z.string().trim().max(activityLimits.placeMax).nullish(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  extra: ExtraSchema.default({}),
};
/** program measures (program items) the activity carries out; distinct ids */
const ProgramItemIdsSchema = z
  .array(IdSchema)
  .max(activityLimits.programItemsMax)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate program item' });
/** registry enterprises a visit went to; distinct ids */
const EnterpriseIdsSchema = z
  .array(IdSchema)
  .max(activityLimits.enterprisesMax)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate enterprise' });
/** training classes: sessions a trainee must attend to complete (null = all of them) */
const RequiredSessionsSchema = z.number().int().min(1).max(500).nullable();
export const CreateActivityRequestSchema = z.object({
  ...activityFields,
  participants: ParticipantPickSchema.optional(),
  programItemIds: ProgramItemIdsSchema.default([]),
  enterpriseIds: EnterpriseIdsSchema.default([]),
  requiredSessions: RequiredSessionsSchema.optional(),
});
export type CreateActivityRequest = z.infer<typeof CreateActivityRequestSchema>;
export const UpdateActivityRequestSchema = z.object({
  version: VersionSchema,
  topic: activityFields.topic.optional(),
  content: activityFields.content,
  place: activityFields.place,
  startsAt: activityFields.startsAt.optional(),
  endsAt: activityFields.endsAt.optional(),
  extra: ExtraSchema.optional(),
  /** when given, replaces the links (an empty array unlinks all) */
  programItemIds: ProgramItemIdsSchema.optional(),
  /** when given, replaces the visited enterprises */
  enterpriseIds: EnterpriseIdsSchema.optional(),
  requiredSessions: RequiredSessionsSchema.optional(),
});
export type UpdateActivityRequest = z.infer<typeof UpdateActivityRequestSchema>;

export const ActivityListQuerySchema = PageQuerySchema.extend({
  unitId: IdSchema.optional(),
  typeId: IdSchema.optional(),
  personId: IdSchema.optional(),
  status: ActivityStatusSchema.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  q: z.string().trim().max(64).optional(),
});
export type ActivityListQuery = z.infer<typeof ActivityListQuerySchema>;

export const ActivitySummarySchema = z.object({
  id: IdSchema,
  typeId: IdSchema,
  typeNameZh: z.string(),
  typeNameEn: z.string(),
  /** the type's category: 'training' classes have sessions, 'visit' names enterprises */
  category: ActivityCategorySchema,
  unitId: IdSchema,
  unitName: z.string(),
  topic: z.string(),
  place: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: ActivityStatusSchema,
  quorumRule: QuorumRuleSchema,
  quorumEligible: z.number().int().nullable(),
  quorumPresent: z.number().int().nullable(),
  valid: z.boolean(),
  expected: z.number().int(),
  present: z.number().int(),
  version: z.number().int(),
});
export type ActivitySummary = z.infer<typeof ActivitySummarySchema>;

export const ParticipantSchema = z.object({
  /** the participant row: session attendance refers to it */
  id: IdSchema,
  /** exactly one of personId and contactId is set */
  personId: IdSchema.nullable(),
  contactId: IdSchema.nullable(),
  name: z.string(),
  /** a contact's united-front categories (names) */
  categories: z.array(z.string()),
  unitName: z.string().nullable(),
  role: ParticipantRoleSchema,
  attendance: AttendanceSchema,
  signedInAt: z.string().nullable(),
  signInMethod: z.enum(['qr', 'manual']).nullable(),
  leaveReason: z.string().nullable(),
  leaveStatus: LeaveStatusSchema.nullable(),
  partyStatus: PartyStatusSchema,
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const AttachmentSchema = z.object({
  id: IdSchema,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** a program measure the activity is linked to */
export const LinkedProgramItemSchema = z.object({
  id: IdSchema,
  title: z.string(),
  programId: IdSchema,
  programTitle: z.string(),
});
export type LinkedProgramItem = z.infer<typeof LinkedProgramItemSchema>;

export const ActivitySessionSchema = z.object({
  id: IdSchema,
  startsAt: z.string(),
  endsAt: z.string(),
  topic: z.string(),
  /** participant rows present at this session */
  presentIds: z.array(IdSchema),
  /** participant rows whose attendance was taken (present or not) */
  takenIds: z.array(IdSchema),
});
export type ActivitySession = z.infer<typeof ActivitySessionSchema>;

/** A training class: its sessions, what completes it, who completed it. */
export const TrainingSchema = z.object({
  requiredSessions: z.number().int().nullable(),
  /** sessions needed now: requiredSessions, or every session when not set */
  needed: z.number().int(),
  sessions: z.array(ActivitySessionSchema),
  /** participant rows that completed the class */
  completedIds: z.array(IdSchema),
});
export type Training = z.infer<typeof TrainingSchema>;

export const LinkedEnterpriseSchema = z.object({ id: IdSchema, name: z.string(), type: z.string() });
export type LinkedEnterprise = z.infer<typeof LinkedEnterpriseSchema>;

export const ActivityDetailSchema = ActivitySummarySchema.extend({
  programItems: z.array(LinkedProgramItemSchema),
  enterprises: z.array(LinkedEnterpriseSchema),
  /** training classes only (category 'training') */
  training: TrainingSchema.nullable(),
  content: z.string().nullable(),
  cancelReason: z.string().nullable(),
  extra: ExtraSchema,
  minutesHtml: z.string().nullable(),
  typeFields: z.array(FieldDefSchema),
  takesAttendance: z.boolean(),
  participants: z.array(ParticipantSchema),
  attachments: z.array(AttachmentSchema),
  /** the viewer may plan, take attendance, record */
  canManage: z.boolean(),
  /** the viewer's own participation, when they are a participant */
  me: ParticipantSchema.nullable(),
});
export type ActivityDetail = z.infer<typeof ActivityDetailSchema>;

export const AddParticipantsRequestSchema = ParticipantPickSchema;
export const RemoveParticipantRequestSchema = z.object({ personId: IdSchema });

/** Attendance of one participant: a person (personId) or a contact (contactId), exactly one. */
export const AttendanceItemSchema = z
  .object({
    personId: IdSchema.optional(),
    contactId: IdSchema.optional(),
    attendance: AttendanceSchema,
    leaveReason: z.string().trim().min(1).max(activityLimits.reasonMax).optional(),
  })
  .refine((v) => !!v.personId !== !!v.contactId, { message: 'personId or contactId', path: ['personId'] });
export const SetAttendanceRequestSchema = z.object({
  items: z.array(AttendanceItemSchema).min(1).max(activityLimits.participantsMax),
});
export type SetAttendanceRequest = z.infer<typeof SetAttendanceRequestSchema>;

export const LeaveRequestSchema = z.object({ reason: z.string().trim().min(1).max(activityLimits.reasonMax) });
export const LeaveDecisionRequestSchema = z.object({ personId: IdSchema, approve: z.boolean() });

export const TransitionRequestSchema = z.object({ version: VersionSchema, status: z.enum(['held', 'recorded']) });
export const CancelActivityRequestSchema = z.object({ version: VersionSchema, reason: z.string().trim().min(1).max(activityLimits.reasonMax) });
export const MinutesRequestSchema = z.object({ version: VersionSchema, html: z.string().max(activityLimits.minutesMax) });

export const SigninCodeSchema = z.object({
  code: z.string(),
  /** the web path a phone opens: /m/signin/<id>?c=<code> */
  path: z.string(),
  /** when this code stops being the current one (it is still accepted for one more period) */
  rotatesAt: z.string(),
  periodSeconds: z.number().int(),
});
export const SigninRequestSchema = z.object({ code: z.string().min(1).max(64) });
/** What the phone page shows: the activity and the viewer's own attendance. */
export const SigninInfoSchema = z.object({
  id: IdSchema,
  topic: z.string(),
  typeNameZh: z.string(),
  typeNameEn: z.string(),
  unitName: z.string(),
  place: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: ActivityStatusSchema,
  me: ParticipantSchema.nullable(),
});
export type SigninInfo = z.infer<typeof SigninInfoSchema>;

export const AttendanceResultSchema = z.object({
  updated: z.number().int(),
  quorumEligible: z.number().int().nullable(),
  quorumPresent: z.number().int().nullable(),
  valid: z.boolean(),
});
export const ActivityExportQuerySchema = ActivityListQuerySchema.omit({ page: true, pageSize: true });
export const AttachmentParamsSchema = z.object({ id: IdSchema, attachmentId: IdSchema });
/** personId: the person's id, or the contact's id for a contact participant */
export const ParticipantParamsSchema = z.object({ id: IdSchema, personId: IdSchema });

export const CreateSessionRequestSchema = z.object({
  topic: z.string().trim().min(1).max(activityLimits.topicMax),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;
export const SessionAttendanceRequestSchema = z.object({
  items: z
    .array(z.object({ participantId: IdSchema, present: z.boolean() }))
    .min(1)
    .max(activityLimits.participantsMax)
    .refine((xs) => new Set(xs.map((x) => x.participantId)).size === xs.length, { message: 'duplicate participant' }),
});
export type SessionAttendanceRequest = z.infer<typeof SessionAttendanceRequestSchema>;
export const SessionParamsSchema = z.object({ id: IdSchema, sessionId: IdSchema });

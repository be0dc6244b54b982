// Request and response schemas of the programs area (programs, feedback forms, problems and
// rectification), shared by the server and the web.
import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, VersionSchema } from './common';

export const programLimits = {
  titleMax: 200,
  textMax: 5000,
  itemTitleMax: 300,
  kindMax: 20,
  /** a tree deeper than this is a mistake, not a plan */
  itemDepthMax: 6,
  indicatorTargetMax: 100_000,
  formFieldsMax: 50,
  fieldLabelMax: 200,
  choiceOptionsMax: 30,
  optionMax: 100,
  /** one text answer; the whole public body is also limited (publicBodyMaxBytes) */
  answerTextMax: 5000,
  respondentNameMax: 64,
  respondentContactMax: 100,
  /** one file answer, decoded */
  answerFileMaxBytes: 2 * 1024 * 1024,
  /** the public answer request; anything larger is refused before it is parsed */
  publicBodyMaxBytes: 3 * 1024 * 1024,
  /** public submissions per address per minute */
  publicSubmitsPerMinute: 10,
  invitationsMax: 500,
  measureTitleMax: 500,
  progressNoteMax: 2000,
  reasonMax: 500,
  evidenceMaxBytes: 20 * 1024 * 1024,
  /** a measure due within this many days is flagged amber */
  dueSoonDays: 7,
} as const;

// ---------------------------------------------------------------- programs

export const PersonRefSchema = z.object({ id: IdSchema, name: z.string() });
export const UserRefSchema = z.object({ id: IdSchema, name: z.string() });
export type UserRef = z.infer<typeof UserRefSchema>;

export const indicatorKinds = ['computed', 'manual'] as const;
/** linked_activities: held or recorded activities linked to the indicator's own item */
export const indicatorSources = ['activities', 'linked_activities', 'problems', 'feedback_responses'] as const;
export const IndicatorSourceSchema = z.enum(indicatorSources);
export type IndicatorSource = z.infer<typeof IndicatorSourceSchema>;

/** The saved query of a computed indicator; a missing period means the program's. */
export const IndicatorQuerySchema = z.object({
  typeCodes: z.array(z.string().regex(/^[a-z][a-z0-9_]{1,47}$/)).max(20).optional(),
  unitId: IdSchema.optional(),
  from: DateSchema.optional(),
  to: DateSchema.optional(),
});
export type IndicatorQuery = z.infer<typeof IndicatorQuerySchema>;

export const IndicatorSchema = z.object({
  id: IdSchema,
  name: z.string(),
  kind: z.enum(indicatorKinds),
  source: IndicatorSourceSchema.nullable(),
  query: IndicatorQuerySchema,
  target: z.number().int().nullable(),
  /** records counted (computed) */
  count: z.number().int().nullable(),
  manualPercent: z.number().int().nullable(),
  manualEvidence: z.string().nullable(),
  /** 0–100 */
  progress: z.number(),
  version: z.number().int(),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

export const ProgramItemSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  kind: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  dueOn: DateSchema.nullable(),
  sortOrder: z.number().int(),
  owners: z.array(PersonRefSchema),
  indicators: z.array(IndicatorSchema),
  /** 0–100 over its indicators and children; null when there is nothing to measure */
  progress: z.number().nullable(),
  version: z.number().int(),
});
export type ProgramItem = z.infer<typeof ProgramItemSchema>;

export const ProgramSummarySchema = z.object({
  id: IdSchema,
  title: z.string(),
  description: z.string().nullable(),
  ownerUnitId: IdSchema,
  ownerUnitName: z.string(),
  ownerUserId: IdSchema.nullable(),
  ownerUserName: z.string().nullable(),
  startsOn: DateSchema,
  endsOn: DateSchema,
  version: z.number().int(),
});
export type ProgramSummary = z.infer<typeof ProgramSummarySchema>;

export const ProgramDetailSchema = ProgramSummarySchema.extend({
  /** depth-first, parents before children */
  items: z.array(ProgramItemSchema),
  progress: z.number().nullable(),
  /** the actor's programs.write scope covers the owner unit: the program, its items and indicators are theirs to edit */
  canEdit: z.boolean(),
});
export type ProgramDetail = z.infer<typeof ProgramDetailSchema>;

export const ProgramListQuerySchema = PageQuerySchema.extend({ q: z.string().trim().max(64).optional() });

const programFields = {
  title: z.string().trim().min(1).max(programLimits.titleMax),
  description: z.string().trim().max(programLimits.textMax).nullable().optional(),
  ownerUnitId: IdSchema,
  ownerUserId: IdSchema.nullable().optional(),
  startsOn: DateSchema,
  endsOn: DateSchema,
};
export const CreateProgramRequestSchema = z.object(programFields);
export type CreateProgramRequest = z.infer<typeof CreateProgramRequestSchema>;
export const UpdateProgramRequestSchema = z.object({ version: VersionSchema, ...programFields }).partial().required({ version: true });
export type UpdateProgramRequest = z.infer<typeof UpdateProgramRequestSchema>;

const itemFields = {
  kind: z.string().trim().min(1).max(programLimits.kindMax),
  title: z.string().trim().min(1).max(programLimits.itemTitleMax),
  description: z.string().trim().max(programLimits.textMax).nullable().optional(),
  dueOn: DateSchema.nullable().optional(),
  sortOrder: z.number().int().min(0).max(100_000).optional(),
  ownerPersonIds: z.array(IdSchema).max(20).optional(),
};
export const CreateProgramItemRequestSchema = z.object({ parentId: IdSchema.nullable().optional(), ...itemFields });
export type CreateProgramItemRequest = z.infer<typeof CreateProgramItemRequestSchema>;
export const UpdateProgramItemRequestSchema = z.object({ version: VersionSchema, ...itemFields }).partial().required({ version: true });
export type UpdateProgramItemRequest = z.infer<typeof UpdateProgramItemRequestSchema>;

export const CreateIndicatorRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('computed'),
    name: z.string().trim().min(1).max(200),
    source: IndicatorSourceSchema,
    query: IndicatorQuerySchema.default({}),
    target: z.number().int().min(1).max(programLimits.indicatorTargetMax),
  }),
  z.object({ kind: z.literal('manual'), name: z.string().trim().min(1).max(200) }),
]);
export type CreateIndicatorRequest = z.infer<typeof CreateIndicatorRequestSchema>;
export const UpdateIndicatorRequestSchema = z.object({
  version: VersionSchema,
  name: z.string().trim().min(1).max(200).optional(),
  query: IndicatorQuerySchema.optional(),
  target: z.number().int().min(1).max(programLimits.indicatorTargetMax).optional(),
  /** a manual judgement: percentage with its evidence */
  manualPercent: z.number().int().min(0).max(100).optional(),
  manualEvidence: z.string().trim().min(1).max(programLimits.textMax).optional(),
});
export type UpdateIndicatorRequest = z.infer<typeof UpdateIndicatorRequestSchema>;

/** A record behind a count: what the list shows and where it opens. */
export const IndicatorRecordSchema = z.object({ id: IdSchema, title: z.string(), date: z.string().nullable(), unitName: z.string().nullable(), status: z.string().nullable(), link: z.string() });
export const IndicatorRecordsSchema = z.object({ source: IndicatorSourceSchema, items: z.array(IndicatorRecordSchema), total: z.number().int() });
export type IndicatorRecords = z.infer<typeof IndicatorRecordsSchema>;

// ---------------------------------------------------------------- feedback forms

export const formFieldKinds = ['text', 'choice', 'rating', 'file'] as const;
export const FormFieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    label: z.string().trim().min(1).max(programLimits.fieldLabelMax),
    kind: z.enum(formFieldKinds),
    required: z.boolean().default(false),
    /** choice: the options; multiple: more than one may be picked */
    options: z.array(z.string().trim().min(1).max(programLimits.optionMax)).max(programLimits.choiceOptionsMax).optional(),
    multiple: z.boolean().optional(),
    /** text: a multi-line box */
    long: z.boolean().optional(),
  })
  .refine((f) => f.kind !== 'choice' || (f.options?.length ?? 0) >= 2, { message: 'a choice needs at least two options', path: ['options'] });
export type FormField = z.infer<typeof FormFieldSchema>;
const FormFieldsSchema = z
  .array(FormFieldSchema)
  .min(1)
  .max(programLimits.formFieldsMax)
  .refine((fs) => new Set(fs.map((f) => f.key)).size === fs.length, { message: 'field keys must be unique' });

export const formModes = ['named', 'anonymous'] as const;
export const formStatuses = ['draft', 'open', 'closed'] as const;
export const FormStatusSchema = z.enum(formStatuses);

export const FeedbackFormSchema = z.object({
  id: IdSchema,
  publicId: z.string(),
  programId: IdSchema.nullable(),
  programTitle: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  mode: z.enum(formModes),
  inviteOnly: z.boolean(),
  status: FormStatusSchema,
  fields: z.array(FormFieldSchema),
  responses: z.number().int(),
  invited: z.number().int(),
  invitedAnswered: z.number().int(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type FeedbackForm = z.infer<typeof FeedbackFormSchema>;

const formFields = {
  title: z.string().trim().min(1).max(programLimits.titleMax),
  description: z.string().trim().max(programLimits.textMax).nullable().optional(),
  programId: IdSchema.nullable().optional(),
  mode: z.enum(formModes).default('anonymous'),
  inviteOnly: z.boolean().default(false),
  fields: FormFieldsSchema,
};
export const CreateFormRequestSchema = z.object(formFields);
export type CreateFormRequest = z.infer<typeof CreateFormRequestSchema>;
export const UpdateFormRequestSchema = z
  .object({ version: VersionSchema, ...formFields, mode: z.enum(formModes), inviteOnly: z.boolean() })
  .partial()
  .required({ version: true });
export type UpdateFormRequest = z.infer<typeof UpdateFormRequestSchema>;
export const SetFormStatusRequestSchema = z.object({ version: VersionSchema, status: FormStatusSchema });

export const CreateInvitationsRequestSchema = z.object({
  unitIds: z.array(IdSchema).max(programLimits.invitationsMax).default([]),
  personIds: z.array(IdSchema).max(programLimits.invitationsMax).default([]),
});
export const InvitationSchema = z.object({
  id: IdSchema,
  targetType: z.enum(['unit', 'person']),
  targetId: IdSchema,
  targetName: z.string(),
  answered: z.boolean(),
  answeredAt: z.string().nullable(),
  /** only in the reply that created it: the token is never stored in clear */
  token: z.string().optional(),
});
export type Invitation = z.infer<typeof InvitationSchema>;
export const InvitationListSchema = z.object({ items: z.array(InvitationSchema) });

export const AnswerFileSchema = z.object({
  name: z.string().trim().min(1).max(255),
  type: z.string().max(100),
  /** base64 of the bytes; limited again after decoding */
  data: z.string().max(Math.ceil((programLimits.answerFileMaxBytes * 4) / 3) + 4),
});
export const AnswerValueSchema = z.union([
  z.string().max(programLimits.answerTextMax),
  z.number(),
  z.array(z.string().max(programLimits.optionMax)).max(programLimits.choiceOptionsMax),
  AnswerFileSchema,
]);
export const PublicAnswerRequestSchema = z.object({
  answers: z.record(z.string().max(32), AnswerValueSchema),
  name: z.string().trim().max(programLimits.respondentNameMax).optional(),
  contact: z.string().trim().max(programLimits.respondentContactMax).optional(),
  token: z.string().max(100).optional(),
  /** honeypot: hidden from people; a bot that fills it is told "thanks" and nothing is stored */
  website: z.string().max(1000).optional(),
});
export type PublicAnswerRequest = z.infer<typeof PublicAnswerRequestSchema>;

export const PublicFormSchema = z.object({
  title: z.string(),
  description: z.string().nullable(),
  mode: z.enum(formModes),
  inviteOnly: z.boolean(),
  status: FormStatusSchema,
  fields: z.array(FormFieldSchema),
});
export type PublicForm = z.infer<typeof PublicFormSchema>;

export const StoredAnswerSchema = z.union([z.string(), z.number(), z.array(z.string()), z.object({ fileId: IdSchema, name: z.string(), size: z.number() })]);
export const FeedbackResponseSchema = z.object({
  id: IdSchema,
  formId: IdSchema,
  respondentName: z.string().nullable(),
  respondentContact: z.string().nullable(),
  invitationTarget: z.string().nullable(),
  answers: z.record(z.string(), StoredAnswerSchema),
  createdAt: z.string(),
  problemIds: z.array(IdSchema),
});
export type FeedbackResponse = z.infer<typeof FeedbackResponseSchema>;

// ---------------------------------------------------------------- problems and rectification

export const problemSources = ['feedback_response', 'self_inspection', 'research', 'supervision', 'other'] as const;
export const ProblemSourceSchema = z.enum(problemSources);
export const problemStatuses = ['open', 'rectified'] as const;
export const measureStatuses = ['not_started', 'in_progress', 'done', 'long_term'] as const;
export const MeasureStatusSchema = z.enum(measureStatuses);
/** red: past the deadline and not closed; amber: due within programLimits.dueSoonDays */
export const dueFlags = ['overdue', 'soon'] as const;

export const ProblemCategorySchema = z.object({ id: IdSchema, code: z.string(), nameZh: z.string(), nameEn: z.string(), active: z.boolean(), sortOrder: z.number().int() });
export type ProblemCategory = z.infer<typeof ProblemCategorySchema>;
export const ProblemCategoryListSchema = z.object({ items: z.array(ProblemCategorySchema) });
export const CreateCategoryRequestSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,47}$/),
  nameZh: z.string().trim().min(1).max(50),
  nameEn: z.string().trim().min(1).max(100),
  sortOrder: z.number().int().min(0).max(1000).default(0),
});
export const UpdateCategoryRequestSchema = z.object({
  nameZh: z.string().trim().min(1).max(50).optional(),
  nameEn: z.string().trim().min(1).max(100).optional(),
  active: z.boolean().optional(),
  sortOrder: z.number().int().min(0).max(1000).optional(),
});

export const EvidenceSchema = z.object({ id: IdSchema, filename: z.string(), contentType: z.string(), size: z.number(), createdAt: z.string() });
export const ProgressNoteSchema = z.object({ id: IdSchema, percent: z.number().int(), note: z.string(), by: z.string().nullable(), createdAt: z.string() });
export const MeasureSchema = z.object({
  id: IdSchema,
  problemId: IdSchema,
  title: z.string(),
  owner: UserRefSchema,
  deadline: DateSchema,
  status: MeasureStatusSchema,
  immediate: z.boolean(),
  percent: z.number().int(),
  closed: z.boolean(),
  verifiedBy: UserRefSchema.nullable(),
  verifiedAt: z.string().nullable(),
  returnedReason: z.string().nullable(),
  due: z.enum(dueFlags).nullable(),
  progress: z.array(ProgressNoteSchema),
  evidence: z.array(EvidenceSchema),
  version: z.number().int(),
});
export type Measure = z.infer<typeof MeasureSchema>;

export const ProblemSummarySchema = z.object({
  id: IdSchema,
  number: z.number().int(),
  title: z.string(),
  source: ProblemSourceSchema,
  categoryId: IdSchema,
  categoryName: z.string(),
  programId: IdSchema.nullable(),
  programTitle: z.string().nullable(),
  foundOn: DateSchema,
  status: z.enum(problemStatuses),
  claimants: z.array(UserRefSchema),
  measures: z.number().int(),
  measuresClosed: z.number().int(),
  /** the worst flag of its open measures */
  due: z.enum(dueFlags).nullable(),
  version: z.number().int(),
});
export type ProblemSummary = z.infer<typeof ProblemSummarySchema>;
export const ProblemDetailSchema = ProblemSummarySchema.extend({
  description: z.string(),
  sourceResponseId: IdSchema.nullable(),
  rectifiedAt: z.string().nullable(),
  measureList: z.array(MeasureSchema),
  /** the actor may assign claimants (is the program's owner) */
  canAssign: z.boolean(),
  /** the actor's write scope reaches the problem (its program's owner unit; no program: tenant-wide) */
  canEdit: z.boolean(),
  /** the actor may verify its measures (scope of rectification.verify) */
  canVerify: z.boolean(),
});
export type ProblemDetail = z.infer<typeof ProblemDetailSchema>;

export const ProblemListQuerySchema = PageQuerySchema.extend({
  status: z.enum(problemStatuses).optional(),
  categoryId: IdSchema.optional(),
  claimantId: IdSchema.optional(),
  programId: IdSchema.optional(),
  source: ProblemSourceSchema.optional(),
  due: z.enum(dueFlags).optional(),
  q: z.string().trim().max(64).optional(),
});
export type ProblemListQuery = z.infer<typeof ProblemListQuerySchema>;

const problemFields = {
  title: z.string().trim().min(1).max(programLimits.titleMax),
  description: z.string().trim().min(1).max(programLimits.textMax),
  categoryId: IdSchema,
  foundOn: DateSchema,
  programId: IdSchema.nullable().optional(),
};
export const CreateProblemRequestSchema = z.object({
  ...problemFields,
  source: ProblemSourceSchema,
  /** a problem made from a feedback response (or a part of it) */
  sourceResponseId: IdSchema.optional(),
});
export type CreateProblemRequest = z.infer<typeof CreateProblemRequestSchema>;
export const UpdateProblemRequestSchema = z
  .object({
    version: VersionSchema,
    ...problemFields,
    /** a problem raised from a feedback response keeps that source; the others move among themselves */
    source: ProblemSourceSchema.exclude(['feedback_response']),
  })
  .partial()
  .required({ version: true });
export type UpdateProblemRequest = z.infer<typeof UpdateProblemRequestSchema>;
export const AssignClaimRequestSchema = z.object({ userId: IdSchema });

export const CreateMeasureRequestSchema = z.object({
  title: z.string().trim().min(1).max(programLimits.measureTitleMax),
  ownerUserId: IdSchema,
  deadline: DateSchema,
  immediate: z.boolean().default(false),
  status: MeasureStatusSchema.default('not_started'),
});
export type CreateMeasureRequest = z.infer<typeof CreateMeasureRequestSchema>;
export const UpdateMeasureRequestSchema = z.object({
  version: VersionSchema,
  title: z.string().trim().min(1).max(programLimits.measureTitleMax).optional(),
  ownerUserId: IdSchema.optional(),
  deadline: DateSchema.optional(),
  immediate: z.boolean().optional(),
  status: MeasureStatusSchema.optional(),
});
export type UpdateMeasureRequest = z.infer<typeof UpdateMeasureRequestSchema>;
export const ProgressRequestSchema = z.object({
  percent: z.number().int().min(0).max(100),
  note: z.string().trim().min(1).max(programLimits.progressNoteMax),
  status: MeasureStatusSchema.optional(),
});
export type ProgressRequest = z.infer<typeof ProgressRequestSchema>;
export const ReturnMeasureRequestSchema = z.object({ version: VersionSchema, reason: z.string().trim().min(1).max(programLimits.reasonMax) });

export const AssigneeListSchema = z.object({ items: z.array(UserRefSchema) });

// Request and response schemas of the unitedfront area, shared by the server and the web.
import { z } from 'zod';
import { limits } from './limits';
import { DateSchema, IdSchema, VersionSchema } from './common';
import { GenderSchema, IdNumberSchema, PhoneSchema } from './org';

/** Limits of the united-front registry, shared by the forms and the server. */
export const ufLimits = {
  textMax: 100,
  notesMax: 2000,
  tagMax: 20,
  tagsMax: 20,
  categoriesMax: 9 * 2,
  arrangementsMax: 6,
  enterpriseContactsMax: 50,
  timelineMax: 200,
} as const;

// ---- catalogues ----

export const UfCategorySchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  /** 民主党派成员: a contact of this category names a party (and a join date) */
  needsParty: z.boolean(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export type UfCategory = z.infer<typeof UfCategorySchema>;

export const UfPartySchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  sortOrder: z.number().int(),
  active: z.boolean(),
});
export type UfParty = z.infer<typeof UfPartySchema>;

export const UfCataloguesSchema = z.object({ categories: z.array(UfCategorySchema), parties: z.array(UfPartySchema) });
export type UfCatalogues = z.infer<typeof UfCataloguesSchema>;

export const CreateUfCategoryRequestSchema = z.object({
  code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/),
  name: z.string().trim().min(1).max(limits.nameMax),
  needsParty: z.boolean().default(false),
  sortOrder: z.number().int().min(0).max(9999).default(100),
});
export type CreateUfCategoryRequest = z.infer<typeof CreateUfCategoryRequestSchema>;

// ---- contacts ----

/** 人大代表 / 政协委员 */
export const arrangementKinds = ['npc_deputy', 'cppcc_member'] as const;
export const arrangementLevels = ['national', 'provincial', 'city', 'district', 'township'] as const;
export const ArrangementSchema = z.object({
  kind: z.enum(arrangementKinds),
  level: z.enum(arrangementLevels),
  /** e.g. 第十五届 */
  term: z.string().trim().max(40).nullable().optional(),
});
export type Arrangement = z.infer<typeof ArrangementSchema>;

const TagSchema = z.string().trim().min(1).max(ufLimits.tagMax);
const optText = (max: number = ufLimits.textMax) => z.string().trim().max(max).nullable().optional();

const contactFields = {
  name: z.string().trim().min(1).max(limits.nameMax),
  gender: GenderSchema.nullable().optional(),
  ethnicity: z.string().trim().max(limits.ethnicityMax).nullable().optional(),
  birthDate: DateSchema.nullable().optional(),
  /** the owning office (data scope) */
  officeId: IdSchema,
  categoryIds: z.array(IdSchema).min(1).max(ufLimits.categoriesMax),
  partyId: IdSchema.nullable().optional(),
  partyJoinedOn: DateSchema.nullable().optional(),
  organisation: optText(),
  post: optText(),
  arrangements: z.array(ArrangementSchema).max(ufLimits.arrangementsMax).default([]),
  phone: PhoneSchema.nullable().optional(),
  idNumber: IdNumberSchema.nullable().optional(),
  tags: z.array(TagSchema).max(ufLimits.tagsMax).default([]),
  notes: optText(ufLimits.notesMax),
};
export const CreateContactRequestSchema = z.object(contactFields);
export type CreateContactRequest = z.infer<typeof CreateContactRequestSchema>;
// no defaults on update: a field left out stays as it is
export const UpdateContactRequestSchema = z
  .object({ ...contactFields, arrangements: z.array(ArrangementSchema).max(ufLimits.arrangementsMax), tags: z.array(TagSchema).max(ufLimits.tagsMax) })
  .partial()
  .extend({ version: VersionSchema });
export type UpdateContactRequest = z.infer<typeof UpdateContactRequestSchema>;

export const ContactSchema = z.object({
  id: IdSchema,
  name: z.string(),
  gender: GenderSchema.nullable(),
  ethnicity: z.string().nullable(),
  birthDate: DateSchema.nullable(),
  officeId: IdSchema,
  officeName: z.string(),
  categories: z.array(z.object({ id: IdSchema, code: z.string(), name: z.string() })),
  partyId: IdSchema.nullable(),
  partyName: z.string().nullable(),
  partyJoinedOn: DateSchema.nullable(),
  organisation: z.string().nullable(),
  post: z.string().nullable(),
  arrangements: z.array(ArrangementSchema),
  phoneMasked: z.string().nullable(),
  idNumberMasked: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const ContactsListQuerySchema = z.object({
  /** name fragment */
  q: z.string().trim().max(limits.searchMax).optional(),
  categoryId: IdSchema.optional(),
  partyId: IdSchema.optional(),
  tag: TagSchema.optional(),
  officeId: IdSchema.optional(),
  arrangement: z.enum(arrangementKinds).optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});
export type ContactsListQuery = z.infer<typeof ContactsListQuerySchema>;

/** What to do with a file row that matches a contact already registered. */
export const duplicateActions = ['merge', 'skip'] as const;
export const DuplicateActionSchema = z.enum(duplicateActions);
/** Multipart fields of the import besides the file. */
export const ContactImportOptionsSchema = z.object({
  /** one action for every duplicate; without it, duplicates are reported (409 DUPLICATE) unless decided per row */
  onDuplicate: DuplicateActionSchema.optional(),
  /** per Excel row number: merge or skip */
  decisions: z.record(z.string().regex(/^\d+$/), DuplicateActionSchema).default({}),
});
export type ContactImportOptions = z.infer<typeof ContactImportOptionsSchema>;
export const ContactImportResultSchema = z.object({
  imported: z.number().int(),
  merged: z.number().int(),
  skipped: z.number().int(),
});
export type ContactImportResult = z.infer<typeof ContactImportResultSchema>;

// ---- enterprises ----

export const enterpriseTypes = ['private', 'taiwan_funded', 'overseas_chinese_funded', 'hk_macao_funded', 'other'] as const;
export const EnterpriseTypeSchema = z.enum(enterpriseTypes);
export type EnterpriseType = z.infer<typeof EnterpriseTypeSchema>;

/** 统一社会信用代码 (GB 32100-2015): 18 characters of 0-9 and A-Z without I, O, S, V, Z; the check digit is verified by the server. */
export const CreditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'creditCode');

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of the first 17 characters of a credit code (GB 32100-2015, mod 31). */
export function creditCodeCheckChar(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CHARS.indexOf(first17[i] ?? '?');
    if (v < 0) return undefined;
    sum += v * (CREDIT_WEIGHTS[i] ?? 0);
  }
  return CREDIT_CHARS[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

const enterpriseFields = {
  name: z.string().trim().min(1).max(ufLimits.textMax),
  creditCode: CreditCodeSchema,
  type: EnterpriseTypeSchema,
  industry: optText(),
  district: optText(),
  address: optText(200),
  officeId: IdSchema,
  notes: optText(ufLimits.notesMax),
  contacts: z
    .array(z.object({ contactId: IdSchema, role: z.string().trim().max(40).nullable().optional() }))
    .max(ufLimits.enterpriseContactsMax)
    .default([]),
};
export const CreateEnterpriseRequestSchema = z.object(enterpriseFields);
export type CreateEnterpriseRequest = z.infer<typeof CreateEnterpriseRequestSchema>;
export const UpdateEnterpriseRequestSchema = z
  .object({ ...enterpriseFields, contacts: enterpriseFields.contacts.unwrap() })
  .partial()
  .extend({ version: VersionSchema });
export type UpdateEnterpriseRequest = z.infer<typeof UpdateEnterpriseRequestSchema>;

export const EnterpriseSchema = z.object({
  id: IdSchema,
  name: z.string(),
  creditCode: z.string(),
  type: EnterpriseTypeSchema,
  industry: z.string().nullable(),
  district: z.string().nullable(),
  address: z.string().nullable(),
  officeId: IdSchema,
  officeName: z.string(),
  notes: z.string().nullable(),
  contacts: z.array(z.object({ contactId: IdSchema, name: z.string(), role: z.string().nullable() })),
  active: z.boolean(),
  version: z.number().int(),
});
export type Enterprise = z.infer<typeof EnterpriseSchema>;

export const EnterprisesListQuerySchema = z.object({
  q: z.string().trim().max(limits.searchMax).optional(),
  type: EnterpriseTypeSchema.optional(),
  district: z.string().trim().max(ufLimits.textMax).optional(),
  contactId: IdSchema.optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});
export type EnterprisesListQuery = z.infer<typeof EnterprisesListQuerySchema>;

// ---- timeline ----

/** One dated thing linked to a contact or an enterprise; other areas add kinds (training, visit, case…). */
export const TimelineEntrySchema = z.object({
  at: z.iso.datetime(),
  kind: z.string(),
  title: z.string(),
  actorName: z.string().nullable(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
export const TimelineSchema = z.object({ items: z.array(TimelineEntrySchema) });

// ---- service cases (办实事) ----

export const caseStatuses = ['open', 'coordinating', 'resolved', 'cannot_resolve'] as const;
export const CaseStatusSchema = z.enum(caseStatuses);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;
export const satisfactions = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

export const CreateCaseRequestSchema = z
  .object({
    officeId: IdSchema,
    enterpriseId: IdSchema.optional(),
    contactId: IdSchema.optional(),
    activityId: IdSchema.nullable().optional(),
    project: optText(),
    problem: z.string().trim().min(1).max(ufLimits.notesMax),
    category: z.string().trim().min(1).max(40),
    departments: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    raisedOn: DateSchema,
  })
  // the requester is an enterprise or a contact, exactly one
  .refine((v) => !!v.enterpriseId !== !!v.contactId, { message: 'requester', path: ['enterpriseId'] });
export type CreateCaseRequest = z.infer<typeof CreateCaseRequestSchema>;

/** A follow-up; it may move the case on. Closing (resolved / cannot_resolve) needs the result. */
export const CaseFollowupRequestSchema = z.object({
  version: VersionSchema,
  note: z.string().trim().min(1).max(ufLimits.notesMax),
  status: CaseStatusSchema.optional(),
  result: z.string().trim().min(1).max(ufLimits.notesMax).optional(),
  departments: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
  satisfaction: z.enum(satisfactions).optional(),
  closedOn: DateSchema.optional(),
});
export type CaseFollowupRequest = z.infer<typeof CaseFollowupRequestSchema>;

export const ServiceCaseSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  requesterType: z.enum(['enterprise', 'contact']),
  enterpriseId: IdSchema.nullable(),
  contactId: IdSchema.nullable(),
  requesterName: z.string(),
  activityId: IdSchema.nullable(),
  project: z.string().nullable(),
  problem: z.string(),
  category: z.string(),
  departments: z.array(z.string()),
  status: CaseStatusSchema,
  result: z.string().nullable(),
  satisfaction: z.enum(satisfactions).nullable(),
  raisedOn: DateSchema,
  closedOn: DateSchema.nullable(),
  followups: z.array(z.object({ at: z.iso.datetime(), note: z.string(), status: CaseStatusSchema.nullable(), byName: z.string() })),
  version: z.number().int(),
});
export type ServiceCase = z.infer<typeof ServiceCaseSchema>;

export const CasesListQuerySchema = z.object({
  status: CaseStatusSchema.optional(),
  enterpriseType: EnterpriseTypeSchema.optional(),
  project: z.string().trim().max(ufLimits.textMax).optional(),
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});
export type CasesListQuery = z.infer<typeof CasesListQuerySchema>;

/** Counts the reports use: problems raised and resolved, by requester enterprise type. */
export const CaseCountsSchema = z.object({
  raised: z.number().int(),
  resolved: z.number().int(),
  cannotResolve: z.number().int(),
  open: z.number().int(),
  byEnterpriseType: z.array(z.object({ type: EnterpriseTypeSchema, raised: z.number().int(), resolved: z.number().int() })),
});

// ---- integrity (廉政) ----

export const riskLevels = ['high', 'medium', 'low'] as const;
export const CreateRiskRequestSchema = z.object({
  officeId: IdSchema,
  duty: z.string().trim().min(1).max(500),
  risk: z.string().trim().min(1).max(2000),
  level: z.enum(riskLevels),
  controls: z.string().trim().min(1).max(4000),
  /** the person responsible (人员名册); required */
  ownerPersonId: IdSchema,
  reviewDueOn: DateSchema,
});
export type CreateRiskRequest = z.infer<typeof CreateRiskRequestSchema>;
/** Edits a risk point; the owner may change but never be removed. Reviews are recorded apart. */
export const UpdateRiskRequestSchema = CreateRiskRequestSchema.omit({ reviewDueOn: true }).partial().extend({ version: VersionSchema });
export type UpdateRiskRequest = z.infer<typeof UpdateRiskRequestSchema>;
/** A person offered as an owner or a research lead: name and office only, no personal data. */
export const PersonOptionSchema = z.object({ id: IdSchema, name: z.string(), officeName: z.string().nullable() });
export type PersonOption = z.infer<typeof PersonOptionSchema>;
export const PersonOptionsQuerySchema = z.object({ q: z.string().trim().max(limits.searchMax).optional(), ids: z.string().max(2000).optional() });
export const RiskReviewRequestSchema = z.object({ version: VersionSchema, reviewedOn: DateSchema, nextDueOn: DateSchema });
export const IntegrityRiskSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  officeName: z.string(),
  duty: z.string(),
  risk: z.string(),
  level: z.enum(riskLevels),
  controls: z.string(),
  ownerPersonId: IdSchema,
  ownerName: z.string(),
  reviewDueOn: DateSchema,
  lastReviewedOn: DateSchema.nullable(),
  reviewsDone: z.number().int(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export type IntegrityRisk = z.infer<typeof IntegrityRiskSchema>;
export const RisksListQuerySchema = z.object({
  level: z.enum(riskLevels).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});

export const CreateRuleRequestSchema = z.object({
  officeId: IdSchema,
  title: z.string().trim().min(1).max(200),
  adoptedOn: DateSchema,
  summary: z.string().trim().min(1).max(ufLimits.notesMax),
  body: z.string().max(100_000).nullable().optional(),
});
export const ReviseRuleRequestSchema = z.object({
  version: VersionSchema,
  revisedOn: DateSchema,
  summary: z.string().trim().min(1).max(ufLimits.notesMax),
  body: z.string().max(100_000).nullable().optional(),
});
export const IntegrityRuleSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  title: z.string(),
  currentVersion: z.number().int(),
  versions: z.array(z.object({ versionNo: z.number().int(), revisedOn: DateSchema, summary: z.string() })),
  version: z.number().int(),
});
export type IntegrityRule = z.infer<typeof IntegrityRuleSchema>;

// ---- publicity (宣传/信息) ----

export const publicityChannels = ['newspaper', 'website', 'wechat', 'report_to_higher', 'other'] as const;
export const adoptionLevels = ['district', 'city', 'provincial', 'national'] as const;
export const CreatePublicityRequestSchema = z.object({
  officeId: IdSchema,
  title: z.string().trim().min(1).max(200),
  channel: z.enum(publicityChannels),
  outlet: optText(),
  publishedOn: DateSchema,
  link: z.string().trim().regex(/^https?:\/\/\S+$/).max(500).nullable().optional(),
  adoptedLevel: z.enum(adoptionLevels).nullable().optional(),
});
export type CreatePublicityRequest = z.infer<typeof CreatePublicityRequestSchema>;
export const UpdatePublicityRequestSchema = CreatePublicityRequestSchema.partial().extend({ version: VersionSchema });
export type UpdatePublicityRequest = z.infer<typeof UpdatePublicityRequestSchema>;
export const PublicityItemSchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  title: z.string(),
  channel: z.enum(publicityChannels),
  outlet: z.string().nullable(),
  publishedOn: DateSchema,
  link: z.string().nullable(),
  adoptedLevel: z.enum(adoptionLevels).nullable(),
  version: z.number().int(),
});
export type PublicityItem = z.infer<typeof PublicityItemSchema>;
/** channel and adoptedLevel ('none' = not adopted) filter the items; the counts cover the whole period */
export const PublicityQuerySchema = z.object({
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  channel: z.enum(publicityChannels).optional(),
  adoptedLevel: z.enum([...adoptionLevels, 'none']).optional(),
});
export const PublicityCountsSchema = z.object({
  items: z.array(PublicityItemSchema),
  byChannel: z.array(z.object({ channel: z.enum(publicityChannels), count: z.number().int() })),
  byAdoptedLevel: z.array(z.object({ level: z.enum(adoptionLevels), count: z.number().int() })),
});

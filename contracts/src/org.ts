import { z } from 'zod';
import { limits } from './limits';
import { DateSchema, IdSchema, VersionSchema } from './common';

export const unitTypes = ['department', 'office', 'party_committee', 'discipline_committee', 'branch', 'party_group'] as const;
export const UnitTypeSchema = z.enum(unitTypes);
export type UnitType = z.infer<typeof UnitTypeSchema>;

export const OrgUnitSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  type: UnitTypeSchema,
  name: z.string(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type OrgUnit = z.infer<typeof OrgUnitSchema>;
export const OrgUnitListSchema = z.object({ items: z.array(OrgUnitSchema) });
export const OrgUnitListQuerySchema = z.object({
  includeInactive: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

const unitName = z.string().trim().min(1).max(limits.unitNameMax);
export const CreateOrgUnitRequestSchema = z.object({
  parentId: IdSchema,
  type: UnitTypeSchema,
  name: unitName,
  sortOrder: z.number().int().min(0).max(100_000).default(0),
});
export const UpdateOrgUnitRequestSchema = z.object({
  version: VersionSchema,
  name: unitName.optional(),
  type: UnitTypeSchema.optional(),
  sortOrder: z.number().int().min(0).max(100_000).optional(),
});
export const MoveOrgUnitRequestSchema = z.object({ version: VersionSchema, parentId: IdSchema });
export const VersionOnlyRequestSchema = z.object({ version: VersionSchema });

export const genders = ['male', 'female'] as const;
export const partyStatuses = ['full', 'probationary', 'none'] as const;
export const committeeRoles = ['secretary', 'deputy_secretary', 'organization', 'publicity', 'discipline'] as const;
export const GenderSchema = z.enum(genders);
export const PartyStatusSchema = z.enum(partyStatuses);
export const CommitteeRoleSchema = z.enum(committeeRoles);

/** Mainland phone numbers: 11 digits starting with 1. */
export const PhoneSchema = z.string().trim().regex(/^1\d{10}$/, 'phone');
/** 18-character resident ID number; the check digit is verified by the server. */
export const IdNumberSchema = z.string().trim().toUpperCase().regex(/^\d{17}[\dX]$/, 'idNumber');

const personFields = {
  name: z.string().trim().min(1).max(limits.nameMax),
  gender: GenderSchema,
  birthDate: DateSchema.nullable().optional(),
  ethnicity: z.string().trim().max(limits.ethnicityMax).nullable().optional(),
  phone: PhoneSchema.nullable().optional(),
  idNumber: IdNumberSchema.nullable().optional(),
  officeId: IdSchema,
  partyStatus: PartyStatusSchema,
  partyJoinedOn: DateSchema.nullable().optional(),
  fullMemberOn: DateSchema.nullable().optional(),
  branchId: IdSchema.nullable().optional(),
  groupId: IdSchema.nullable().optional(),
  committeeRole: CommitteeRoleSchema.nullable().optional(),
  isLeader: z.boolean().default(false),
};
export const CreatePersonRequestSchema = z.object(personFields);
export type CreatePersonRequest = z.infer<typeof CreatePersonRequestSchema>;
export const UpdatePersonRequestSchema = z
  .object(personFields)
  .partial()
  .extend({ version: VersionSchema });
export type UpdatePersonRequest = z.infer<typeof UpdatePersonRequestSchema>;

/** A person as lists and the detail drawer show them: phone and ID number masked. */
export const PersonSchema = z.object({
  id: IdSchema,
  name: z.string(),
  gender: GenderSchema,
  birthDate: DateSchema.nullable(),
  ethnicity: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  idNumberMasked: z.string().nullable(),
  officeId: IdSchema,
  officeName: z.string(),
  partyStatus: PartyStatusSchema,
  partyJoinedOn: DateSchema.nullable(),
  fullMemberOn: DateSchema.nullable(),
  branchId: IdSchema.nullable(),
  branchName: z.string().nullable(),
  groupId: IdSchema.nullable(),
  groupName: z.string().nullable(),
  committeeRole: CommitteeRoleSchema.nullable(),
  isLeader: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
});
export type Person = z.infer<typeof PersonSchema>;

export const PeopleListQuerySchema = z.object({
  /** unit subtree: matches office, branch or group */
  unitId: IdSchema.optional(),
  q: z.string().trim().max(limits.searchMax).optional(),
  partyStatus: PartyStatusSchema.optional(),
  gender: GenderSchema.optional(),
  isLeader: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});
export type PeopleListQuery = z.infer<typeof PeopleListQuerySchema>;

export const RevealRequestSchema = z.object({ field: z.enum(['phone', 'idNumber']) });
export const RevealResponseSchema = z.object({ value: z.string().nullable() });

export const ImportResultSchema = z.object({ imported: z.number().int() });

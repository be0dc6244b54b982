// Request and response schemas of the duties area, shared by the server and the web.
import { z } from 'zod';
import { IdSchema, VersionSchema } from './common';
import { UnitTypeSchema } from './org';

export const dutyPeriods = ['month', 'quarter', 'year'] as const;
export const DutyPeriodSchema = z.enum(dutyPeriods);
export type DutyPeriod = z.infer<typeof DutyPeriodSchema>;

export const DutyRuleSchema = z.object({
  id: IdSchema,
  code: z.string().nullable(),
  unitType: UnitTypeSchema,
  typeId: IdSchema,
  typeCode: z.string(),
  typeNameZh: z.string(),
  typeNameEn: z.string(),
  period: DutyPeriodSchema,
  minCount: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type DutyRule = z.infer<typeof DutyRuleSchema>;
export const DutyRuleListSchema = z.object({ items: z.array(DutyRuleSchema) });

export const CreateDutyRuleRequestSchema = z.object({
  unitType: UnitTypeSchema,
  typeId: IdSchema,
  period: DutyPeriodSchema,
  minCount: z.number().int().min(1).max(100).default(1),
});
export type CreateDutyRuleRequest = z.infer<typeof CreateDutyRuleRequestSchema>;

export const UpdateDutyRuleRequestSchema = z.object({
  version: VersionSchema,
  period: DutyPeriodSchema.optional(),
  minCount: z.number().int().min(1).max(100).optional(),
  active: z.boolean().optional(),
});
export type UpdateDutyRuleRequest = z.infer<typeof UpdateDutyRuleRequestSchema>;

/** met: enough valid activities; missed: the period ended without; due_soon: ends within 7 days, not met; upcoming: not met yet, more time left */
export const dutyCellStatuses = ['met', 'missed', 'due_soon', 'upcoming'] as const;
export const DutyCellStatusSchema = z.enum(dutyCellStatuses);
export type DutyCellStatus = z.infer<typeof DutyCellStatusSchema>;

export const DutyCellSchema = z.object({
  /** 1–12 for months, 1–4 for quarters, 1 for the year */
  index: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  done: z.number().int(),
  required: z.number().int(),
  status: DutyCellStatusSchema,
});
export type DutyCell = z.infer<typeof DutyCellSchema>;

export const DutyRowSchema = z.object({
  ruleId: IdSchema,
  typeId: IdSchema,
  typeNameZh: z.string(),
  typeNameEn: z.string(),
  period: DutyPeriodSchema,
  cells: z.array(DutyCellSchema),
});
export type DutyRow = z.infer<typeof DutyRowSchema>;

export const DutiesCalendarQuerySchema = z.object({
  unitId: IdSchema,
  year: z.coerce.number().int().min(2000).max(2100),
});
export type DutiesCalendarQuery = z.infer<typeof DutiesCalendarQuerySchema>;

export const DutiesCalendarSchema = z.object({
  unitId: IdSchema,
  unitName: z.string(),
  unitType: UnitTypeSchema,
  year: z.number().int(),
  timeZone: z.literal('Asia/Shanghai'),
  rows: z.array(DutyRowSchema),
});
export type DutiesCalendar = z.infer<typeof DutiesCalendarSchema>;

export const MissedDutiesQuerySchema = z.object({ unitId: IdSchema });
export const MissedDutySchema = z.object({
  unitId: IdSchema,
  unitName: z.string(),
  ruleId: IdSchema,
  typeNameZh: z.string(),
  typeNameEn: z.string(),
  period: DutyPeriodSchema,
  startsAt: z.string(),
  endsAt: z.string(),
  done: z.number().int(),
  required: z.number().int(),
});
export type MissedDuty = z.infer<typeof MissedDutySchema>;
/** duties whose period ended with last month (Asia/Shanghai), not met, in the subtree */
export const MissedDutiesSchema = z.object({ month: z.string(), items: z.array(MissedDutySchema) });
export type MissedDuties = z.infer<typeof MissedDutiesSchema>;

/** A duty-type choice for the rule editor: the catalogue's types. */
export const DutyTypeOptionSchema = z.object({ id: IdSchema, code: z.string(), nameZh: z.string(), nameEn: z.string() });
export const DutyTypeOptionListSchema = z.object({ items: z.array(DutyTypeOptionSchema) });

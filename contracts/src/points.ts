// Request and response schemas of the points area, shared by the server and the web.
import { z } from 'zod';
import { DateSchema, IdSchema } from './common';

/** Largest points amount of one rule, manual entry or correction: beyond it is a typo, not a score. */
export const POINTS_AMOUNT_MAX = 1000;

const Amount = z
  .number()
  .finite()
  .min(-POINTS_AMOUNT_MAX)
  .max(POINTS_AMOUNT_MAX)
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'at most two decimals');
const PositiveAmount = Amount.refine((n) => n > 0, 'must be positive');

export const RuleKindSchema = z.enum(['attend', 'absent', 'role', 'volunteer', 'honour', 'sanction', 'other']);
export type RuleKind = z.infer<typeof RuleKindSchema>;
/** kinds whose entries come from attendance and so must name the activity types they apply to */
export const ACTIVITY_RULE_KINDS: readonly RuleKind[] = ['attend', 'absent', 'role', 'volunteer'];
export const MANUAL_RULE_KINDS: readonly RuleKind[] = ['honour', 'sanction', 'other'];

export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/**
 * Rule code of an adjustment (a correction of a closed period's entry, booked in the open
 * period): the corrected rule's code with this prefix, so the adjustment is never clamped by
 * that rule's cap in the open period, and still sums with its kind.
 */
export const ADJUSTMENT_PREFIX = 'adj_';
export const adjustmentCodeOf = (ruleCode: string): string => (ruleCode.startsWith(ADJUSTMENT_PREFIX) ? ruleCode : `${ADJUSTMENT_PREFIX}${ruleCode}`);

export const CapPeriodSchema = z.enum(['month', 'quarter', 'year']);
export const RuleCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,47}$/);

export const RuleSchema = z
  .object({
    code: RuleCodeSchema,
    kind: RuleKindSchema,
    nameZh: z.string().trim().min(1).max(50),
    nameEn: z.string().trim().min(1).max(100),
    /** activity type codes the rule applies to (activity kinds only) */
    typeCodes: z.array(RuleCodeSchema).max(50).default([]),
    /** role rules: which roles earn it */
    roles: z.array(z.enum(['speaker', 'host'])).max(2).default([]),
    /**
     * Points per occurrence (per hour for volunteer): positive for awards; deductions
     * (absent, sanction) are given as a positive magnitude and booked negative.
     * Manual kinds: the default amount offered (a request may give its own).
     */
    amount: PositiveAmount,
    /** at most this many points (magnitude) from this rule per period; none when absent */
    cap: z.object({ period: CapPeriodSchema, max: z.number().finite().min(0).max(100_000) }).nullable().default(null),
    /** honours: the level (e.g. 市级) */
    level: z.string().trim().max(20).optional(),
  })
  .superRefine((r, ctx) => {
    if (ACTIVITY_RULE_KINDS.includes(r.kind) && r.typeCodes.length === 0)
      ctx.addIssue({ code: 'custom', path: ['typeCodes'], message: 'an activity rule needs at least one activity type' });
    if (r.kind === 'role' && r.roles.length === 0) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'a role rule needs a role' });
  });
export type Rule = z.infer<typeof RuleSchema>;

export const GradingSchema = z.object({
  /** the top N percent of a branch (by total) are 优秀 … */
  excellentTopPercent: z.number().min(0).max(100).default(20),
  /** … unless they had a sanction that year */
  excellentNoSanction: z.boolean().default(true),
  /** below this total: 基本合格 */
  basicBelow: z.number().min(-100_000).max(100_000).default(70),
  /** below this total: 不合格 */
  failBelow: z.number().min(-100_000).max(100_000).default(60),
});
export type Grading = z.infer<typeof GradingSchema>;

export const CreateRuleSetRequestSchema = z
  .object({
    effectiveFrom: DateSchema,
    baseScore: z.number().finite().min(-100_000).max(100_000),
    rules: z.array(RuleSchema).min(1).max(100),
    grading: GradingSchema,
    note: z.string().trim().max(200).optional(),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.rules.forEach((rule, i) => {
      if (seen.has(rule.code)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'code'], message: 'duplicate rule code' });
      seen.add(rule.code);
    });
    if (r.grading.failBelow > r.grading.basicBelow) ctx.addIssue({ code: 'custom', path: ['grading', 'failBelow'], message: 'must not exceed basicBelow' });
  });
export type CreateRuleSetRequest = z.infer<typeof CreateRuleSetRequestSchema>;

export const RuleSetSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  effectiveFrom: DateSchema,
  baseScore: z.number(),
  rules: z.array(RuleSchema),
  grading: GradingSchema,
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type RuleSet = z.infer<typeof RuleSetSchema>;

export const QuarterSchema = z.string().regex(/^\d{4}-Q[1-4]$/);
export const YearSchema = z.coerce.number().int().min(2000).max(2100);

export const EntrySourceSchema = z.enum(['auto', 'manual', 'objection']);
export const EntrySchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  personName: z.string(),
  branchId: IdSchema,
  period: MonthSchema,
  amount: z.number(),
  source: EntrySourceSchema,
  ruleCode: z.string(),
  ruleKind: RuleKindSchema,
  ruleSetVersion: z.number().int().nullable(),
  activityId: IdSchema.nullable(),
  activityTopic: z.string().nullable(),
  correctsId: IdSchema.nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  /**
   * When the entry's period is closed for its branch (frozen): the open month where an
   * adjustment citing it would count. Null while the period is open (correct it directly).
   */
  adjustmentPeriod: MonthSchema.nullable(),
});
export type Entry = z.infer<typeof EntrySchema>;

export const EntriesQuerySchema = z.object({
  personId: IdSchema.optional(),
  branchId: IdSchema.optional(),
  month: MonthSchema.optional(),
  year: YearSchema.optional(),
  ruleCode: RuleCodeSchema.optional(),
  /** additions (> 0) or deductions (< 0) only */
  sign: z.enum(['plus', 'minus']).optional(),
});
export type EntriesQuery = z.infer<typeof EntriesQuerySchema>;

/** One person's line of a tally: points per rule, after caps. */
export const TallyRowSchema = z.object({
  personId: IdSchema,
  personName: z.string(),
  branchId: IdSchema,
  base: z.number(),
  additions: z.number(),
  deductions: z.number(),
  total: z.number(),
  rank: z.number().int(),
  /** points withheld by caps (magnitude), included neither in additions nor deductions */
  capped: z.number(),
});
export type TallyRow = z.infer<typeof TallyRowSchema>;

export const TallyQuerySchema = z.object({ branchId: IdSchema, month: MonthSchema });
export const TallySchema = z.object({ branchId: IdSchema, branchName: z.string(), month: MonthSchema, rows: z.array(TallyRowSchema) });
export type Tally = z.infer<typeof TallySchema>;

export const CreateManualEntryRequestSchema = z.object({
  personId: IdSchema,
  ruleCode: RuleCodeSchema,
  /** signed: negative for a deduction */
  amount: Amount.refine((n) => n !== 0, 'must not be zero'),
  reason: z.string().trim().min(1).max(500),
  evidence: z.string().trim().min(1).max(1000),
  evidenceFile: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** an adjustment of an entry of a closed period: cites it; the request counts in the open period */
  correctsEntryId: IdSchema.optional(),
  /** the month it counts in; default the current month */
  month: MonthSchema.optional(),
});
export type CreateManualEntryRequest = z.infer<typeof CreateManualEntryRequestSchema>;

export const ManualRequestSchema = z.object({
  id: IdSchema,
  personId: IdSchema,
  personName: z.string(),
  branchId: IdSchema,
  ruleCode: z.string(),
  amount: z.number(),
  period: MonthSchema,
  reason: z.string(),
  evidence: z.string(),
  evidenceFile: z.string().nullable(),
  correctsEntryId: IdSchema.nullable(),
  status: z.enum(['pending', 'approved', 'rejected']),
  reviewNote: z.string().nullable(),
  createdBy: IdSchema,
  createdAt: z.string(),
});
export type ManualRequest = z.infer<typeof ManualRequestSchema>;
export const ReviewManualRequestSchema = z.object({ approve: z.boolean(), note: z.string().trim().max(500).optional() });
export type ReviewManualRequest = z.infer<typeof ReviewManualRequestSchema>;
export const ManualListQuerySchema = z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() });

export const PublishNoticeRequestSchema = z.object({
  branchId: IdSchema,
  quarter: QuarterSchema,
  /** working days (Mon–Fri) the objection window stays open */
  windowDays: z.number().int().min(1).max(30).default(5),
});
export type PublishNoticeRequest = z.infer<typeof PublishNoticeRequestSchema>;

export const ObjectionSchema = z.object({
  id: IdSchema,
  noticeId: IdSchema,
  entryId: IdSchema,
  personId: IdSchema,
  personName: z.string(),
  text: z.string(),
  status: z.enum(['open', 'accepted', 'rejected']),
  answer: z.string().nullable(),
  correctionEntryId: IdSchema.nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
});
export type Objection = z.infer<typeof ObjectionSchema>;

export const NoticeSchema = z.object({
  id: IdSchema,
  branchId: IdSchema,
  branchName: z.string(),
  quarter: QuarterSchema,
  status: z.enum(['published', 'closed']),
  windowEndsAt: z.string(),
  publishedAt: z.string(),
  closedAt: z.string().nullable(),
  openObjections: z.number().int(),
  version: z.number().int(),
});
export type Notice = z.infer<typeof NoticeSchema>;
export const NoticeDetailSchema = NoticeSchema.extend({ rows: z.array(TallyRowSchema), objections: z.array(ObjectionSchema) });
export type NoticeDetail = z.infer<typeof NoticeDetailSchema>;
export const NoticeListQuerySchema = z.object({ branchId: IdSchema.optional() });

export const RaiseObjectionRequestSchema = z.object({ entryId: IdSchema, text: z.string().trim().min(1).max(1000) });
export const AnswerObjectionRequestSchema = z
  .object({
    accept: z.boolean(),
    answer: z.string().trim().min(1).max(1000),
    /** accepted: the correcting amount booked (signed, not zero) */
    correction: Amount.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.accept && (r.correction === undefined || r.correction === 0))
      ctx.addIssue({ code: 'custom', path: ['correction'], message: 'an accepted objection needs a correcting amount' });
  });
export type AnswerObjectionRequest = z.infer<typeof AnswerObjectionRequestSchema>;
export const CloseNoticeRequestSchema = z.object({ version: z.number().int().min(1) });

export const GradeSchema = z.enum(['excellent', 'qualified', 'basic', 'unqualified']);
export type Grade = z.infer<typeof GradeSchema>;
export const gradeNamesZh: Record<Grade, string> = { excellent: '优秀', qualified: '合格', basic: '基本合格', unqualified: '不合格' };

export const EvaluationRowSchema = z.object({
  personId: IdSchema,
  personName: z.string(),
  branchId: IdSchema,
  branchName: z.string(),
  total: z.number(),
  rank: z.number().int(),
  sanctioned: z.boolean(),
  computedGrade: GradeSchema,
  grade: GradeSchema,
  overrideReason: z.string().nullable(),
});
export type EvaluationRow = z.infer<typeof EvaluationRowSchema>;
export const EvaluationQuerySchema = z.object({ year: YearSchema, branchId: IdSchema.optional() });
export const EvaluationSchema = z.object({ year: z.number().int(), rows: z.array(EvaluationRowSchema) });
export type Evaluation = z.infer<typeof EvaluationSchema>;
export const OverrideGradeRequestSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  personId: IdSchema,
  grade: GradeSchema,
  reason: z.string().trim().min(1).max(500),
});
export type OverrideGradeRequest = z.infer<typeof OverrideGradeRequestSchema>;

export const MyPointsSchema = z.object({
  personId: IdSchema,
  personName: z.string(),
  branchId: IdSchema.nullable(),
  month: MonthSchema,
  monthTotal: z.number(),
  monthPoints: z.number(),
  yearTotal: z.number(),
  yearPoints: z.number(),
  rankInBranch: z.number().int().nullable(),
  branchSize: z.number().int(),
  entries: z.array(EntrySchema),
  objections: z.array(ObjectionSchema),
  notices: z.array(NoticeSchema),
});
export type MyPoints = z.infer<typeof MyPointsSchema>;
export const MyPointsQuerySchema = z.object({ month: MonthSchema.optional() });

// Request and response schemas of the reports area: the metrics catalogue, work-summary
// templates with figure placeholders, and the figure check. Shared by the server and the web.
import { z } from 'zod';
import { DateSchema, IdSchema, VersionSchema } from './common';

export const reportLimits = {
  templateNameMax: 100,
  templateBodyMax: 50_000,
  /** pasted draft text for the figure check */
  checkTextMax: 50_000,
  /** records returned with one figure (the evidence list); the value counts them all */
  recordsMax: 500,
  /** records in one exported list of a figure's evidence (XLSX) */
  exportRecordsMax: 100_000,
  unitsMax: 20,
  phraseMax: 40,
} as const;

/** Measure words a figure is written with in Chinese prose. */
export const measureWords = ['人次', '次', '期', '家', '份', '个', '条', '场', '项', '名'] as const;
export const MeasureWordSchema = z.enum(measureWords);
export type MeasureWord = z.infer<typeof MeasureWordSchema>;

/**
 * The period a summary or a figure is computed for, in Asia/Shanghai calendar days.
 * year/quarter/month name a calendar period; range gives both ends (inclusive).
 */
export const PeriodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('year'), year: z.number().int().min(2000).max(2100) }),
  z.object({ kind: z.literal('quarter'), year: z.number().int().min(2000).max(2100), quarter: z.number().int().min(1).max(4) }),
  z.object({ kind: z.literal('month'), year: z.number().int().min(2000).max(2100), month: z.number().int().min(1).max(12) }),
  z.object({ kind: z.literal('range'), from: DateSchema, to: DateSchema }),
]);
export type Period = z.infer<typeof PeriodSchema>;

export const MetricDefSchema = z.object({
  key: z.string(),
  aliases: z.array(z.string()),
  nameZh: z.string(),
  nameEn: z.string(),
  descriptionZh: z.string(),
  descriptionEn: z.string(),
  unitWord: z.string(),
  /** placeholder arguments it accepts besides period and unit */
  filters: z.array(z.string()),
});
export type MetricDef = z.infer<typeof MetricDefSchema>;

export const EvidenceRecordSchema = z.object({
  id: IdSchema,
  /** which table the record is in: activities, problems, enterprises… */
  kind: z.string(),
  title: z.string(),
  date: z.string().nullable(),
});
export type EvidenceRecord = z.infer<typeof EvidenceRecordSchema>;

export const MetricResultSchema = z.object({
  metric: z.string(),
  /** the arguments as applied, period resolved to dates */
  filters: z.record(z.string(), z.string()),
  from: DateSchema,
  to: DateSchema,
  value: z.number(),
  records: z.array(EvidenceRecordSchema),
  /** more records than recordsMax: the list is cut, the value is not */
  truncated: z.boolean(),
});
export type MetricResult = z.infer<typeof MetricResultSchema>;

/** Context of an evaluation: the period and the units (subtrees); no units = the actor's whole scope. */
export const ReportContextSchema = z.object({
  period: PeriodSchema,
  unitIds: z.array(IdSchema).max(reportLimits.unitsMax).default([]),
});
export type ReportContext = z.infer<typeof ReportContextSchema>;

export const EvaluateMetricRequestSchema = ReportContextSchema.extend({
  metric: z.string().min(1).max(100),
  /** placeholder-style arguments: { type: 'training_class,field_teaching', party: 'none' } */
  args: z.record(z.string().regex(/^[a-z_]{1,30}$/), z.string().max(500)).default({}),
});
export type EvaluateMetricRequest = z.infer<typeof EvaluateMetricRequestSchema>;

// ---------------------------------------------------------------- templates

export const TemplateSchema = z.object({
  id: IdSchema,
  code: z.string().nullable(),
  name: z.string(),
  body: z.string(),
  version: VersionSchema,
  updatedAt: z.string(),
});
export type Template = z.infer<typeof TemplateSchema>;

export const CreateTemplateRequestSchema = z.object({
  name: z.string().trim().min(1).max(reportLimits.templateNameMax),
  body: z.string().max(reportLimits.templateBodyMax),
});
export type CreateTemplateRequest = z.infer<typeof CreateTemplateRequestSchema>;

export const UpdateTemplateRequestSchema = CreateTemplateRequestSchema.partial().extend({ version: VersionSchema });
export type UpdateTemplateRequest = z.infer<typeof UpdateTemplateRequestSchema>;

/** A syntax or meaning error of a placeholder, at a character offset of the body (line/column 1-based). */
export const PlaceholderErrorSchema = z.object({
  offset: z.number().int(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
});
export type PlaceholderError = z.infer<typeof PlaceholderErrorSchema>;

export const PreviewRequestSchema = ReportContextSchema.extend({
  body: z.string().max(reportLimits.templateBodyMax),
});
export type PreviewRequest = z.infer<typeof PreviewRequestSchema>;

export const FigureSchema = MetricResultSchema.extend({
  index: z.number().int(),
  /** the placeholder as written */
  source: z.string(),
});
export type Figure = z.infer<typeof FigureSchema>;

/** The resolved text as segments: plain text, or a figure (its index into figures). */
export const SegmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('figure'), figure: z.number().int(), text: z.string() }),
]);

export const PreviewResponseSchema = z.object({
  title: z.string(),
  from: DateSchema,
  to: DateSchema,
  segments: z.array(SegmentSchema),
  /** the text with every placeholder replaced by its value */
  text: z.string(),
  figures: z.array(FigureSchema),
  errors: z.array(PlaceholderErrorSchema),
});
export type PreviewResponse = z.infer<typeof PreviewResponseSchema>;

/** Export of an edited text: figures keep their evidence when their text is still there. */
export const ExportDocxRequestSchema = ReportContextSchema.extend({
  body: z.string().max(reportLimits.templateBodyMax),
});
export type ExportDocxRequest = z.infer<typeof ExportDocxRequestSchema>;

// ---------------------------------------------------------------- figure check

export const CheckRequestSchema = ReportContextSchema.extend({ text: z.string().min(1).max(reportLimits.checkTextMax) });
export type CheckRequest = z.infer<typeof CheckRequestSchema>;

export const checkStatuses = ['matches', 'differs', 'unknown'] as const;

export const CheckedFigureSchema = z.object({
  start: z.number().int(),
  end: z.number().int(),
  /** the figure as written: '16', '二十余' */
  written: z.string(),
  value: z.number(),
  /** written as a lower bound (余, 多, 以上): matches when the computed value is at least it */
  approx: z.boolean(),
  measureWord: z.string(),
  phrase: z.string(),
  after: z.string(),
  metric: z.string().nullable(),
  metricNameZh: z.string().nullable(),
  args: z.record(z.string(), z.string()),
  confirmed: z.boolean(),
  computed: z.number().nullable(),
  status: z.enum(checkStatuses),
});
export type CheckedFigure = z.infer<typeof CheckedFigureSchema>;

export const CheckResponseSchema = z.object({ figures: z.array(CheckedFigureSchema) });

export const ConfirmMappingRequestSchema = z.object({
  phrase: z.string().min(1).max(reportLimits.phraseMax),
  measureWord: MeasureWordSchema,
  metric: z.string().min(1).max(100),
  args: z.record(z.string().regex(/^[a-z_]{1,30}$/), z.string().max(500)).default({}),
});
export type ConfirmMappingRequest = z.infer<typeof ConfirmMappingRequestSchema>;

// ---------------------------------------------------------------- dashboard

export const DashboardRequestSchema = ReportContextSchema;

export const DashboardFigureSchema = z.object({
  metric: z.string(),
  args: z.record(z.string(), z.string()),
  nameZh: z.string(),
  nameEn: z.string(),
  unitWord: z.string(),
  value: z.number(),
  /** the same metric over the period just before (same length) */
  previous: z.number(),
});

export const DashboardResponseSchema = z.object({
  from: DateSchema,
  to: DateSchema,
  previousFrom: DateSchema,
  previousTo: DateSchema,
  figures: z.array(DashboardFigureSchema),
  /** activities held per month of the period, by type category */
  trend: z.array(z.object({ month: z.string(), category: z.string(), count: z.number() })),
  /** activities held in the period per type */
  byType: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), count: z.number() })),
  /** rectification measures set in the period, by status (metric rectification.measures status=…) */
  rectification: z.array(z.object({ status: z.string(), count: z.number() })),
  /**
   * Duties (the duties area's calendar) whose period ended in the period (and before now), per
   * rule: unit-periods met and missed; empty without activities.read.
   */
  duties: z.array(
    z.object({
      ruleId: IdSchema,
      typeNameZh: z.string(),
      typeNameEn: z.string(),
      period: z.enum(['month', 'quarter', 'year']),
      met: z.number().int(),
      missed: z.number().int(),
    }),
  ),
  /** the year of the points distribution: the year the period ends in; null without points.read */
  pointsYear: z.number().int().nullable(),
  /** members by their year's points total (the points area's evaluation), in bands */
  pointsBands: z.array(z.object({ band: z.enum(['lt60', '60', '70', '80', 'ge90']), count: z.number().int() })),
});
export type DashboardResponse = z.infer<typeof DashboardResponseSchema>;

export const pointsBands = ['lt60', '60', '70', '80', 'ge90'] as const;
export type PointsBand = (typeof pointsBands)[number];

/**
 * The records behind a bar of the duties or points chart (not catalogue metrics: the duties
 * and points areas compute them): the units that missed a duty rule, the members of a band.
 */
export const DashboardRecordsRequestSchema = ReportContextSchema.extend({
  chart: z.enum(['duties', 'points']),
  /** the duty rule's id, or the points band */
  key: z.string().min(1).max(100),
});
export type DashboardRecordsRequest = z.infer<typeof DashboardRecordsRequestSchema>;

// ---------------------------------------------------------------- ledgers (台账)

/**
 * The areas with a ledger: one XLSX each with its standard columns, and one combined workbook
 * (a sheet per area) for a period. `permission` is what the viewer needs for the area's sheet.
 */
export const ledgerAreas = ['activities', 'points', 'problems', 'contacts', 'enterprises', 'cases', 'integrity', 'publicity'] as const;
export const LedgerAreaSchema = z.enum(ledgerAreas);
export type LedgerArea = z.infer<typeof LedgerAreaSchema>;

export const ledgerAreaInfo: Record<LedgerArea, { nameZh: string; nameEn: string; permission: 'activities.read' | 'points.read' | 'rectification.read' | 'unitedfront.export' | 'unitedfront.read' }> = {
  activities: { nameZh: '活动台账', nameEn: 'Activities', permission: 'activities.read' },
  points: { nameZh: '党员积分台账', nameEn: 'Members’ points', permission: 'points.read' },
  problems: { nameZh: '整改台账', nameEn: 'Rectification', permission: 'rectification.read' },
  contacts: { nameZh: '统战成员台账', nameEn: 'United-front contacts', permission: 'unitedfront.export' },
  enterprises: { nameZh: '企业台账', nameEn: 'Enterprises', permission: 'unitedfront.read' },
  cases: { nameZh: '服务事项台账', nameEn: 'Service cases', permission: 'unitedfront.read' },
  integrity: { nameZh: '廉政风险点和制度台账', nameEn: 'Integrity risks and rules', permission: 'unitedfront.read' },
  publicity: { nameZh: '宣传信息台账', nameEn: 'Publicity items', permission: 'unitedfront.read' },
};

/** A ledger's period (Shanghai days, inclusive) and optionally one unit (its subtree). */
export const LedgerQuerySchema = z
  .object({ from: DateSchema, to: DateSchema, unitId: IdSchema.optional() })
  .refine((q) => q.from <= q.to, { message: 'from after to', path: ['to'] });
export type LedgerQuery = z.infer<typeof LedgerQuerySchema>;
export const LedgerParamsSchema = z.object({ area: LedgerAreaSchema });

// Request and response schemas of research topics (调研课题), shared by the server and the web.
import { z } from 'zod';
import { limits } from './limits';
import { DateSchema, IdSchema, VersionSchema } from './common';
import { CreateMeasureRequestSchema, programLimits } from './programs';

export const researchLimits = {
  titleMax: 200,
  planMax: 10_000,
  membersMax: 50,
  textMax: 2000,
  sourceMax: 100,
  /** the final report: PDF or DOCX */
  reportMaxBytes: 20 * 1024 * 1024,
  problemTitleMax: 200,
} as const;

/** Report files the store accepts, by content (never by name). */
export const researchReportTypes = ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'] as const;

const topicFields = {
  officeId: IdSchema,
  title: z.string().trim().min(1).max(researchLimits.titleMax),
  /** the leader who leads the topic (人员名册) */
  leadPersonId: IdSchema,
  memberIds: z
    .array(IdSchema)
    .max(researchLimits.membersMax)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate member' }),
  plan: z.string().trim().max(researchLimits.planMax).nullable().optional(),
  startsOn: DateSchema,
  endsOn: DateSchema,
};
const periodOk = (v: { startsOn?: string | undefined; endsOn?: string | undefined }) => !v.startsOn || !v.endsOn || v.endsOn >= v.startsOn;

export const CreateTopicRequestSchema = z
  .object({ ...topicFields, memberIds: topicFields.memberIds.default([]) })
  .refine(periodOk, { message: 'ends before it starts', path: ['endsOn'] });
export type CreateTopicRequest = z.infer<typeof CreateTopicRequestSchema>;
// no defaults on update: a field left out stays as it is
export const UpdateTopicRequestSchema = z
  .object(topicFields)
  .partial()
  .extend({ version: VersionSchema })
  .refine(periodOk, { message: 'ends before it starts', path: ['endsOn'] });
export type UpdateTopicRequest = z.infer<typeof UpdateTopicRequestSchema>;

export const placeKinds = ['district', 'town', 'enterprise', 'village'] as const;
export const PlaceKindSchema = z.enum(placeKinds);

export const TopicActivitySchema = z.object({
  id: IdSchema,
  topic: z.string(),
  typeCode: z.string(),
  typeNameZh: z.string(),
  typeNameEn: z.string(),
  startsAt: z.string(),
  status: z.string(),
  place: z.string().nullable(),
  /** from the field visit's extra fields */
  placeKind: PlaceKindSchema.nullable(),
  placeName: z.string().nullable(),
});
export type TopicActivity = z.infer<typeof TopicActivitySchema>;

export const SuggestionSchema = z.object({
  id: IdSchema,
  content: z.string(),
  source: z.string().nullable(),
  activityId: IdSchema.nullable(),
  receivedOn: DateSchema,
});
export type Suggestion = z.infer<typeof SuggestionSchema>;
export const CreateSuggestionRequestSchema = z.object({
  content: z.string().trim().min(1).max(researchLimits.textMax),
  source: z.string().trim().min(1).max(researchLimits.sourceMax).nullable().optional(),
  /** the activity of the topic where it was collected */
  activityId: IdSchema.nullable().optional(),
  receivedOn: DateSchema,
});
export type CreateSuggestionRequest = z.infer<typeof CreateSuggestionRequestSchema>;

export const RecommendationSchema = z.object({
  id: IdSchema,
  content: z.string(),
  problemId: IdSchema.nullable(),
  problemNumber: z.number().int().nullable(),
  /** the rectification measure it became (a recommendation becomes a problem or a measure, not both) */
  measureId: IdSchema.nullable(),
  measureTitle: z.string().nullable(),
  /** the problem the measure belongs to, for the link */
  measureProblemId: IdSchema.nullable(),
  measureProblemNumber: z.number().int().nullable(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;
export const CreateRecommendationRequestSchema = z.object({ content: z.string().trim().min(1).max(researchLimits.textMax) });

/** Turns a recommendation into a problem of the rectification area (source 'research'). */
export const RecommendationToProblemRequestSchema = z.object({
  categoryId: IdSchema,
  /** defaults to the recommendation's first 200 characters */
  title: z.string().trim().min(1).max(researchLimits.problemTitleMax).optional(),
  /** defaults to the recommendation, with the topic's title */
  description: z.string().trim().min(1).max(5000).optional(),
  /** defaults to today */
  foundOn: DateSchema.optional(),
  programId: IdSchema.nullable().optional(),
});
export type RecommendationToProblemRequest = z.infer<typeof RecommendationToProblemRequestSchema>;

/** Turns a recommendation into a measure of an existing rectification problem (the rectification measure's fields). */
export const RecommendationToMeasureRequestSchema = CreateMeasureRequestSchema.extend({
  problemId: IdSchema,
  /** defaults to the recommendation's first 500 characters */
  title: z.string().trim().min(1).max(programLimits.measureTitleMax).optional(),
});
export type RecommendationToMeasureRequest = z.infer<typeof RecommendationToMeasureRequestSchema>;

export const LinkActivityRequestSchema = z.object({ activityId: IdSchema });
export const TopicActivityParamsSchema = z.object({ id: IdSchema, activityId: IdSchema });

export const TopicReportSchema = z.object({ filename: z.string(), contentType: z.string(), size: z.number().int(), uploadedAt: z.string() });

export const TopicSummarySchema = z.object({
  id: IdSchema,
  officeId: IdSchema,
  officeName: z.string(),
  title: z.string(),
  leadPersonId: IdSchema,
  leadName: z.string(),
  startsOn: DateSchema,
  endsOn: DateSchema,
  activities: z.number().int(),
  symposiums: z.number().int(),
  suggestions: z.number().int(),
  recommendations: z.number().int(),
  hasReport: z.boolean(),
  version: z.number().int(),
});
export type TopicSummary = z.infer<typeof TopicSummarySchema>;

export const TopicDetailSchema = TopicSummarySchema.extend({
  plan: z.string().nullable(),
  members: z.array(z.object({ personId: IdSchema, name: z.string() })),
  activityList: z.array(TopicActivitySchema),
  /** distinct places of its held activities, by kind */
  places: z.array(z.object({ kind: PlaceKindSchema, name: z.string() })),
  suggestionList: z.array(SuggestionSchema),
  recommendationList: z.array(RecommendationSchema),
  report: TopicReportSchema.nullable(),
});
export type TopicDetail = z.infer<typeof TopicDetailSchema>;

export const TopicsListQuerySchema = z.object({
  q: z.string().trim().max(limits.searchMax).optional(),
  /** topics whose period overlaps [from, to] */
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(limits.pageSizeMax).default(limits.pageSizeDefault),
});
export type TopicsListQuery = z.infer<typeof TopicsListQuerySchema>;

/** The research figures of a period: topics, distinct districts and towns visited, symposiums, suggestions. */
export const ResearchCountsSchema = z.object({
  topics: z.number().int(),
  districts: z.number().int(),
  towns: z.number().int(),
  symposiums: z.number().int(),
  suggestions: z.number().int(),
});
export type ResearchCounts = z.infer<typeof ResearchCountsSchema>;
export const ResearchCountsQuerySchema = z.object({ from: DateSchema, to: DateSchema });

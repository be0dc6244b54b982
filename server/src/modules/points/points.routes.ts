import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AnswerObjectionRequestSchema,
  CloseNoticeRequestSchema,
  CreateManualEntryRequestSchema,
  CreateRuleSetRequestSchema,
  EntriesQuerySchema,
  EntrySchema,
  EvaluationQuerySchema,
  EvaluationSchema,
  IdParamsSchema,
  ManualListQuerySchema,
  ManualRequestSchema,
  MyPointsQuerySchema,
  MyPointsSchema,
  NoticeDetailSchema,
  NoticeListQuerySchema,
  NoticeSchema,
  ObjectionSchema,
  OkSchema,
  OverrideGradeRequestSchema,
  PublishNoticeRequestSchema,
  RaiseObjectionRequestSchema,
  ReviewManualRequestSchema,
  RuleSetSchema,
  TallyQuerySchema,
  TallySchema,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './points.service';
import * as exports from './points.export.service';
import { XLSX_MIME, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const pointsRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['points'];
  app.get(
    '/rule-sets',
    { config: { access: 'points.read' }, schema: { tags, summary: '积分规则版本', response: { 200: z.array(RuleSetSchema) } } },
    async (req) => service.listRuleSets(db, actorOf(req)),
  );
  app.post(
    '/rule-sets',
    {
      config: { access: 'points.rules' },
      schema: { tags, summary: '发布新版本积分规则（自生效日起适用，已结账季度不变）', body: CreateRuleSetRequestSchema, response: { 201: RuleSetSchema } },
    },
    async (req, reply) => reply.code(201).send(await service.createRuleSet(db, actorOf(req), req.body)),
  );
  app.get(
    '/tally',
    { config: { access: 'points.read' }, schema: { tags, summary: '支部月度积分统计', querystring: TallyQuerySchema, response: { 200: TallySchema } } },
    async (req) => service.monthlyTally(db, actorOf(req), req.query.branchId, req.query.month),
  );
  app.get(
    '/entries',
    { config: { access: 'points.read' }, schema: { tags, summary: '积分明细（台账）', querystring: EntriesQuerySchema, response: { 200: z.array(EntrySchema) } } },
    async (req) => service.listEntries(db, actorOf(req), req.query),
  );
  app.get(
    '/manual-entries',
    { config: { access: 'points.read' }, schema: { tags, summary: '手工积分申请', querystring: ManualListQuerySchema, response: { 200: z.array(ManualRequestSchema) } } },
    async (req) => service.listManualEntries(db, actorOf(req), req.query.status),
  );
  app.post(
    '/manual-entries',
    {
      config: { access: 'points.manage' },
      schema: { tags, summary: '录入手工积分（表彰、处分、其他、调整），须他人审核', body: CreateManualEntryRequestSchema, response: { 201: ManualRequestSchema } },
    },
    async (req, reply) => reply.code(201).send(await service.createManualEntry(db, actorOf(req), req.body)),
  );
  app.post(
    '/manual-entries/:id/review',
    {
      config: { access: 'points.approve' },
      schema: { tags, summary: '审核手工积分（不能审核本人录入的）', params: IdParamsSchema, body: ReviewManualRequestSchema, response: { 200: ManualRequestSchema } },
    },
    async (req) => service.reviewManualEntry(db, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/notices',
    // members see their own branch's notices: the service decides per notice
    { config: { access: 'session' }, schema: { tags, summary: '季度公示列表', querystring: NoticeListQuerySchema, response: { 200: z.array(NoticeSchema) } } },
    async (req) => service.listNotices(db, actorOf(req), req.query.branchId),
  );
  app.post(
    '/notices',
    { config: { access: 'points.manage' }, schema: { tags, summary: '发布季度公示', body: PublishNoticeRequestSchema, response: { 201: NoticeSchema } } },
    async (req, reply) => reply.code(201).send(await service.publishNotice(db, actorOf(req), req.body)),
  );
  app.get(
    '/notices/:id',
    { config: { access: 'session' }, schema: { tags, summary: '公示详情（名单与异议）', params: IdParamsSchema, response: { 200: NoticeDetailSchema } } },
    async (req) => service.getNotice(db, actorOf(req), req.params.id),
  );
  app.get(
    '/notices/:id/entries',
    {
      config: { access: 'session' },
      schema: { tags, summary: '公示期间的积分明细', params: IdParamsSchema, querystring: z.object({ personId: z.uuid().optional() }), response: { 200: z.array(EntrySchema) } },
    },
    async (req) => service.noticeEntries(db, actorOf(req), req.params.id, req.query.personId),
  );
  app.post(
    '/notices/:id/objections',
    {
      config: { access: 'session' },
      schema: { tags, summary: '对公示中的积分提出异议（公示期内）', params: IdParamsSchema, body: RaiseObjectionRequestSchema, response: { 201: ObjectionSchema } },
    },
    async (req, reply) => reply.code(201).send(await service.raiseObjection(db, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/notices/:id/close',
    {
      config: { access: 'points.manage' },
      schema: { tags, summary: '关闭公示并结账该季度（异议须全部答复）', params: IdParamsSchema, body: CloseNoticeRequestSchema, response: { 200: NoticeSchema } },
    },
    async (req) => service.closeNotice(db, actorOf(req), req.params.id, req.body.version),
  );
  app.post(
    '/objections/:id/answer',
    {
      config: { access: 'points.manage' },
      schema: { tags, summary: '答复异议（采纳则生成更正分录）', params: IdParamsSchema, body: AnswerObjectionRequestSchema, response: { 200: ObjectionSchema } },
    },
    async (req) => service.answerObjection(db, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/evaluation',
    { config: { access: 'points.read' }, schema: { tags, summary: '年度总评', querystring: EvaluationQuerySchema, response: { 200: EvaluationSchema } } },
    async (req) => service.evaluation(db, actorOf(req), req.query.year, req.query.branchId),
  );
  app.post(
    '/evaluation/overrides',
    { config: { access: 'points.approve' }, schema: { tags, summary: '调整年度等次（须说明理由，留痕）', body: OverrideGradeRequestSchema, response: { 200: OkSchema } } },
    async (req) => {
      await service.overrideGrade(db, actorOf(req), req.body);
      return { ok: true as const };
    },
  );
  // the reply types are given by hand: a file is not what the documented schema validates
  app.get<{ Querystring: z.infer<typeof EvaluationQuerySchema>; Reply: Readable }>(
    '/evaluation.xlsx',
    {
      config: { access: 'points.read' },
      schema: { tags, summary: '导出年度总评（XLSX，留痕）', querystring: EvaluationQuerySchema, produces: [XLSX_MIME], response: { 200: XlsxFileResponse } },
    },
    async (req, reply) => {
      const { fileName, stream } = await exports.exportEvaluationXlsx(db, actorOf(req), req.query.year, req.query.branchId);
      return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(fileName, `points-evaluation-${req.query.year}.xlsx`)).header('cache-control', 'no-store').send(stream);
    },
  );
  app.get<{ Querystring: z.infer<typeof EvaluationQuerySchema>; Reply: Buffer }>(
    '/evaluation.docx',
    {
      config: { access: 'points.read' },
      schema: {
        tags,
        summary: '导出年度考核结果通报（DOCX，留痕）',
        querystring: EvaluationQuerySchema,
        produces: [DOCX_MIME],
        response: { 200: { description: 'DOCX 文件', content: { [DOCX_MIME]: { schema: z.string().meta({ format: 'binary' }) } } } },
      },
    },
    async (req, reply) => {
      const { fileName, data } = await exports.exportEvaluationDocx(db, actorOf(req), req.query.year, req.query.branchId);
      return reply.type(DOCX_MIME).header('content-disposition', contentDisposition(fileName, `points-evaluation-${req.query.year}.docx`)).header('cache-control', 'no-store').send(data);
    },
  );
  app.get(
    '/me',
    { config: { access: 'session' }, schema: { tags, summary: '我的积分', querystring: MyPointsQuerySchema, response: { 200: MyPointsSchema } } },
    async (req) => service.myPoints(db, actorOf(req), req.query.month),
  );
};

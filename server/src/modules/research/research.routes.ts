import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateRecommendationRequestSchema,
  CreateSuggestionRequestSchema,
  CreateTopicRequestSchema,
  IdParamsSchema,
  LinkActivityRequestSchema,
  RecommendationToMeasureRequestSchema,
  RecommendationToProblemRequestSchema,
  ResearchCountsQuerySchema,
  ResearchCountsSchema,
  TopicActivityParamsSchema,
  TopicDetailSchema,
  TopicSummarySchema,
  TopicsListQuerySchema,
  UpdateTopicRequestSchema,
  pageOf,
  researchLimits,
} from '@tongxin/contracts';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/http/auth.hooks';
import { contentDisposition } from '../../platform/xlsx';
import { blobPath, storeUpload } from '../../platform/files';
import { raiseMeasureFromRecommendation, raiseProblemFromRecommendation } from '../../commands/research-problem.command';
import * as service from './research.service';

/** Research topics (调研课题), under /api/v1/research. */
export const researchRoutes: FastifyPluginAsyncZod<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const tags = ['research'];
  const detail = { 200: TopicDetailSchema };
  app.get('/topics', { config: { access: 'unitedfront.read' }, schema: { tags, summary: '调研课题列表', querystring: TopicsListQuerySchema, response: { 200: pageOf(TopicSummarySchema) } } }, async (req) =>
    service.listTopics(db, actorOf(req), req.query),
  );
  app.get(
    '/counts',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '期间内课题数、走访区县和乡镇数（去重）、座谈会数、意见建议数', querystring: ResearchCountsQuerySchema, response: { 200: ResearchCountsSchema } } },
    async (req) => service.researchCounts(db, actorOf(req), req.query.from, req.query.to),
  );
  app.post('/topics', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '立项调研课题', body: CreateTopicRequestSchema, response: { 201: TopicDetailSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createTopic(db, actorOf(req), req.body)),
  );
  app.get('/topics/:id', { config: { access: 'unitedfront.read' }, schema: { tags, params: IdParamsSchema, response: detail } }, async (req) =>
    service.getTopic(db, actorOf(req), req.params.id),
  );
  app.patch('/topics/:id', { config: { access: 'unitedfront.write' }, schema: { tags, params: IdParamsSchema, body: UpdateTopicRequestSchema, response: detail } }, async (req) =>
    service.updateTopic(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/topics/:id/activities',
    { config: { access: 'unitedfront.write' }, schema: { tags, summary: '关联实地调研或座谈会（活动）', params: IdParamsSchema, body: LinkActivityRequestSchema, response: { 201: TopicDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.linkActivity(db, actorOf(req), req.params.id, req.body.activityId)),
  );
  app.delete('/topics/:id/activities/:activityId', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '取消关联活动', params: TopicActivityParamsSchema, response: detail } }, async (req) =>
    service.unlinkActivity(db, actorOf(req), req.params.id, req.params.activityId),
  );
  app.post(
    '/topics/:id/suggestions',
    { config: { access: 'unitedfront.write' }, schema: { tags, summary: '登记意见建议', params: IdParamsSchema, body: CreateSuggestionRequestSchema, response: { 201: TopicDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.addSuggestion(db, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/topics/:id/recommendations',
    { config: { access: 'unitedfront.write' }, schema: { tags, summary: '登记调研报告的对策建议', params: IdParamsSchema, body: CreateRecommendationRequestSchema, response: { 201: TopicDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.addRecommendation(db, actorOf(req), req.params.id, req.body.content)),
  );
  app.delete('/suggestions/:id', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '删除意见建议', params: IdParamsSchema, response: detail } }, async (req) =>
    service.deleteSuggestion(db, actorOf(req), req.params.id),
  );
  app.delete(
    '/recommendations/:id',
    { config: { access: 'unitedfront.write' }, schema: { tags, summary: '删除对策建议（已转为问题或措施的不能删除）', params: IdParamsSchema, response: detail } },
    async (req) => service.deleteRecommendation(db, actorOf(req), req.params.id),
  );
  app.post(
    '/recommendations/:id/problem',
    {
      config: { access: 'rectification.write' },
      schema: { tags, summary: '将对策建议转为整改问题（来源：调研）', params: IdParamsSchema, body: RecommendationToProblemRequestSchema, response: { 201: TopicDetailSchema } },
    },
    async (req, reply) => reply.code(201).send(await raiseProblemFromRecommendation(db, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/recommendations/:id/measure',
    {
      // the rectification service checks rectification.write and its scope on the problem itself
      config: { access: 'unitedfront.write' },
      schema: {
        tags,
        summary: '将对策建议转为已有整改问题下的整改措施',
        params: IdParamsSchema,
        body: RecommendationToMeasureRequestSchema,
        response: { 201: TopicDetailSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await raiseMeasureFromRecommendation(db, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/topics/:id/report',
    {
      config: { access: 'unitedfront.write' },
      schema: {
        tags,
        summary: '上传调研报告',
        description: `multipart/form-data，文件字段 file；不超过 ${researchLimits.reportMaxBytes} 字节；按内容识别类型：PDF、DOCX。`,
        consumes: ['multipart/form-data'],
        params: IdParamsSchema,
        response: { 201: TopicDetailSchema },
      },
    },
    async (req, reply) => {
      const announced = Number(req.headers['content-length'] ?? 0);
      if (announced > researchLimits.reportMaxBytes + 64 * 1024) throw new AppError('PAYLOAD_TOO_LARGE');
      const actor = actorOf(req);
      await service.assertCanUploadReport(db, actor, req.params.id);
      const part = await req.file({ limits: { fileSize: researchLimits.reportMaxBytes } });
      if (!part || part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: 'a file field named "file" is required' }]);
      const stored = await storeUpload(config.dataDir, part.file);
      return reply.code(201).send(await service.setReport(db, actor, req.params.id, part.filename, stored));
    },
  );
  app.get<{ Params: z.infer<typeof IdParamsSchema>; Reply: Readable }>(
    '/topics/:id/report',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '下载调研报告', params: IdParamsSchema } },
    async (req, reply) => {
      const r = await service.findReport(db, actorOf(req), req.params.id);
      return reply
        .type(r.contentType)
        .header('content-disposition', contentDisposition(r.filename, 'report'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(fs.createReadStream(blobPath(config.dataDir, r.sha256)));
    },
  );
};

import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateFormRequestSchema,
  CreateInvitationsRequestSchema,
  FeedbackFormSchema,
  FeedbackResponseSchema,
  IdParamsSchema,
  InvitationListSchema,
  PageQuerySchema,
  PublicAnswerRequestSchema,
  PublicFormSchema,
  SetFormStatusRequestSchema,
  UpdateFormRequestSchema,
  pageOf,
  programLimits,
} from '@tongxin/contracts';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import { XLSX_MIME as XLSX, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';
import { blobPath } from '../../platform/files';
import * as service from './feedback.service';
import { exportResponses } from './feedback.xlsx.service';

/** Organiser side of feedback forms: build, publish, invite, read and export responses. */
export const feedbackRoutes: FastifyPluginAsyncZod<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const tags = ['feedback'];
  const form = { 200: FeedbackFormSchema };
  app.get('/forms', { config: { access: 'feedback.read' }, schema: { tags, querystring: PageQuerySchema, response: { 200: pageOf(FeedbackFormSchema) } } }, async (req) =>
    service.listForms(db, actorOf(req), req.query),
  );
  app.post('/forms', { config: { access: 'feedback.manage' }, schema: { tags, body: CreateFormRequestSchema, response: { 201: FeedbackFormSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createForm(db, actorOf(req), req.body)),
  );
  app.get('/forms/:id', { config: { access: 'feedback.read' }, schema: { tags, params: IdParamsSchema, response: form } }, async (req) =>
    service.getForm(db, actorOf(req), req.params.id),
  );
  app.patch('/forms/:id', { config: { access: 'feedback.manage' }, schema: { tags, params: IdParamsSchema, body: UpdateFormRequestSchema, response: form } }, async (req) =>
    service.updateForm(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/forms/:id/status',
    { config: { access: 'feedback.manage' }, schema: { tags, summary: '发布、关闭或重新开放', params: IdParamsSchema, body: SetFormStatusRequestSchema, response: form } },
    async (req) => service.setFormStatus(db, actorOf(req), req.params.id, req.body.version, req.body.status),
  );
  app.get('/forms/:id/invitations', { config: { access: 'feedback.read' }, schema: { tags, params: IdParamsSchema, response: { 200: InvitationListSchema } } }, async (req) =>
    service.listInvitations(db, actorOf(req), req.params.id),
  );
  app.post(
    '/forms/:id/invitations',
    {
      config: { access: 'feedback.manage' },
      schema: { tags, summary: '添加征求对象', description: '新邀请的口令只在本次响应中返回一次（库中只存散列）。', params: IdParamsSchema, body: CreateInvitationsRequestSchema, response: { 200: InvitationListSchema } },
    },
    async (req) => service.createInvitations(db, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/forms/:id/responses',
    { config: { access: 'feedback.read' }, schema: { tags, params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: pageOf(FeedbackResponseSchema) } } },
    async (req) => service.listResponses(db, actorOf(req), req.params.id, req.query),
  );
  app.get<{ Params: z.infer<typeof IdParamsSchema>; Reply: Readable }>(
    '/forms/:id/responses.xlsx',
    { config: { access: 'feedback.read' }, schema: { tags, summary: '导出回复（XLSX）', params: IdParamsSchema, produces: [XLSX], response: { 200: XlsxFileResponse } } },
    async (req, reply) => {
      const { fileName, stream } = await exportResponses(db, actorOf(req), req.params.id);
      return reply.type(XLSX).header('content-disposition', contentDisposition(fileName, 'feedback-responses.xlsx')).header('cache-control', 'no-store').send(stream);
    },
  );
  app.get<{ Params: z.infer<typeof IdParamsSchema>; Reply: Readable }>(
    '/files/:id',
    { config: { access: 'feedback.read' }, schema: { tags, summary: '下载回复中的文件', params: IdParamsSchema } },
    async (req, reply) => {
      const f = await service.findFile(db, actorOf(req), req.params.id);
      return reply
        .type(f.contentType)
        .header('content-disposition', contentDisposition(f.filename, 'answer-file'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(fs.createReadStream(blobPath(config.dataDir, f.sha256)));
    },
  );
};

const PublicParamsSchema = z.object({ publicId: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });

/**
 * The public side: read a published form and answer it without an account. Limited per
 * address (in this process) and by body size; the form names the tenant.
 */
export const publicFeedbackRoutes: FastifyPluginAsyncZod<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const tags = ['feedback'];
  app.get(
    '/:publicId',
    { config: { access: 'public', rateLimit: { max: 120, timeWindow: 60_000 } }, schema: { tags, summary: '读取公开征求意见表', params: PublicParamsSchema, response: { 200: PublicFormSchema } } },
    async (req) => service.getPublicForm(db, req.params.publicId),
  );
  app.post(
    '/:publicId/responses',
    {
      config: { access: 'public', rateLimit: { max: programLimits.publicSubmitsPerMinute, timeWindow: 60_000 } },
      bodyLimit: programLimits.publicBodyMaxBytes,
      schema: {
        tags,
        summary: '提交公开征求意见',
        description: `无需登录。每个地址每分钟至多 ${programLimits.publicSubmitsPerMinute} 次；请求体不超过 ${programLimits.publicBodyMaxBytes} 字节；单个文本回答不超过 ${programLimits.answerTextMax} 字；已关闭的表返回 409 WINDOW_CLOSED；同一邀请口令第二次使用返回 409 CONFLICT。`,
        params: PublicParamsSchema,
        body: PublicAnswerRequestSchema,
        response: { 201: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req, reply) => {
      await service.submitPublic(db, config.dataDir, req.params.publicId, req.body);
      // the honeypot's bot gets the same reply as a person
      return reply.code(201).send({ ok: true as const });
    },
  );
};

import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AssigneeListSchema,
  AssignClaimRequestSchema,
  CreateCategoryRequestSchema,
  CreateMeasureRequestSchema,
  CreateProblemRequestSchema,
  IdParamsSchema,
  ProblemCategoryListSchema,
  ProblemCategorySchema,
  ProblemDetailSchema,
  ProblemListQuerySchema,
  ProblemSummarySchema,
  ProgressRequestSchema,
  ReturnMeasureRequestSchema,
  UpdateCategoryRequestSchema,
  UpdateMeasureRequestSchema,
  UpdateProblemRequestSchema,
  VersionOnlyRequestSchema,
  pageOf,
  programLimits,
} from '@tongxin/contracts';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/http/auth.hooks';
import { XLSX_MIME as XLSX, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';
import { blobPath, storeUpload } from '../../platform/files';
import * as service from './rectification.service';
import { ledgerDocx, ledgerXlsx } from './rectification.ledger.service';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const LedgerQuerySchema = ProblemListQuerySchema.omit({ page: true, pageSize: true });
const UserParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() });

/** Problem inventory, claims, measures, verification and the ledger. */
export const rectificationRoutes: FastifyPluginAsyncZod<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const tags = ['rectification'];
  const detail = { 200: ProblemDetailSchema };
  app.get('/categories', { config: { access: 'rectification.read' }, schema: { tags, response: { 200: ProblemCategoryListSchema } } }, async (req) =>
    service.listCategories(db, actorOf(req)),
  );
  app.post(
    '/categories',
    { config: { access: 'rectification.write' }, schema: { tags, body: CreateCategoryRequestSchema, response: { 201: ProblemCategorySchema } } },
    async (req, reply) => reply.code(201).send(await service.createCategory(db, actorOf(req), req.body)),
  );
  app.patch(
    '/categories/:id',
    { config: { access: 'rectification.write' }, schema: { tags, params: IdParamsSchema, body: UpdateCategoryRequestSchema, response: { 200: ProblemCategorySchema } } },
    async (req) => service.updateCategory(db, actorOf(req), req.params.id, req.body),
  );
  app.get('/assignees', { config: { access: 'rectification.read' }, schema: { tags, summary: '可认领/负责的用户', response: { 200: AssigneeListSchema } } }, async (req) =>
    service.listAssignees(db, actorOf(req)),
  );

  app.get('/problems', { config: { access: 'rectification.read' }, schema: { tags, querystring: ProblemListQuerySchema, response: { 200: pageOf(ProblemSummarySchema) } } }, async (req) =>
    service.listProblems(db, actorOf(req), req.query),
  );
  app.post('/problems', { config: { access: 'rectification.write' }, schema: { tags, body: CreateProblemRequestSchema, response: { 201: ProblemDetailSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createProblem(db, actorOf(req), req.body)),
  );
  app.get('/problems/:id', { config: { access: 'rectification.read' }, schema: { tags, params: IdParamsSchema, response: detail } }, async (req) =>
    service.getProblem(db, actorOf(req), req.params.id),
  );
  app.patch(
    '/problems/:id',
    { config: { access: 'rectification.write' }, schema: { tags, params: IdParamsSchema, body: UpdateProblemRequestSchema, response: detail } },
    async (req) => service.updateProblem(db, actorOf(req), req.params.id, req.body),
  );
  app.post('/problems/:id/claim', { config: { access: 'rectification.write' }, schema: { tags, summary: '认领', params: IdParamsSchema, response: detail } }, async (req) =>
    service.claimProblem(db, actorOf(req), req.params.id),
  );
  app.post(
    '/problems/:id/assign',
    { config: { access: 'rectification.read' }, schema: { tags, summary: '方案负责人指定认领领导', params: IdParamsSchema, body: AssignClaimRequestSchema, response: detail } },
    async (req) => service.assignProblem(db, actorOf(req), req.params.id, req.body.userId),
  );
  app.delete('/problems/:id/claims/:userId', { config: { access: 'rectification.read' }, schema: { tags, params: UserParamsSchema, response: detail } }, async (req) =>
    service.unclaimProblem(db, actorOf(req), req.params.id, req.params.userId),
  );
  app.post('/problems/:id/close', { config: { access: 'rectification.verify' }, schema: { tags, summary: '问题销号', params: IdParamsSchema, response: detail } }, async (req) =>
    service.closeProblem(db, actorOf(req), req.params.id),
  );
  app.post(
    '/problems/:id/measures',
    { config: { access: 'rectification.write' }, schema: { tags, params: IdParamsSchema, body: CreateMeasureRequestSchema, response: { 201: ProblemDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.createMeasure(db, actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/measures/:id',
    { config: { access: 'rectification.write' }, schema: { tags, params: IdParamsSchema, body: UpdateMeasureRequestSchema, response: detail } },
    async (req) => service.updateMeasure(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/measures/:id/progress',
    { config: { access: 'rectification.write' }, schema: { tags, summary: '填报进展', params: IdParamsSchema, body: ProgressRequestSchema, response: { 201: ProblemDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.addProgress(db, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/measures/:id/evidence',
    {
      config: { access: 'rectification.write' },
      schema: {
        tags,
        summary: '上传佐证材料',
        description: `multipart/form-data，文件字段 file；不超过 ${programLimits.evidenceMaxBytes} 字节；按内容识别类型：JPEG、PNG、WebP、GIF、PDF、DOCX、XLSX、PPTX。`,
        consumes: ['multipart/form-data'],
        params: IdParamsSchema,
        response: { 201: ProblemDetailSchema },
      },
    },
    async (req, reply) => {
      const announced = Number(req.headers['content-length'] ?? 0);
      if (announced > programLimits.evidenceMaxBytes + 64 * 1024) throw new AppError('PAYLOAD_TOO_LARGE');
      const actor = actorOf(req);
      await service.assertCanAddEvidence(db, actor, req.params.id);
      const part = await req.file({ limits: { fileSize: programLimits.evidenceMaxBytes } });
      if (!part || part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: 'a file field named "file" is required' }]);
      const stored = await storeUpload(config.dataDir, part.file);
      return reply.code(201).send(await service.addEvidence(db, actor, req.params.id, part.filename, stored));
    },
  );
  app.get<{ Params: z.infer<typeof IdParamsSchema>; Reply: Readable }>(
    '/evidence/:id',
    { config: { access: 'rectification.read' }, schema: { tags, summary: '下载佐证材料', params: IdParamsSchema } },
    async (req, reply) => {
      const e = await service.findEvidence(db, actorOf(req), req.params.id);
      return reply
        .type(e.contentType)
        .header('content-disposition', contentDisposition(e.filename, 'evidence'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(fs.createReadStream(blobPath(config.dataDir, e.sha256)));
    },
  );
  app.post(
    '/measures/:id/verify',
    { config: { access: 'rectification.verify' }, schema: { tags, summary: '验收销号（验收人不能是责任人）', params: IdParamsSchema, body: VersionOnlyRequestSchema, response: detail } },
    async (req) => service.verifyMeasure(db, actorOf(req), req.params.id, req.body.version),
  );
  app.post(
    '/measures/:id/return',
    { config: { access: 'rectification.verify' }, schema: { tags, summary: '退回（附理由）', params: IdParamsSchema, body: ReturnMeasureRequestSchema, response: detail } },
    async (req) => service.returnMeasure(db, actorOf(req), req.params.id, req.body.version, req.body.reason),
  );

  app.get<{ Querystring: z.infer<typeof LedgerQuerySchema>; Reply: Buffer }>(
    '/ledger.xlsx',
    { config: { access: 'rectification.read' }, schema: { tags, summary: '整改台账（XLSX）', querystring: LedgerQuerySchema, produces: [XLSX], response: { 200: XlsxFileResponse } } },
    async (req, reply) => {
      const { fileName, data } = await ledgerXlsx(db, actorOf(req), req.query);
      return reply.type(XLSX).header('content-disposition', contentDisposition(fileName, 'rectification-ledger.xlsx')).header('cache-control', 'no-store').send(data);
    },
  );
  app.get<{ Querystring: z.infer<typeof LedgerQuerySchema>; Reply: Buffer }>(
    '/ledger.docx',
    { config: { access: 'rectification.read' }, schema: { tags, summary: '整改情况汇总表（DOCX）', querystring: LedgerQuerySchema, produces: [DOCX] } },
    async (req, reply) => {
      const { fileName, data } = await ledgerDocx(db, actorOf(req), req.query);
      return reply.type(DOCX).header('content-disposition', contentDisposition(fileName, 'rectification-summary.docx')).header('cache-control', 'no-store').send(data);
    },
  );
};

import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ActivityExportQuerySchema, AttachmentParamsSchema, AttachmentSchema, IdParamsSchema, OkSchema, activityLimits } from '@tongxin/contracts';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/http/auth.hooks';
import { XLSX_MIME as XLSX, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';
import * as files from './activities.files.service';
import { blobPath, storeUpload } from '../../platform/files';
import * as xlsx from './activities.xlsx.service';

/** ASCII stand-in for the filename parameter of old clients; the real name goes in filename*. */
function asciiName(name: string, fallback: string): string {
  const a = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return /[A-Za-z0-9]/.test(a) ? a : fallback;
}

/** Attachments (upload, download, delete) and the XLSX exports of activities. */
export const activityFileRoutes: FastifyPluginAsyncZod<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const tags = ['activities'];

  app.post(
    '/:id/attachments',
    {
      config: { access: 'activities.write' },
      schema: {
        tags,
        summary: '上传附件',
        description: `multipart/form-data，文件字段 file；不超过 ${activityLimits.attachmentMaxBytes} 字节；按内容识别类型：JPEG、PNG、WebP、GIF、PDF、DOCX、XLSX、PPTX。`,
        consumes: ['multipart/form-data'],
        params: IdParamsSchema,
        response: { 201: AttachmentSchema },
      },
    },
    async (req, reply) => {
      // an announced body far over the limit is refused before a byte of it is read
      const announced = Number(req.headers['content-length'] ?? 0);
      if (announced > activityLimits.attachmentMaxBytes + 64 * 1024) throw new AppError('PAYLOAD_TOO_LARGE');
      const actor = actorOf(req);
      await files.assertCanAttach(db, actor, req.params.id);
      const part = await req.file({ limits: { fileSize: activityLimits.attachmentMaxBytes } });
      if (!part || part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: 'a file field named "file" is required' }]);
      const stored = await storeUpload(config.dataDir, part.file);
      return reply.code(201).send(await files.addAttachment(db, actor, req.params.id, part.filename, stored));
    },
  );

  app.get<{ Params: z.infer<typeof AttachmentParamsSchema>; Reply: Readable }>(
    '/:id/attachments/:attachmentId',
    { config: { access: 'session' }, schema: { tags, summary: '下载附件', params: AttachmentParamsSchema } },
    async (req, reply) => {
      const att = await files.findDownload(db, actorOf(req), req.params.id, req.params.attachmentId);
      return reply
        .type(att.contentType)
        .header('content-disposition', contentDisposition(att.filename, asciiName(att.filename, 'attachment')))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(fs.createReadStream(blobPath(config.dataDir, att.sha256)));
    },
  );

  app.delete(
    '/:id/attachments/:attachmentId',
    { config: { access: 'activities.write' }, schema: { tags, params: AttachmentParamsSchema, response: { 200: OkSchema } } },
    async (req) => {
      await files.removeAttachment(db, actorOf(req), req.params.id, req.params.attachmentId);
      return { ok: true as const };
    },
  );

  app.get<{ Params: z.infer<typeof IdParamsSchema>; Reply: Readable }>(
    '/:id/signin-sheet.xlsx',
    { config: { access: 'session' }, schema: { tags, summary: '导出签到表', params: IdParamsSchema, produces: [XLSX], response: { 200: XlsxFileResponse } } },
    async (req, reply) => {
      const { fileName, stream } = await xlsx.signinSheet(db, actorOf(req), req.params.id);
      return reply.type(XLSX).header('content-disposition', contentDisposition(fileName, 'signin-sheet.xlsx')).header('cache-control', 'no-store').send(stream);
    },
  );

  app.get<{ Querystring: z.infer<typeof ActivityExportQuerySchema>; Reply: Readable }>(
    '/export.xlsx',
    {
      config: { access: 'activities.read' },
      schema: { tags, summary: '导出活动台账', querystring: ActivityExportQuerySchema, produces: [XLSX], response: { 200: XlsxFileResponse } },
    },
    async (req, reply) => {
      const { fileName, stream } = await xlsx.ledger(db, actorOf(req), req.query);
      return reply.type(XLSX).header('content-disposition', contentDisposition(fileName, 'activity-ledger.xlsx')).header('cache-control', 'no-store').send(stream);
    },
  );
};

import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEntrySchema, AuditExportQuerySchema, AuditQuerySchema, AuditVerifySchema, pageOf } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import { XLSX_MIME, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';
import * as service from './audit.service';

export const auditRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['audit'];
  app.get('/', { config: { access: 'audit.read' }, schema: { tags, querystring: AuditQuerySchema, response: { 200: pageOf(AuditEntrySchema) } } }, async (req) =>
    service.searchAudit(db, actorOf(req), req.query),
  );
  app.get<{ Querystring: z.infer<typeof AuditExportQuerySchema>; Reply: Readable }>(
    '/export.xlsx',
    { config: { access: 'audit.read' }, schema: { tags, querystring: AuditExportQuerySchema, produces: [XLSX_MIME], response: { 200: XlsxFileResponse } } },
    async (req, reply) => {
      const { fileName, stream } = await service.exportAudit(db, actorOf(req), req.query);
      return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(fileName, 'audit.xlsx')).header('cache-control', 'no-store').send(stream);
    },
  );
  app.get('/verify', { config: { access: 'audit.read' }, schema: { tags, response: { 200: AuditVerifySchema } } }, async (req) =>
    service.verifyAudit(db, actorOf(req)),
  );
};

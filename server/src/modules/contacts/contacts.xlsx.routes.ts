import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ContactImportOptionsSchema, ContactImportResultSchema, ContactsListQuerySchema, limits } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/http/auth.hooks';
import { XLSX_MIME as XLSX, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';
import * as service from './contacts.xlsx.service';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', [{ path: 'decisions', problem: 'not JSON' }]);
  }
}

const ExportQuerySchema = ContactsListQuerySchema.omit({ page: true, pageSize: true });

/** Contacts import template, import and export (XLSX), under /api/v1/unitedfront. */
export const contactsXlsxRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['unitedfront'];

  app.get<{ Reply: Buffer }>(
    '/contacts/import-template.xlsx',
    { config: { access: 'unitedfront.import' }, schema: { tags, summary: '下载统战成员导入模板', produces: [XLSX], response: { 200: XlsxFileResponse } } },
    async (req, reply) => {
      const file = await service.buildContactsTemplate(db, actorOf(req));
      return reply.type(XLSX).header('content-disposition', contentDisposition('统战成员导入模板.xlsx', 'contacts-import-template.xlsx')).send(file);
    },
  );

  app.post(
    '/contacts/import',
    {
      config: { access: 'unitedfront.import' },
      schema: {
        tags,
        summary: '从 XLSX 导入统战成员',
        description:
          `multipart/form-data：可选字段 onDuplicate（merge | skip）和 decisions（JSON：{ "行号": "merge" | "skip" }）须在文件之前，文件字段 file，不超过 ${limits.importMaxBytes} 字节、${limits.importMaxRows} 行。` +
          '任一行有错误时返回 422 IMPORT_INVALID；与已登记成员重复且未作决定的行返回 409 DUPLICATE，均不导入任何数据。',
        consumes: ['multipart/form-data'],
        response: { 200: ContactImportResultSchema },
      },
    },
    async (req) => {
      const part = await req.file();
      if (!part || part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: 'a file field named "file" is required' }]);
      const field = (name: string): string | undefined => {
        const f = part.fields[name];
        const one = Array.isArray(f) ? f[0] : f;
        return one && one.type === 'field' && typeof one.value === 'string' ? one.value : undefined;
      };
      const decisions = parseJson(field('decisions') ?? '{}');
      const options = ContactImportOptionsSchema.safeParse({ onDuplicate: field('onDuplicate') || undefined, decisions });
      if (!options.success) throw new AppError('VALIDATION_FAILED', options.error.issues.map((i) => ({ path: i.path.join('.'), problem: i.message })));
      const data = await part.toBuffer();
      return service.importContacts(db, actorOf(req), { fileName: part.filename, data }, options.data);
    },
  );

  app.get<{ Querystring: z.infer<typeof ExportQuerySchema>; Reply: Readable }>(
    '/contacts/export.xlsx',
    {
      config: { access: 'unitedfront.export' },
      schema: {
        tags,
        summary: '导出统战成员（XLSX）',
        description: '筛选条件同列表；无 unitedfront.reveal 权限时手机号码和身份证号为脱敏值。每次导出都记入审计日志（含行数）。',
        querystring: ExportQuerySchema,
        produces: [XLSX],
        response: { 200: XlsxFileResponse },
      },
    },
    async (req, reply) => {
      const { fileName, stream } = await service.exportContacts(db, actorOf(req), req.query);
      return reply.type(XLSX).header('content-disposition', contentDisposition(fileName, 'contacts.xlsx')).header('cache-control', 'no-store').send(stream);
    },
  );
};

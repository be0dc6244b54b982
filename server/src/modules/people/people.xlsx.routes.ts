import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ImportResultSchema, PeopleListQuerySchema, limits } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/http/auth.hooks';
import { XLSX_MIME as XLSX, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';
import * as service from './people.xlsx.service';

const ExportQuerySchema = PeopleListQuerySchema.omit({ page: true, pageSize: true });

/** People import template, import and export (XLSX). */
export const peopleXlsxRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['people'];

  // the reply type is given by hand: a file is not what the documented schema validates
  app.get<{ Reply: Buffer }>(
    '/import-template.xlsx',
    {
      config: { access: 'people.import' },
      schema: {
        tags,
        summary: '下载人员导入模板',
        description: '表头、示例行和下拉选项，另附“说明”表列出本单位可填写的科室、支部和党小组。',
        produces: [XLSX],
        response: { 200: XlsxFileResponse },
      },
    },
    async (req, reply) => {
      const file = await service.buildImportTemplate(db, actorOf(req));
      return reply.type(XLSX).header('content-disposition', contentDisposition('人员导入模板.xlsx', 'people-import-template.xlsx')).send(file);
    },
  );

  app.post(
    '/import',
    {
      config: { access: 'people.import' },
      schema: {
        tags,
        summary: '从 XLSX 导入人员',
        description:
          `multipart/form-data，文件字段 file：按导入模板填写的 .xlsx，不超过 ${limits.importMaxBytes} 字节、${limits.importMaxRows} 行。` +
          '任一行有错误时不导入任何数据，返回 422 IMPORT_INVALID，details 逐条列出 { row, column, problem }。',
        consumes: ['multipart/form-data'],
        response: { 200: ImportResultSchema },
      },
    },
    async (req) => {
      const part = await req.file();
      if (!part || part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', [{ path: 'file', problem: 'a file field named "file" is required' }]);
      // throws FST_REQ_FILE_TOO_LARGE (413) past limits.importMaxBytes
      const data = await part.toBuffer();
      return service.importPeople(db, actorOf(req), { fileName: part.filename, data });
    },
  );

  // the reply type is given by hand: a streamed file is not what the documented schema validates
  app.get<{ Querystring: z.infer<typeof ExportQuerySchema>; Reply: Readable }>(
    '/export.xlsx',
    {
      config: { access: 'people.export' },
      schema: {
        tags,
        summary: '导出人员名单（XLSX）',
        description: '按与列表相同的筛选条件导出数据范围内的人员；无 people.reveal 权限时手机号码和身份证号为脱敏值。每次导出都记入审计日志。',
        querystring: ExportQuerySchema,
        produces: [XLSX],
        response: { 200: XlsxFileResponse },
      },
    },
    async (req, reply) => {
      const { fileName, stream } = await service.exportPeople(db, actorOf(req), req.query);
      return reply
        .type(XLSX)
        .header('content-disposition', contentDisposition(fileName, fileName.replace(/^人员名单/, 'people')))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
};

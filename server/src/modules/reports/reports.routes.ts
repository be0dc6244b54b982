import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CheckRequestSchema,
  CheckResponseSchema,
  ConfirmMappingRequestSchema,
  CreateTemplateRequestSchema,
  DashboardRecordsRequestSchema,
  DashboardRequestSchema,
  DashboardResponseSchema,
  EvaluateMetricRequestSchema,
  ExportDocxRequestSchema,
  IdParamsSchema,
  LedgerParamsSchema,
  LedgerQuerySchema,
  MetricDefSchema,
  MetricResultSchema,
  OkSchema,
  PreviewRequestSchema,
  PreviewResponseSchema,
  TemplateSchema,
  UpdateTemplateRequestSchema,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import { XLSX_MIME, XlsxFileResponse, contentDisposition } from '../../platform/xlsx';
import * as service from './reports.service';
import { exportSummaryDocx } from './reports.docx.service';
import { checkFigures, confirmMapping } from './reports.check.service';
import { areaLedger, combinedLedger } from './reports.ledgers.service';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export const reportsRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['reports'];
  app.get(
    '/metrics',
    { config: { access: 'reports.read' }, schema: { tags, summary: '指标目录', response: { 200: z.array(MetricDefSchema) } } },
    async (req) => service.listMetrics(actorOf(req)),
  );
  app.post(
    '/metrics/evaluate',
    {
      config: { access: 'reports.read' },
      schema: { tags, summary: '按期间、单位和条件计算一个指标，返回数值及其依据记录', body: EvaluateMetricRequestSchema, response: { 200: MetricResultSchema } },
    },
    async (req) => service.evaluate(db, actorOf(req), req.body),
  );
  app.post<{ Body: z.infer<typeof EvaluateMetricRequestSchema>; Reply: Buffer }>(
    '/metrics/records.xlsx',
    {
      config: { access: 'reports.read' },
      schema: {
        tags,
        summary: '导出一个数据的全部依据记录（XLSX）',
        description: '条件同“计算指标”；每次导出记入审计日志。',
        body: EvaluateMetricRequestSchema,
        produces: [XLSX_MIME],
        response: { 200: XlsxFileResponse },
      },
    },
    async (req, reply) => {
      const { fileName, data } = await service.exportRecords(db, actorOf(req), req.body);
      return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(fileName, 'records.xlsx')).header('cache-control', 'no-store').send(data);
    },
  );
  app.post(
    '/dashboard',
    {
      config: { access: 'reports.read' },
      schema: { tags, summary: '统计看板：关键数据及上期对比、活动月度趋势与类型分布', body: DashboardRequestSchema, response: { 200: DashboardResponseSchema } },
    },
    async (req) => service.dashboard(db, actorOf(req), req.body),
  );
  app.post(
    '/dashboard/records',
    {
      config: { access: 'reports.read' },
      schema: { tags, summary: '统计看板图表的依据记录：未履职的单位、某积分段的党员', body: DashboardRecordsRequestSchema, response: { 200: MetricResultSchema } },
    },
    async (req) => service.dashboardRecords(db, actorOf(req), req.body),
  );
  app.post<{ Body: z.infer<typeof DashboardRecordsRequestSchema>; Reply: Buffer }>(
    '/dashboard/records.xlsx',
    {
      config: { access: 'reports.read' },
      schema: {
        tags,
        summary: '导出统计看板图表（规定动作、积分分布）的全部依据记录（XLSX）',
        description: '每次导出记入审计日志。',
        body: DashboardRecordsRequestSchema,
        produces: [XLSX_MIME],
        response: { 200: XlsxFileResponse },
      },
    },
    async (req, reply) => {
      const { fileName, data } = await service.exportDashboardRecords(db, actorOf(req), req.body);
      return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(fileName, 'records.xlsx')).header('cache-control', 'no-store').send(data);
    },
  );
  app.get(
    '/templates',
    { config: { access: 'reports.read' }, schema: { tags, summary: '工作总结模板', response: { 200: z.array(TemplateSchema) } } },
    async (req) => service.listTemplates(db, actorOf(req)),
  );
  app.get(
    '/templates/:id',
    { config: { access: 'reports.read' }, schema: { tags, params: IdParamsSchema, response: { 200: TemplateSchema } } },
    async (req) => service.getTemplate(db, actorOf(req), req.params.id),
  );
  app.post(
    '/templates',
    { config: { access: 'reports.write' }, schema: { tags, body: CreateTemplateRequestSchema, response: { 201: TemplateSchema } } },
    async (req, reply) => reply.code(201).send(await service.createTemplate(db, actorOf(req), req.body)),
  );
  app.patch(
    '/templates/:id',
    { config: { access: 'reports.write' }, schema: { tags, params: IdParamsSchema, body: UpdateTemplateRequestSchema, response: { 200: TemplateSchema } } },
    async (req) => service.updateTemplate(db, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/templates/:id',
    { config: { access: 'reports.write' }, schema: { tags, params: IdParamsSchema, response: { 200: OkSchema } } },
    async (req) => {
      await service.deleteTemplate(db, actorOf(req), req.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/summaries/preview',
    {
      config: { access: 'reports.read' },
      schema: { tags, summary: '按期间和单位解析模板中的数据占位符', body: PreviewRequestSchema, response: { 200: PreviewResponseSchema } },
    },
    async (req) => service.preview(db, actorOf(req), req.body),
  );
  app.post<{ Body: z.infer<typeof ExportDocxRequestSchema>; Reply: Buffer }>(
    '/summaries/docx',
    {
      config: { access: 'reports.read' },
      schema: { tags, summary: '导出公文格式（GB/T 9704）工作总结 DOCX，附数据来源', body: ExportDocxRequestSchema, produces: [DOCX] },
    },
    async (req, reply) => {
      const { fileName, data } = await exportSummaryDocx(db, actorOf(req), req.body);
      return reply.type(DOCX).header('content-disposition', contentDisposition(fileName, 'work-summary.docx')).header('cache-control', 'no-store').send(data);
    },
  );
  app.get<{ Querystring: z.infer<typeof LedgerQuerySchema> }>(
    '/ledgers',
    {
      config: { access: 'reports.read' },
      schema: {
        tags,
        summary: '导出期间工作台账汇总（XLSX，每个业务一张工作表）',
        description: '只包含本人有权导出的业务；每次导出记入审计日志。',
        querystring: LedgerQuerySchema,
        produces: [XLSX_MIME],
        response: { 200: XlsxFileResponse },
      },
    },
    async (req, reply) => {
      const { fileName, data } = await combinedLedger(db, actorOf(req), req.query);
      return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(fileName, 'ledgers.xlsx')).header('cache-control', 'no-store').send(data);
    },
  );
  app.get<{ Params: z.infer<typeof LedgerParamsSchema>; Querystring: z.infer<typeof LedgerQuerySchema> }>(
    '/ledgers/:area',
    {
      config: { access: 'reports.read' },
      schema: {
        tags,
        summary: '导出一个业务的台账（XLSX）',
        description: '期间和单位（含下级）筛选；还需要该业务的查看或导出权限。',
        params: LedgerParamsSchema,
        querystring: LedgerQuerySchema,
        produces: [XLSX_MIME],
        response: { 200: XlsxFileResponse },
      },
    },
    async (req, reply) => {
      const { fileName, data } = await areaLedger(db, actorOf(req), req.params.area, req.query);
      return reply.type(XLSX_MIME).header('content-disposition', contentDisposition(fileName, `${req.params.area}.xlsx`)).header('cache-control', 'no-store').send(data);
    },
  );
  app.post(
    '/figure-check',
    {
      config: { access: 'reports.read' },
      schema: { tags, summary: '核对文稿中的数据：找出数字与量词，推断指标并与系统计算值比对', body: CheckRequestSchema, response: { 200: CheckResponseSchema } },
    },
    async (req) => ({ figures: await checkFigures(db, actorOf(req), req.body) }),
  );
  app.put(
    '/figure-mappings',
    { config: { access: 'reports.write' }, schema: { tags, summary: '确认某一说法对应的指标（本单位记住）', body: ConfirmMappingRequestSchema, response: { 200: OkSchema } } },
    async (req) => {
      await confirmMapping(db, actorOf(req), req.body);
      return { ok: true as const };
    },
  );
};

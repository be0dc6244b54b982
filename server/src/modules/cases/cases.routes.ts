import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseCountsSchema, CaseFollowupRequestSchema, CasesListQuerySchema, CreateCaseRequestSchema, IdParamsSchema, ServiceCaseSchema, pageOf } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './cases.service';

/** Service cases (办实事), under /api/v1/unitedfront/cases. */
export const casesRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['unitedfront'];
  const CountsQuery = CasesListQuerySchema.omit({ page: true, pageSize: true });
  app.get('/', { config: { access: 'unitedfront.read' }, schema: { tags, summary: '办实事事项列表', querystring: CasesListQuerySchema, response: { 200: pageOf(ServiceCaseSchema) } } }, async (req) =>
    service.listCases(db, actorOf(req), req.query),
  );
  app.get('/counts', { config: { access: 'unitedfront.read' }, schema: { tags, summary: '诉求数与解决数（按企业类型）', querystring: CountsQuery, response: { 200: CaseCountsSchema } } }, async (req) =>
    service.countCases(db, actorOf(req), req.query),
  );
  app.get('/:id', { config: { access: 'unitedfront.read' }, schema: { tags, params: IdParamsSchema, response: { 200: ServiceCaseSchema } } }, async (req) =>
    service.getCase(db, actorOf(req), req.params.id),
  );
  app.post('/', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '登记诉求', body: CreateCaseRequestSchema, response: { 201: ServiceCaseSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createCase(db, actorOf(req), req.body)),
  );
  app.post(
    '/:id/followups',
    {
      config: { access: 'unitedfront.write' },
      schema: { tags, summary: '跟进（可推进状态；办结须填写结果）', params: IdParamsSchema, body: CaseFollowupRequestSchema, response: { 200: ServiceCaseSchema } },
    },
    async (req) => service.followUp(db, actorOf(req), req.params.id, req.body),
  );
};

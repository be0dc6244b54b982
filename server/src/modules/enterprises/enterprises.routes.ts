import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateEnterpriseRequestSchema,
  EnterpriseSchema,
  EnterprisesListQuerySchema,
  IdParamsSchema,
  TimelineSchema,
  UpdateEnterpriseRequestSchema,
  VersionOnlyRequestSchema,
  pageOf,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './enterprises.service';

/** Enterprises of the united-front work, under /api/v1/unitedfront/enterprises. */
export const enterprisesRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['unitedfront'];
  app.get(
    '/',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '企业列表', querystring: EnterprisesListQuerySchema, response: { 200: pageOf(EnterpriseSchema) } } },
    async (req) => service.listEnterprises(db, actorOf(req), req.query),
  );
  app.get(
    '/:id',
    { config: { access: 'unitedfront.read' }, schema: { tags, params: IdParamsSchema, response: { 200: EnterpriseSchema } } },
    async (req) => service.getEnterprise(db, actorOf(req), req.params.id),
  );
  app.get(
    '/:id/timeline',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '企业时间线', params: IdParamsSchema, response: { 200: TimelineSchema } } },
    async (req) => service.enterpriseTimeline(db, actorOf(req), req.params.id),
  );
  app.post(
    '/',
    {
      config: { access: 'unitedfront.write' },
      schema: { tags, summary: '登记企业（统一社会信用代码须通过校验位）', body: CreateEnterpriseRequestSchema, response: { 201: EnterpriseSchema } },
    },
    async (req, reply) => reply.code(201).send(await service.createEnterprise(db, actorOf(req), req.body)),
  );
  app.patch(
    '/:id',
    { config: { access: 'unitedfront.write' }, schema: { tags, params: IdParamsSchema, body: UpdateEnterpriseRequestSchema, response: { 200: EnterpriseSchema } } },
    async (req) => service.updateEnterprise(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/:id/deactivate',
    { config: { access: 'unitedfront.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: EnterpriseSchema } } },
    async (req) => service.setEnterpriseActive(db, actorOf(req), req.params.id, req.body.version, false),
  );
  app.post(
    '/:id/reactivate',
    { config: { access: 'unitedfront.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: EnterpriseSchema } } },
    async (req) => service.setEnterpriseActive(db, actorOf(req), req.params.id, req.body.version, true),
  );
};

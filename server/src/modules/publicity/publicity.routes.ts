import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreatePublicityRequestSchema, IdParamsSchema, PublicityCountsSchema, PublicityItemSchema, PublicityQuerySchema, UpdatePublicityRequestSchema } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './publicity.service';

/** Publicity and information items, under /api/v1/unitedfront/publicity. */
export const publicityRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['unitedfront'];
  app.get('/', { config: { access: 'unitedfront.read' }, schema: { tags, summary: '宣传信息及按渠道、采用级别的统计', querystring: PublicityQuerySchema, response: { 200: PublicityCountsSchema } } }, async (req) =>
    service.listWithCounts(db, actorOf(req), req.query.from, req.query.to, req.query),
  );
  app.post('/', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '登记宣传信息', body: CreatePublicityRequestSchema, response: { 201: PublicityItemSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createItem(db, actorOf(req), req.body)),
  );
  app.patch('/:id', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '修改宣传信息', params: IdParamsSchema, body: UpdatePublicityRequestSchema, response: { 200: PublicityItemSchema } } }, async (req) =>
    service.updateItem(db, actorOf(req), req.params.id, req.body),
  );
};

import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateRiskRequestSchema,
  CreateRuleRequestSchema,
  DateSchema,
  IdParamsSchema,
  IntegrityRiskSchema,
  IntegrityRuleSchema,
  ReviseRuleRequestSchema,
  RiskReviewRequestSchema,
  RisksListQuerySchema,
  PersonOptionSchema,
  PersonOptionsQuerySchema,
  UpdateRiskRequestSchema,
  pageOf,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './integrity.service';

/** Integrity risk points and rules, under /api/v1/unitedfront/integrity. */
export const integrityRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['unitedfront'];
  app.get('/risks', { config: { access: 'unitedfront.read' }, schema: { tags, summary: '廉政风险点', querystring: RisksListQuerySchema, response: { 200: pageOf(IntegrityRiskSchema) } } }, async (req) =>
    service.listRisks(db, actorOf(req), req.query),
  );
  app.post('/risks', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '登记廉政风险点（责任人必填）', body: CreateRiskRequestSchema, response: { 201: IntegrityRiskSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createRisk(db, actorOf(req), req.body)),
  );
  app.patch('/risks/:id', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '修改廉政风险点（责任人不可为空）', params: IdParamsSchema, body: UpdateRiskRequestSchema, response: { 200: IntegrityRiskSchema } } }, async (req) =>
    service.updateRisk(db, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/people',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '可选责任人（按姓名检索，仅姓名和科室）', querystring: PersonOptionsQuerySchema, response: { 200: z.object({ items: z.array(PersonOptionSchema) }) } } },
    async (req) => service.personOptions(db, actorOf(req), req.query.q, (req.query.ids ?? '').split(',').filter((x) => /^[0-9a-f-]{36}$/i.test(x)).slice(0, 50)),
  );
  app.post('/risks/:id/reviews', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '记录一次复核', params: IdParamsSchema, body: RiskReviewRequestSchema, response: { 200: IntegrityRiskSchema } } }, async (req) =>
    service.reviewRisk(db, actorOf(req), req.params.id, req.body),
  );
  app.get('/rules', { config: { access: 'unitedfront.read' }, schema: { tags, summary: '制度及其版本', response: { 200: z.object({ items: z.array(IntegrityRuleSchema) }) } } }, async (req) =>
    service.listRules(db, actorOf(req)),
  );
  app.get(
    '/rules/revised-count',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '期间内修订的制度数', querystring: z.object({ from: DateSchema, to: DateSchema }), response: { 200: z.object({ count: z.number().int() }) } } },
    async (req) => ({ count: await service.countRevisedRules(db, actorOf(req), req.query.from, req.query.to) }),
  );
  app.post('/rules', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '登记制度（第 1 版）', body: CreateRuleRequestSchema, response: { 201: IntegrityRuleSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createRule(db, actorOf(req), req.body)),
  );
  app.post('/rules/:id/revisions', { config: { access: 'unitedfront.write' }, schema: { tags, summary: '修订制度（新版本）', params: IdParamsSchema, body: ReviseRuleRequestSchema, response: { 200: IntegrityRuleSchema } } }, async (req) =>
    service.reviseRule(db, actorOf(req), req.params.id, req.body),
  );
};

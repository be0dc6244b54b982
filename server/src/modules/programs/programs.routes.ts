import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateIndicatorRequestSchema,
  CreateProgramItemRequestSchema,
  CreateProgramRequestSchema,
  IdParamsSchema,
  IndicatorRecordsSchema,
  ProgramDetailSchema,
  ProgramListQuerySchema,
  ProgramSummarySchema,
  UpdateIndicatorRequestSchema,
  UpdateProgramItemRequestSchema,
  UpdateProgramRequestSchema,
  pageOf,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './programs.service';

export const programsRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['programs'];
  const detail = { 200: ProgramDetailSchema };
  app.get('/', { config: { access: 'programs.read' }, schema: { tags, querystring: ProgramListQuerySchema, response: { 200: pageOf(ProgramSummarySchema) } } }, async (req) =>
    service.listPrograms(db, actorOf(req), req.query),
  );
  app.post('/', { config: { access: 'programs.write' }, schema: { tags, body: CreateProgramRequestSchema, response: { 201: ProgramDetailSchema } } }, async (req, reply) =>
    reply.code(201).send(await service.createProgram(db, actorOf(req), req.body)),
  );
  app.get('/:id', { config: { access: 'programs.read' }, schema: { tags, params: IdParamsSchema, response: detail } }, async (req) =>
    service.getProgram(db, actorOf(req), req.params.id),
  );
  app.patch('/:id', { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, body: UpdateProgramRequestSchema, response: detail } }, async (req) =>
    service.updateProgram(db, actorOf(req), req.params.id, req.body),
  );
  app.delete('/:id', { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, response: { 204: z.null() } } }, async (req, reply) => {
    await service.deleteProgram(db, actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
  app.post(
    '/:id/items',
    { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, body: CreateProgramItemRequestSchema, response: { 201: ProgramDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.createItem(db, actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/items/:id',
    { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, body: UpdateProgramItemRequestSchema, response: detail } },
    async (req) => service.updateItem(db, actorOf(req), req.params.id, req.body),
  );
  app.delete('/items/:id', { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, response: detail } }, async (req) =>
    service.deleteItem(db, actorOf(req), req.params.id),
  );
  app.post(
    '/items/:id/indicators',
    { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, body: CreateIndicatorRequestSchema, response: { 201: ProgramDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.createIndicator(db, actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/indicators/:id',
    { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, body: UpdateIndicatorRequestSchema, response: detail } },
    async (req) => service.updateIndicator(db, actorOf(req), req.params.id, req.body),
  );
  app.delete('/indicators/:id', { config: { access: 'programs.write' }, schema: { tags, params: IdParamsSchema, response: detail } }, async (req) =>
    service.deleteIndicator(db, actorOf(req), req.params.id),
  );
  app.get('/indicators/:id/records', { config: { access: 'programs.read' }, schema: { tags, params: IdParamsSchema, response: { 200: IndicatorRecordsSchema } } }, async (req) =>
    service.indicatorRecords(db, actorOf(req), req.params.id),
  );
};

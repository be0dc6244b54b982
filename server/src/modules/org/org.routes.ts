import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateOrgUnitRequestSchema,
  IdParamsSchema,
  MoveOrgUnitRequestSchema,
  OrgUnitListQuerySchema,
  OrgUnitListSchema,
  OrgUnitSchema,
  UpdateOrgUnitRequestSchema,
  VersionOnlyRequestSchema,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './org.service';

export const orgRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['org'];
  app.get(
    '/units',
    { config: { access: 'org.read' }, schema: { tags, querystring: OrgUnitListQuerySchema, response: { 200: OrgUnitListSchema } } },
    async (req) => ({ items: await service.listUnits(db, actorOf(req), req.query.includeInactive) }),
  );
  app.post(
    '/units',
    { config: { access: 'org.write' }, schema: { tags, body: CreateOrgUnitRequestSchema, response: { 201: OrgUnitSchema } } },
    async (req, reply) => reply.code(201).send(await service.createUnit(db, actorOf(req), req.body)),
  );
  app.patch(
    '/units/:id',
    { config: { access: 'org.write' }, schema: { tags, params: IdParamsSchema, body: UpdateOrgUnitRequestSchema, response: { 200: OrgUnitSchema } } },
    async (req) => service.updateUnit(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/units/:id/move',
    { config: { access: 'org.write' }, schema: { tags, params: IdParamsSchema, body: MoveOrgUnitRequestSchema, response: { 200: OrgUnitSchema } } },
    async (req) => service.moveUnit(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/units/:id/deactivate',
    { config: { access: 'org.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: OrgUnitSchema } } },
    async (req) => service.setUnitActive(db, actorOf(req), req.params.id, req.body.version, false),
  );
  app.post(
    '/units/:id/reactivate',
    { config: { access: 'org.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: OrgUnitSchema } } },
    async (req) => service.setUnitActive(db, actorOf(req), req.params.id, req.body.version, true),
  );
};

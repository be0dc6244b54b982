import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreateUserRequestSchema,
  GrantRequestSchema,
  IdParamsSchema,
  OrgUnitListSchema,
  ResetPasswordRequestSchema,
  RoleListSchema,
  UserSummarySchema,
  UserVersionRequestSchema,
  UserWithPasswordSchema,
  UsersListQuerySchema,
  pageOf,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './users.service';

export const usersRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['users'];
  // read by either administrator (the service checks users.manage or security.manage)
  app.get(
    '/',
    { config: { access: 'session' }, schema: { tags, querystring: UsersListQuerySchema, response: { 200: pageOf(UserSummarySchema) } } },
    async (req) => service.listUsers(db, actorOf(req), req.query),
  );
  app.get('/units', { config: { access: 'session' }, schema: { tags, response: { 200: OrgUnitListSchema } } }, async (req) =>
    service.grantableUnits(db, actorOf(req)),
  );
  app.get('/roles', { config: { access: 'session' }, schema: { tags, response: { 200: RoleListSchema } } }, async (req) => service.listRoles(db, actorOf(req)));

  // accounts: the system administrator
  app.post(
    '/',
    { config: { access: 'users.manage' }, schema: { tags, body: CreateUserRequestSchema, response: { 201: UserWithPasswordSchema } } },
    async (req, reply) => reply.code(201).send(await service.createUser(db, actorOf(req), req.body)),
  );
  app.post(
    '/:id/deactivate',
    { config: { access: 'users.manage' }, schema: { tags, params: IdParamsSchema, body: UserVersionRequestSchema, response: { 200: UserSummarySchema } } },
    async (req) => service.setActive(db, actorOf(req), req.params.id, req.body.version, false),
  );
  app.post(
    '/:id/reactivate',
    { config: { access: 'users.manage' }, schema: { tags, params: IdParamsSchema, body: UserVersionRequestSchema, response: { 200: UserSummarySchema } } },
    async (req) => service.setActive(db, actorOf(req), req.params.id, req.body.version, true),
  );
  app.post(
    '/:id/reset-password',
    { config: { access: 'users.manage' }, schema: { tags, params: IdParamsSchema, body: ResetPasswordRequestSchema, response: { 200: UserWithPasswordSchema } } },
    async (req) => service.resetPassword(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/:id/unlock',
    { config: { access: 'users.manage' }, schema: { tags, params: IdParamsSchema, response: { 200: UserSummarySchema } } },
    async (req) => service.unlock(db, actorOf(req), req.params.id),
  );

  // roles: the security administrator
  app.post(
    '/:id/grants',
    { config: { access: 'security.manage' }, schema: { tags, params: IdParamsSchema, body: GrantRequestSchema, response: { 200: UserSummarySchema } } },
    async (req) => service.grant(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/:id/revoke',
    { config: { access: 'security.manage' }, schema: { tags, params: IdParamsSchema, body: GrantRequestSchema, response: { 200: UserSummarySchema } } },
    async (req) => service.revoke(db, actorOf(req), req.params.id, req.body),
  );
};

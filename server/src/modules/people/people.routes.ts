import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CreatePersonRequestSchema,
  IdParamsSchema,
  PeopleListQuerySchema,
  PersonSchema,
  RevealRequestSchema,
  RevealResponseSchema,
  UpdatePersonRequestSchema,
  VersionOnlyRequestSchema,
  pageOf,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './people.service';

export const peopleRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['people'];
  app.get(
    '/',
    { config: { access: 'people.read' }, schema: { tags, querystring: PeopleListQuerySchema, response: { 200: pageOf(PersonSchema) } } },
    async (req) => service.listPeople(db, actorOf(req), req.query),
  );
  app.get(
    '/:id',
    { config: { access: 'people.read' }, schema: { tags, params: IdParamsSchema, response: { 200: PersonSchema } } },
    async (req) => service.getPerson(db, actorOf(req), req.params.id),
  );
  app.post(
    '/',
    { config: { access: 'people.write' }, schema: { tags, body: CreatePersonRequestSchema, response: { 201: PersonSchema } } },
    async (req, reply) => reply.code(201).send(await service.createPerson(db, actorOf(req), req.body)),
  );
  app.patch(
    '/:id',
    { config: { access: 'people.write' }, schema: { tags, params: IdParamsSchema, body: UpdatePersonRequestSchema, response: { 200: PersonSchema } } },
    async (req) => service.updatePerson(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/:id/deactivate',
    { config: { access: 'people.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: PersonSchema } } },
    async (req) => service.setPersonActive(db, actorOf(req), req.params.id, req.body.version, false),
  );
  app.post(
    '/:id/reactivate',
    { config: { access: 'people.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: PersonSchema } } },
    async (req) => service.setPersonActive(db, actorOf(req), req.params.id, req.body.version, true),
  );
  app.post(
    '/:id/reveal',
    { config: { access: 'people.reveal' }, schema: { tags, params: IdParamsSchema, body: RevealRequestSchema, response: { 200: RevealResponseSchema } } },
    async (req) => ({ value: await service.revealPerson(db, actorOf(req), req.params.id, req.body.field) }),
  );
};

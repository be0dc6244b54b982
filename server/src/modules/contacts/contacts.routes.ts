import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ContactSchema,
  ContactsListQuerySchema,
  CreateContactRequestSchema,
  CreateUfCategoryRequestSchema,
  IdParamsSchema,
  RevealRequestSchema,
  RevealResponseSchema,
  TimelineSchema,
  UfCataloguesSchema,
  UfCategorySchema,
  UpdateContactRequestSchema,
  VersionOnlyRequestSchema,
  pageOf,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './contacts.service';

/** The united-front contacts registry and its catalogues, under /api/v1/unitedfront. */
export const contactsRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['unitedfront'];
  app.get(
    '/catalogues',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '统战对象类别和民主党派目录', response: { 200: UfCataloguesSchema } } },
    async (req) => service.catalogues(db, actorOf(req)),
  );
  app.post(
    '/categories',
    { config: { access: 'unitedfront.write' }, schema: { tags, summary: '新增统战对象类别', body: CreateUfCategoryRequestSchema, response: { 201: UfCategorySchema } } },
    async (req, reply) => reply.code(201).send(await service.createCategory(db, actorOf(req), req.body)),
  );
  app.get(
    '/contacts',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '统战成员列表', querystring: ContactsListQuerySchema, response: { 200: pageOf(ContactSchema) } } },
    async (req) => service.listContacts(db, actorOf(req), req.query),
  );
  app.get(
    '/contacts/:id',
    { config: { access: 'unitedfront.read' }, schema: { tags, params: IdParamsSchema, response: { 200: ContactSchema } } },
    async (req) => service.getContact(db, actorOf(req), req.params.id),
  );
  app.get(
    '/contacts/:id/timeline',
    { config: { access: 'unitedfront.read' }, schema: { tags, summary: '统战成员时间线', params: IdParamsSchema, response: { 200: TimelineSchema } } },
    async (req) => service.contactTimeline(db, actorOf(req), req.params.id),
  );
  app.post(
    '/contacts',
    { config: { access: 'unitedfront.write' }, schema: { tags, body: CreateContactRequestSchema, response: { 201: ContactSchema } } },
    async (req, reply) => reply.code(201).send(await service.createContact(db, actorOf(req), req.body)),
  );
  app.patch(
    '/contacts/:id',
    { config: { access: 'unitedfront.write' }, schema: { tags, params: IdParamsSchema, body: UpdateContactRequestSchema, response: { 200: ContactSchema } } },
    async (req) => service.updateContact(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/contacts/:id/deactivate',
    { config: { access: 'unitedfront.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: ContactSchema } } },
    async (req) => service.setContactActive(db, actorOf(req), req.params.id, req.body.version, false),
  );
  app.post(
    '/contacts/:id/reactivate',
    { config: { access: 'unitedfront.write' }, schema: { tags, params: IdParamsSchema, body: VersionOnlyRequestSchema, response: { 200: ContactSchema } } },
    async (req) => service.setContactActive(db, actorOf(req), req.params.id, req.body.version, true),
  );
  app.post(
    '/contacts/:id/reveal',
    { config: { access: 'unitedfront.reveal' }, schema: { tags, summary: '查看完整手机号码或身份证号（记入审计）', params: IdParamsSchema, body: RevealRequestSchema, response: { 200: RevealResponseSchema } } },
    async (req) => ({ value: await service.revealContact(db, actorOf(req), req.params.id, req.body.field) }),
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateDutyRuleRequestSchema,
  DutiesCalendarQuerySchema,
  DutiesCalendarSchema,
  DutyRowSchema,
  DutyRuleListSchema,
  DutyRuleSchema,
  DutyTypeOptionListSchema,
  IdParamsSchema,
  MissedDutiesQuerySchema,
  MissedDutiesSchema,
  UpdateDutyRuleRequestSchema,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './duties.service';

const SubtreeCalendarSchema = z.object({
  items: z.array(z.object({ unitId: z.string(), unitName: z.string(), rows: z.array(DutyRowSchema) })),
});

export const dutiesRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['duties'];
  app.get(
    '/rules',
    { config: { access: 'activities.read' }, schema: { tags, response: { 200: DutyRuleListSchema } } },
    async (req) => service.listRules(db, actorOf(req)),
  );
  app.get(
    '/types',
    { config: { access: 'activities.catalog' }, schema: { tags, response: { 200: DutyTypeOptionListSchema } } },
    async (req) => service.listTypeOptions(db, actorOf(req)),
  );
  app.post(
    '/rules',
    { config: { access: 'activities.catalog' }, schema: { tags, body: CreateDutyRuleRequestSchema, response: { 201: DutyRuleSchema } } },
    async (req, reply) => reply.code(201).send(await service.createRule(db, actorOf(req), req.body)),
  );
  app.patch(
    '/rules/:id',
    { config: { access: 'activities.catalog' }, schema: { tags, params: IdParamsSchema, body: UpdateDutyRuleRequestSchema, response: { 200: DutyRuleSchema } } },
    async (req) => service.updateRule(db, actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/calendar',
    { config: { access: 'activities.read' }, schema: { tags, querystring: DutiesCalendarQuerySchema, response: { 200: DutiesCalendarSchema } } },
    async (req) => service.unitCalendar(db, actorOf(req), req.query.unitId, req.query.year),
  );
  app.get(
    '/calendar/subtree',
    { config: { access: 'activities.read' }, schema: { tags, querystring: DutiesCalendarQuerySchema, response: { 200: SubtreeCalendarSchema } } },
    async (req) => ({ items: await service.subtreeCalendar(db, actorOf(req), req.query.unitId, req.query.year) }),
  );
  app.get(
    '/missed',
    { config: { access: 'activities.read' }, schema: { tags, querystring: MissedDutiesQuerySchema, response: { 200: MissedDutiesSchema } } },
    async (req) => service.missedLastMonth(db, actorOf(req), req.query.unitId),
  );
};

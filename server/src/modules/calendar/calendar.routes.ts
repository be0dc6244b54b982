import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CalendarFeedSchema } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './calendar.service';

// any shape of file name is looked up the same way: an unknown one is a 404, not a validation error
const FileParamsSchema = z.object({ file: z.string().max(100) });

export const calendarRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['calendar'];
  app.get(
    '/feed',
    { config: { access: 'session' }, schema: { tags, response: { 200: CalendarFeedSchema } } },
    async (req) => service.myFeed(db, actorOf(req)),
  );
  app.post(
    '/feed/reset',
    { config: { access: 'session' }, schema: { tags, response: { 200: CalendarFeedSchema } } },
    async (req) => service.resetFeed(db, actorOf(req)),
  );
  // public: calendar clients cannot sign in; the unguessable token is the credential
  app.get(
    '/:file',
    { config: { access: 'public', rateLimit: { max: 60, timeWindow: 60_000 } }, schema: { tags, params: FileParamsSchema } },
    async (req, reply) => {
      const ics = await service.feedIcs(db, req.params.file.endsWith('.ics') ? req.params.file.slice(0, -'.ics'.length) : '');
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', 'inline; filename="tongxin.ics"')
        .send(ics);
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  IdParamsSchema,
  NotificationListQuerySchema,
  NotificationSchema,
  NotificationSettingsInputSchema,
  NotificationSettingsSchema,
  OkSchema,
  UnreadCountSchema,
  pageOf,
} from '@tongxin/contracts';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './notifications.service';

export const notificationsRoutes: FastifyPluginAsyncZod<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const tags = ['notifications'];
  const emailAvailable = config.smtp !== null;
  app.get(
    '/',
    { config: { access: 'session' }, schema: { tags, querystring: NotificationListQuerySchema, response: { 200: pageOf(NotificationSchema) } } },
    async (req) => service.listMine(db, actorOf(req), req.query),
  );
  app.get(
    '/unread-count',
    { config: { access: 'session' }, schema: { tags, response: { 200: UnreadCountSchema } } },
    async (req) => ({ unread: await service.unreadCount(db, actorOf(req)) }),
  );
  app.post(
    '/:id/read',
    { config: { access: 'session' }, schema: { tags, params: IdParamsSchema, response: { 200: OkSchema } } },
    async (req) => {
      await service.markRead(db, actorOf(req), req.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/read-all',
    { config: { access: 'session' }, schema: { tags, response: { 200: OkSchema } } },
    async (req) => {
      await service.markAllRead(db, actorOf(req));
      return { ok: true as const };
    },
  );
  app.get(
    '/settings',
    { config: { access: 'session' }, schema: { tags, response: { 200: NotificationSettingsSchema } } },
    async (req) => service.getSettings(db, actorOf(req), emailAvailable),
  );
  app.put(
    '/settings',
    { config: { access: 'session' }, schema: { tags, body: NotificationSettingsInputSchema, response: { 200: NotificationSettingsSchema } } },
    async (req) => service.putSettings(db, actorOf(req), req.body, emailAvailable),
  );
};

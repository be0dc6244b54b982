import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SecurityPolicyResponseSchema, UpdateSecurityPolicyRequestSchema } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './security.service';

export const securityRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['security'];
  app.get('/policy', { config: { access: 'security.manage' }, schema: { tags, response: { 200: SecurityPolicyResponseSchema } } }, async (req) =>
    service.getPolicy(db, actorOf(req)),
  );
  app.put(
    '/policy',
    { config: { access: 'security.manage' }, schema: { tags, body: UpdateSecurityPolicyRequestSchema, response: { 200: SecurityPolicyResponseSchema } } },
    async (req) => service.updatePolicy(db, actorOf(req), req.body),
  );
};

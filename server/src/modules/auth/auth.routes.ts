import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ChangePasswordRequestSchema,
  LoginRequestSchema,
  MeSchema,
  OkSchema,
  PasswordConfirmRequestSchema,
  PasswordRulesSchema,
  SessionIdParamsSchema,
  SessionListSchema,
  RecoveryCodesResponseSchema,
  RenameRequestSchema,
  TotpCodeRequestSchema,
  TotpSetupResponseSchema,
} from '@tongxin/contracts';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/db';
import { SESSION_COOKIE, actorOf, originOf } from '../../platform/http/auth.hooks';
import * as service from './auth.service';
import * as totp from './auth.totp';

export const authRoutes: FastifyPluginAsyncZod<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict', secure: config.cookieSecure } as const;

  app.post(
    '/login',
    { config: { access: 'public', rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } }, schema: { tags: ['auth'], body: LoginRequestSchema, response: { 200: MeSchema } } },
    async (req, reply) => {
      const { token } = await service.login(db, config, req.body, originOf(req));
      const actor = await service.resolveSession(db, config, token, originOf(req));
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: Math.floor(config.sessionAbsoluteMs / 1000) });
      return service.me(db, actor);
    },
  );

  app.post('/logout', { config: { access: 'session' }, schema: { tags: ['auth'], response: { 200: OkSchema } } }, async (req, reply) => {
    await service.logout(db, actorOf(req), req.sessionToken ?? '');
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return { ok: true as const };
  });

  app.get('/me', { config: { access: 'session' }, schema: { tags: ['auth'], response: { 200: MeSchema } } }, async (req) =>
    service.me(db, actorOf(req)),
  );

  app.post(
    '/password',
    { config: { access: 'session' }, schema: { tags: ['auth'], body: ChangePasswordRequestSchema, response: { 200: OkSchema } } },
    async (req) => {
      await service.changePassword(db, actorOf(req), req.sessionToken ?? '', req.body);
      return { ok: true as const };
    },
  );

  // second factor: enrolment is allowed to a session that must enrol before anything else
  app.post('/totp/setup', { config: { access: 'session' }, schema: { tags: ['auth'], response: { 200: TotpSetupResponseSchema } } }, async (req) =>
    totp.setupTotp(db, actorOf(req)),
  );
  app.post(
    '/totp/enable',
    { config: { access: 'session' }, schema: { tags: ['auth'], body: TotpCodeRequestSchema, response: { 200: RecoveryCodesResponseSchema } } },
    async (req) => totp.enableTotp(db, actorOf(req), req.body.code),
  );
  app.post(
    '/totp/disable',
    { config: { access: 'session' }, schema: { tags: ['auth'], body: PasswordConfirmRequestSchema, response: { 200: OkSchema } } },
    async (req) => {
      await totp.disableTotp(db, actorOf(req), req.body.password);
      return { ok: true as const };
    },
  );
  app.post(
    '/totp/recovery-codes',
    { config: { access: 'session' }, schema: { tags: ['auth'], body: PasswordConfirmRequestSchema, response: { 200: RecoveryCodesResponseSchema } } },
    async (req) => totp.regenerateRecoveryCodes(db, actorOf(req), req.body.password),
  );

  app.get('/sessions', { config: { access: 'session' }, schema: { tags: ['auth'], response: { 200: SessionListSchema } } }, async (req) =>
    service.listSessions(db, actorOf(req), req.sessionToken ?? ''),
  );
  app.delete(
    '/sessions/:id',
    { config: { access: 'session' }, schema: { tags: ['auth'], params: SessionIdParamsSchema, response: { 200: OkSchema } } },
    async (req) => {
      await service.endSession(db, actorOf(req), req.params.id);
      return { ok: true as const };
    },
  );
  app.post('/sessions/end-others', { config: { access: 'session' }, schema: { tags: ['auth'], response: { 200: OkSchema } } }, async (req) => {
    await service.endOtherSessions(db, actorOf(req), req.sessionToken ?? '');
    return { ok: true as const };
  });

  // the built-in administrator's personal name, before anything else (after the password change)
  app.post(
    '/rename',
    { config: { access: 'session' }, schema: { tags: ['auth'], body: RenameRequestSchema, response: { 200: MeSchema } } },
    async (req) => {
      await service.renameBuiltinAdmin(db, actorOf(req), req.body.username);
      return service.me(db, await service.resolveSession(db, config, req.sessionToken ?? '', originOf(req)));
    },
  );

  app.get('/password-rules', { config: { access: 'session' }, schema: { tags: ['auth'], response: { 200: PasswordRulesSchema } } }, async (req) =>
    service.passwordRules(db, actorOf(req)),
  );
};

import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { limits, type ErrorCode, type ErrorDetail, type Permission } from '@tongxin/contracts';
import type { Config } from '../config';
import type { Db } from '../db/db';
import { AppError, fromPgError, httpStatusOf } from '../errors';
import { langOf, messageOf } from '../i18n';
import type { Actor } from '../access';
import { SESSION_COOKIE, registerAuthHooks } from './auth.hooks';
import { authRoutes } from '../../modules/auth/auth.routes';
import { orgRoutes } from '../../modules/org/org.routes';
import { peopleRoutes } from '../../modules/people/people.routes';
import { securityRoutes } from '../../modules/security/security.routes';
import { peopleXlsxRoutes } from '../../modules/people/people.xlsx.routes';
import { contactsRoutes } from '../../modules/contacts/contacts.routes';
import { contactsXlsxRoutes } from '../../modules/contacts/contacts.xlsx.routes';
import { enterprisesRoutes } from '../../modules/enterprises/enterprises.routes';
import { casesRoutes } from '../../modules/cases/cases.routes';
import { integrityRoutes } from '../../modules/integrity/integrity.routes';
import { publicityRoutes } from '../../modules/publicity/publicity.routes';
import { usersRoutes } from '../../modules/users/users.routes';
import { audit } from '../../modules/audit/audit.service';
import { auditRoutes } from '../../modules/audit/audit.routes';
import { pointsRoutes } from '../../modules/points/points.routes';
import { activityRoutes, activityTypeRoutes } from '../../modules/activities/activities.routes';
import { activityFileRoutes } from '../../modules/activities/activities.files.routes';
import { dutiesRoutes } from '../../modules/duties/duties.routes';
import { notificationsRoutes } from '../../modules/notifications/notifications.routes';
import { calendarRoutes } from '../../modules/calendar/calendar.routes';
import { programsRoutes } from '../../modules/programs/programs.routes';
import { feedbackRoutes, publicFeedbackRoutes } from '../../modules/feedback/feedback.routes';
import { rectificationRoutes } from '../../modules/rectification/rectification.routes';
import { reportsRoutes } from '../../modules/reports/reports.routes';
import { researchRoutes } from '../../modules/research/research.routes';

/**
 * What a route requires: 'public' (no session), 'session' (signed in, even before the
 * forced password change), or a permission. Every /api/v1 route must declare one.
 */
export type Access = 'public' | 'session' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** every /api/v1 route with what it requires: the source of the authorisation matrix test */
    routeTable: { method: string; url: string; access: Access }[];
  }
  interface FastifyRequest {
    actor: (Actor & { tenantName: string }) | null;
    sessionToken: string | null;
  }
}

export type AppDeps = { config: Config; db: Db };

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db } = deps;
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    bodyLimit: limits.bodyMaxBytes,
    trustProxy: config.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('routeTable', []);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const access = route.config?.access;
    if (access === undefined) throw new Error(`route ${route.method} ${route.url} declares no access (public, session or a permission)`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') app.routeTable.push({ method, url: route.url, access });
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // no inline scripts anywhere; Ant Design injects <style> elements at run time
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only makes sense (and is only honoured) over TLS
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  // per-process memory store: a limit per address per process is enough against guessing;
  // account lockout (persisted in PostgreSQL) comes with the security issue
  await app.register(rateLimit, { global: false, errorResponseBuilder: () => new AppError('RATE_LIMITED') });
  await app.register(multipart, { limits: { fileSize: limits.importMaxBytes, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tongxin API', version: '1' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerAuthHooks(app, { db, config });
  app.setErrorHandler((err, req, reply) => sendError(err, req, reply, db));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await db.$client.query('select 1');
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes, { prefix: '/api/v1/auth', db, config });
  await app.register(orgRoutes, { prefix: '/api/v1/org', db });
  await app.register(securityRoutes, { prefix: '/api/v1/security', db });
  await app.register(auditRoutes, { prefix: '/api/v1/audit', db });
  await app.register(peopleXlsxRoutes, { prefix: '/api/v1/people', db });
  await app.register(peopleRoutes, { prefix: '/api/v1/people', db });
  await app.register(pointsRoutes, { prefix: '/api/v1/points', db });
  await app.register(contactsXlsxRoutes, { prefix: '/api/v1/unitedfront', db });
  await app.register(contactsRoutes, { prefix: '/api/v1/unitedfront', db });
  await app.register(enterprisesRoutes, { prefix: '/api/v1/unitedfront/enterprises', db });
  await app.register(casesRoutes, { prefix: '/api/v1/unitedfront/cases', db });
  await app.register(integrityRoutes, { prefix: '/api/v1/unitedfront/integrity', db });
  await app.register(publicityRoutes, { prefix: '/api/v1/unitedfront/publicity', db });
  await app.register(activityTypeRoutes, { prefix: '/api/v1/activity-types', db });
  await app.register(activityFileRoutes, { prefix: '/api/v1/activities', db, config });
  await app.register(activityRoutes, { prefix: '/api/v1/activities', db });
  await app.register(dutiesRoutes, { prefix: '/api/v1/duties', db });
  await app.register(notificationsRoutes, { prefix: '/api/v1/notifications', db, config });
  await app.register(calendarRoutes, { prefix: '/api/v1/calendar', db });
  await app.register(usersRoutes, { prefix: '/api/v1/users', db });
  await app.register(programsRoutes, { prefix: '/api/v1/programs', db });
  await app.register(feedbackRoutes, { prefix: '/api/v1/feedback', db, config });
  await app.register(publicFeedbackRoutes, { prefix: '/api/v1/public/forms', db, config });
  await app.register(rectificationRoutes, { prefix: '/api/v1/rectification', db, config });
  await app.register(reportsRoutes, { prefix: '/api/v1/reports', db });
  await app.register(researchRoutes, { prefix: '/api/v1/research', db, config });

  const index = path.join(config.webDist, 'index.html');
  if (fs.existsSync(index)) {
    // wildcard: files are looked up per request, so a rebuilt web app needs no restart
    await app.register(fastifyStatic, { root: config.webDist, wildcard: true, maxAge: '1h' });
  }
  app.setNotFoundHandler((req, reply) => {
    // a missing script or stylesheet must be a 404, not the page: the browser would report a MIME error
    if (req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/') && fs.existsSync(index)) {
      // single-page app: the client router handles the path
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendError(new AppError('NOT_FOUND'), req, reply, db);
  });
  return app;
}

export function errorBody(code: ErrorCode, req: FastifyRequest, details?: ErrorDetail[]) {
  return { error: { code, message: messageOf(code, langOf(req.headers['accept-language'])), ...(details ? { details } : {}) } };
}

async function sendError(err: unknown, req: FastifyRequest, reply: FastifyReply, db: Db) {
  const appErr = toAppError(err);
  if (appErr.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
  if (appErr.code === 'FORBIDDEN' && req.actor) {
    await audit(db, req.actor, 'access.denied', null, { method: req.method, url: req.routeOptions.url ?? req.url }, 'denied').catch(
      (e: unknown) => req.log.error({ err: e }, 'audit failed'),
    );
  }
  return reply.code(httpStatusOf(appErr.code)).send(errorBody(appErr.code, req, appErr.details));
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new AppError(
      'VALIDATION_FAILED',
      err.validation.map((v) => ({ path: `${err.validationContext ?? ''}${v.instancePath}`, problem: v.message ?? 'invalid' })),
    );
  }
  if (isResponseSerializationError(err)) return new AppError('INTERNAL');
  const pgErr = fromPgError(err);
  if (pgErr) return pgErr;
  const fe = err as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_FILE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('VALIDATION_FAILED', [{ problem: 'body is not valid JSON' }]);
    default:
      break;
  }
  if (fe.statusCode === 429) return new AppError('RATE_LIMITED');
  if (fe.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', [{ problem: fe.message ?? 'bad request' }]);
  }
  return new AppError('INTERNAL');
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ActivityDetailSchema,
  ActivityListQuerySchema,
  ActivitySummarySchema,
  ActivityTypeListQuerySchema,
  ActivityTypeListSchema,
  ActivityTypeSchema,
  AddParticipantsRequestSchema,
  AttendanceResultSchema,
  CancelActivityRequestSchema,
  CreateActivityRequestSchema,
  CreateActivityTypeRequestSchema,
  CreateSessionRequestSchema,
  SessionAttendanceRequestSchema,
  SessionParamsSchema,
  IdParamsSchema,
  LeaveDecisionRequestSchema,
  LeaveRequestSchema,
  MinutesRequestSchema,
  ParticipantParamsSchema,
  ParticipantSchema,
  SetAttendanceRequestSchema,
  SigninCodeSchema,
  SigninInfoSchema,
  SigninRequestSchema,
  TransitionRequestSchema,
  UpdateActivityRequestSchema,
  UpdateActivityTypeRequestSchema,
  pageOf,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { actorOf } from '../../platform/http/auth.hooks';
import * as service from './activities.service';
import * as signin from './activities.signin.service';

/** The activity-type catalogue. */
export const activityTypeRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['activities'];
  // readers, organisers and catalogue admins all need the types: the service checks which
  app.get(
    '/',
    { config: { access: 'session' }, schema: { tags, querystring: ActivityTypeListQuerySchema, response: { 200: ActivityTypeListSchema } } },
    async (req) => service.listTypes(db, actorOf(req), req.query.includeInactive),
  );
  app.post(
    '/',
    { config: { access: 'activities.catalog' }, schema: { tags, body: CreateActivityTypeRequestSchema, response: { 201: ActivityTypeSchema } } },
    async (req, reply) => reply.code(201).send(await service.createType(db, actorOf(req), req.body)),
  );
  app.patch(
    '/:id',
    { config: { access: 'activities.catalog' }, schema: { tags, params: IdParamsSchema, body: UpdateActivityTypeRequestSchema, response: { 200: ActivityTypeSchema } } },
    async (req) => service.updateType(db, actorOf(req), req.params.id, req.body),
  );
};

export const activityRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const tags = ['activities'];
  const detail = { 200: ActivityDetailSchema };
  app.get(
    '/',
    { config: { access: 'activities.read' }, schema: { tags, querystring: ActivityListQuerySchema, response: { 200: pageOf(ActivitySummarySchema) } } },
    async (req) => service.listActivities(db, actorOf(req), req.query),
  );
  // a participant without activities.read still sees the activities they take part in
  app.get('/:id', { config: { access: 'session' }, schema: { tags, params: IdParamsSchema, response: detail } }, async (req) =>
    service.getActivity(db, actorOf(req), req.params.id),
  );
  app.post(
    '/',
    { config: { access: 'activities.write' }, schema: { tags, body: CreateActivityRequestSchema, response: { 201: ActivityDetailSchema } } },
    async (req, reply) => reply.code(201).send(await service.createActivity(db, actorOf(req), req.body)),
  );
  app.patch(
    '/:id',
    { config: { access: 'activities.write' }, schema: { tags, params: IdParamsSchema, body: UpdateActivityRequestSchema, response: detail } },
    async (req) => service.updateActivity(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/:id/transition',
    { config: { access: 'activities.write' }, schema: { tags, params: IdParamsSchema, body: TransitionRequestSchema, response: detail } },
    async (req) => service.transition(db, actorOf(req), req.params.id, req.body.version, req.body.status),
  );
  app.post(
    '/:id/cancel',
    { config: { access: 'activities.write' }, schema: { tags, params: IdParamsSchema, body: CancelActivityRequestSchema, response: detail } },
    async (req) => service.cancelActivity(db, actorOf(req), req.params.id, req.body.version, req.body.reason),
  );
  app.put(
    '/:id/minutes',
    { config: { access: 'activities.write' }, schema: { tags, params: IdParamsSchema, body: MinutesRequestSchema, response: detail } },
    async (req) => service.setMinutes(db, actorOf(req), req.params.id, req.body.version, req.body.html),
  );
  app.post(
    '/:id/participants',
    { config: { access: 'activities.write' }, schema: { tags, params: IdParamsSchema, body: AddParticipantsRequestSchema, response: detail } },
    async (req) => service.addParticipants(db, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/:id/participants/:personId',
    { config: { access: 'activities.write' }, schema: { tags, params: ParticipantParamsSchema, response: detail } },
    async (req) => service.removeParticipant(db, actorOf(req), req.params.id, req.params.personId),
  );
  app.post(
    '/:id/attendance',
    {
      config: { access: 'activities.write' },
      schema: { tags, summary: '批量登记出勤', params: IdParamsSchema, body: SetAttendanceRequestSchema, response: { 200: AttendanceResultSchema } },
    },
    async (req) => service.setAttendance(db, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/:id/leave',
    { config: { access: 'session' }, schema: { tags, summary: '本人请假（活动开始前）', params: IdParamsSchema, body: LeaveRequestSchema, response: { 200: ParticipantSchema } } },
    async (req) => service.requestLeave(db, actorOf(req), req.params.id, req.body.reason),
  );
  app.post(
    '/:id/leave/decide',
    { config: { access: 'activities.write' }, schema: { tags, params: IdParamsSchema, body: LeaveDecisionRequestSchema, response: detail } },
    async (req) => service.decideLeave(db, actorOf(req), req.params.id, req.body.personId, req.body.approve),
  );
  // training classes: sessions and per-session attendance of the roster
  app.post(
    '/:id/sessions',
    { config: { access: 'activities.write' }, schema: { tags, summary: '培训班：添加课次', params: IdParamsSchema, body: CreateSessionRequestSchema, response: detail } },
    async (req) => service.addSession(db, actorOf(req), req.params.id, req.body),
  );
  app.delete(
    '/:id/sessions/:sessionId',
    { config: { access: 'activities.write' }, schema: { tags, params: SessionParamsSchema, response: detail } },
    async (req) => service.deleteSession(db, actorOf(req), req.params.id, req.params.sessionId),
  );
  app.put(
    '/:id/sessions/:sessionId/attendance',
    {
      config: { access: 'activities.write' },
      schema: { tags, summary: '培训班：课次考勤', params: SessionParamsSchema, body: SessionAttendanceRequestSchema, response: detail },
    },
    async (req) => service.setSessionAttendance(db, actorOf(req), req.params.id, req.params.sessionId, req.body),
  );
  app.get(
    '/:id/signin-code',
    { config: { access: 'activities.write' }, schema: { tags, summary: '当前签到码（每 30 秒轮换）', params: IdParamsSchema, response: { 200: SigninCodeSchema } } },
    async (req, reply) => reply.header('cache-control', 'no-store').send(await signin.currentCode(db, actorOf(req), req.params.id)),
  );
  app.get(
    '/:id/signin',
    { config: { access: 'session' }, schema: { tags, params: IdParamsSchema, response: { 200: SigninInfoSchema } } },
    async (req) => signin.signinInfo(db, actorOf(req), req.params.id),
  );
  app.post(
    '/:id/signin',
    { config: { access: 'session' }, schema: { tags, summary: '扫码签到', params: IdParamsSchema, body: SigninRequestSchema, response: { 200: SigninInfoSchema } } },
    async (req) => signin.signIn(db, actorOf(req), req.params.id, req.body.code),
  );
};

import { randomBytes } from 'node:crypto';
import type {
  ActivityDetail,
  ActivityListQuery,
  ActivitySummary,
  ActivityType,
  CreateActivityRequest,
  CreateSessionRequest,
  SessionAttendanceRequest,
  Training,
  CreateActivityTypeRequest,
  ErrorDetail,
  FieldDef,
  Participant,
  ParticipantPick,
  SetAttendanceRequest,
  UpdateActivityRequest,
  UpdateActivityTypeRequest,
} from '@tongxin/contracts';
import { activityLimits } from '@tongxin/contracts';
import sanitizeHtml from 'sanitize-html';
import type { z } from 'zod';
import type { ActivityStatusSchema, AttendanceSchema, ActivityCategorySchema, LeaveStatusSchema, ParticipantRoleSchema, PartyStatusSchema, QuorumRuleSchema, UnitTypeSchema } from '@tongxin/contracts';
import type { Db, Tx } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { hasPermission, inScope, requirePermission, scopeOf, type Actor, type Scope } from '../../platform/access';
import { afterAttendanceChanged, assertActivityEditable } from '../../commands/attendance.command';
import { audit } from '../audit/audit.service';
import { findUnit } from '../org/org.repo';
import * as repo from './activities.repo';

// ---- presenters ----

export function toType(r: repo.ActivityTypeRow): ActivityType {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    category: r.category as z.infer<typeof ActivityCategorySchema>,
    unitTypes: r.unitTypes as z.infer<typeof UnitTypeSchema>[],
    takesAttendance: r.takesAttendance,
    countsPersonTimes: r.countsPersonTimes,
    quorumRule: r.quorumRule as z.infer<typeof QuorumRuleSchema>,
    fields: r.fields as FieldDef[],
    active: r.active,
    sortOrder: r.sortOrder,
    version: r.version,
  };
}

function toSummary(r: repo.ActivityRow): ActivitySummary {
  return {
    id: r.id,
    typeId: r.typeId,
    typeNameZh: r.typeNameZh,
    typeNameEn: r.typeNameEn,
    category: r.category as z.infer<typeof ActivityCategorySchema>,
    unitId: r.unitId,
    unitName: r.unitName,
    topic: r.topic,
    place: r.place,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    status: r.status as z.infer<typeof ActivityStatusSchema>,
    quorumRule: r.quorumRule as z.infer<typeof QuorumRuleSchema>,
    quorumEligible: r.quorumEligible,
    quorumPresent: r.quorumPresent,
    valid: r.valid,
    expected: r.expected,
    present: r.present,
    version: r.version,
  };
}

function toParticipant(p: repo.ParticipantRow): Participant {
  return {
    id: p.id,
    personId: p.personId,
    contactId: p.contactId,
    name: p.name,
    categories: p.categories,
    unitName: p.unitName,
    role: p.role as z.infer<typeof ParticipantRoleSchema>,
    attendance: p.attendance as z.infer<typeof AttendanceSchema>,
    signedInAt: p.signedInAt ? new Date(p.signedInAt).toISOString() : null,
    signInMethod: p.signInMethod as 'qr' | 'manual' | null,
    leaveReason: p.leaveReason,
    leaveStatus: p.leaveStatus as z.infer<typeof LeaveStatusSchema> | null,
    partyStatus: p.partyStatus as z.infer<typeof PartyStatusSchema>,
  };
}

// ---- access ----

const emptyScope: Scope = { all: false, paths: [] };

function readScope(actor: Actor): Scope {
  return hasPermission(actor, 'activities.read') ? scopeOf(actor, 'activities.read') : emptyScope;
}

function canManage(actor: Actor, a: repo.ActivityRow): boolean {
  return hasPermission(actor, 'activities.write') && inScope(scopeOf(actor, 'activities.write'), a.unitPath);
}

/** Loads an activity the actor may see: its unit is in their read scope, or they take part in it. */
async function loadVisible(tx: Tx, actor: Actor, id: string, forUpdate = false): Promise<repo.ActivityRow> {
  const a = await repo.findActivity(tx, actor.tenantId, id, forUpdate);
  if (!a) throw new AppError('NOT_FOUND');
  if (inScope(readScope(actor), a.unitPath) || canManage(actor, a)) return a;
  if (actor.personId && (await repo.findParticipant(tx, a.id, actor.personId))) return a;
  throw new AppError('NOT_FOUND');
}

/** Loads (locked) an activity the actor organises: activities.write over its unit. */
async function loadManaged(tx: Tx, actor: Actor, id: string): Promise<repo.ActivityRow> {
  requirePermission(actor, 'activities.write');
  const a = await loadVisible(tx, actor, id, true);
  if (!canManage(actor, a)) throw new AppError('FORBIDDEN');
  return a;
}

/** A recorded activity may change only while its period is open (points area decides). */
async function assertChangeable(tx: Tx, a: repo.ActivityRow): Promise<void> {
  if (a.status === 'cancelled') throw new AppError('INVALID_STATE', [{ problem: 'the activity is cancelled' }]);
  if (a.status === 'recorded') await assertActivityEditable(tx, a.tenantId, a.startsAt, a.id);
}

// ---- catalogue ----

export async function listTypes(db: Db, actor: Actor, includeInactive: boolean) {
  if (!hasPermission(actor, 'activities.read') && !hasPermission(actor, 'activities.catalog') && !hasPermission(actor, 'activities.write')) {
    throw new AppError('FORBIDDEN');
  }
  const rows = await inTenant(db, actor.tenantId, (tx) => repo.listTypes(tx, actor.tenantId, includeInactive));
  return { items: rows.map(toType) };
}

export async function createType(db: Db, actor: Actor, input: CreateActivityTypeRequest): Promise<ActivityType> {
  requirePermission(actor, 'activities.catalog');
  return inTenant(db, actor.tenantId, async (tx) => {
    const row = await repo.insertType(tx, { ...input, tenantId: actor.tenantId });
    await audit(tx, actor, 'activities.type.create', { type: 'activity_type', id: row.id }, { code: input.code });
    return toType(row);
  });
}

export async function updateType(db: Db, actor: Actor, id: string, input: UpdateActivityTypeRequest): Promise<ActivityType> {
  requirePermission(actor, 'activities.catalog');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await repo.findType(tx, actor.tenantId, id);
    if (!before) throw new AppError('NOT_FOUND');
    const { version, ...changes } = input;
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    const row = await repo.updateTypeVersioned(tx, actor.tenantId, id, version, set);
    if (!row) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'activities.type.update', { type: 'activity_type', id }, { fields: Object.keys(set) });
    return toType(row);
  });
}

/** Values of a type's extra fields: known keys only, required ones present, each of its kind. */
export function extraProblems(fields: FieldDef[], extra: Record<string, unknown>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const k of Object.keys(extra)) if (!byKey.has(k)) problems.push({ path: `extra.${k}`, problem: 'not a field of this type' });
  for (const f of fields) {
    const v = extra[f.key];
    const path = `extra.${f.key}`;
    if (v === undefined || v === null || v === '') {
      if (f.required) problems.push({ path, problem: 'required' });
      continue;
    }
    switch (f.kind) {
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push({ path, problem: 'a number of zero or more' });
        break;
      case 'text':
        if (typeof v !== 'string') problems.push({ path, problem: 'text' });
        break;
      case 'date':
        if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) problems.push({ path, problem: 'a date (YYYY-MM-DD)' });
        break;
      case 'select':
        if (typeof v !== 'string' || !f.options?.some((o) => o.value === v)) problems.push({ path, problem: 'one of the options' });
        break;
    }
  }
  return problems;
}

/** Drops empty values so the stored object holds only what was filled in. */
function compactExtra(extra: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

// ---- activities ----

export async function listActivities(db: Db, actor: Actor, q: ActivityListQuery) {
  if (!hasPermission(actor, 'activities.read')) throw new AppError('FORBIDDEN');
  return inTenant(db, actor.tenantId, async (tx) => {
    const filter = await filterOf(tx, actor, q);
    const { rows, total } = await repo.listActivities(tx, filter, q.page, q.pageSize);
    return { items: rows.map(toSummary), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function filterOf(tx: Tx, actor: Actor, q: Omit<ActivityListQuery, 'page' | 'pageSize'>): Promise<repo.ActivityFilter> {
  let unitPath: string | undefined;
  if (q.unitId) {
    const unit = await findUnit(tx, actor.tenantId, q.unitId);
    if (!unit) throw new AppError('NOT_FOUND', [{ path: 'unitId', problem: 'unknown unit' }]);
    unitPath = unit.path;
  }
  return {
    tenantId: actor.tenantId,
    scope: readScope(actor),
    viewerPersonId: actor.personId,
    unitPath,
    typeId: q.typeId,
    personId: q.personId,
    status: q.status,
    from: q.from,
    to: q.to,
    q: q.q || undefined,
  };
}

async function detailOf(tx: Tx, actor: Actor, a: repo.ActivityRow): Promise<ActivityDetail> {
  // one after another: a transaction is one connection (pg warns on overlapping queries)
  const participants = await repo.listParticipants(tx, a.id);
  const attachments = await repo.listAttachments(tx, a.id);
  const programItems = await repo.listProgramItems(tx, a.id);
  const enterprises = await repo.listEnterprises(tx, a.id);
  const sessions = a.category === 'training' ? await repo.listSessions(tx, a.id) : [];
  const mine = actor.personId ? participants.find((p) => p.personId === actor.personId) : undefined;
  return {
    ...toSummary(a),
    content: a.content,
    cancelReason: a.cancelReason,
    extra: a.extra as ActivityDetail['extra'],
    minutesHtml: a.minutesHtml,
    typeFields: a.typeFields as FieldDef[],
    takesAttendance: a.takesAttendance,
    participants: participants.map(toParticipant),
    programItems,
    enterprises,
    training: a.category === 'training' ? trainingOf(a, sessions) : null,
    attachments: attachments.map((x) => ({ id: x.id, filename: x.filename, contentType: x.contentType, size: x.size, createdAt: x.createdAt.toISOString() })),
    canManage: canManage(actor, a),
    me: mine ? toParticipant(mine) : null,
  };
}

/** Sessions and completion as the detail page shows them: completed = attended at least `needed` sessions. */
function trainingOf(a: repo.ActivityRow, sessions: repo.SessionRow[]): Training {
  const needed = a.requiredSessions ?? sessions.length;
  const attended = new Map<string, number>();
  for (const s of sessions) for (const id of s.presentIds) attended.set(id, (attended.get(id) ?? 0) + 1);
  return {
    requiredSessions: a.requiredSessions,
    needed,
    sessions: sessions.map((s) => ({ id: s.id, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), topic: s.topic, presentIds: s.presentIds, takenIds: s.takenIds })),
    completedIds: sessions.length === 0 ? [] : [...attended].filter(([, n]) => n >= needed).map(([id]) => id),
  };
}

async function reload(tx: Tx, actor: Actor, id: string): Promise<ActivityDetail> {
  const a = await repo.findActivity(tx, actor.tenantId, id);
  if (!a) throw new AppError('INTERNAL');
  return detailOf(tx, actor, a);
}

export async function getActivity(db: Db, actor: Actor, id: string): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => detailOf(tx, actor, await loadVisible(tx, actor, id)));
}

/** Each linked program measure must be an item of this tenant (another tenant's is unknown here). */
async function programItemProblems(tx: Tx, tenantId: string, ids: string[] | undefined): Promise<ErrorDetail[]> {
  if (!ids || ids.length === 0) return [];
  const known = await repo.existingProgramItems(tx, tenantId, ids);
  return ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `programItemIds.${i}`, problem: 'not a program item' }]));
}

/** Each visited enterprise must be one of this tenant's registry (another tenant's is unknown here). */
async function enterpriseProblems(tx: Tx, tenantId: string, ids: string[] | undefined): Promise<ErrorDetail[]> {
  if (!ids || ids.length === 0) return [];
  const known = await repo.existingEnterprises(tx, tenantId, ids);
  return ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `enterpriseIds.${i}`, problem: 'not an enterprise of the registry' }]));
}

/** Only training classes complete by sessions. */
function requiredSessionsProblems(category: string, required: number | null | undefined): ErrorDetail[] {
  return required != null && category !== 'training' ? [{ path: 'requiredSessions', problem: 'only a training class has sessions' }] : [];
}

function timeProblems(startsAt: Date, endsAt: Date): ErrorDetail[] {
  return endsAt < startsAt ? [{ path: 'endsAt', problem: 'before the start' }] : [];
}

export async function createActivity(db: Db, actor: Actor, input: CreateActivityRequest): Promise<ActivityDetail> {
  const scope = requirePermission(actor, 'activities.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const unit = await findUnit(tx, actor.tenantId, input.unitId);
    const type = await repo.findType(tx, actor.tenantId, input.typeId);
    const problems: ErrorDetail[] = [];
    if (!unit || !unit.active) problems.push({ path: 'unitId', problem: 'not an active unit' });
    if (!type || !type.active) problems.push({ path: 'typeId', problem: 'not an active activity type' });
    else if (unit && type.unitTypes.length > 0 && !type.unitTypes.includes(unit.type)) problems.push({ path: 'typeId', problem: 'this kind of unit does not hold this type' });
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    problems.push(...timeProblems(startsAt, endsAt));
    if (type) problems.push(...extraProblems(type.fields as FieldDef[], input.extra));
    problems.push(...(await programItemProblems(tx, actor.tenantId, input.programItemIds)));
    problems.push(...(await enterpriseProblems(tx, actor.tenantId, input.enterpriseIds)));
    if (type) problems.push(...requiredSessionsProblems(type.category, input.requiredSessions));
    if (problems.length > 0 || !unit || !type) throw new AppError('VALIDATION_FAILED', problems);
    if (!inScope(scope, unit.path)) throw new AppError('FORBIDDEN');
    const id = await repo.insertActivity(tx, {
      tenantId: actor.tenantId,
      typeId: type.id,
      unitId: unit.id,
      topic: input.topic,
      content: input.content || null,
      place: input.place || null,
      startsAt,
      endsAt,
      extra: compactExtra(input.extra),
      // the HMAC key of the rotating sign-in code: never leaves the server
      signinSecret: randomBytes(32).toString('hex'),
      requiredSessions: input.requiredSessions ?? null,
      createdBy: actor.userId,
    });
    if (input.participants) await addPick(tx, actor, id, input.participants);
    await repo.replaceProgramItems(tx, actor.tenantId, id, input.programItemIds);
    await repo.replaceEnterprises(tx, actor.tenantId, id, input.enterpriseIds);
    await repo.recomputeQuorum(tx, actor.tenantId, id, type.quorumRule, false);
    await audit(tx, actor, 'activities.create', { type: 'activity', id }, { topic: input.topic, typeCode: type.code });
    return reload(tx, actor, id);
  });
}

/**
 * Adds the people of a pick: members of units, persons, speakers and hosts, and contacts of
 * the registry. An unknown id (or another tenant's, invisible here) refuses the whole pick.
 */
async function addPick(tx: Tx, actor: Actor, activityId: string, pick: ParticipantPick): Promise<number> {
  const contactIds = [...new Set(pick.contactIds)];
  const c = await repo.upsertContactParticipants(tx, actor.tenantId, activityId, contactIds.map((contactId) => ({ contactId, role: 'participant' })), actor.userId);
  if (c !== contactIds.length) throw new AppError('VALIDATION_FAILED', [{ path: 'participants.contactIds', problem: 'unknown contact' }]);
  return c + (await addPeople(tx, actor, activityId, pick));
}

async function addPeople(tx: Tx, actor: Actor, activityId: string, pick: ParticipantPick): Promise<number> {
  const members = await repo.membersOfUnits(tx, actor.tenantId, pick.unitIds);
  const roles = new Map<string, string>();
  for (const p of [...members, ...pick.personIds]) roles.set(p, 'participant');
  for (const p of pick.speakerIds) roles.set(p, 'speaker');
  for (const p of pick.hostIds) roles.set(p, 'host');
  const rows = [...roles].map(([personId, role]) => ({ personId, role }));
  const n = await repo.upsertParticipants(tx, actor.tenantId, activityId, rows, actor.userId);
  if (n !== rows.length) throw new AppError('VALIDATION_FAILED', [{ path: 'participants', problem: 'unknown person' }]);
  return n;
}

export async function updateActivity(db: Db, actor: Actor, id: string, input: UpdateActivityRequest): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.version !== input.version) throw new AppError('STALE_VERSION');
    await assertChangeable(tx, a);
    const startsAt = input.startsAt ? new Date(input.startsAt) : a.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : a.endsAt;
    // moving a recorded activity into a closed period is a change of that period too
    if (a.status === 'recorded' && input.startsAt) await assertActivityEditable(tx, a.tenantId, startsAt, a.id);
    const extra = input.extra ?? a.extra;
    const problems = [
      ...timeProblems(startsAt, endsAt),
      ...extraProblems(a.typeFields as FieldDef[], extra),
      ...(await programItemProblems(tx, actor.tenantId, input.programItemIds)),
      ...(await enterpriseProblems(tx, actor.tenantId, input.enterpriseIds)),
      ...requiredSessionsProblems(a.category, input.requiredSessions),
    ];
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
    const set = {
      ...(input.topic !== undefined ? { topic: input.topic } : {}),
      ...(input.content !== undefined ? { content: input.content || null } : {}),
      ...(input.place !== undefined ? { place: input.place || null } : {}),
      ...(input.requiredSessions !== undefined ? { requiredSessions: input.requiredSessions } : {}),
      startsAt,
      endsAt,
      extra: compactExtra(extra),
    };
    if (!(await repo.updateActivityVersioned(tx, actor.tenantId, id, input.version, set))) throw new AppError('STALE_VERSION');
    if (input.programItemIds) await repo.replaceProgramItems(tx, actor.tenantId, id, input.programItemIds);
    if (input.enterpriseIds) await repo.replaceEnterprises(tx, actor.tenantId, id, input.enterpriseIds);
    if (input.requiredSessions !== undefined && a.category === 'training') {
      // a new completion threshold changes who completed: attendance, quorum and points follow
      await repo.recomputeCompletion(tx, id, a.status === 'recorded');
      await attendanceChanged(tx, a);
    }
    // a recorded activity's points follow its date (the period) and its hours: the ledger
    // appends the differences in this transaction (the old period was checked open above)
    if (a.status === 'recorded' && (input.startsAt !== undefined || input.extra !== undefined)) await afterAttendanceChanged(tx, a.tenantId, id);
    await audit(tx, actor, 'activities.update', { type: 'activity', id }, { fields: Object.keys(input).filter((k) => k !== 'version'), status: a.status });
    return reload(tx, actor, id);
  });
}

/** planned → held → recorded. Recording closes attendance: unknown becomes absent, the quorum is fixed on snapshots. */
export async function transition(db: Db, actor: Actor, id: string, version: number, to: 'held' | 'recorded'): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.version !== version) throw new AppError('STALE_VERSION');
    const from = to === 'held' ? 'planned' : 'held';
    if (a.status !== from) throw new AppError('INVALID_STATE', [{ path: 'status', problem: `${a.status} cannot become ${to}` }]);
    if (to === 'recorded') {
      await assertActivityEditable(tx, a.tenantId, a.startsAt, a.id);
      await repo.snapshotForQuorum(tx, actor.tenantId, id, a.unitId, a.quorumRule);
      await repo.pendingToAbsent(tx, id);
    }
    if (!(await repo.updateActivityVersioned(tx, actor.tenantId, id, version, { status: to }))) throw new AppError('STALE_VERSION');
    if (to === 'recorded') {
      await repo.recomputeQuorum(tx, actor.tenantId, id, a.quorumRule, true);
      await afterAttendanceChanged(tx, actor.tenantId, id);
    }
    await audit(tx, actor, `activities.${to}`, { type: 'activity', id });
    return reload(tx, actor, id);
  });
}

export async function cancelActivity(db: Db, actor: Actor, id: string, version: number, reason: string): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.version !== version) throw new AppError('STALE_VERSION');
    if (a.status !== 'planned' && a.status !== 'held') throw new AppError('INVALID_STATE', [{ path: 'status', problem: `${a.status} cannot be cancelled` }]);
    if (!(await repo.updateActivityVersioned(tx, actor.tenantId, id, version, { status: 'cancelled', cancelReason: reason }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'activities.cancel', { type: 'activity', id }, { reason });
    return reload(tx, actor, id);
  });
}

/** Minutes arrive as HTML from the browser's editor; only an allowlist of formatting survives. */
export function sanitizeMinutes(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'u', 's', 'span'],
    allowedAttributes: { a: ['href', 'title'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    // links open away from the app without giving the new page a handle on it
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  }).trim();
}

export async function setMinutes(db: Db, actor: Actor, id: string, version: number, html: string): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.version !== version) throw new AppError('STALE_VERSION');
    await assertChangeable(tx, a);
    const clean = sanitizeMinutes(html);
    if (!(await repo.updateActivityVersioned(tx, actor.tenantId, id, version, { minutesHtml: clean || null }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'activities.minutes', { type: 'activity', id }, { length: clean.length, status: a.status });
    return reload(tx, actor, id);
  });
}

// ---- participants and attendance ----

export async function addParticipants(db: Db, actor: Actor, id: string, pick: ParticipantPick): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    await assertChangeable(tx, a);
    const n = await addPick(tx, actor, id, pick);
    await attendanceChanged(tx, a);
    await audit(tx, actor, 'activities.participants.add', { type: 'activity', id }, { count: n, status: a.status });
    return reload(tx, actor, id);
  });
}

export async function removeParticipant(db: Db, actor: Actor, id: string, personId: string): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    await assertChangeable(tx, a);
    if (!(await repo.deleteParticipant(tx, id, personId))) throw new AppError('NOT_A_PARTICIPANT');
    await attendanceChanged(tx, a);
    await audit(tx, actor, 'activities.participants.remove', { type: 'activity', id }, { personId, status: a.status });
    return reload(tx, actor, id);
  });
}

/** Inside the transaction of every attendance change: the quorum, then the other areas' ledgers. */
async function attendanceChanged(tx: Tx, a: repo.ActivityRow): Promise<repo.Quorum> {
  const q = await repo.recomputeQuorum(tx, a.tenantId, a.id, a.quorumRule, a.status === 'recorded');
  await afterAttendanceChanged(tx, a.tenantId, a.id);
  return q;
}

export type AttendanceResult = { updated: number; quorumEligible: number | null; quorumPresent: number | null; valid: boolean };

/**
 * Sets attendance of many people at once: one UPDATE for all of them, whatever their number.
 * After recording this is a correction: allowed while the period is open, and audited with
 * each person's new value.
 */
export async function setAttendance(db: Db, actor: Actor, id: string, input: SetAttendanceRequest): Promise<AttendanceResult> {
  const items = input.items.map((x) => ({ ...x, ref: x.personId ?? x.contactId ?? '' }));
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.ref)) throw new AppError('VALIDATION_FAILED', [{ path: 'items', problem: `participant ${it.ref} twice` }]);
    seen.add(it.ref);
  }
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    await assertChangeable(tx, a);
    if (!a.takesAttendance) throw new AppError('INVALID_STATE', [{ problem: 'this type takes no attendance' }]);
    if (a.category === 'training' && (await repo.countSessions(tx, id)) > 0) {
      throw new AppError('INVALID_STATE', [{ problem: 'attendance of a training class with sessions follows its sessions' }]);
    }
    if (a.status === 'recorded' && input.items.some((x) => x.attendance === 'pending')) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'items', problem: 'a recorded activity has no unknown attendance' }]);
    }
    const updated = await repo.setAttendance(
      tx,
      id,
      items.map((x) => ({ ref: x.ref, attendance: x.attendance, leaveReason: x.leaveReason ?? null })),
      actor.userId,
    );
    if (updated.length !== items.length) {
      const done = new Set(updated);
      throw new AppError(
        'NOT_A_PARTICIPANT',
        items.filter((x) => !done.has(x.ref)).map((x) => ({ path: 'items', problem: x.ref })),
      );
    }
    const quorum = await attendanceChanged(tx, a);
    await audit(tx, actor, a.status === 'recorded' ? 'activities.attendance.correct' : 'activities.attendance.set', { type: 'activity', id }, {
      items: input.items.map((x) => ({ ...(x.personId ? { personId: x.personId } : { contactId: x.contactId }), attendance: x.attendance })),
    });
    return { updated: updated.length, ...quorum };
  });
}

/** A member asks leave for themself, before the activity starts. */
export async function requestLeave(db: Db, actor: Actor, id: string, reason: string, now = new Date()): Promise<Participant> {
  return inTenant(db, actor.tenantId, async (tx) => {
    if (!actor.personId) throw new AppError('NOT_A_PARTICIPANT');
    const a = await repo.findActivity(tx, actor.tenantId, id, true);
    if (!a) throw new AppError('NOT_FOUND');
    const me = await repo.findParticipant(tx, id, actor.personId, true);
    if (!me) throw new AppError('NOT_A_PARTICIPANT');
    if (a.status !== 'planned') throw new AppError('INVALID_STATE', [{ path: 'status', problem: a.status }]);
    if (now >= a.startsAt) throw new AppError('WINDOW_CLOSED', [{ problem: 'leave is asked before the activity starts' }]);
    await repo.setLeave(tx, id, actor.personId, 'requested', reason, 'pending', actor.userId);
    await audit(tx, actor, 'activities.leave.request', { type: 'activity', id }, { reason });
    const after = await repo.findParticipant(tx, id, actor.personId);
    if (!after) throw new AppError('INTERNAL');
    return toParticipant(after);
  });
}

/** The organiser approves (on leave) or rejects (attendance stays to be taken) a leave request. */
export async function decideLeave(db: Db, actor: Actor, id: string, personId: string, approve: boolean): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    await assertChangeable(tx, a);
    const p = await repo.findParticipant(tx, id, personId, true);
    if (!p) throw new AppError('NOT_A_PARTICIPANT');
    if (p.leaveStatus !== 'requested') throw new AppError('INVALID_STATE', [{ problem: 'no leave request to decide' }]);
    await repo.setLeave(tx, id, personId, approve ? 'approved' : 'rejected', null, approve ? 'leave' : a.status === 'recorded' ? 'absent' : 'pending', actor.userId);
    await attendanceChanged(tx, a);
    await audit(tx, actor, approve ? 'activities.leave.approve' : 'activities.leave.reject', { type: 'activity', id }, { personId });
    return reload(tx, actor, id);
  });
}

// ---- training class sessions ----

async function loadTraining(tx: Tx, actor: Actor, id: string): Promise<repo.ActivityRow> {
  const a = await loadManaged(tx, actor, id);
  if (a.category !== 'training') throw new AppError('INVALID_STATE', [{ problem: 'only a training class has sessions' }]);
  await assertChangeable(tx, a);
  return a;
}

/** After the sessions or their attendance changed: completion, then quorum and the ledgers. */
async function sessionsChanged(tx: Tx, a: repo.ActivityRow): Promise<void> {
  await repo.recomputeCompletion(tx, a.id, a.status === 'recorded');
  await attendanceChanged(tx, a);
}

export async function addSession(db: Db, actor: Actor, id: string, input: CreateSessionRequest): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadTraining(tx, actor, id);
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    const problems = timeProblems(startsAt, endsAt);
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
    if ((await repo.countSessions(tx, id)) >= activityLimits.sessionsMax) throw new AppError('VALIDATION_FAILED', [{ path: 'sessions', problem: `at most ${activityLimits.sessionsMax}` }]);
    const sessionId = await repo.insertSession(tx, { tenantId: actor.tenantId, activityId: id, topic: input.topic, startsAt, endsAt });
    await sessionsChanged(tx, a);
    await audit(tx, actor, 'activities.session.add', { type: 'activity', id }, { sessionId, topic: input.topic });
    return reload(tx, actor, id);
  });
}

export async function deleteSession(db: Db, actor: Actor, id: string, sessionId: string): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadTraining(tx, actor, id);
    if (!(await repo.deleteSession(tx, id, sessionId))) throw new AppError('NOT_FOUND', [{ path: 'sessionId', problem: 'unknown session' }]);
    await sessionsChanged(tx, a);
    await audit(tx, actor, 'activities.session.delete', { type: 'activity', id }, { sessionId });
    return reload(tx, actor, id);
  });
}

/** Ticks who of the roster attended a session; a trainee not on the roster is refused, nothing written. */
export async function setSessionAttendance(db: Db, actor: Actor, id: string, sessionId: string, input: SessionAttendanceRequest): Promise<ActivityDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadTraining(tx, actor, id);
    if (!(await repo.sessionExists(tx, id, sessionId))) throw new AppError('NOT_FOUND', [{ path: 'sessionId', problem: 'unknown session' }]);
    const written = await repo.setSessionAttendance(tx, actor.tenantId, id, sessionId, input.items, actor.userId);
    if (written.length !== input.items.length) {
      const done = new Set(written);
      throw new AppError('NOT_A_PARTICIPANT', input.items.filter((x) => !done.has(x.participantId)).map((x) => ({ path: 'items', problem: x.participantId })));
    }
    await sessionsChanged(tx, a);
    await audit(tx, actor, a.status === 'recorded' ? 'activities.session.attendance.correct' : 'activities.session.attendance', { type: 'activity', id }, {
      sessionId,
      present: input.items.filter((x) => x.present).length,
      absent: input.items.filter((x) => !x.present).length,
    });
    return reload(tx, actor, id);
  });
}

export { loadVisible, loadManaged, attendanceChanged, toParticipant };

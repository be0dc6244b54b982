import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CreateFormRequest, FeedbackForm, FeedbackResponse, FormField, Invitation, PublicAnswerRequest, PublicForm, UpdateFormRequest } from '@tongxin/contracts';
import { programLimits } from '@tongxin/contracts';
import type { z } from 'zod';
import type { CreateInvitationsRequestSchema, FormStatusSchema } from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { requirePermission, type Actor } from '../../platform/access';
import { sha256Hex } from '../../platform/crypto';
import { audit } from '../audit/audit.service';
import { findProgram } from '../programs/programs.repo';
import { problemIdsOfResponses } from '../rectification/rectification.repo';
import { safeFileName } from '../rectification/rectification.service';
import { storeUpload, type StoredFile } from '../../platform/files';
import * as repo from './feedback.repo';
import { enqueueAnswer } from './feedback.batch.service';

function toForm(r: repo.FormListRow): FeedbackForm {
  return {
    id: r.id,
    publicId: r.publicId,
    programId: r.programId,
    programTitle: r.programTitle,
    title: r.title,
    description: r.description,
    mode: r.mode as FeedbackForm['mode'],
    inviteOnly: r.inviteOnly,
    status: r.status as FeedbackForm['status'],
    fields: r.fields as FormField[],
    responses: r.responses,
    invited: r.invited,
    invitedAnswered: r.invitedAnswered,
    createdAt: new Date(r.createdAt).toISOString(),
    version: r.version,
  };
}

// Forms have their own permissions (a form may belong to no program): feedback.read to see
// them, their invitations and responses; feedback.manage to build, open, close and invite.

export async function listForms(db: Db, actor: Actor, q: { page: number; pageSize: number }) {
  requirePermission(actor, 'feedback.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listForms(tx, actor.tenantId, q.page, q.pageSize);
    return { items: rows.map(toForm), total, page: q.page, pageSize: q.pageSize };
  });
}

async function loadForm(tx: Executor, actor: Actor, id: string) {
  const f = await repo.findForm(tx, actor.tenantId, id);
  if (!f) throw new AppError('NOT_FOUND');
  return f;
}

export async function getForm(db: Db, actor: Actor, id: string): Promise<FeedbackForm> {
  requirePermission(actor, 'feedback.read');
  return toForm(await inTenant(db, actor.tenantId, (tx) => loadForm(tx, actor, id)));
}

async function checkProgram(tx: Executor, actor: Actor, programId: string | null | undefined) {
  if (programId && !(await findProgram(tx, actor.tenantId, programId))) throw new AppError('VALIDATION_FAILED', [{ path: 'programId', problem: 'unknown program' }]);
}

export async function createForm(db: Db, actor: Actor, input: CreateFormRequest): Promise<FeedbackForm> {
  requirePermission(actor, 'feedback.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    await checkProgram(tx, actor, input.programId);
    const id = await repo.insertForm(tx, {
      tenantId: actor.tenantId,
      // 128 random bits: the link cannot be guessed or enumerated
      publicId: randomBytes(16).toString('base64url'),
      programId: input.programId ?? null,
      title: input.title,
      description: input.description ?? null,
      mode: input.mode,
      inviteOnly: input.inviteOnly,
      fields: input.fields,
      createdBy: actor.userId,
    });
    await audit(tx, actor, 'feedback.form.create', { type: 'feedback_form', id }, { title: input.title });
    return toForm(await loadForm(tx, actor, id));
  });
}

export async function updateForm(db: Db, actor: Actor, id: string, input: UpdateFormRequest): Promise<FeedbackForm> {
  requirePermission(actor, 'feedback.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    const f = await loadForm(tx, actor, id);
    // answers already given were to these questions and this promise of anonymity
    if (f.responses > 0 && (input.fields !== undefined || input.mode !== undefined)) {
      throw new AppError('INVALID_STATE', [{ problem: 'questions and mode are fixed once answers exist' }]);
    }
    await checkProgram(tx, actor, input.programId);
    const { version, ...set } = input;
    if (!(await repo.updateForm(tx, actor.tenantId, id, version, set))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'feedback.form.update', { type: 'feedback_form', id }, { fields: Object.keys(set) });
    return toForm(await loadForm(tx, actor, id));
  });
}

export async function setFormStatus(db: Db, actor: Actor, id: string, version: number, status: z.infer<typeof FormStatusSchema>): Promise<FeedbackForm> {
  requirePermission(actor, 'feedback.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    const f = await loadForm(tx, actor, id);
    if (status === 'draft' && f.status !== 'draft') throw new AppError('INVALID_STATE', [{ problem: 'a published form does not go back to draft' }]);
    if (!(await repo.updateForm(tx, actor.tenantId, id, version, { status }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, `feedback.form.${status}`, { type: 'feedback_form', id });
    return toForm(await loadForm(tx, actor, id));
  });
}

function toInvitation(r: repo.InvitationListRow): Invitation {
  return {
    id: r.id,
    targetType: r.unitId ? 'unit' : 'person',
    targetId: (r.unitId ?? r.personId) as string,
    targetName: r.targetName,
    answered: r.usedAt !== null,
    answeredAt: r.usedAt ? new Date(r.usedAt).toISOString() : null,
  };
}

export async function listInvitations(db: Db, actor: Actor, formId: string) {
  requirePermission(actor, 'feedback.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    await loadForm(tx, actor, formId);
    return { items: (await repo.listInvitations(tx, formId)).map(toInvitation) };
  });
}

/** Adds recipients; the reply carries each new invitation's token, which is stored only as a hash. */
export async function createInvitations(db: Db, actor: Actor, formId: string, input: z.infer<typeof CreateInvitationsRequestSchema>) {
  requirePermission(actor, 'feedback.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    await loadForm(tx, actor, formId);
    const unitIds = [...new Set(input.unitIds)];
    const personIds = [...new Set(input.personIds)];
    if ((await repo.countUnits(tx, actor.tenantId, unitIds)) !== unitIds.length) throw new AppError('VALIDATION_FAILED', [{ path: 'unitIds', problem: 'unknown unit' }]);
    if ((await repo.countPeople(tx, actor.tenantId, personIds)) !== personIds.length) throw new AppError('VALIDATION_FAILED', [{ path: 'personIds', problem: 'unknown person' }]);
    const tokens = new Map<string, string>();
    const rows = [...unitIds.map((unitId) => ({ unitId })), ...personIds.map((personId) => ({ personId }))].map((t) => {
      const token = randomBytes(18).toString('base64url');
      const tokenHash = sha256Hex(token);
      tokens.set(tokenHash, token);
      return { ...t, tenantId: actor.tenantId, formId, tokenHash };
    });
    const inserted = await repo.insertInvitations(tx, rows);
    await audit(tx, actor, 'feedback.form.invite', { type: 'feedback_form', id: formId }, { units: unitIds.length, people: personIds.length, created: inserted.length });
    const created = new Map(inserted.map((r) => [r.id, tokens.get(r.tokenHash)]));
    return { items: (await repo.listInvitations(tx, formId)).map((r) => ({ ...toInvitation(r), ...(created.has(r.id) ? { token: created.get(r.id) } : {}) })) };
  });
}

function toResponse(r: repo.ResponseListRow, problems: { id: string; responseId: string }[]): FeedbackResponse {
  return {
    id: r.id,
    formId: r.formId,
    respondentName: r.respondentName,
    respondentContact: r.respondentContact,
    invitationTarget: r.invitationTarget,
    answers: r.answers as FeedbackResponse['answers'],
    createdAt: new Date(r.createdAt).toISOString(),
    problemIds: problems.filter((p) => p.responseId === r.id).map((p) => p.id),
  };
}

export async function listResponses(db: Db, actor: Actor, formId: string, q: { page: number; pageSize: number }) {
  requirePermission(actor, 'feedback.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    await loadForm(tx, actor, formId);
    const { rows, total } = await repo.listResponses(tx, formId, q.page, q.pageSize);
    const problems = await problemIdsOfResponses(
      tx,
      rows.map((r) => r.id),
    );
    return { items: rows.map((r) => toResponse(r, problems)), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function findFile(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'feedback.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const f = await repo.findFile(tx, actor.tenantId, id);
    if (!f) throw new AppError('NOT_FOUND');
    return f;
  });
}

// ---------------------------------------------------------------- the public side

/**
 * Public id → tenant, per process. A form never changes tenant, so the owner-level lookup
 * (outside row-level security) is done once per form, not once per answer. Bounded: the
 * oldest entry goes first.
 */
const tenantCache = new Map<string, string>();
const CACHE_MAX = 10_000;

async function tenantOf(db: Db, publicId: string): Promise<string> {
  let tenantId = tenantCache.get(publicId);
  if (!tenantId) {
    tenantId = await repo.tenantOfPublicForm(db, publicId);
    if (!tenantId) throw new AppError('NOT_FOUND');
    if (tenantCache.size >= CACHE_MAX) tenantCache.delete(tenantCache.keys().next().value ?? '');
    tenantCache.set(publicId, tenantId);
  }
  return tenantId;
}

/**
 * The questions of a form as last read, per process: answers are checked against them, and
 * the insert itself requires the form to be open at that same version (one statement), so a
 * form closed or edited since is never answered against stale questions.
 */
const definitionCache = new Map<string, repo.FormRow>();

function remember(form: repo.FormRow) {
  if (definitionCache.size >= CACHE_MAX) definitionCache.delete(definitionCache.keys().next().value ?? '');
  definitionCache.set(form.publicId, form);
}

/** Resolves a public id to its tenant, then reads the form inside that tenant. */
async function inFormTenant<T>(db: Db, publicId: string, fn: (tx: Executor, form: repo.FormRow) => Promise<T>): Promise<T> {
  return inTenant(db, await tenantOf(db, publicId), async (tx) => {
    const form = await repo.findPublicForm(tx, publicId);
    // a draft is not published: it does not exist for the public
    if (!form || form.status === 'draft') throw new AppError('NOT_FOUND');
    remember(form);
    return fn(tx, form);
  });
}

export async function getPublicForm(db: Db, publicId: string): Promise<PublicForm> {
  return inFormTenant(db, publicId, async (_tx, f) => ({
    title: f.title,
    description: f.description,
    mode: f.mode as PublicForm['mode'],
    inviteOnly: f.inviteOnly,
    status: f.status as PublicForm['status'],
    fields: f.fields as FormField[],
  }));
}

type FileAnswer = { name: string; type: string; data: string };
type CheckedAnswers = { answers: Record<string, string | number | string[]>; files: { key: string; name: string; bytes: Buffer }[] };

function isFileAnswer(v: unknown): v is FileAnswer {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in v;
}

/** Checks answers against the form's fields; every problem is reported, nothing is stored. */
export function checkAnswers(fields: FormField[], given: PublicAnswerRequest['answers']): CheckedAnswers {
  const problems: { path: string; problem: string }[] = [];
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(given)) if (!known.has(key)) problems.push({ path: `answers.${key}`, problem: 'no such question' });
  const out: CheckedAnswers = { answers: {}, files: [] };
  for (const f of fields) {
    const v = given[f.key];
    const path = `answers.${f.key}`;
    const empty = v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (f.required) problems.push({ path, problem: 'required' });
      continue;
    }
    switch (f.kind) {
      case 'text':
        if (typeof v !== 'string') problems.push({ path, problem: 'text expected' });
        else out.answers[f.key] = v.trim();
        break;
      case 'rating':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) problems.push({ path, problem: 'a rating from 1 to 5' });
        else out.answers[f.key] = v;
        break;
      case 'choice': {
        const picked = Array.isArray(v) ? v : typeof v === 'string' ? [v] : null;
        if (!picked || picked.some((x) => !(f.options ?? []).includes(x))) problems.push({ path, problem: 'not one of the options' });
        else if (picked.length > 1 && !f.multiple) problems.push({ path, problem: 'one option only' });
        else out.answers[f.key] = f.multiple ? [...new Set(picked)] : (picked[0] ?? '');
        break;
      }
      case 'file': {
        if (!isFileAnswer(v)) {
          problems.push({ path, problem: 'a file expected' });
          break;
        }
        const bytes = Buffer.from(v.data, 'base64');
        if (bytes.length === 0) problems.push({ path, problem: 'empty file' });
        else if (bytes.length > programLimits.answerFileMaxBytes) problems.push({ path, problem: `larger than ${programLimits.answerFileMaxBytes} bytes` });
        else out.files.push({ key: f.key, name: v.name, bytes });
        break;
      }
      default: {
        const unhandled: never = f.kind;
        throw new Error(`field kind ${String(unhandled)}`);
      }
    }
  }
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
  return out;
}

/**
 * A public answer: no session, so the form (found by its unguessable public id) names the
 * tenant and the insert runs inside it. Files go to the store first (content addressed, so
 * a failed insert leaves at most an unreferenced blob).
 */
export async function submitPublic(db: Db, dataDir: string, publicId: string, input: PublicAnswerRequest): Promise<{ stored: boolean }> {
  // honeypot: only a bot fills a field people never see; it is told nothing
  if (input.website) return { stored: false };
  const cached = definitionCache.get(publicId);
  // the common case, an open form already read and no token: written with other answers
  // arriving at the same time, one statement inside the tenant
  if (cached && cached.status === 'open' && !input.token && !cached.inviteOnly) {
    const prepared = prepare(cached, input);
    if (prepared.files.length === 0) {
      if (await enqueueAnswer(db, await tenantOf(db, publicId), cached.id, cached.version, prepared.row)) return { stored: true };
      // closed or edited since it was read: the full path below reads it again
    }
  }
  return inFormTenant(db, publicId, async (tx, form) => {
    if (form.status !== 'open') throw new AppError('WINDOW_CLOSED');
    const { row, files } = prepare(form, input);
    let invitationId: string | null = null;
    if (input.token) {
      const hash = sha256Hex(input.token);
      invitationId = (await repo.useInvitation(tx, form.id, hash)) ?? null;
      if (!invitationId) {
        throw (await repo.invitationExists(tx, form.id, hash))
          ? new AppError('CONFLICT', [{ path: 'token', problem: 'this invitation has already answered' }])
          : new AppError('FORBIDDEN', [{ path: 'token', problem: 'unknown invitation' }]);
      }
    } else if (form.inviteOnly) {
      throw new AppError('FORBIDDEN', [{ path: 'token', problem: 'this form is answered by invitation only' }]);
    }
    const stored: (StoredFile & { key: string; name: string })[] = [];
    for (const f of files) stored.push({ ...(await storeUpload(dataDir, Readable.from([f.bytes]))), key: f.key, name: f.name });
    const responseId = await repo.insertResponse(tx, { ...row, tenantId: form.tenantId, formId: form.id, invitationId });
    if (stored.length > 0) {
      const withFiles: Record<string, unknown> = { ...row.answers };
      for (const s of stored) {
        const name = safeFileName(s.name);
        const fileId = await repo.insertFile(tx, { tenantId: form.tenantId, responseId, fieldKey: s.key, sha256: s.sha256, filename: name, contentType: s.contentType, size: s.size });
        withFiles[s.key] = { fileId, name, size: s.size };
      }
      await repo.setResponseAnswers(tx, responseId, withFiles);
    }
    return { stored: true };
  });
}

/** Checks an answer against a form; what would be stored, and the files to store first. */
function prepare(form: repo.FormRow, input: PublicAnswerRequest) {
  const { answers, files } = checkAnswers(form.fields as FormField[], input.answers);
  const named = form.mode === 'named';
  if (named && !input.name) throw new AppError('VALIDATION_FAILED', [{ path: 'name', problem: 'required: this form is named' }]);
  // an anonymous form stores nothing that identifies the respondent
  const row = { answers, respondentName: named ? (input.name ?? null) : null, respondentContact: named ? input.contact || null : null };
  return { row, files };
}

import path from 'node:path';
import type {
  CreateMeasureRequest,
  CreateProblemRequest,
  Measure,
  ProblemCategory,
  ProblemDetail,
  ProblemListQuery,
  ProblemSummary,
  ProgressRequest,
  UpdateMeasureRequest,
  UpdateProblemRequest,
} from '@tongxin/contracts';
import { programLimits } from '@tongxin/contracts';
import type { z } from 'zod';
import type { CreateCategoryRequestSchema, UpdateCategoryRequestSchema } from '@tongxin/contracts';
import type { Db, Executor, Tx } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { hasPermission, inScope, requirePermission, scopeOf, type Actor, type Scope } from '../../platform/access';
import type { Permission } from '@tongxin/contracts';
import { audit } from '../audit/audit.service';
import { findProgram } from '../programs/programs.repo';
import { findResponse } from '../feedback/feedback.repo';
import type { StoredFile } from '../../platform/files';
import * as repo from './rectification.repo';

/** Collective/individual × work/thinking-and-style: the defaults; a tenant edits them. */
export const defaultCategories = [
  { code: 'collective_work', nameZh: '班子·工作方面', nameEn: 'Leadership team: work', sortOrder: 1 },
  { code: 'collective_style', nameZh: '班子·思想作风方面', nameEn: 'Leadership team: thinking and style', sortOrder: 2 },
  { code: 'individual_work', nameZh: '个人·工作方面', nameEn: 'Individual: work', sortOrder: 3 },
  { code: 'individual_style', nameZh: '个人·思想作风方面', nameEn: 'Individual: thinking and style', sortOrder: 4 },
];

/** Tenant-defaults seeder: the default categories, inserted when missing. */
export async function ensureProblemCategories(tx: Tx, tenantId: string) {
  await repo.insertMissingCategories(
    tx,
    defaultCategories.map((c) => ({ ...c, tenantId })),
  );
}

/** Today in China and the last day of the "due soon" window, as ISO dates. */
export function dueWindow(now = new Date()) {
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return { today: day(now), soonUntil: day(new Date(now.getTime() + programLimits.dueSoonDays * 86_400_000)) };
}

export function dueOf(m: { verifiedAt: Date | null; status: string; deadline: string }, w: { today: string; soonUntil: string }): 'overdue' | 'soon' | null {
  if (m.verifiedAt || m.status === 'long_term') return null;
  if (m.deadline < w.today) return 'overdue';
  if (m.deadline <= w.soonUntil) return 'soon';
  return null;
}

// Reading the inventory is department-wide; writing is scoped. A problem belongs to its
// program's owner unit; a problem without a program belongs to the whole department, so only
// a tenant-wide grant reaches it. Out of scope, a write finds nothing (404), as elsewhere.

function problemInScope(scope: Scope, unitPath: string | null): boolean {
  return scope.all || (unitPath !== null && inScope(scope, unitPath));
}

function mayWrite(actor: Actor, p: Permission, unitPath: string | null): boolean {
  return hasPermission(actor, p) && problemInScope(scopeOf(actor, p), unitPath);
}

/** A program a new or moved problem goes to must be within the write scope (none: tenant-wide). */
async function checkTargetScope(tx: Executor, actor: Actor, scope: Scope, programId: string | null) {
  const unitPath = programId ? await repo.programUnitPath(tx, actor.tenantId, programId) : null;
  if (!problemInScope(scope, unitPath)) throw new AppError('FORBIDDEN', [{ path: 'programId', problem: 'outside your data scope' }]);
}

function toCategory(r: repo.CategoryRow): ProblemCategory {
  return { id: r.id, code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, active: r.active, sortOrder: r.sortOrder };
}

/** The category list is the department's, not a unit's: only a tenant-wide grant edits it. */
function requireTenantWide(actor: Actor) {
  if (!requirePermission(actor, 'rectification.write').all) throw new AppError('FORBIDDEN', [{ problem: 'categories are edited with a department-wide grant' }]);
}

export async function listCategories(db: Db, actor: Actor) {
  requirePermission(actor, 'rectification.read');
  return { items: (await inTenant(db, actor.tenantId, (tx) => repo.listCategories(tx, actor.tenantId))).map(toCategory) };
}

export async function createCategory(db: Db, actor: Actor, input: z.infer<typeof CreateCategoryRequestSchema>) {
  requireTenantWide(actor);
  return inTenant(db, actor.tenantId, async (tx) => {
    const r = await repo.insertCategory(tx, { ...input, tenantId: actor.tenantId });
    await audit(tx, actor, 'rectification.category.create', { type: 'problem_category', id: r.id }, { code: input.code });
    return toCategory(r);
  });
}

export async function updateCategory(db: Db, actor: Actor, id: string, input: z.infer<typeof UpdateCategoryRequestSchema>) {
  requireTenantWide(actor);
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await repo.findCategory(tx, actor.tenantId, id);
    if (!before) throw new AppError('NOT_FOUND');
    if (Object.values(input).every((v) => v === undefined)) return toCategory(before);
    const r = await repo.updateCategory(tx, actor.tenantId, id, input);
    if (!r) throw new AppError('NOT_FOUND');
    await audit(tx, actor, 'rectification.category.update', { type: 'problem_category', id }, input);
    return toCategory(r);
  });
}

function toSummary(r: repo.ProblemListRow): ProblemSummary {
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    source: r.source as ProblemSummary['source'],
    categoryId: r.categoryId,
    categoryName: r.categoryName,
    programId: r.programId,
    programTitle: r.programTitle,
    foundOn: r.foundOn,
    status: r.status as ProblemSummary['status'],
    claimants: r.claimants,
    measures: r.measures,
    measuresClosed: r.measuresClosed,
    due: r.overdue > 0 ? 'overdue' : r.soon > 0 ? 'soon' : null,
    version: r.version,
  };
}

// Problems are the department's inventory: everyone with rectification.read sees them all.

export async function listProblems(db: Db, actor: Actor, q: ProblemListQuery) {
  requirePermission(actor, 'rectification.read');
  const { page, pageSize, ...f } = q;
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listProblems(tx, { tenantId: actor.tenantId, ...dueWindow(), ...f }, page, pageSize);
    return { items: rows.map(toSummary), total, page, pageSize };
  });
}

async function loadDetail(tx: Executor, actor: Actor, id: string): Promise<ProblemDetail> {
  const w = dueWindow();
  const p = await repo.findProblem(tx, { tenantId: actor.tenantId, ...w }, id);
  if (!p) throw new AppError('NOT_FOUND');
  const ms = await repo.measuresOf(tx, [id]);
  const ids = ms.map((m) => m.id);
  const [notes, files] = [await repo.progressOf(tx, ids), await repo.evidenceOf(tx, ids)];
  const measureList: Measure[] = ms.map((m) => ({
    id: m.id,
    problemId: m.problemId,
    title: m.title,
    owner: { id: m.ownerUserId, name: m.ownerName },
    deadline: m.deadline,
    status: m.status as Measure['status'],
    immediate: m.immediate,
    percent: m.percent,
    closed: m.verifiedAt !== null,
    verifiedBy: m.verifiedBy ? { id: m.verifiedBy, name: m.verifierName ?? '' } : null,
    verifiedAt: m.verifiedAt ? new Date(m.verifiedAt).toISOString() : null,
    returnedReason: m.returnedReason,
    due: dueOf(m, w),
    progress: notes.filter((n) => n.measureId === m.id).map((n) => ({ id: n.id, percent: n.percent, note: n.note, by: n.by, createdAt: new Date(n.createdAt).toISOString() })),
    evidence: files
      .filter((f) => f.measureId === m.id)
      .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size, createdAt: f.createdAt.toISOString() })),
    version: m.version,
  }));
  return {
    ...toSummary(p),
    description: p.description,
    sourceResponseId: p.sourceResponseId,
    rectifiedAt: p.rectifiedAt ? new Date(p.rectifiedAt).toISOString() : null,
    measureList,
    canAssign: p.programOwnerUserId === actor.userId,
    canEdit: mayWrite(actor, 'rectification.write', p.unitPath),
    canVerify: mayWrite(actor, 'rectification.verify', p.unitPath),
  };
}

export async function getProblem(db: Db, actor: Actor, id: string): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.read');
  return inTenant(db, actor.tenantId, (tx) => loadDetail(tx, actor, id));
}

async function checkRefs(tx: Executor, actor: Actor, f: { categoryId?: string | undefined; programId?: string | null | undefined }) {
  if (f.categoryId) {
    const c = await repo.findCategory(tx, actor.tenantId, f.categoryId);
    if (!c || !c.active) throw new AppError('VALIDATION_FAILED', [{ path: 'categoryId', problem: 'not an active category' }]);
  }
  if (f.programId && !(await findProgram(tx, actor.tenantId, f.programId))) {
    throw new AppError('VALIDATION_FAILED', [{ path: 'programId', problem: 'unknown program' }]);
  }
}

export async function createProblem(db: Db, actor: Actor, input: CreateProblemRequest): Promise<ProblemDetail> {
  const scope = requirePermission(actor, 'rectification.write');
  if ((input.source === 'feedback_response') !== (input.sourceResponseId !== undefined)) {
    throw new AppError('VALIDATION_FAILED', [{ path: 'sourceResponseId', problem: 'a feedback problem names its response, and only it does' }]);
  }
  if (input.foundOn > dueWindow().today) throw new AppError('VALIDATION_FAILED', [{ path: 'foundOn', problem: 'in the future' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    await checkRefs(tx, actor, input);
    let programId = input.programId ?? null;
    if (input.sourceResponseId) {
      const response = await findResponse(tx, actor.tenantId, input.sourceResponseId);
      if (!response) throw new AppError('VALIDATION_FAILED', [{ path: 'sourceResponseId', problem: 'unknown response' }]);
      // a problem raised from a form belongs to the form's program unless told otherwise
      programId ??= response.programId;
    }
    await checkTargetScope(tx, actor, scope, programId);
    const id = await repo.insertProblem(tx, {
      tenantId: actor.tenantId,
      programId,
      source: input.source,
      sourceResponseId: input.sourceResponseId ?? null,
      categoryId: input.categoryId,
      title: input.title,
      description: input.description,
      foundOn: input.foundOn,
      createdBy: actor.userId,
    });
    await audit(tx, actor, 'rectification.problem.create', { type: 'problem', id }, { title: input.title, source: input.source, responseId: input.sourceResponseId });
    return loadDetail(tx, actor, id);
  });
}

export async function updateProblem(db: Db, actor: Actor, id: string, input: UpdateProblemRequest): Promise<ProblemDetail> {
  const scope = requirePermission(actor, 'rectification.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const p = await lockScopedProblem(tx, actor, scope, id);
    if (p.status === 'rectified') throw new AppError('INVALID_STATE', [{ problem: 'a rectified problem is closed' }]);
    if (input.source && p.source === 'feedback_response') throw new AppError('VALIDATION_FAILED', [{ path: 'source', problem: 'a problem raised from a feedback response keeps its source' }]);
    // a category retired since stays acceptable on the problem that already has it
    await checkRefs(tx, actor, { programId: input.programId, categoryId: input.categoryId === p.categoryId ? undefined : input.categoryId });
    if (input.programId !== undefined && input.programId !== p.programId) await checkTargetScope(tx, actor, scope, input.programId);
    if (input.foundOn) {
      const ms = await repo.measuresOf(tx, [id]);
      if (ms.some((m) => m.deadline < (input.foundOn ?? ''))) {
        throw new AppError('VALIDATION_FAILED', [{ path: 'foundOn', problem: 'after the deadline of a measure' }]);
      }
    }
    const { version, ...set } = input;
    if (!(await repo.updateProblem(tx, actor.tenantId, id, version, set))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'rectification.problem.update', { type: 'problem', id }, { fields: Object.keys(set) });
    return loadDetail(tx, actor, id);
  });
}

/** A leader claims a problem (认领): any holder of rectification.write may claim for themselves. */
export async function claimProblem(db: Db, actor: Actor, id: string): Promise<ProblemDetail> {
  const scope = requirePermission(actor, 'rectification.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    await lockScopedProblem(tx, actor, scope, id);
    await repo.insertClaim(tx, { tenantId: actor.tenantId, problemId: id, userId: actor.userId });
    await audit(tx, actor, 'rectification.problem.claim', { type: 'problem', id });
    return loadDetail(tx, actor, id);
  });
}

/** The program's owner assigns a problem of the program to a leader. */
export async function assignProblem(db: Db, actor: Actor, id: string, userId: string): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const p = await repo.lockProblem(tx, actor.tenantId, id);
    if (!p) throw new AppError('NOT_FOUND');
    const program = p.programId ? await findProgram(tx, actor.tenantId, p.programId) : undefined;
    if (!program || program.ownerUserId !== actor.userId) throw new AppError('FORBIDDEN', [{ problem: 'only the owner of the problem’s program assigns it' }]);
    if (!(await repo.findActiveUser(tx, actor.tenantId, userId))) throw new AppError('VALIDATION_FAILED', [{ path: 'userId', problem: 'unknown user' }]);
    await repo.insertClaim(tx, { tenantId: actor.tenantId, problemId: id, userId, assignedBy: actor.userId });
    await audit(tx, actor, 'rectification.problem.assign', { type: 'problem', id }, { userId });
    return loadDetail(tx, actor, id);
  });
}

export async function unclaimProblem(db: Db, actor: Actor, id: string, userId: string): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const p = await repo.lockProblem(tx, actor.tenantId, id);
    if (!p) throw new AppError('NOT_FOUND');
    const program = p.programId ? await findProgram(tx, actor.tenantId, p.programId) : undefined;
    // one withdraws one's own claim; the program owner may withdraw anyone's
    if (userId !== actor.userId && program?.ownerUserId !== actor.userId) throw new AppError('FORBIDDEN');
    if (!(await repo.deleteClaim(tx, id, userId))) throw new AppError('NOT_FOUND');
    await audit(tx, actor, 'rectification.problem.unclaim', { type: 'problem', id }, { userId });
    return loadDetail(tx, actor, id);
  });
}

/** Closing a problem by hand: refused while any measure is open (or there is none). */
export async function closeProblem(db: Db, actor: Actor, id: string): Promise<ProblemDetail> {
  const scope = requirePermission(actor, 'rectification.verify');
  return inTenant(db, actor.tenantId, async (tx) => {
    const p = await lockScopedProblem(tx, actor, scope, id);
    const { total, open } = await repo.openMeasureCount(tx, id);
    if (total === 0) throw new AppError('INVALID_STATE', [{ problem: 'a problem without measures cannot be rectified' }]);
    if (open > 0) throw new AppError('INVALID_STATE', [{ problem: `${open} measure(s) not closed` }]);
    if (p.status !== 'rectified') {
      await repo.setProblemStatus(tx, id, 'rectified');
      await audit(tx, actor, 'rectification.problem.close', { type: 'problem', id });
    }
    return loadDetail(tx, actor, id);
  });
}

/** The problem, locked; out of the scope given it is not found. */
async function lockScopedProblem(tx: Executor, actor: Actor, scope: Scope, id: string) {
  const p = await repo.lockProblem(tx, actor.tenantId, id);
  if (!p || !problemInScope(scope, p.unitPath)) throw new AppError('NOT_FOUND');
  return p;
}

function checkDeadline(deadline: string, foundOn: string) {
  if (deadline < foundOn) throw new AppError('VALIDATION_FAILED', [{ path: 'deadline', problem: 'before the date the problem was found' }]);
}

export async function createMeasure(db: Db, actor: Actor, problemId: string, input: CreateMeasureRequest): Promise<ProblemDetail> {
  return (await createMeasureWithId(db, actor, problemId, input)).problem;
}

/** createMeasure, also naming the new measure (for commands that link to it, e.g. a research recommendation). */
export async function createMeasureWithId(db: Db, actor: Actor, problemId: string, input: CreateMeasureRequest): Promise<{ measureId: string; problem: ProblemDetail }> {
  const scope = requirePermission(actor, 'rectification.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const p = await lockScopedProblem(tx, actor, scope, problemId);
    checkDeadline(input.deadline, p.foundOn);
    if (!(await repo.findActiveUser(tx, actor.tenantId, input.ownerUserId))) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'ownerUserId', problem: 'unknown user' }]);
    }
    const id = await repo.insertMeasure(tx, {
      tenantId: actor.tenantId,
      problemId,
      title: input.title,
      ownerUserId: input.ownerUserId,
      deadline: input.deadline,
      immediate: input.immediate,
      status: input.status,
    });
    // a new open measure reopens a rectified problem
    if (p.status === 'rectified') await repo.setProblemStatus(tx, problemId, 'open');
    await audit(tx, actor, 'rectification.measure.create', { type: 'measure', id }, { problemId, title: input.title, deadline: input.deadline });
    return { measureId: id, problem: await loadDetail(tx, actor, problemId) };
  });
}

/**
 * An open measure and its problem, locked (measure, then problem), if
 * the problem is within the scope of the permission, or (ownerMay) the actor owns the measure:
 * an owner reports on their own measure wherever the problem sits.
 */
async function lockOpenMeasure(tx: Executor, actor: Actor, id: string, p: Permission, ownerMay = false) {
  const found = await repo.lockMeasure(tx, actor.tenantId, id);
  if (!found) throw new AppError('NOT_FOUND');
  const problem = await repo.lockProblem(tx, actor.tenantId, found.problemId);
  if (!problem) throw new AppError('NOT_FOUND');
  const owner = ownerMay && found.ownerUserId === actor.userId;
  if (!owner && !problemInScope(scopeOf(actor, p), problem.unitPath)) throw new AppError('NOT_FOUND');
  if (found.verifiedAt) throw new AppError('INVALID_STATE', [{ problem: 'the measure is closed' }]);
  return { m: found, problem };
}

export async function updateMeasure(db: Db, actor: Actor, id: string, input: UpdateMeasureRequest): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { m, problem: p } = await lockOpenMeasure(tx, actor, id, 'rectification.write');
    if (input.deadline) checkDeadline(input.deadline, p.foundOn);
    if (input.ownerUserId && !(await repo.findActiveUser(tx, actor.tenantId, input.ownerUserId))) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'ownerUserId', problem: 'unknown user' }]);
    }
    const { version, ...set } = input;
    if (!(await repo.updateMeasure(tx, id, version, set))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'rectification.measure.update', { type: 'measure', id }, set);
    return loadDetail(tx, actor, m.problemId);
  });
}

/** A progress note: moves the percentage, and the status when given (100 % means done). */
export async function addProgress(db: Db, actor: Actor, id: string, input: ProgressRequest): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { m } = await lockOpenMeasure(tx, actor, id, 'rectification.write', true);
    const status = input.status ?? (input.percent === 100 ? 'done' : m.status === 'not_started' && input.percent > 0 ? 'in_progress' : m.status);
    await repo.insertProgress(tx, { tenantId: actor.tenantId, measureId: id, percent: input.percent, note: input.note, createdBy: actor.userId });
    await repo.updateMeasure(tx, id, null, { percent: input.percent, status });
    await audit(tx, actor, 'rectification.measure.progress', { type: 'measure', id }, { percent: input.percent, status });
    return loadDetail(tx, actor, m.problemId);
  });
}

/** A name only shown and offered on download: path parts and control characters go. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replaceAll('\\', '/'));
  const clean = [...base].filter((c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) !== 127).join('');
  return (clean || 'file').slice(0, 255);
}

/** Checked before any byte of an upload is read. */
export async function assertCanAddEvidence(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'rectification.write');
  await inTenant(db, actor.tenantId, (tx) => lockOpenMeasure(tx, actor, id, 'rectification.write', true));
}

export async function addEvidence(db: Db, actor: Actor, id: string, filename: string, stored: StoredFile): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { m } = await lockOpenMeasure(tx, actor, id, 'rectification.write', true);
    const safeName = safeFileName(filename);
    const row = await repo.insertEvidence(tx, { tenantId: actor.tenantId, measureId: id, ...stored, filename: safeName, uploadedBy: actor.userId });
    await audit(tx, actor, 'rectification.measure.evidence', { type: 'measure', id }, { evidenceId: row.id, filename: safeName, size: stored.size });
    return loadDetail(tx, actor, m.problemId);
  });
}

export async function findEvidence(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'rectification.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const e = await repo.findEvidence(tx, actor.tenantId, id);
    if (!e) throw new AppError('NOT_FOUND');
    return e;
  });
}

/**
 * Verification (销号): a reviewer other than the owner closes a done (or long-term) measure;
 * when it was the problem's last open measure the problem is rectified.
 */
export async function verifyMeasure(db: Db, actor: Actor, id: string, version: number): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.verify');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { m } = await lockOpenMeasure(tx, actor, id, 'rectification.verify');
    if (m.ownerUserId === actor.userId) throw new AppError('SELF_REVIEW');
    if (m.status !== 'done' && m.status !== 'long_term') throw new AppError('INVALID_STATE', [{ problem: 'only a done or long-term measure is verified' }]);
    if (!(await repo.updateMeasure(tx, id, version, { verifiedBy: actor.userId, verifiedAt: new Date(), returnedReason: null }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'rectification.measure.verify', { type: 'measure', id }, { problemId: m.problemId });
    const { open } = await repo.openMeasureCount(tx, m.problemId);
    if (open === 0) {
      await repo.setProblemStatus(tx, m.problemId, 'rectified');
      await audit(tx, actor, 'rectification.problem.rectified', { type: 'problem', id: m.problemId });
    }
    return loadDetail(tx, actor, m.problemId);
  });
}

/** Sent back with a reason: the owner continues (status in progress). */
export async function returnMeasure(db: Db, actor: Actor, id: string, version: number, reason: string): Promise<ProblemDetail> {
  requirePermission(actor, 'rectification.verify');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { m } = await lockOpenMeasure(tx, actor, id, 'rectification.verify');
    if (m.ownerUserId === actor.userId) throw new AppError('SELF_REVIEW');
    if (!(await repo.updateMeasure(tx, id, version, { status: 'in_progress', returnedReason: reason }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'rectification.measure.return', { type: 'measure', id }, { reason });
    return loadDetail(tx, actor, m.problemId);
  });
}

export async function listAssignees(db: Db, actor: Actor) {
  requirePermission(actor, 'rectification.read');
  return { items: await inTenant(db, actor.tenantId, (tx) => repo.listAssignees(tx, actor.tenantId)) };
}


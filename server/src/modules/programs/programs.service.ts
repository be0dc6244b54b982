import type {
  CreateIndicatorRequest,
  CreateProgramItemRequest,
  CreateProgramRequest,
  Indicator,
  IndicatorQuery,
  IndicatorRecords,
  IndicatorSource,
  ProgramDetail,
  ProgramItem,
  ProgramSummary,
  UpdateIndicatorRequest,
  UpdateProgramItemRequest,
  UpdateProgramRequest,
} from '@tongxin/contracts';
import { programLimits } from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { hasPermission, inScope, requirePermission, scopeOf, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnit } from '../org/org.repo';
import * as repo from './programs.repo';

function toSummary(r: repo.ProgramSummaryRow): ProgramSummary {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    ownerUnitId: r.ownerUnitId,
    ownerUnitName: r.ownerUnitName,
    ownerUserId: r.ownerUserId,
    ownerUserName: r.ownerUserName,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    version: r.version,
  };
}

// Programs are department-wide plans: everyone with programs.read sees them all; writing
// needs programs.write over the owner unit.

export async function listPrograms(db: Db, actor: Actor, q: { q?: string | undefined; page: number; pageSize: number }) {
  requirePermission(actor, 'programs.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listPrograms(tx, actor.tenantId, q.q || undefined, q.page, q.pageSize);
    return { items: rows.map(toSummary), total, page: q.page, pageSize: q.pageSize };
  });
}

async function loadProgram(tx: Executor, actor: Actor, id: string) {
  const p = await repo.findProgram(tx, actor.tenantId, id);
  if (!p) throw new AppError('NOT_FOUND');
  return p;
}

async function loadWritable(tx: Executor, actor: Actor, scope: Scope, id: string) {
  const p = await loadProgram(tx, actor, id);
  if (!inScope(scope, p.ownerUnitPath)) throw new AppError('FORBIDDEN');
  return p;
}

async function checkOwnerUnit(tx: Executor, actor: Actor, scope: Scope, unitId: string) {
  const unit = await findUnit(tx, actor.tenantId, unitId);
  if (!unit || !unit.active) throw new AppError('VALIDATION_FAILED', [{ path: 'ownerUnitId', problem: 'not an active unit' }]);
  if (!inScope(scope, unit.path)) throw new AppError('FORBIDDEN');
}

function checkPeriod(startsOn: string, endsOn: string) {
  if (endsOn < startsOn) throw new AppError('VALIDATION_FAILED', [{ path: 'endsOn', problem: 'before the start' }]);
}

export async function createProgram(db: Db, actor: Actor, input: CreateProgramRequest): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  checkPeriod(input.startsOn, input.endsOn);
  const id = await inTenant(db, actor.tenantId, async (tx) => {
    await checkOwnerUnit(tx, actor, scope, input.ownerUnitId);
    const id = await repo.insertProgram(tx, {
      tenantId: actor.tenantId,
      title: input.title,
      description: input.description ?? null,
      ownerUnitId: input.ownerUnitId,
      // whoever creates a program owns it unless told otherwise
      ownerUserId: input.ownerUserId === undefined ? actor.userId : input.ownerUserId,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      createdBy: actor.userId,
    });
    await audit(tx, actor, 'programs.create', { type: 'program', id }, { title: input.title });
    return id;
  });
  return getProgram(db, actor, id);
}

export async function updateProgram(db: Db, actor: Actor, id: string, input: UpdateProgramRequest): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  await inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadWritable(tx, actor, scope, id);
    if (input.ownerUnitId) await checkOwnerUnit(tx, actor, scope, input.ownerUnitId);
    checkPeriod(input.startsOn ?? before.startsOn, input.endsOn ?? before.endsOn);
    const { version, ...set } = input;
    if (!(await repo.updateProgram(tx, actor.tenantId, id, version, set))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'programs.update', { type: 'program', id }, { fields: Object.keys(set) });
  });
  return getProgram(db, actor, id);
}

export async function deleteProgram(db: Db, actor: Actor, id: string): Promise<void> {
  const scope = requirePermission(actor, 'programs.write');
  await inTenant(db, actor.tenantId, async (tx) => {
    const p = await loadWritable(tx, actor, scope, id);
    await repo.deleteProgram(tx, actor.tenantId, id);
    await audit(tx, actor, 'programs.delete', { type: 'program', id }, { title: p.title });
  });
}

/** The saved query resolved against its program: explicit period or the program's, unit path. */
async function sourceQueryOf(tx: Executor, actor: Actor, program: { id: string; startsOn: string; endsOn: string }, itemId: string, q: IndicatorQuery): Promise<repo.SourceQuery> {
  let unitPath: string | null = null;
  if (q.unitId) {
    const unit = await findUnit(tx, actor.tenantId, q.unitId);
    // a unit deleted since counts nothing rather than everything
    unitPath = unit?.path ?? '/nonexistent/';
  }
  return { tenantId: actor.tenantId, programId: program.id, itemId, typeCodes: q.typeCodes ?? [], unitPath, from: q.from ?? program.startsOn, to: q.to ?? program.endsOn };
}

function percentOf(count: number, target: number): number {
  return Math.min(100, Math.round((count / target) * 1000) / 10);
}

function toIndicator(r: repo.IndicatorRow, count: number | null): Indicator {
  const query = (r.query ?? {}) as IndicatorQuery;
  const computed = r.kind === 'computed' && r.source !== null && r.target !== null;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as Indicator['kind'],
    source: (r.source as IndicatorSource | null) ?? null,
    query,
    target: r.target,
    count: computed ? count : null,
    manualPercent: r.manualPercent,
    manualEvidence: r.manualEvidence,
    progress: computed && r.target ? percentOf(count ?? 0, r.target) : (r.manualPercent ?? 0),
    version: r.version,
  };
}

/**
 * Counts of every computed indicator of a program. Activities: one grouped pass per distinct
 * period (usually just the program's), summed per indicator over its unit subtree and types;
 * the program's own records (problems, responses) are counted one by one.
 */
async function countsOf(tx: Executor, actor: Actor, program: repo.ProgramSummaryRow, rows: repo.IndicatorRow[]): Promise<Map<string, number>> {
  const computed = rows.filter((r) => r.kind === 'computed' && r.source);
  const counts = new Map<string, number>();
  const activityRows = computed.filter((r) => r.source === 'activities');
  const [units, types] = activityRows.length > 0 ? [await repo.unitPathsOfTenant(tx, actor.tenantId), await repo.activityTypeCodes(tx, actor.tenantId)] : [[], []];
  const pathOf = new Map(units.map((u) => [u.id, u.path]));
  const codeOf = new Map(types.map((x) => [x.id, x.code]));
  const byPeriod = new Map<string, Awaited<ReturnType<typeof repo.activityCountsByUnitType>>>();
  for (const r of computed) {
    const q = (r.query ?? {}) as IndicatorQuery;
    const from = q.from ?? program.startsOn;
    const to = q.to ?? program.endsOn;
    // a unit deleted since counts nothing rather than everything
    const unitPath = q.unitId ? (pathOf.get(q.unitId) ?? '/nonexistent/') : null;
    if (r.source !== 'activities') {
      const sq = { tenantId: actor.tenantId, programId: program.id, itemId: r.itemId, typeCodes: q.typeCodes ?? [], unitPath, from, to };
      counts.set(r.id, await repo.sources[r.source as IndicatorSource].count(tx, sq));
      continue;
    }
    const period = `${from}/${to}`;
    let groups = byPeriod.get(period);
    if (!groups) {
      groups = await repo.activityCountsByUnitType(tx, actor.tenantId, from, to);
      byPeriod.set(period, groups);
    }
    const codes = new Set(q.typeCodes ?? []);
    let n = 0;
    for (const g of groups) {
      if (codes.size > 0 && !codes.has(codeOf.get(g.typeId) ?? '')) continue;
      if (unitPath && !(pathOf.get(g.unitId) ?? '').startsWith(unitPath)) continue;
      n += g.n;
    }
    counts.set(r.id, n);
  }
  return counts;
}

/**
 * Progress of an item: the mean of its own indicators and of its children that have any
 * progress; null when nothing below it can be measured.
 */
function rollUp(items: ProgramItem[]): void {
  const children = new Map<string | null, ProgramItem[]>();
  for (const i of items) children.set(i.parentId, [...(children.get(i.parentId) ?? []), i]);
  const visit = (item: ProgramItem): number | null => {
    const parts = [...item.indicators.map((x) => x.progress), ...(children.get(item.id) ?? []).map(visit).filter((x): x is number => x !== null)];
    item.progress = parts.length === 0 ? null : Math.round((parts.reduce((a, b) => a + b, 0) / parts.length) * 10) / 10;
    return item.progress;
  };
  for (const root of children.get(null) ?? []) visit(root);
}

/** Depth-first order, parents before children, siblings by sort order. */
function depthFirst(items: ProgramItem[]): ProgramItem[] {
  const children = new Map<string | null, ProgramItem[]>();
  for (const i of items) children.set(i.parentId, [...(children.get(i.parentId) ?? []), i]);
  const out: ProgramItem[] = [];
  const walk = (parent: string | null) => {
    for (const c of children.get(parent) ?? []) {
      out.push(c);
      walk(c.id);
    }
  };
  walk(null);
  return out;
}

export async function getProgram(db: Db, actor: Actor, id: string): Promise<ProgramDetail> {
  requirePermission(actor, 'programs.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const program = await loadProgram(tx, actor, id);
    const [itemRows, owners, indicatorRows] = [await repo.listItems(tx, id), await repo.ownersOfProgram(tx, id), await repo.indicatorsOfProgram(tx, id)];
    const counts = await countsOf(tx, actor, program, indicatorRows);
    const indicators = new Map<string, Indicator[]>();
    for (const r of indicatorRows) indicators.set(r.itemId, [...(indicators.get(r.itemId) ?? []), toIndicator(r, counts.get(r.id) ?? null)]);
    const items: ProgramItem[] = itemRows.map((r) => ({
      id: r.id,
      parentId: r.parentId,
      kind: r.kind,
      title: r.title,
      description: r.description,
      dueOn: r.dueOn,
      sortOrder: r.sortOrder,
      owners: owners.filter((o) => o.itemId === r.id).map((o) => ({ id: o.id, name: o.name })),
      indicators: indicators.get(r.id) ?? [],
      progress: null,
      version: r.version,
    }));
    rollUp(items);
    const roots = items.filter((i) => i.parentId === null && i.progress !== null).map((i) => i.progress ?? 0);
    const progress = roots.length === 0 ? null : Math.round((roots.reduce((a, b) => a + b, 0) / roots.length) * 10) / 10;
    const canEdit = hasPermission(actor, 'programs.write') && inScope(scopeOf(actor, 'programs.write'), program.ownerUnitPath);
    return { ...toSummary(program), items: depthFirst(items), progress, canEdit };
  });
}

async function checkOwners(tx: Executor, actor: Actor, ids: string[] | undefined) {
  if (!ids) return;
  const unique = [...new Set(ids)];
  if ((await repo.countPeople(tx, actor.tenantId, unique)) !== unique.length) {
    throw new AppError('VALIDATION_FAILED', [{ path: 'ownerPersonIds', problem: 'unknown person' }]);
  }
}

export async function createItem(db: Db, actor: Actor, programId: string, input: CreateProgramItemRequest): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  await inTenant(db, actor.tenantId, async (tx) => {
    await loadWritable(tx, actor, scope, programId);
    if (input.parentId) {
      const parent = await repo.findItem(tx, actor.tenantId, input.parentId);
      if (!parent || parent.programId !== programId) throw new AppError('VALIDATION_FAILED', [{ path: 'parentId', problem: 'not an item of this program' }]);
      if ((await repo.itemDepth(tx, parent.id)) >= programLimits.itemDepthMax) {
        throw new AppError('VALIDATION_FAILED', [{ path: 'parentId', problem: `deeper than ${programLimits.itemDepthMax} levels` }]);
      }
    }
    await checkOwners(tx, actor, input.ownerPersonIds);
    const id = await repo.insertItem(tx, {
      tenantId: actor.tenantId,
      programId,
      parentId: input.parentId ?? null,
      kind: input.kind,
      title: input.title,
      description: input.description ?? null,
      dueOn: input.dueOn ?? null,
      sortOrder: input.sortOrder ?? 0,
    });
    await repo.setItemOwners(tx, actor.tenantId, id, [...new Set(input.ownerPersonIds ?? [])]);
    await audit(tx, actor, 'programs.item.create', { type: 'program_item', id }, { programId, title: input.title });
  });
  return getProgram(db, actor, programId);
}

async function loadItemWritable(tx: Executor, actor: Actor, scope: Scope, itemId: string) {
  const item = await repo.findItem(tx, actor.tenantId, itemId);
  if (!item) throw new AppError('NOT_FOUND');
  await loadWritable(tx, actor, scope, item.programId);
  return item;
}

export async function updateItem(db: Db, actor: Actor, itemId: string, input: UpdateProgramItemRequest): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  const programId = await inTenant(db, actor.tenantId, async (tx) => {
    const item = await loadItemWritable(tx, actor, scope, itemId);
    await checkOwners(tx, actor, input.ownerPersonIds);
    const { version, ownerPersonIds, ...set } = input;
    if (!(await repo.updateItem(tx, actor.tenantId, itemId, version, set))) throw new AppError('STALE_VERSION');
    if (ownerPersonIds) await repo.setItemOwners(tx, actor.tenantId, itemId, [...new Set(ownerPersonIds)]);
    await audit(tx, actor, 'programs.item.update', { type: 'program_item', id: itemId }, { fields: Object.keys(input) });
    return item.programId;
  });
  return getProgram(db, actor, programId);
}

export async function deleteItem(db: Db, actor: Actor, itemId: string): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  const programId = await inTenant(db, actor.tenantId, async (tx) => {
    const item = await loadItemWritable(tx, actor, scope, itemId);
    await repo.deleteItem(tx, actor.tenantId, itemId);
    await audit(tx, actor, 'programs.item.delete', { type: 'program_item', id: itemId }, { title: item.title });
    return item.programId;
  });
  return getProgram(db, actor, programId);
}

export async function createIndicator(db: Db, actor: Actor, itemId: string, input: CreateIndicatorRequest): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  const programId = await inTenant(db, actor.tenantId, async (tx) => {
    const item = await loadItemWritable(tx, actor, scope, itemId);
    const id = await repo.insertIndicator(
      tx,
      input.kind === 'computed'
        ? { tenantId: actor.tenantId, itemId, name: input.name, kind: 'computed', source: input.source, query: input.query, target: input.target }
        : { tenantId: actor.tenantId, itemId, name: input.name, kind: 'manual' },
    );
    await audit(tx, actor, 'programs.indicator.create', { type: 'program_indicator', id }, { itemId, name: input.name });
    return item.programId;
  });
  return getProgram(db, actor, programId);
}

export async function updateIndicator(db: Db, actor: Actor, id: string, input: UpdateIndicatorRequest): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  const programId = await inTenant(db, actor.tenantId, async (tx) => {
    const found = await repo.findIndicator(tx, actor.tenantId, id);
    if (!found) throw new AppError('NOT_FOUND');
    await loadWritable(tx, actor, scope, found.programId);
    const isManual = found.indicator.kind === 'manual';
    if (!isManual && (input.manualPercent !== undefined || input.manualEvidence !== undefined)) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'manualPercent', problem: 'a computed indicator is counted, not judged' }]);
    }
    if (isManual && (input.query !== undefined || input.target !== undefined)) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'query', problem: 'a manual indicator has no query' }]);
    }
    // a judgement without evidence is an opinion: both come together
    if (isManual && input.manualPercent !== undefined && !(input.manualEvidence ?? found.indicator.manualEvidence)) {
      throw new AppError('VALIDATION_FAILED', [{ path: 'manualEvidence', problem: 'a judgement needs its evidence' }]);
    }
    const judged = input.manualPercent !== undefined || input.manualEvidence !== undefined;
    const { version, ...set } = input;
    const ok = await repo.updateIndicator(tx, actor.tenantId, id, version, { ...set, ...(judged ? { judgedBy: actor.userId, judgedAt: new Date() } : {}) });
    if (!ok) throw new AppError('STALE_VERSION');
    await audit(tx, actor, judged ? 'programs.indicator.judge' : 'programs.indicator.update', { type: 'program_indicator', id }, set);
    return found.programId;
  });
  return getProgram(db, actor, programId);
}

export async function deleteIndicator(db: Db, actor: Actor, id: string): Promise<ProgramDetail> {
  const scope = requirePermission(actor, 'programs.write');
  const programId = await inTenant(db, actor.tenantId, async (tx) => {
    const found = await repo.findIndicator(tx, actor.tenantId, id);
    if (!found) throw new AppError('NOT_FOUND');
    await loadWritable(tx, actor, scope, found.programId);
    await repo.deleteIndicator(tx, actor.tenantId, id);
    await audit(tx, actor, 'programs.indicator.delete', { type: 'program_indicator', id }, { name: found.indicator.name });
    return found.programId;
  });
  return getProgram(db, actor, programId);
}

/** The records behind a computed indicator's count: every figure opens its records. */
export async function indicatorRecords(db: Db, actor: Actor, id: string, limit = 200): Promise<IndicatorRecords> {
  requirePermission(actor, 'programs.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const found = await repo.findIndicator(tx, actor.tenantId, id);
    if (!found) throw new AppError('NOT_FOUND');
    const r = found.indicator;
    if (r.kind !== 'computed' || !r.source) throw new AppError('INVALID_STATE', [{ problem: 'a manual indicator has no records' }]);
    const program = await loadProgram(tx, actor, found.programId);
    const source = repo.sources[r.source as IndicatorSource];
    const q = await sourceQueryOf(tx, actor, program, r.itemId, (r.query ?? {}) as IndicatorQuery);
    return { source: r.source as IndicatorSource, items: await source.records(tx, q, limit), total: await source.count(tx, q) };
  });
}

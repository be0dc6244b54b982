import type { CreateRiskRequest, IntegrityRisk, IntegrityRule, PersonOption, UpdateRiskRequest } from '@tongxin/contracts';
import { CreateRuleRequestSchema, ReviseRuleRequestSchema, RiskReviewRequestSchema, RisksListQuerySchema } from '@tongxin/contracts';
import type { z } from 'zod';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnitsByIds } from '../org/org.repo';
import { findPerson } from '../people/people.repo';
import * as repo from './integrity.repo';

const today = () => new Date().toISOString().slice(0, 10);

function toRisk(r: repo.RiskRow): IntegrityRisk {
  return {
    id: r.id,
    officeId: r.officeId,
    officeName: r.officeName,
    duty: r.duty,
    risk: r.risk,
    level: r.level as IntegrityRisk['level'],
    controls: r.controls,
    ownerPersonId: r.ownerPersonId,
    ownerName: r.ownerName,
    reviewDueOn: r.reviewDueOn,
    lastReviewedOn: r.lastReviewedOn,
    reviewsDone: r.reviewsDone,
    overdue: r.reviewDueOn < today(),
    version: r.version,
  };
}

async function checkOffice(tx: Executor, actor: Actor, scope: Scope, officeId: string) {
  const [office] = await findUnitsByIds(tx, actor.tenantId, [officeId]);
  if (!office || !office.active || !['office', 'department', 'party_committee', 'discipline_committee'].includes(office.type)) {
    throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'not an active office' }]);
  }
  if (!inScope(scope, office.path)) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'outside your scope' }]);
}

export async function createRisk(db: Db, actor: Actor, input: CreateRiskRequest): Promise<IntegrityRisk> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    await checkOffice(tx, actor, scope, input.officeId);
    const owner = await findPerson(tx, actor.tenantId, input.ownerPersonId);
    if (!owner || !owner.active) throw new AppError('VALIDATION_FAILED', [{ path: 'ownerPersonId', problem: 'unknown person' }]);
    const id = await repo.insertRisk(tx, { ...input, tenantId: actor.tenantId });
    await audit(tx, actor, 'integrity.risk.create', { type: 'integrity_risk', id });
    const row = await repo.findRisk(tx, actor.tenantId, id);
    if (!row) throw new AppError('INTERNAL');
    return toRisk(row);
  });
}

export async function listRisks(db: Db, actor: Actor, q: z.infer<typeof RisksListQuerySchema>) {
  const scope = requirePermission(actor, 'unitedfront.read');
  const d = today();
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listRisks(
      tx,
      { tenantId: actor.tenantId, scope, level: q.level, overdueOn: q.overdue === 'true' ? d : undefined, notOverdueOn: q.overdue === 'false' ? d : undefined },
      q.page,
      q.pageSize,
    );
    return { items: rows.map(toRisk), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function reviewRisk(db: Db, actor: Actor, id: string, input: z.infer<typeof RiskReviewRequestSchema>): Promise<IntegrityRisk> {
  const scope = requirePermission(actor, 'unitedfront.write');
  if (input.nextDueOn <= input.reviewedOn) throw new AppError('VALIDATION_FAILED', [{ path: 'nextDueOn', problem: 'after the review' }]);
  if (input.reviewedOn > today()) throw new AppError('VALIDATION_FAILED', [{ path: 'reviewedOn', problem: 'in the future' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await repo.findRisk(tx, actor.tenantId, id);
    if (!before || !inScope(scope, before.officePath)) throw new AppError('NOT_FOUND');
    if (!(await repo.recordReview(tx, actor.tenantId, id, input.version, input.reviewedOn, input.nextDueOn))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'integrity.risk.review', { type: 'integrity_risk', id }, { reviewedOn: input.reviewedOn });
    const row = await repo.findRisk(tx, actor.tenantId, id);
    if (!row) throw new AppError('INTERNAL');
    return toRisk(row);
  });
}

async function loadRule(tx: Executor, actor: Actor, scope: Scope, id: string): Promise<IntegrityRule> {
  const r = await repo.findRule(tx, actor.tenantId, id);
  if (!r || !inScope(scope, r.officePath)) throw new AppError('NOT_FOUND');
  return { id: r.id, officeId: r.officeId, title: r.title, currentVersion: r.currentVersion, versions: await repo.ruleVersions(tx, r.id), version: r.version };
}

export async function createRule(db: Db, actor: Actor, input: z.infer<typeof CreateRuleRequestSchema>): Promise<IntegrityRule> {
  const scope = requirePermission(actor, 'unitedfront.write');
  if (input.adoptedOn > today()) throw new AppError('VALIDATION_FAILED', [{ path: 'adoptedOn', problem: 'in the future' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    await checkOffice(tx, actor, scope, input.officeId);
    const id = await repo.insertRule(tx, { tenantId: actor.tenantId, officeId: input.officeId, title: input.title });
    await repo.insertRuleVersion(tx, { tenantId: actor.tenantId, ruleId: id, versionNo: 1, revisedOn: input.adoptedOn, summary: input.summary, body: input.body ?? null });
    await audit(tx, actor, 'integrity.rule.create', { type: 'integrity_rule', id });
    return loadRule(tx, actor, scope, id);
  });
}

/** A revision is a new version; earlier versions stay as they were. Its date may not precede the current version's. */
export async function reviseRule(db: Db, actor: Actor, id: string, input: z.infer<typeof ReviseRuleRequestSchema>): Promise<IntegrityRule> {
  const scope = requirePermission(actor, 'unitedfront.write');
  if (input.revisedOn > today()) throw new AppError('VALIDATION_FAILED', [{ path: 'revisedOn', problem: 'in the future' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    const rule = await loadRule(tx, actor, scope, id);
    if (rule.version !== input.version) throw new AppError('STALE_VERSION');
    const last = rule.versions[rule.versions.length - 1];
    if (last && input.revisedOn < last.revisedOn) throw new AppError('VALIDATION_FAILED', [{ path: 'revisedOn', problem: 'before the current version' }]);
    const versionNo = rule.currentVersion + 1;
    if (!(await repo.bumpRule(tx, actor.tenantId, id, input.version, versionNo))) throw new AppError('STALE_VERSION');
    await repo.insertRuleVersion(tx, { tenantId: actor.tenantId, ruleId: id, versionNo, revisedOn: input.revisedOn, summary: input.summary, body: input.body ?? null });
    await audit(tx, actor, 'integrity.rule.revise', { type: 'integrity_rule', id }, { versionNo });
    return loadRule(tx, actor, scope, id);
  });
}

export async function listRules(db: Db, actor: Actor): Promise<{ items: IntegrityRule[] }> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const ids = await repo.listRules(tx, actor.tenantId, scope);
    const items: IntegrityRule[] = [];
    for (const id of ids) items.push(await loadRule(tx, actor, scope, id));
    return { items };
  });
}

export async function countRevisedRules(db: Db, actor: Actor, from: string, to: string): Promise<number> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, (tx) => repo.countRevisedRules(tx, actor.tenantId, scope, from, to));
}

/**
 * Edits a risk point (duty, risk, level, controls, office, owner). The owner may be replaced,
 * never removed: null or an unknown person is refused. The review date moves only by a review.
 */
export async function updateRisk(db: Db, actor: Actor, id: string, input: UpdateRiskRequest): Promise<IntegrityRisk> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await repo.findRisk(tx, actor.tenantId, id);
    if (!before || !inScope(scope, before.officePath)) throw new AppError('NOT_FOUND');
    if (before.version !== input.version) throw new AppError('STALE_VERSION');
    if (input.officeId) await checkOffice(tx, actor, scope, input.officeId);
    if (input.ownerPersonId) {
      const owner = await findPerson(tx, actor.tenantId, input.ownerPersonId);
      if (!owner || !owner.active) throw new AppError('VALIDATION_FAILED', [{ path: 'ownerPersonId', problem: 'unknown person' }]);
    }
    const { version, ...set } = input;
    if (!(await repo.updateRiskVersioned(tx, actor.tenantId, id, version, set))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'integrity.risk.update', { type: 'integrity_risk', id }, { fields: Object.keys(set) });
    const row = await repo.findRisk(tx, actor.tenantId, id);
    if (!row) throw new AppError('INTERNAL');
    return toRisk(row);
  });
}

/** People to choose an owner (or a research lead) from: active people of the actor's scope, names only. */
export async function personOptions(db: Db, actor: Actor, q: string | undefined, ids: string[]): Promise<{ items: PersonOption[] }> {
  const scope = requirePermission(actor, 'unitedfront.read');
  const items = await inTenant(db, actor.tenantId, (tx) => repo.personOptions(tx, actor.tenantId, scope, q || undefined, ids));
  return { items };
}

import type { CaseCountsSchema, CaseFollowupRequest, CasesListQuery, CaseStatus, CreateCaseRequest, EnterpriseType, ServiceCase } from '@tongxin/contracts';
import type { z } from 'zod';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnitsByIds } from '../org/org.repo';
import { findContactsBrief } from '../contacts/contacts.repo';
import { findEnterprise } from '../enterprises/enterprises.repo';
import * as repo from './cases.repo';

/** Where a case may go from each status; closed cases stay closed. */
const next: Record<CaseStatus, CaseStatus[]> = {
  open: ['coordinating', 'resolved', 'cannot_resolve'],
  coordinating: ['resolved', 'cannot_resolve'],
  resolved: [],
  cannot_resolve: [],
};
const closed = (s: CaseStatus) => s === 'resolved' || s === 'cannot_resolve';

function toCase(r: repo.CaseListRow): ServiceCase {
  return {
    id: r.id,
    officeId: r.officeId,
    requesterType: r.requesterType as ServiceCase['requesterType'],
    enterpriseId: r.enterpriseId,
    contactId: r.contactId,
    requesterName: r.requesterName,
    activityId: r.activityId,
    project: r.project,
    problem: r.problem,
    category: r.category,
    departments: r.departments,
    status: r.status as CaseStatus,
    result: r.result,
    satisfaction: r.satisfaction as ServiceCase['satisfaction'],
    raisedOn: r.raisedOn,
    closedOn: r.closedOn,
    followups: r.followups.map((f) => ({ at: new Date(f.at).toISOString(), note: f.note, status: f.status as CaseStatus | null, byName: f.byName })),
    version: r.version,
  };
}

async function loadVisible(db: Executor, actor: Actor, scope: Scope, id: string) {
  const row = await repo.findCase(db, actor.tenantId, id);
  if (!row || !inScope(scope, row.officePath)) throw new AppError('NOT_FOUND');
  return row;
}

export async function createCase(db: Db, actor: Actor, input: CreateCaseRequest): Promise<ServiceCase> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const [office] = await findUnitsByIds(tx, actor.tenantId, [input.officeId]);
    if (!office || !['office', 'department'].includes(office.type)) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'not an active office' }]);
    if (!inScope(scope, office.path)) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'outside your scope' }]);
    // other tenants' rows are invisible here (row-level security): a foreign id is unknown
    if (input.enterpriseId && !(await findEnterprise(tx, actor.tenantId, input.enterpriseId))) throw new AppError('VALIDATION_FAILED', [{ path: 'enterpriseId', problem: 'unknown enterprise' }]);
    if (input.contactId && (await findContactsBrief(tx, actor.tenantId, [input.contactId])).length === 0) throw new AppError('VALIDATION_FAILED', [{ path: 'contactId', problem: 'unknown contact' }]);
    // a foreign key does not see row-level security: another tenant's activity must be refused here
    if (input.activityId && !(await repo.activityExists(tx, actor.tenantId, input.activityId))) throw new AppError('VALIDATION_FAILED', [{ path: 'activityId', problem: 'unknown activity' }]);
    const id = await repo.insertCase(tx, {
      tenantId: actor.tenantId,
      officeId: input.officeId,
      requesterType: input.enterpriseId ? 'enterprise' : 'contact',
      enterpriseId: input.enterpriseId ?? null,
      contactId: input.contactId ?? null,
      activityId: input.activityId ?? null,
      project: input.project || null,
      problem: input.problem,
      category: input.category,
      departments: [...new Set(input.departments)],
      raisedOn: input.raisedOn,
    });
    await audit(tx, actor, 'cases.create', { type: 'service_case', id });
    return toCase(await loadVisible(tx, actor, scope, id));
  });
}

/**
 * Records a follow-up, moving the case on when asked: open → coordinating → resolved or
 * cannot_resolve. Closing needs the result (what was done, or why it cannot be); a closed
 * case takes no more moves.
 */
export async function followUp(db: Db, actor: Actor, id: string, input: CaseFollowupRequest): Promise<ServiceCase> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== input.version) throw new AppError('STALE_VERSION');
    const from = before.status as CaseStatus;
    const to = input.status;
    if (to && to !== from && !next[from].includes(to)) throw new AppError('INVALID_STATE', [{ path: 'status', problem: `${from} → ${to}` }]);
    if (!to && closed(from)) throw new AppError('INVALID_STATE', [{ path: 'status', problem: `${from}: closed` }]);
    const closing = !!to && closed(to) && to !== from;
    if (closing && !input.result) throw new AppError('VALIDATION_FAILED', [{ path: 'result', problem: 'required to close a case' }]);
    if (!closing && input.result) throw new AppError('VALIDATION_FAILED', [{ path: 'result', problem: 'only when closing' }]);
    const set: Partial<repo.CaseInsert> = {};
    if (to && to !== from) set.status = to;
    if (closing) {
      set.result = input.result ?? null;
      set.closedOn = input.closedOn ?? new Date().toISOString().slice(0, 10);
      if (set.closedOn < before.raisedOn) throw new AppError('VALIDATION_FAILED', [{ path: 'closedOn', problem: 'before the case was raised' }]);
    }
    if (input.departments) set.departments = [...new Set([...before.departments, ...input.departments])];
    if (input.satisfaction) set.satisfaction = input.satisfaction;
    if (!(await repo.updateCaseVersioned(tx, actor.tenantId, id, input.version, set))) throw new AppError('STALE_VERSION');
    await repo.insertFollowup(tx, { tenantId: actor.tenantId, caseId: id, note: input.note, status: set.status ?? null, byUserId: actor.userId, byName: actor.displayName });
    await audit(tx, actor, 'cases.followup', { type: 'service_case', id }, { from, to: set.status ?? from });
    return toCase(await loadVisible(tx, actor, scope, id));
  });
}

function filterOf(actor: Actor, scope: Scope, q: Omit<CasesListQuery, 'page' | 'pageSize'>): repo.CasesFilter {
  return { tenantId: actor.tenantId, scope, status: q.status, enterpriseType: q.enterpriseType, project: q.project || undefined, from: q.from, to: q.to };
}

export async function listCases(db: Db, actor: Actor, q: CasesListQuery) {
  const scope = requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listCases(tx, filterOf(actor, scope, q), q.page, q.pageSize);
    return { items: rows.map(toCase), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function getCase(db: Db, actor: Actor, id: string): Promise<ServiceCase> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return toCase(await inTenant(db, actor.tenantId, (tx) => loadVisible(tx, actor, scope, id)));
}

export async function countCases(db: Db, actor: Actor, q: Omit<CasesListQuery, 'page' | 'pageSize'>): Promise<z.infer<typeof CaseCountsSchema>> {
  const scope = requirePermission(actor, 'unitedfront.read');
  const rows = await inTenant(db, actor.tenantId, (tx) => repo.caseCounts(tx, filterOf(actor, scope, q)));
  // grouping(type) = 1 marks the grand total; type null otherwise is a contact's case
  const total = rows.find((r) => r.total === 1);
  const byType = rows.filter((r): r is typeof r & { type: EnterpriseType } => r.total === 0 && r.type !== null);
  return {
    raised: total?.raised ?? 0,
    resolved: total?.resolved ?? 0,
    cannotResolve: total?.cannot ?? 0,
    open: total?.open ?? 0,
    byEnterpriseType: byType.map((r) => ({ type: r.type, raised: r.raised, resolved: r.resolved })),
  };
}

import {
  isValidCreditCode,
  type CreateEnterpriseRequest,
  type Enterprise,
  type EnterpriseType,
  type EnterprisesListQuery,
  type ErrorDetail,
  type TimelineEntry,
  type UpdateEnterpriseRequest,
} from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnitsByIds } from '../org/org.repo';
import { findContactsBrief } from '../contacts/contacts.repo';
import { timeline } from '../unitedfront/unitedfront.timeline.repo';
import * as repo from './enterprises.repo';

function toEnterprise(r: repo.EnterpriseListRow): Enterprise {
  return {
    id: r.id,
    name: r.name,
    creditCode: r.creditCode,
    type: r.type as EnterpriseType,
    industry: r.industry,
    district: r.district,
    address: r.address,
    officeId: r.officeId,
    officeName: r.officeName,
    notes: r.notes,
    contacts: r.contacts,
    active: r.active,
    version: r.version,
  };
}

type Fields = Omit<CreateEnterpriseRequest, 'contacts' | 'industry' | 'district' | 'address' | 'notes'> & {
  industry: string | null;
  district: string | null;
  address: string | null;
  notes: string | null;
  contacts: { contactId: string; role: string | null }[];
};

function fieldsOf(input: CreateEnterpriseRequest): Fields {
  return {
    name: input.name,
    creditCode: input.creditCode,
    type: input.type,
    industry: input.industry || null,
    district: input.district || null,
    address: input.address || null,
    officeId: input.officeId,
    notes: input.notes || null,
    contacts: dedupeContacts(input.contacts.map((c) => ({ contactId: c.contactId, role: c.role || null }))),
  };
}

function dedupeContacts(links: { contactId: string; role: string | null }[]) {
  return [...new Map(links.map((l) => [l.contactId, l])).values()];
}

async function check(tx: Executor, actor: Actor, scope: Scope, f: Fields): Promise<void> {
  const problems: ErrorDetail[] = [];
  if (!isValidCreditCode(f.creditCode)) problems.push({ path: 'creditCode', problem: 'check digit does not match' });
  const [office] = await findUnitsByIds(tx, actor.tenantId, [f.officeId]);
  if (!office || !office.active || !['office', 'department'].includes(office.type)) problems.push({ path: 'officeId', problem: 'not an active office' });
  else if (!inScope(scope, office.path)) problems.push({ path: 'officeId', problem: 'outside your scope' });
  // row-level security hides other tenants' contacts, so a foreign id is simply not found
  const found = new Set((await findContactsBrief(tx, actor.tenantId, f.contacts.map((c) => c.contactId))).map((c) => c.id));
  f.contacts.forEach((c, i) => {
    if (!found.has(c.contactId)) problems.push({ path: `contacts.${i}.contactId`, problem: 'unknown contact' });
  });
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
}

export async function listEnterprises(db: Db, actor: Actor, q: EnterprisesListQuery) {
  const scope = requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listEnterprises(
      tx,
      { tenantId: actor.tenantId, scope, q: q.q || undefined, type: q.type, district: q.district || undefined, contactId: q.contactId, active: q.active },
      q.page,
      q.pageSize,
    );
    return { items: rows.map(toEnterprise), total, page: q.page, pageSize: q.pageSize };
  });
}

async function loadVisible(db: Executor, actor: Actor, scope: Scope, id: string) {
  const row = await repo.findEnterprise(db, actor.tenantId, id);
  if (!row || !inScope(scope, row.officePath)) throw new AppError('NOT_FOUND');
  return row;
}

export async function getEnterprise(db: Db, actor: Actor, id: string): Promise<Enterprise> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return toEnterprise(await inTenant(db, actor.tenantId, (tx) => loadVisible(tx, actor, scope, id)));
}

export async function createEnterprise(db: Db, actor: Actor, input: CreateEnterpriseRequest): Promise<Enterprise> {
  const scope = requirePermission(actor, 'unitedfront.write');
  const f = fieldsOf(input);
  return inTenant(db, actor.tenantId, async (tx) => {
    await check(tx, actor, scope, f);
    const { contacts, ...row } = f;
    const id = await repo.insertEnterprise(tx, { ...row, tenantId: actor.tenantId });
    await repo.setEnterpriseContacts(tx, actor.tenantId, id, contacts);
    await audit(tx, actor, 'enterprises.create', { type: 'enterprise', id }, { name: f.name, creditCode: f.creditCode });
    return toEnterprise(await loadVisible(tx, actor, scope, id));
  });
}

export async function updateEnterprise(db: Db, actor: Actor, id: string, input: UpdateEnterpriseRequest): Promise<Enterprise> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== input.version) throw new AppError('STALE_VERSION');
    const { version, ...changes } = input;
    const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<CreateEnterpriseRequest>;
    const merged: Fields = {
      name: given.name ?? before.name,
      creditCode: given.creditCode ?? before.creditCode,
      type: given.type ?? (before.type as EnterpriseType),
      industry: given.industry !== undefined ? given.industry || null : before.industry,
      district: given.district !== undefined ? given.district || null : before.district,
      address: given.address !== undefined ? given.address || null : before.address,
      officeId: given.officeId ?? before.officeId,
      notes: given.notes !== undefined ? given.notes || null : before.notes,
      contacts: given.contacts ? dedupeContacts(given.contacts.map((c) => ({ contactId: c.contactId, role: c.role || null }))) : before.contacts,
    };
    await check(tx, actor, scope, merged);
    const { contacts, ...row } = merged;
    if (!(await repo.updateEnterpriseVersioned(tx, actor.tenantId, id, version, row))) throw new AppError('STALE_VERSION');
    if (given.contacts) await repo.setEnterpriseContacts(tx, actor.tenantId, id, contacts);
    await audit(tx, actor, 'enterprises.update', { type: 'enterprise', id }, { fields: Object.keys(given) });
    return toEnterprise(await loadVisible(tx, actor, scope, id));
  });
}

export async function setEnterpriseActive(db: Db, actor: Actor, id: string, version: number, active: boolean): Promise<Enterprise> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== version) throw new AppError('STALE_VERSION');
    if (!(await repo.updateEnterpriseVersioned(tx, actor.tenantId, id, version, { active }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, active ? 'enterprises.reactivate' : 'enterprises.deactivate', { type: 'enterprise', id });
    return toEnterprise(await loadVisible(tx, actor, scope, id));
  });
}

export async function enterpriseTimeline(db: Db, actor: Actor, id: string): Promise<{ items: TimelineEntry[] }> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    await loadVisible(tx, actor, scope, id);
    return { items: await timeline(tx, actor.tenantId, 'enterprise', id) };
  });
}

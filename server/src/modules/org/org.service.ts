import { randomUUID } from 'node:crypto';
import type { OrgUnit, UnitType } from '@tongxin/contracts';
import type { Db, Tx } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import * as repo from './org.repo';

/** Which unit types may sit under which; the tree of the domain note, kept loose where departments differ. */
const allowedParents: Record<UnitType, readonly UnitType[]> = {
  department: ['department'],
  office: ['department', 'office'],
  party_committee: ['department', 'party_committee'],
  discipline_committee: ['party_committee', 'department'],
  branch: ['party_committee', 'department'],
  party_group: ['branch'],
};

export function toOrgUnit(r: repo.OrgUnitRow): OrgUnit {
  return {
    id: r.id,
    parentId: r.parentId,
    type: r.type as UnitType,
    name: r.name,
    sortOrder: r.sortOrder,
    active: r.active,
    version: r.version,
  };
}

export async function listUnits(db: Db, actor: Actor, includeInactive: boolean): Promise<OrgUnit[]> {
  requirePermission(actor, 'org.read');
  // the tree's shape is not confidential: every reader sees the whole tree, data scope applies to people
  const rows = await inTenant(db, actor.tenantId, (tx) => repo.listUnits(tx, actor.tenantId, includeInactive));
  return rows.map(toOrgUnit);
}

function checkParentType(type: UnitType, parentType: string) {
  if (!allowedParents[type].includes(parentType as UnitType)) {
    throw new AppError('INVALID_MOVE', [{ path: 'parentId', problem: `a ${type} cannot be placed under a ${parentType}` }]);
  }
}

export async function createUnit(
  db: Db,
  actor: Actor,
  input: { parentId: string; type: UnitType; name: string; sortOrder: number },
): Promise<OrgUnit> {
  const scope = requirePermission(actor, 'org.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const parent = await repo.findUnit(tx, actor.tenantId, input.parentId);
    if (!parent || !inScope(scope, parent.path)) throw new AppError('NOT_FOUND', [{ path: 'parentId', problem: 'unknown unit' }]);
    if (!parent.active) throw new AppError('CONFLICT', [{ path: 'parentId', problem: 'parent is deactivated' }]);
    checkParentType(input.type, parent.type);
    const id = randomUUID();
    const row = await repo.insertUnit(tx, {
      id,
      tenantId: actor.tenantId,
      parentId: parent.id,
      type: input.type,
      name: input.name,
      sortOrder: input.sortOrder,
      path: `${parent.path}${id}/`,
    });
    await audit(tx, actor, 'org.unit.create', { type: 'org_unit', id }, { name: input.name, type: input.type, parentId: parent.id });
    return toOrgUnit(row);
  });
}

async function loadForWrite(tx: Tx, actor: Actor, id: string, version: number) {
  const scope = requirePermission(actor, 'org.write');
  const unit = await repo.findUnitForUpdate(tx, actor.tenantId, id);
  if (!unit || !inScope(scope, unit.path)) throw new AppError('NOT_FOUND');
  if (unit.version !== version) throw new AppError('STALE_VERSION');
  return { unit, scope };
}

async function saveVersioned(
  tx: Tx,
  actor: Actor,
  unit: repo.OrgUnitRow,
  set: Parameters<typeof repo.updateUnitVersioned>[4],
) {
  const row = await repo.updateUnitVersioned(tx, actor.tenantId, unit.id, unit.version, set);
  if (!row) throw new AppError('STALE_VERSION');
  return row;
}

export async function updateUnit(
  db: Db,
  actor: Actor,
  id: string,
  input: { version: number; name?: string | undefined; type?: UnitType | undefined; sortOrder?: number | undefined },
): Promise<OrgUnit> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const { unit } = await loadForWrite(tx, actor, id, input.version);
    if (input.type && input.type !== unit.type) {
      if (!unit.parentId) throw new AppError('INVALID_MOVE', [{ path: 'type', problem: 'the root stays a department' }]);
      const parent = await repo.findUnit(tx, actor.tenantId, unit.parentId);
      if (parent) checkParentType(input.type, parent.type);
    }
    const set = { name: input.name, type: input.type, sortOrder: input.sortOrder };
    const row = await saveVersioned(tx, actor, unit, set);
    await audit(tx, actor, 'org.unit.update', { type: 'org_unit', id }, { before: { name: unit.name, type: unit.type, sortOrder: unit.sortOrder }, after: set });
    return toOrgUnit(row);
  });
}

export async function moveUnit(db: Db, actor: Actor, id: string, input: { version: number; parentId: string }): Promise<OrgUnit> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const { unit, scope } = await loadForWrite(tx, actor, id, input.version);
    if (!unit.parentId) throw new AppError('INVALID_MOVE', [{ path: 'id', problem: 'the root cannot be moved' }]);
    const parent = await repo.findUnitForUpdate(tx, actor.tenantId, input.parentId);
    if (!parent || !inScope(scope, parent.path)) throw new AppError('NOT_FOUND', [{ path: 'parentId', problem: 'unknown unit' }]);
    if (parent.path.startsWith(unit.path)) {
      throw new AppError('INVALID_MOVE', [{ path: 'parentId', problem: 'a unit cannot move under itself or its descendants' }]);
    }
    if (!parent.active) throw new AppError('CONFLICT', [{ path: 'parentId', problem: 'parent is deactivated' }]);
    checkParentType(unit.type as UnitType, parent.type);
    const row = await saveVersioned(tx, actor, unit, { parentId: parent.id });
    await repo.repathSubtree(tx, actor.tenantId, unit.path, `${parent.path}${unit.id}/`);
    await audit(tx, actor, 'org.unit.move', { type: 'org_unit', id }, { from: unit.parentId, to: parent.id });
    return toOrgUnit(row);
  });
}

export async function setUnitActive(db: Db, actor: Actor, id: string, version: number, active: boolean): Promise<OrgUnit> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const { unit } = await loadForWrite(tx, actor, id, version);
    if (!unit.parentId && !active) throw new AppError('CONFLICT', [{ problem: 'the root cannot be deactivated' }]);
    if (!active) {
      // a unit with history is kept; deactivating one that still has live members or children would orphan them
      if ((await repo.countActiveChildren(tx, actor.tenantId, id)) > 0) {
        throw new AppError('CONFLICT', [{ problem: 'hasActiveChildren' }]);
      }
      if ((await repo.countActivePeopleIn(tx, actor.tenantId, id)) > 0) {
        throw new AppError('CONFLICT', [{ problem: 'hasActivePeople' }]);
      }
    } else if (unit.parentId) {
      const parent = await repo.findUnit(tx, actor.tenantId, unit.parentId);
      if (!parent?.active) throw new AppError('CONFLICT', [{ problem: 'parent is deactivated' }]);
    }
    const row = await saveVersioned(tx, actor, unit, { active });
    await audit(tx, actor, active ? 'org.unit.reactivate' : 'org.unit.deactivate', { type: 'org_unit', id });
    return toOrgUnit(row);
  });
}

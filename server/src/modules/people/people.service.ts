import type {
  CommitteeRoleSchema,
  CreatePersonRequest,
  ErrorDetail,
  GenderSchema,
  PartyStatusSchema,
  PeopleListQuery,
  Person,
  UpdatePersonRequest,
} from '@tongxin/contracts';
import type { z } from 'zod';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnit, findUnitsByIds, type OrgUnitRow } from '../org/org.repo';
import * as repo from './people.repo';
import { isValidIdNumber, maskIdNumber, maskPhone } from './people.mask';
import { blindIndex, decrypt, encrypt } from '../../platform/crypto';

export function toPerson(r: repo.PersonListRow): Person {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender as z.infer<typeof GenderSchema>,
    birthDate: r.birthDate,
    ethnicity: r.ethnicity,
    phoneMasked: r.phoneMasked,
    idNumberMasked: r.idNumberMasked,
    officeId: r.officeId,
    officeName: r.officeName,
    partyStatus: r.partyStatus as z.infer<typeof PartyStatusSchema>,
    partyJoinedOn: r.partyJoinedOn,
    fullMemberOn: r.fullMemberOn,
    branchId: r.branchId,
    branchName: r.branchName,
    groupId: r.groupId,
    groupName: r.groupName,
    committeeRole: r.committeeRole as z.infer<typeof CommitteeRoleSchema> | null,
    isLeader: r.isLeader,
    active: r.active,
    version: r.version,
  };
}

export function personInScope(scope: Scope, r: Pick<repo.PersonListRow, 'officePath' | 'branchPath' | 'groupPath'>): boolean {
  return [r.officePath, r.branchPath, r.groupPath].some((p) => p !== null && inScope(scope, p));
}

/** Builds the list filter from a query, resolving the unit filter to its path. */
export async function peopleFilterOf(db: Executor, actor: Actor, scope: Scope, q: Omit<PeopleListQuery, 'page' | 'pageSize'>): Promise<repo.PeopleFilter> {
  let unitPath: string | undefined;
  if (q.unitId) {
    const unit = await findUnit(db, actor.tenantId, q.unitId);
    if (!unit) throw new AppError('NOT_FOUND', [{ path: 'unitId', problem: 'unknown unit' }]);
    unitPath = unit.path;
  }
  return {
    tenantId: actor.tenantId,
    scope,
    unitPath,
    q: q.q || undefined,
    partyStatus: q.partyStatus,
    gender: q.gender,
    isLeader: q.isLeader,
    active: q.active,
  };
}

export async function listPeople(db: Db, actor: Actor, q: PeopleListQuery) {
  const scope = requirePermission(actor, 'people.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const filter = await peopleFilterOf(tx, actor, scope, q);
    const { rows, total } = await repo.listPeople(tx, filter, q.page, q.pageSize);
    return { items: rows.map(toPerson), total, page: q.page, pageSize: q.pageSize };
  });
}

async function loadVisible(db: Executor, actor: Actor, scope: Scope, id: string) {
  const row = await repo.findPerson(db, actor.tenantId, id);
  if (!row || !personInScope(scope, row)) throw new AppError('NOT_FOUND');
  return row;
}

export async function getPerson(db: Db, actor: Actor, id: string): Promise<Person> {
  const scope = requirePermission(actor, 'people.read');
  return toPerson(await inTenant(db, actor.tenantId, (tx) => loadVisible(tx, actor, scope, id)));
}

/** The fields of a person after a create or an update, before reference checks. */
export type PersonFields = {
  name: string;
  gender: string;
  birthDate: string | null;
  ethnicity: string | null;
  phone: string | null;
  idNumber: string | null;
  officeId: string;
  partyStatus: string;
  partyJoinedOn: string | null;
  fullMemberOn: string | null;
  branchId: string | null;
  groupId: string | null;
  committeeRole: string | null;
  isLeader: boolean;
};

export function fieldsOfCreate(input: CreatePersonRequest): PersonFields {
  return {
    name: input.name,
    gender: input.gender,
    birthDate: input.birthDate ?? null,
    ethnicity: input.ethnicity || null,
    phone: input.phone || null,
    idNumber: input.idNumber || null,
    officeId: input.officeId,
    partyStatus: input.partyStatus,
    partyJoinedOn: input.partyJoinedOn ?? null,
    fullMemberOn: input.fullMemberOn ?? null,
    branchId: input.branchId ?? null,
    groupId: input.groupId ?? null,
    committeeRole: input.committeeRole ?? null,
    isLeader: input.isLeader,
  };
}

/**
 * Rules that need no database: Party fields agree with the status, dates are in order,
 * the ID number's check digit is right. Returns problems, does not throw, so an import
 * can collect them per row.
 */
export function personProblems(f: PersonFields): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (f.idNumber && !isValidIdNumber(f.idNumber)) problems.push({ path: 'idNumber', problem: 'check digit does not match' });
  if (f.partyStatus === 'none') {
    for (const k of ['branchId', 'groupId', 'committeeRole', 'partyJoinedOn', 'fullMemberOn'] as const) {
      if (f[k]) problems.push({ path: k, problem: 'only Party members have this' });
    }
  } else if (f.partyStatus === 'probationary' && f.fullMemberOn) {
    problems.push({ path: 'fullMemberOn', problem: 'a probationary member has no full-membership date yet' });
  }
  if (f.groupId && !f.branchId) problems.push({ path: 'groupId', problem: 'a Party group needs a branch' });
  if (f.committeeRole && !f.branchId) problems.push({ path: 'committeeRole', problem: 'a committee role needs a branch' });
  if (f.partyJoinedOn && f.fullMemberOn && f.fullMemberOn < f.partyJoinedOn) {
    problems.push({ path: 'fullMemberOn', problem: 'earlier than the date of joining' });
  }
  const today = new Date().toISOString().slice(0, 10);
  for (const k of ['birthDate', 'partyJoinedOn', 'fullMemberOn'] as const) {
    if (f[k] && f[k] > today) problems.push({ path: k, problem: 'in the future' });
  }
  return problems;
}

/** Rules over the referenced units, given them already loaded (imports load all units once). */
export function referenceProblems(f: PersonFields, units: Map<string, OrgUnitRow>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const office = units.get(f.officeId);
  if (!office || !office.active || !['office', 'department'].includes(office.type)) {
    problems.push({ path: 'officeId', problem: 'not an active office' });
  }
  const branch = f.branchId ? units.get(f.branchId) : undefined;
  if (f.branchId && (!branch || !branch.active || branch.type !== 'branch')) {
    problems.push({ path: 'branchId', problem: 'not an active Party branch' });
  }
  if (f.groupId) {
    const group = units.get(f.groupId);
    if (!group || !group.active || group.type !== 'party_group') problems.push({ path: 'groupId', problem: 'not an active Party group' });
    else if (group.parentId !== f.branchId) problems.push({ path: 'groupId', problem: 'the group is not in this branch' });
  }
  return problems;
}

async function checkPerson(db: Executor, actor: Actor, scope: Scope, f: PersonFields) {
  const ids = [f.officeId, f.branchId, f.groupId].filter((x): x is string => !!x);
  const units = new Map((await findUnitsByIds(db, actor.tenantId, ids)).map((u) => [u.id, u]));
  const problems = [...personProblems(f), ...referenceProblems(f, units)];
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
  const paths = [units.get(f.officeId)?.path, f.branchId ? units.get(f.branchId)?.path : undefined];
  if (!paths.some((p) => p !== undefined && inScope(scope, p))) throw new AppError('FORBIDDEN');
}

export async function createPerson(db: Db, actor: Actor, input: CreatePersonRequest): Promise<Person> {
  const scope = requirePermission(actor, 'people.write');
  const f = fieldsOfCreate(input);
  return inTenant(db, actor.tenantId, async (tx) => {
    await checkPerson(tx, actor, scope, f);
    const [id] = await repo.insertPeople(tx, [{ ...sealedRow(f), tenantId: actor.tenantId }]);
    if (!id) throw new AppError('INTERNAL');
    await audit(tx, actor, 'people.create', { type: 'person', id }, { name: f.name });
    const row = await repo.findPerson(tx, actor.tenantId, id);
    if (!row) throw new AppError('INTERNAL');
    return toPerson(row);
  });
}

export async function updatePerson(db: Db, actor: Actor, id: string, input: UpdatePersonRequest): Promise<Person> {
  const scope = requirePermission(actor, 'people.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== input.version) throw new AppError('STALE_VERSION');
    const { version, ...changes } = input;
    const merged: PersonFields = { ...pick(before), ...stripUndefined(changes) };
    await checkPerson(tx, actor, scope, merged);
    if (!(await repo.updatePersonVersioned(tx, actor.tenantId, id, version, sealedRow(merged)))) throw new AppError('STALE_VERSION');
    // values of phone and ID number are never written to the audit trail, only that they changed
    await audit(tx, actor, 'people.update', { type: 'person', id }, { fields: Object.keys(stripUndefined(changes)) });
    const row = await repo.findPerson(tx, actor.tenantId, id);
    if (!row) throw new AppError('INTERNAL');
    return toPerson(row);
  });
}

export async function setPersonActive(db: Db, actor: Actor, id: string, version: number, active: boolean): Promise<Person> {
  const scope = requirePermission(actor, 'people.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== version) throw new AppError('STALE_VERSION');
    if (!(await repo.updatePersonVersioned(tx, actor.tenantId, id, version, { active }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, active ? 'people.reactivate' : 'people.deactivate', { type: 'person', id });
    const row = await repo.findPerson(tx, actor.tenantId, id);
    if (!row) throw new AppError('INTERNAL');
    return toPerson(row);
  });
}

export async function revealPerson(db: Db, actor: Actor, id: string, field: 'phone' | 'idNumber'): Promise<string | null> {
  const scope = requirePermission(actor, 'people.reveal');
  return inTenant(db, actor.tenantId, async (tx) => {
    const row = await loadVisible(tx, actor, scope, id);
    await audit(tx, actor, 'people.reveal', { type: 'person', id }, { field });
    const sealed = field === 'phone' ? row.phoneEnc : row.idNumberEnc;
    return sealed ? decrypt(sealed) : null;
  });
}

function pick(r: repo.PersonListRow): PersonFields {
  return {
    name: r.name,
    gender: r.gender,
    birthDate: r.birthDate,
    ethnicity: r.ethnicity,
    phone: r.phoneEnc ? decrypt(r.phoneEnc) : null,
    idNumber: r.idNumberEnc ? decrypt(r.idNumberEnc) : null,
    officeId: r.officeId,
    partyStatus: r.partyStatus,
    partyJoinedOn: r.partyJoinedOn,
    fullMemberOn: r.fullMemberOn,
    branchId: r.branchId,
    groupId: r.groupId,
    committeeRole: r.committeeRole,
    isLeader: r.isLeader,
  };
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** Phone and ID number as stored: encrypted, masked for display, and (ID) a keyed hash for uniqueness. */
export function sealNumbers(phone: string | null, idNumber: string | null): repo.SealedNumbers {
  return {
    phone: null,
    idNumber: null,
    phoneEnc: phone ? encrypt(phone) : null,
    phoneMasked: maskPhone(phone),
    idNumberEnc: idNumber ? encrypt(idNumber) : null,
    idNumberMasked: maskIdNumber(idNumber),
    idNumberHash: idNumber ? blindIndex(idNumber) : null,
  };
}

/** A person's fields as a row to write: everything but the numbers as is, the numbers sealed. */
export function sealedRow(f: PersonFields) {
  const { phone, idNumber, ...rest } = f;
  return { ...rest, ...sealNumbers(phone, idNumber) };
}

/**
 * Encrypts numbers written before encryption at rest existed and empties their plaintext
 * columns. Runs at start-up as the owner (it spans tenants); idempotent, batch by batch.
 */
export async function sealLegacyNumbers(db: Db): Promise<number> {
  let done = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = await repo.legacyPlaintextPeople(tx, 500);
      for (const r of rows) await repo.setSealedNumbers(tx, r.id, sealNumbers(r.phone, r.idNumber));
      return rows.length;
    });
    done += n;
    if (n < 500) return done;
  }
}

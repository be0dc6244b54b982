import type {
  Arrangement,
  Contact,
  ContactsListQuery,
  CreateContactRequest,
  CreateUfCategoryRequest,
  ErrorDetail,
  GenderSchema,
  TimelineEntry,
  UfCatalogues,
  UfCategory,
  UpdateContactRequest,
} from '@tongxin/contracts';
import type { z } from 'zod';
import type { Db, Executor, Tx } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { blindIndex, decrypt, encrypt } from '../../platform/crypto';
import { inScope, requirePermission, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnitsByIds, type OrgUnitRow } from '../org/org.repo';
import { isValidIdNumber, maskIdNumber, maskPhone } from '../people/people.mask';
import { timeline } from '../unitedfront/unitedfront.timeline.repo';
import * as repo from './contacts.repo';

// ---- tenant defaults ----

/** The nine categories of the domain note; tenants may add their own or deactivate these. */
export const defaultCategories = [
  { code: 'democratic_party', name: '民主党派成员', needsParty: true, sortOrder: 10 },
  { code: 'non_party', name: '无党派人士', needsParty: false, sortOrder: 20 },
  { code: 'intellectual', name: '党外知识分子', needsParty: false, sortOrder: 30 },
  { code: 'new_social_stratum', name: '新的社会阶层人士', needsParty: false, sortOrder: 40 },
  { code: 'private_economy', name: '民营经济人士', needsParty: false, sortOrder: 50 },
  { code: 'hk_macao_taiwan', name: '港澳台同胞及台属', needsParty: false, sortOrder: 60 },
  { code: 'overseas_chinese', name: '侨胞侨眷', needsParty: false, sortOrder: 70 },
  { code: 'religious', name: '宗教界人士', needsParty: false, sortOrder: 80 },
  { code: 'ethnic_minority', name: '少数民族人士', needsParty: false, sortOrder: 90 },
];

/** The eight democratic parties. */
export const defaultParties = [
  { code: 'rcck', name: '民革', sortOrder: 10 },
  { code: 'cdl', name: '民盟', sortOrder: 20 },
  { code: 'cndca', name: '民建', sortOrder: 30 },
  { code: 'capd', name: '民进', sortOrder: 40 },
  { code: 'cpwdp', name: '农工党', sortOrder: 50 },
  { code: 'czgd', name: '致公党', sortOrder: 60 },
  { code: 'jiusan', name: '九三学社', sortOrder: 70 },
  { code: 'tdsl', name: '台盟', sortOrder: 80 },
];

/** Seeder for tenant-defaults.command.ts: idempotent, inserts only what is missing. */
export async function ensureUnitedFrontCatalogue(tx: Tx, tenantId: string): Promise<void> {
  await repo.seedCatalogue(tx, tenantId, defaultCategories, defaultParties);
}

// ---- shapes ----

function iso(v: Date | string): string {
  return new Date(v).toISOString();
}

export function toContact(r: repo.ContactListRow): Contact {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender as z.infer<typeof GenderSchema> | null,
    ethnicity: r.ethnicity,
    birthDate: r.birthDate,
    officeId: r.officeId,
    officeName: r.officeName,
    categories: r.categories,
    partyId: r.partyId,
    partyName: r.partyName,
    partyJoinedOn: r.partyJoinedOn,
    organisation: r.organisation,
    post: r.post,
    arrangements: r.arrangements,
    phoneMasked: r.phoneMasked,
    idNumberMasked: r.idNumberMasked,
    tags: r.tags,
    notes: r.notes,
    active: r.active,
    version: r.version,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

function toCategory(r: repo.CategoryRow): UfCategory {
  return { id: r.id, code: r.code, name: r.name, needsParty: r.needsParty, sortOrder: r.sortOrder, active: r.active };
}

// ---- catalogues ----

export async function catalogues(db: Db, actor: Actor): Promise<UfCatalogues> {
  requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, async (tx) => ({
    categories: (await repo.listCategories(tx, actor.tenantId)).map(toCategory),
    parties: (await repo.listParties(tx, actor.tenantId)).map((p) => ({ id: p.id, code: p.code, name: p.name, sortOrder: p.sortOrder, active: p.active })),
  }));
}

/** A tenant's own category; only who holds the write permission over the whole tenant may change the catalogue. */
export async function createCategory(db: Db, actor: Actor, input: CreateUfCategoryRequest): Promise<UfCategory> {
  const scope = requirePermission(actor, 'unitedfront.write');
  if (!scope.all) throw new AppError('FORBIDDEN');
  return inTenant(db, actor.tenantId, async (tx) => {
    const row = await repo.insertCategory(tx, { ...input, tenantId: actor.tenantId });
    await audit(tx, actor, 'contacts.category.create', { type: 'uf_category', id: row.id }, { code: row.code, name: row.name });
    return toCategory(row);
  });
}

export type Catalogue = { categories: Map<string, repo.CategoryRow>; parties: Map<string, repo.PartyRow> };

export async function loadCatalogue(db: Executor, tenantId: string): Promise<Catalogue> {
  const [categories, parties] = [await repo.listCategories(db, tenantId), await repo.listParties(db, tenantId)];
  return { categories: new Map(categories.map((c) => [c.id, c])), parties: new Map(parties.map((p) => [p.id, p])) };
}

// ---- fields and rules ----

/** The fields of a contact after a create, an update or an import row, before sealing. */
export type ContactFields = {
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birthDate: string | null;
  officeId: string;
  categoryIds: string[];
  partyId: string | null;
  partyJoinedOn: string | null;
  organisation: string | null;
  post: string | null;
  arrangements: Arrangement[];
  phone: string | null;
  idNumber: string | null;
  tags: string[];
  notes: string | null;
};

export function fieldsOfCreate(input: CreateContactRequest): ContactFields {
  return {
    name: input.name,
    gender: input.gender ?? null,
    ethnicity: input.ethnicity || null,
    birthDate: input.birthDate ?? null,
    officeId: input.officeId,
    categoryIds: [...new Set(input.categoryIds)],
    partyId: input.partyId ?? null,
    partyJoinedOn: input.partyJoinedOn ?? null,
    organisation: input.organisation || null,
    post: input.post || null,
    arrangements: input.arrangements,
    phone: input.phone || null,
    idNumber: input.idNumber || null,
    tags: [...new Set(input.tags)],
    notes: input.notes || null,
  };
}

/**
 * Rules over the fields and the tenant's catalogue; returns problems rather than throwing
 * so that an import can collect them per row (paths are the request's field names).
 */
export function contactProblems(f: ContactFields, cat: Catalogue): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (f.categoryIds.length === 0) problems.push({ path: 'categoryIds', problem: 'at least one category' });
  const categories = f.categoryIds.map((id) => cat.categories.get(id));
  if (categories.some((c) => !c || !c.active)) problems.push({ path: 'categoryIds', problem: 'unknown category' });
  const needsParty = categories.some((c) => c?.needsParty);
  if (f.partyId) {
    const party = cat.parties.get(f.partyId);
    if (!party || !party.active) problems.push({ path: 'partyId', problem: 'unknown party' });
    else if (!needsParty) problems.push({ path: 'partyId', problem: 'only a democratic-party member has a party' });
  } else if (needsParty) {
    problems.push({ path: 'partyId', problem: 'a democratic-party member needs a party' });
  }
  if (f.partyJoinedOn && !f.partyId) problems.push({ path: 'partyJoinedOn', problem: 'only with a party' });
  if (f.idNumber && !isValidIdNumber(f.idNumber)) problems.push({ path: 'idNumber', problem: 'check digit does not match' });
  const today = new Date().toISOString().slice(0, 10);
  for (const k of ['birthDate', 'partyJoinedOn'] as const) {
    if (f[k] && f[k] > today) problems.push({ path: k, problem: 'in the future' });
  }
  const kinds = new Set<string>();
  for (const a of f.arrangements) {
    const key = `${a.kind}:${a.level}`;
    if (kinds.has(key)) problems.push({ path: 'arrangements', problem: 'listed twice' });
    kinds.add(key);
  }
  return problems;
}

export function officeProblems(f: ContactFields, units: Map<string, OrgUnitRow>, scope: Scope): ErrorDetail[] {
  const office = units.get(f.officeId);
  if (!office || !office.active || !['office', 'department'].includes(office.type)) return [{ path: 'officeId', problem: 'not an active office' }];
  if (!inScope(scope, office.path)) return [{ path: 'officeId', problem: 'outside your scope' }];
  return [];
}

/** Phone and ID number as stored: encrypted, masked, and keyed hashes for duplicate checks. */
export function sealContactNumbers(phone: string | null, idNumber: string | null) {
  return {
    phoneEnc: phone ? encrypt(phone) : null,
    phoneMasked: maskPhone(phone),
    phoneHash: phone ? phoneHashOf(phone) : null,
    idNumberEnc: idNumber ? encrypt(idNumber) : null,
    idNumberMasked: maskIdNumber(idNumber),
    idNumberHash: idNumber ? blindIndex(idNumber) : null,
  };
}

/** Its own domain, so a phone number's hash never equals an ID number's. */
export function phoneHashOf(phone: string): string {
  return blindIndex(`phone:${phone}`);
}

/** A contact's fields as a row to write (categories are written apart). */
export function sealedRow(f: ContactFields): Omit<repo.ContactInsert, 'tenantId'> {
  const { phone, idNumber, categoryIds: _categories, ...rest } = f;
  return { ...rest, nameGrams: repo.nameGrams(f.name), ...sealContactNumbers(phone, idNumber) };
}

// ---- CRUD ----

export function filterOf(actor: Actor, scope: Scope, q: Omit<ContactsListQuery, 'page' | 'pageSize'>): repo.ContactsFilter {
  return {
    tenantId: actor.tenantId,
    scope,
    q: q.q || undefined,
    categoryId: q.categoryId,
    partyId: q.partyId,
    tag: q.tag,
    officeId: q.officeId,
    arrangement: q.arrangement,
    active: q.active,
  };
}

export async function listContacts(db: Db, actor: Actor, q: ContactsListQuery) {
  const scope = requirePermission(actor, 'unitedfront.read');
  const filter = filterOf(actor, scope, q);
  return inTenant(db, actor.tenantId, async (tx) => {
    const { rows, total } = await repo.listContacts(tx, filter, q.page, q.pageSize);
    return { items: rows.map(toContact), total, page: q.page, pageSize: q.pageSize };
  });
}

export async function loadVisible(db: Executor, actor: Actor, scope: Scope, id: string): Promise<repo.ContactListRow> {
  const row = await repo.findContact(db, actor.tenantId, id);
  if (!row || !inScope(scope, row.officePath)) throw new AppError('NOT_FOUND');
  return row;
}

export async function getContact(db: Db, actor: Actor, id: string): Promise<Contact> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return toContact(await inTenant(db, actor.tenantId, (tx) => loadVisible(tx, actor, scope, id)));
}

async function checkContact(tx: Executor, actor: Actor, scope: Scope, f: ContactFields, selfId?: string) {
  const units = new Map((await findUnitsByIds(tx, actor.tenantId, [f.officeId])).map((u) => [u.id, u]));
  const problems = [...contactProblems(f, await loadCatalogue(tx, actor.tenantId)), ...officeProblems(f, units, scope)];
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
  // the unique indexes hold too, but a reported match says with whom and by what
  const dups = (
    await repo.findDuplicates(
      tx,
      actor.tenantId,
      f.idNumber ? [blindIndex(f.idNumber)] : [],
      f.phone ? [{ name: f.name, phoneHash: phoneHashOf(f.phone) }] : [],
    )
  ).filter((d) => d.id !== selfId);
  if (dups.length > 0) {
    throw new AppError(
      'DUPLICATE',
      dups.map((d) => ({ path: d.idNumberHash && f.idNumber && d.idNumberHash === blindIndex(f.idNumber) ? 'idNumber' : 'phone', problem: `duplicate of ${d.id}` })),
    );
  }
}

export async function createContact(db: Db, actor: Actor, input: CreateContactRequest): Promise<Contact> {
  const scope = requirePermission(actor, 'unitedfront.write');
  const f = fieldsOfCreate(input);
  return inTenant(db, actor.tenantId, async (tx) => {
    await checkContact(tx, actor, scope, f);
    const [id] = await repo.insertContacts(tx, [{ ...sealedRow(f), tenantId: actor.tenantId }]);
    if (!id) throw new AppError('INTERNAL');
    await repo.setContactCategories(tx, actor.tenantId, id, f.categoryIds);
    await audit(tx, actor, 'contacts.create', { type: 'contact', id }, { name: f.name });
    return toContact(await loadVisible(tx, actor, scope, id));
  });
}

export function fieldsOfRow(r: repo.ContactListRow): ContactFields {
  return {
    name: r.name,
    gender: r.gender,
    ethnicity: r.ethnicity,
    birthDate: r.birthDate,
    officeId: r.officeId,
    categoryIds: r.categories.map((c) => c.id),
    partyId: r.partyId,
    partyJoinedOn: r.partyJoinedOn,
    organisation: r.organisation,
    post: r.post,
    arrangements: r.arrangements,
    phone: r.phoneEnc ? decrypt(r.phoneEnc) : null,
    idNumber: r.idNumberEnc ? decrypt(r.idNumberEnc) : null,
    tags: r.tags,
    notes: r.notes,
  };
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export async function updateContact(db: Db, actor: Actor, id: string, input: UpdateContactRequest): Promise<Contact> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== input.version) throw new AppError('STALE_VERSION');
    const { version, ...changes } = input;
    const given = stripUndefined(changes);
    const merged: ContactFields = {
      ...fieldsOfRow(before),
      ...given,
      ...(given.categoryIds ? { categoryIds: [...new Set(given.categoryIds)] } : {}),
      ...(given.tags ? { tags: [...new Set(given.tags)] } : {}),
    };
    await checkContact(tx, actor, scope, merged, id);
    if (!(await repo.updateContactVersioned(tx, actor.tenantId, id, version, sealedRow(merged)))) throw new AppError('STALE_VERSION');
    if (given.categoryIds) await repo.setContactCategories(tx, actor.tenantId, id, merged.categoryIds);
    // values of phone and ID number never enter the audit trail, only that they changed
    await audit(tx, actor, 'contacts.update', { type: 'contact', id }, { fields: Object.keys(given) });
    return toContact(await loadVisible(tx, actor, scope, id));
  });
}

export async function setContactActive(db: Db, actor: Actor, id: string, version: number, active: boolean): Promise<Contact> {
  const scope = requirePermission(actor, 'unitedfront.write');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await loadVisible(tx, actor, scope, id);
    if (before.version !== version) throw new AppError('STALE_VERSION');
    if (!(await repo.updateContactVersioned(tx, actor.tenantId, id, version, { active }))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, active ? 'contacts.reactivate' : 'contacts.deactivate', { type: 'contact', id });
    return toContact(await loadVisible(tx, actor, scope, id));
  });
}

export async function revealContact(db: Db, actor: Actor, id: string, field: 'phone' | 'idNumber'): Promise<string | null> {
  const scope = requirePermission(actor, 'unitedfront.reveal');
  return inTenant(db, actor.tenantId, async (tx) => {
    const row = await loadVisible(tx, actor, scope, id);
    await audit(tx, actor, 'contacts.reveal', { type: 'contact', id }, { field });
    const sealed = field === 'phone' ? row.phoneEnc : row.idNumberEnc;
    return sealed ? decrypt(sealed) : null;
  });
}

export async function contactTimeline(db: Db, actor: Actor, id: string): Promise<{ items: TimelineEntry[] }> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    await loadVisible(tx, actor, scope, id);
    return { items: await timeline(tx, actor.tenantId, 'contact', id) };
  });
}

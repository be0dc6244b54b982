import {
  adjustmentCodeOf,
  CreateRuleSetRequestSchema,
  GradingSchema,
  MANUAL_RULE_KINDS,
  RuleSchema,
  type AnswerObjectionRequest,
  type CreateManualEntryRequest,
  type CreateRuleSetRequest,
  type EntriesQuery,
  type Entry,
  type Evaluation,
  type Grade,
  type ManualRequest,
  type MyPoints,
  type Notice,
  type NoticeDetail,
  type Objection,
  type OverrideGradeRequest,
  type Permission,
  type PublishNoticeRequest,
  type ReviewManualRequest,
  type Rule,
  type RuleKind,
  type RuleSet,
  type Tally,
  type TallyRow,
} from '@tongxin/contracts';
import { z } from 'zod';
import type { Db, Executor, Tx } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { hasPermission, inScope, requirePermission, scopeOf, type Actor, type Scope } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnit } from '../org/org.repo';
import * as repo from './points.repo';
import {
  addMonths,
  desiredEntries,
  gradeOf,
  monthOf,
  monthStart,
  quarterLabel,
  quarterStart,
  quarterStartOf,
  round2,
  shanghaiDay,
  windowEnd,
  type DesiredEntry,
  type RuleSetFact,
} from './points.rules';

// ---- rule sets ----

function toRuleSet(r: repo.RuleSetRow): RuleSet {
  return {
    id: r.id,
    version: r.version,
    effectiveFrom: r.effectiveFrom,
    baseScore: r.baseScore,
    rules: z.array(RuleSchema).parse(r.rules),
    grading: GradingSchema.parse(r.grading),
    note: r.note,
    createdAt: r.createdAt.toISOString(),
  };
}

function factOf(r: repo.RuleSetRow | undefined): RuleSetFact | null {
  return r ? { version: r.version, baseScore: r.baseScore, rules: z.array(RuleSchema).parse(r.rules) } : null;
}

export async function listRuleSets(db: Db, actor: Actor): Promise<RuleSet[]> {
  requirePermission(actor, 'points.read');
  return inTenant(db, actor.tenantId, async (tx) => (await repo.listRuleSets(tx, actor.tenantId)).map(toRuleSet));
}

/**
 * A new version of the tenant's rules. It may not take effect inside (or before) a quarter
 * some branch has closed: closed periods keep the version they were computed with. Entries
 * of activities from its date on are brought up to it.
 */
export async function createRuleSet(db: Db, actor: Actor, input: CreateRuleSetRequest): Promise<RuleSet> {
  requirePermission(actor, 'points.rules');
  return inTenant(db, actor.tenantId, async (tx) => {
    const row = await createRuleSetIn(tx, actor.tenantId, input, actor.userId);
    await audit(tx, actor, 'points.rules.create', { type: 'points_rule_set', id: row.id }, { version: row.version, effectiveFrom: row.effectiveFrom });
    return toRuleSet(row);
  });
}

export async function createRuleSetIn(tx: Tx, tenantId: string, input: CreateRuleSetRequest, userId: string | null): Promise<repo.RuleSetRow> {
  const parsed = CreateRuleSetRequestSchema.parse(input);
  const known = await repo.activityTypeCodes(tx, tenantId);
  const unknown = parsed.rules.flatMap((r, i) => r.typeCodes.filter((c) => !known.has(c)).map((c) => ({ path: `rules.${i}.typeCodes`, problem: `unknown activity type ${c}` })));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', unknown);
  const latest = await repo.latestClosedQuarter(tx, tenantId);
  if (latest && parsed.effectiveFrom < addMonths(latest, 3)) throw new AppError('PERIOD_CLOSED', [{ path: 'effectiveFrom', problem: `quarter ${quarterLabel(latest)} is closed` }]);
  const row = await repo.insertRuleSet(tx, {
    tenantId,
    version: 0,
    effectiveFrom: parsed.effectiveFrom,
    baseScore: parsed.baseScore,
    rules: parsed.rules,
    grading: parsed.grading,
    note: parsed.note ?? null,
    createdBy: userId,
  });
  for (const id of await repo.activityIdsFrom(tx, tenantId, parsed.effectiveFrom)) await syncActivity(tx, tenantId, id);
  return row;
}

/** The default rule set of a tenant (idempotent: only when it has none), for the activity types it has. */
export async function seedDefaultRuleSet(tx: Tx, tenantId: string): Promise<void> {
  if ((await repo.countRuleSets(tx, tenantId)) > 0) return;
  const known = await repo.activityTypeCodes(tx, tenantId);
  const only = (codes: string[]) => codes.filter((c) => known.has(c));
  const meetings = only(['branch_general_meeting', 'party_group_meeting', 'party_lecture', 'theme_party_day', 'organisational_life_meeting', 'member_appraisal']);
  const study = only(['collective_study', 'central_group_study', 'central_group_study_extended', 'field_teaching', 'warning_education', 'training_class']);
  const volunteer = only(['volunteer_service']);
  const rules: Rule[] = [];
  const add = (r: Omit<Rule, 'roles' | 'cap'> & Partial<Pick<Rule, 'roles' | 'cap'>>) => rules.push({ roles: [], cap: null, ...r });
  if (meetings.length) {
    add({ code: 'attend_meeting', kind: 'attend', nameZh: '参加组织生活', nameEn: 'Attending organisational life', typeCodes: meetings, amount: 2 });
    add({ code: 'absent_meeting', kind: 'absent', nameZh: '无故缺席组织生活', nameEn: 'Absent without leave', typeCodes: meetings, amount: 2 });
  }
  if (study.length) add({ code: 'attend_study', kind: 'attend', nameZh: '参加学习', nameEn: 'Attending study', typeCodes: study, amount: 2, cap: { period: 'month', max: 6 } });
  const all = [...meetings, ...study];
  if (all.length) add({ code: 'speaker', kind: 'role', nameZh: '授课或主持', nameEn: 'Speaking or hosting', typeCodes: all, roles: ['speaker', 'host'], amount: 5 });
  if (volunteer.length)
    add({ code: 'volunteer', kind: 'volunteer', nameZh: '志愿服务（每小时）', nameEn: 'Volunteer service (per hour)', typeCodes: volunteer, amount: 1, cap: { period: 'month', max: 10 } });
  add({ code: 'honour_city', kind: 'honour', nameZh: '市级表彰', nameEn: 'City-level honour', typeCodes: [], amount: 10, level: '市级' });
  add({ code: 'honour_dept', kind: 'honour', nameZh: '部级表彰', nameEn: 'Department-level honour', typeCodes: [], amount: 5, level: '部级' });
  add({ code: 'sanction', kind: 'sanction', nameZh: '受到处分', nameEn: 'Disciplinary sanction', typeCodes: [], amount: 20 });
  add({ code: 'other', kind: 'other', nameZh: '其他', nameEn: 'Other', typeCodes: [], amount: 1 });
  await repo.insertRuleSet(tx, {
    tenantId,
    version: 0,
    effectiveFrom: '2000-01-01',
    baseScore: 60,
    rules,
    grading: GradingSchema.parse({}),
    note: '默认规则',
    createdBy: null,
  });
}

// ---- the ledger from attendance ----

const keyOf = (e: Pick<DesiredEntry, 'participantId' | 'ruleCode' | 'period' | 'branchId' | 'ruleSetVersion'>) =>
  `${e.participantId}|${e.ruleCode}|${e.period}|${e.branchId}|${e.ruleSetVersion}`;

/**
 * Brings an activity's ledger entries to what its attendance is worth now: for each
 * participant × rule, the difference between what it should be and what the ledger holds
 * is appended (citing the entry it corrects). Nothing is ever updated or deleted.
 */
export async function syncActivity(tx: Executor, tenantId: string, activityId: string, userId: string | null = null): Promise<number> {
  const facts = await repo.activityFacts(tx, tenantId, activityId);
  const existing = await repo.activityLedgerNet(tx, tenantId, activityId);
  let desired: DesiredEntry[] = [];
  if (facts) {
    // the version in force on the activity's own date: a version may start mid-month
    const rs = factOf(await repo.ruleSetAt(tx, tenantId, facts.day));
    desired = desiredEntries(facts.activity, facts.participants, rs);
  }
  const want = new Map(desired.map((d) => [keyOf(d), d]));
  const have = new Map(existing.map((e) => [keyOf(e), e]));
  const rows: repo.EntryInsert[] = [];
  for (const k of new Set([...want.keys(), ...have.keys()])) {
    const w = want.get(k);
    const h = have.get(k);
    const delta = round2((w?.amount ?? 0) - (h?.net ?? 0));
    if (delta === 0) continue;
    const base = (w ?? h) as DesiredEntry;
    rows.push({
      tenantId,
      personId: base.personId,
      branchId: base.branchId,
      period: base.period,
      amount: delta,
      source: 'auto',
      ruleCode: base.ruleCode,
      ruleKind: base.ruleKind,
      ruleSetVersion: base.ruleSetVersion,
      cap: w ? w.cap : (h?.cap ?? null),
      capPeriod: w ? w.capPeriod : (h?.capPeriod ?? null),
      activityId,
      participantId: base.participantId,
      correctsId: h?.lastId ?? null,
      createdBy: userId,
    });
  }
  // any attendance of a frozen month is refused, also a row that books nothing (a pending one):
  // the closed quarter's record stays what was published
  const cells: repo.LedgerCell[] = rows.map((r) => ({ personId: r.personId, branchId: r.branchId, period: r.period }));
  if (facts) for (const p of facts.participants) if (p.branchId) cells.push({ personId: p.personId, branchId: p.branchId, period: facts.activity.period });
  await assertWritable(tx, tenantId, cells);
  await repo.insertEntries(tx, rows);
  return rows.length;
}

/**
 * PERIOD_CLOSED when a ledger write would touch a frozen cell (a month its branch has closed,
 * see repo.frozenCells); the details name the month and offer the open period where an
 * adjustment citing the entry goes instead. Closing is per branch: other branches' months
 * stay open.
 */
async function assertWritable(tx: Executor, tenantId: string, cells: repo.LedgerCell[]): Promise<void> {
  const frozen = await repo.frozenCells(tx, tenantId, cells);
  if (frozen.length === 0) return;
  const openFrom = await repo.openFromByBranch(tx, tenantId);
  const now = currentMonth();
  throw new AppError(
    'PERIOD_CLOSED',
    frozen.slice(0, 20).map((c) => {
      const from = openFrom.get(c.branchId) ?? now;
      return { path: 'period', problem: `${monthOf(c.period)} is closed for the branch; record an adjustment in ${monthOf(from > now ? from : now)} instead` };
    }),
  );
}

/**
 * The activities' early check before a change of a recorded activity (at startsAt): refused
 * when a participant's or an existing entry's month is closed for its branch. Without the
 * activity's id there is nothing to check up front; the ledger sync after the change still
 * refuses any write into a closed month, so a closed period's figures cannot change.
 */
export async function assertEditable(tx: Executor, tenantId: string, startsAt: Date, activityId?: string): Promise<void> {
  if (!activityId) return;
  await assertWritable(tx, tenantId, await repo.activityCells(tx, tenantId, activityId, monthStart(monthOf(shanghaiDay(startsAt)))));
}

// ---- scope helpers ----

async function branchInScope(tx: Executor, actor: Actor, scope: Scope, branchId: string) {
  const unit = await findUnit(tx, actor.tenantId, branchId);
  if (!unit || !inScope(scope, unit.path)) throw new AppError('NOT_FOUND', [{ path: 'branchId', problem: 'unknown branch' }]);
  return unit;
}

async function personInScope(tx: Executor, actor: Actor, scope: Scope, personId: string) {
  const p = await repo.personBrief(tx, actor.tenantId, personId);
  if (!p || !p.branch_path || !inScope(scope, p.branch_path)) throw new AppError('NOT_FOUND', [{ path: 'personId', problem: 'unknown person' }]);
  return p as repo.PersonBrief & { branch_id: string; branch_path: string };
}

const currentMonth = (now = new Date()) => `${shanghaiDay(now).slice(0, 7)}-01`;

// ---- tallies and entries ----

function rankRows(rows: Omit<TallyRow, 'rank'>[]): TallyRow[] {
  // competition ranking: equal totals share a rank, the next rank skips (1, 1, 3)
  const sorted = [...rows].sort((a, b) => b.total - a.total);
  const rankOf = new Map<number, number>();
  sorted.forEach((r, i) => {
    if (!rankOf.has(r.total)) rankOf.set(r.total, i + 1);
  });
  return sorted.map((r) => ({ ...r, rank: rankOf.get(r.total) ?? 0 }));
}

/** `baseScore`: the base of the version in force at the end of `to`, when the caller has read it already (one round trip less). */
export async function tallyIn(tx: Executor, tenantId: string, branchId: string, from: string, to: string, baseScore?: number): Promise<TallyRow[]> {
  const base = baseScore ?? (await repo.ruleSetAt(tx, tenantId, lastDayOf(to)))?.baseScore ?? 0;
  // within one closed quarter: the people it listed when it closed, not today's members
  const q = quarterStartOf(from);
  const listed = q === quarterStartOf(to) ? await repo.closureMembers(tx, tenantId, branchId, q) : null;
  const rows = await repo.branchTally(tx, tenantId, branchId, from, to, listed);
  return rankRows(
    rows.map((r) => ({
      personId: r.person_id,
      personName: r.person_name,
      branchId: r.branch_id,
      base,
      additions: round2(r.additions),
      deductions: round2(r.deductions),
      total: round2(base + r.additions + r.deductions),
      capped: round2(r.capped),
    })),
  );
}

function lastDayOf(period: string): string {
  const next = addMonths(period, 1);
  const d = new Date(`${next}T00:00:00Z`);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

export async function monthlyTally(db: Db, actor: Actor, branchId: string, month: string): Promise<Tally> {
  const scope = requirePermission(actor, 'points.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const unit = await branchInScope(tx, actor, scope, branchId);
    const p = monthStart(month);
    return { branchId, branchName: unit.name, month, rows: await tallyIn(tx, actor.tenantId, branchId, p, p) };
  });
}

function toEntry(r: repo.EntryListRow, openFrom: Map<string, string>, now: string): Entry {
  const from = openFrom.get(r.branch_id);
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    branchId: r.branch_id,
    period: monthOf(r.period),
    amount: Number(r.amount),
    source: r.source as Entry['source'],
    ruleCode: r.rule_code,
    ruleKind: r.rule_kind as RuleKind,
    ruleSetVersion: r.rule_set_version,
    activityId: r.activity_id,
    activityTopic: r.activity_topic,
    correctsId: r.corrects_id,
    note: r.note,
    createdAt: new Date(r.created_at).toISOString(),
    adjustmentPeriod: from && r.period < from ? monthOf(from > now ? from : now) : null,
  };
}

/** Entries for the API, each told whether its month is closed (and where an adjustment would go). */
async function entriesOut(tx: Executor, tenantId: string, rows: repo.EntryListRow[]): Promise<Entry[]> {
  const openFrom = rows.length ? await repo.openFromByBranch(tx, tenantId) : new Map<string, string>();
  const now = currentMonth();
  return rows.map((r) => toEntry(r, openFrom, now));
}

function rangeOf(q: { month?: string; year?: number }): { from: string; to: string } {
  if (q.month) return { from: monthStart(q.month), to: monthStart(q.month) };
  const y = q.year ?? Number(shanghaiDay(new Date()).slice(0, 4));
  return { from: `${y}-01-01`, to: `${y}-12-01` };
}

/** The entries behind a number of a tally: by person and/or branch, month or year, rule, sign. */
export async function listEntries(db: Db, actor: Actor, q: EntriesQuery): Promise<Entry[]> {
  const scope = requirePermission(actor, 'points.read');
  if (!q.personId && !q.branchId) throw new AppError('VALIDATION_FAILED', [{ path: 'branchId', problem: 'a person or a branch is required' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    if (q.branchId) await branchInScope(tx, actor, scope, q.branchId);
    else if (q.personId) await personInScope(tx, actor, scope, q.personId);
    const rows = await repo.listEntries(tx, actor.tenantId, { ...q, ...rangeOf(q), limit: 2000 });
    return entriesOut(tx, actor.tenantId, rows);
  });
}

// ---- manual entries ----

function toManual(r: repo.ManualRow & { person_name?: string }): ManualRequest {
  // rows from raw SQL come snake_cased; from drizzle camelCased
  const x = r as unknown as Record<string, unknown>;
  const pick = <T>(camel: string, snake: string) => (x[camel] ?? x[snake]) as T;
  return {
    id: r.id,
    personId: pick('personId', 'person_id'),
    personName: r.person_name ?? '',
    branchId: pick('branchId', 'branch_id'),
    ruleCode: pick('ruleCode', 'rule_code'),
    amount: Number(r.amount),
    period: monthOf(String(r.period)),
    reason: r.reason,
    evidence: r.evidence,
    evidenceFile: pick<string | null>('evidenceFile', 'evidence_file') ?? null,
    correctsEntryId: pick<string | null>('correctsEntryId', 'corrects_entry_id') ?? null,
    status: r.status as ManualRequest['status'],
    reviewNote: pick<string | null>('reviewNote', 'review_note') ?? null,
    createdBy: pick('createdBy', 'created_by'),
    createdAt: new Date(pick<string | Date>('createdAt', 'created_at')).toISOString(),
  };
}

/** The open period of a branch for adjustments: this month, or the first month after its last closed quarter. */
async function openPeriod(tx: Executor, tenantId: string, branchId: string): Promise<string> {
  const now = currentMonth();
  const last = await repo.latestClosedQuarter(tx, tenantId, branchId);
  const after = last ? addMonths(last, 3) : now;
  return after > now ? after : now;
}

async function ruleOf(tx: Executor, tenantId: string, period: string, code: string): Promise<{ rule: Rule; version: number }> {
  const rs = await repo.ruleSetAt(tx, tenantId, lastDayOf(period));
  const rule = rs ? z.array(RuleSchema).parse(rs.rules).find((r) => r.code === code) : undefined;
  if (!rs || !rule) throw new AppError('VALIDATION_FAILED', [{ path: 'ruleCode', problem: 'no such rule in force' }]);
  return { rule, version: rs.version };
}

export async function createManualEntry(db: Db, actor: Actor, input: CreateManualEntryRequest): Promise<ManualRequest> {
  const scope = requirePermission(actor, 'points.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    const person = await personInScope(tx, actor, scope, input.personId);
    if (person.party_status === 'none') throw new AppError('VALIDATION_FAILED', [{ path: 'personId', problem: 'not a Party member' }]);
    let period = input.month ? monthStart(input.month) : currentMonth();
    let branchId = person.branch_id;
    let ruleCode = input.ruleCode;
    if (input.correctsEntryId) {
      const e = await repo.findEntry(tx, actor.tenantId, input.correctsEntryId);
      if (!e || e.personId !== input.personId) throw new AppError('NOT_FOUND', [{ path: 'correctsEntryId', problem: 'unknown entry' }]);
      // an entry of an open month is corrected where it is (attendance, an objection): adjustments are for frozen months
      if ((await repo.frozenCells(tx, actor.tenantId, [{ personId: e.personId, branchId: e.branchId, period: e.period }])).length === 0)
        throw new AppError('INVALID_STATE', [{ path: 'correctsEntryId', problem: 'the entry is in an open period: correct it directly' }]);
      // an adjustment counts where the corrected entry counted, in that branch's open period,
      // under a code of its own so the rule's cap in the open period does not clamp it
      branchId = e.branchId;
      period = await openPeriod(tx, actor.tenantId, branchId);
      ruleCode = adjustmentCodeOf(e.ruleCode);
    } else {
      const { rule } = await ruleOf(tx, actor.tenantId, period, input.ruleCode);
      if (!MANUAL_RULE_KINDS.includes(rule.kind)) throw new AppError('VALIDATION_FAILED', [{ path: 'ruleCode', problem: 'not a manual rule' }]);
      if ((rule.kind === 'honour' && input.amount < 0) || (rule.kind === 'sanction' && input.amount > 0))
        throw new AppError('VALIDATION_FAILED', [{ path: 'amount', problem: 'sign does not match the rule' }]);
    }
    await assertPeriodOpen(tx, actor.tenantId, input.personId, branchId, period);
    const row = await repo.insertManual(tx, {
      tenantId: actor.tenantId,
      personId: input.personId,
      branchId,
      ruleCode,
      amount: input.amount,
      period,
      reason: input.reason,
      evidence: input.evidence,
      evidenceFile: input.evidenceFile ?? null,
      correctsEntryId: input.correctsEntryId ?? null,
      createdBy: actor.userId,
    });
    await audit(tx, actor, 'points.manual.create', { type: 'points_manual_request', id: row.id }, { personId: input.personId, amount: input.amount });
    return toManual({ ...row, person_name: person.name });
  });
}

async function assertPeriodOpen(tx: Executor, tenantId: string, personId: string, branchId: string, period: string): Promise<void> {
  await assertWritable(tx, tenantId, [{ personId, branchId, period }]);
}

export async function listManualEntries(db: Db, actor: Actor, status?: string): Promise<ManualRequest[]> {
  requirePermission(actor, 'points.read');
  const scope = scopeOf(actor, 'points.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const rows = await repo.listManual(tx, actor.tenantId, status);
    const visible: ManualRequest[] = [];
    for (const r of rows) {
      const unit = await findUnit(tx, actor.tenantId, (r as unknown as { branch_id: string }).branch_id);
      if (unit && inScope(scope, unit.path)) visible.push(toManual(r));
    }
    return visible;
  });
}

/** Approving puts the entry into the ledger; only someone other than the author may decide. */
export async function reviewManualEntry(db: Db, actor: Actor, id: string, input: ReviewManualRequest): Promise<ManualRequest> {
  const scope = requirePermission(actor, 'points.approve');
  return inTenant(db, actor.tenantId, async (tx) => {
    const m = await repo.findManualForUpdate(tx, actor.tenantId, id);
    if (!m) throw new AppError('NOT_FOUND');
    const unit = await findUnit(tx, actor.tenantId, m.branchId);
    if (!unit || !inScope(scope, unit.path)) throw new AppError('NOT_FOUND');
    if (m.createdBy === actor.userId) throw new AppError('SELF_REVIEW');
    if (m.status !== 'pending') throw new AppError('INVALID_STATE');
    if (input.approve) {
      await assertPeriodOpen(tx, actor.tenantId, m.personId, m.branchId, m.period);
      let kind: RuleKind;
      let version: number | null;
      let cap: { period: string; max: number } | null = null;
      if (m.correctsEntryId) {
        const e = await repo.findEntry(tx, actor.tenantId, m.correctsEntryId);
        if (!e) throw new AppError('NOT_FOUND');
        kind = e.ruleKind as RuleKind;
        version = e.ruleSetVersion;
      } else {
        const r = await ruleOf(tx, actor.tenantId, m.period, m.ruleCode);
        kind = r.rule.kind;
        version = r.version;
        cap = r.rule.cap;
      }
      await repo.insertEntries(tx, [
        {
          tenantId: actor.tenantId,
          personId: m.personId,
          branchId: m.branchId,
          period: m.period,
          amount: m.amount,
          source: 'manual',
          ruleCode: m.ruleCode,
          ruleKind: kind,
          ruleSetVersion: version,
          cap: cap?.max ?? null,
          capPeriod: cap?.period ?? null,
          manualRequestId: m.id,
          correctsId: m.correctsEntryId,
          note: m.reason,
          createdBy: actor.userId,
        },
      ]);
    }
    const row = await repo.updateManual(tx, m.id, {
      status: input.approve ? 'approved' : 'rejected',
      reviewNote: input.note ?? null,
      reviewedBy: actor.userId,
      reviewedAt: new Date(),
    });
    await audit(tx, actor, input.approve ? 'points.manual.approve' : 'points.manual.reject', { type: 'points_manual_request', id: m.id });
    return toManual(row);
  });
}

// ---- quarterly notices and objections ----

function toNotice(n: repo.NoticeListRow): Notice {
  return {
    id: n.id,
    branchId: n.branchId,
    branchName: n.branchName,
    quarter: quarterLabel(n.quarter),
    status: n.status as Notice['status'],
    windowEndsAt: n.windowEndsAt.toISOString(),
    publishedAt: n.publishedAt.toISOString(),
    closedAt: n.closedAt?.toISOString() ?? null,
    openObjections: n.openObjections,
    version: n.version,
  };
}

function toObjection(o: repo.ObjectionRow & { person_name: string }): Objection {
  return {
    id: o.id,
    noticeId: o.noticeId,
    entryId: o.entryId,
    personId: o.personId,
    personName: o.person_name,
    text: o.text,
    status: o.status as Objection['status'],
    answer: o.answer,
    correctionEntryId: o.correctionEntryId,
    createdAt: new Date(o.createdAt).toISOString(),
    answeredAt: o.answeredAt ? new Date(o.answeredAt).toISOString() : null,
  };
}

export async function publishNotice(db: Db, actor: Actor, input: PublishNoticeRequest, now = new Date()): Promise<Notice> {
  const scope = requirePermission(actor, 'points.manage');
  return inTenant(db, actor.tenantId, async (tx) => {
    await branchInScope(tx, actor, scope, input.branchId);
    const q = quarterStart(input.quarter);
    if (q > quarterStartOf(currentMonth(now))) throw new AppError('VALIDATION_FAILED', [{ path: 'quarter', problem: 'the quarter has not begun' }]);
    const n = await repo.insertNotice(tx, {
      tenantId: actor.tenantId,
      branchId: input.branchId,
      quarter: q,
      windowEndsAt: windowEnd(now, input.windowDays),
      publishedBy: actor.userId,
      publishedAt: now,
    });
    if (!n) throw new AppError('DUPLICATE', [{ path: 'quarter', problem: 'already published' }]);
    await audit(tx, actor, 'points.notice.publish', { type: 'points_notice', id: n.id }, { branchId: input.branchId, quarter: input.quarter });
    const [out] = await repo.noticesByIds(tx, actor.tenantId, [n.id]);
    if (!out) throw new Error('notice');
    return toNotice(out);
  });
}

/** Notices a user may see: in their points.read scope, and their own branch's as a member. */
async function noticeVisible(tx: Executor, actor: Actor, n: repo.NoticeRow): Promise<boolean> {
  if (hasPermission(actor, 'points.read')) {
    const unit = await findUnit(tx, actor.tenantId, n.branchId);
    if (unit && inScope(scopeOf(actor, 'points.read'), unit.path)) return true;
  }
  if (!actor.personId) return false;
  const me = await repo.personBrief(tx, actor.tenantId, actor.personId);
  return me?.branch_id === n.branchId;
}

export async function listNotices(db: Db, actor: Actor, branchId?: string): Promise<Notice[]> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const rows = await repo.listNotices(tx, actor.tenantId, branchId ? [branchId] : null);
    const out: Notice[] = [];
    for (const n of rows) if (await noticeVisible(tx, actor, n)) out.push(toNotice(n));
    return out;
  });
}

export async function getNotice(db: Db, actor: Actor, id: string): Promise<NoticeDetail> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const [n] = await repo.noticesByIds(tx, actor.tenantId, [id]);
    if (!n || !(await noticeVisible(tx, actor, n))) throw new AppError('NOT_FOUND');
    const rows = await tallyIn(tx, actor.tenantId, n.branchId, n.quarter, addMonths(n.quarter, 2));
    const manage = hasPermission(actor, 'points.manage');
    const objections = await repo.listObjections(tx, actor.tenantId, { noticeId: id, ...(manage ? {} : { personId: actor.personId ?? undefined }) });
    return { ...toNotice(n), rows, objections: objections.map(toObjection) };
  });
}

/** The entries of a notice (a branch's quarter), for a member to pick the one they object to. */
export async function noticeEntries(db: Db, actor: Actor, id: string, personId?: string): Promise<Entry[]> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const n = await repo.findNotice(tx, actor.tenantId, id);
    if (!n || !(await noticeVisible(tx, actor, n))) throw new AppError('NOT_FOUND');
    const rows = await repo.listEntries(tx, actor.tenantId, { branchId: n.branchId, personId, from: n.quarter, to: addMonths(n.quarter, 2), limit: 5000 });
    return entriesOut(tx, actor.tenantId, rows);
  });
}

export async function raiseObjection(db: Db, actor: Actor, noticeId: string, input: { entryId: string; text: string }, now = new Date()): Promise<Objection> {
  if (!actor.personId) throw new AppError('FORBIDDEN');
  const personId = actor.personId;
  return inTenant(db, actor.tenantId, async (tx) => {
    const n = await repo.findNotice(tx, actor.tenantId, noticeId);
    if (!n || !(await noticeVisible(tx, actor, n))) throw new AppError('NOT_FOUND');
    if (n.status !== 'published' || now > n.windowEndsAt) throw new AppError('WINDOW_CLOSED');
    const e = await repo.findEntry(tx, actor.tenantId, input.entryId);
    if (!e || e.branchId !== n.branchId || e.period < n.quarter || e.period > addMonths(n.quarter, 2))
      throw new AppError('NOT_FOUND', [{ path: 'entryId', problem: 'not an entry of this notice' }]);
    const o = await repo.insertObjection(tx, { tenantId: actor.tenantId, noticeId, entryId: e.id, personId, raisedBy: actor.userId, text: input.text });
    await audit(tx, actor, 'points.objection.raise', { type: 'points_objection', id: o.id }, { noticeId, entryId: e.id });
    const me = await repo.personBrief(tx, actor.tenantId, personId);
    return toObjection({ ...o, person_name: me?.name ?? '' });
  });
}

async function manageableNotice(tx: Executor, actor: Actor, noticeId: string, forUpdate: boolean) {
  const scope = requirePermission(actor, 'points.manage');
  const n = await repo.findNotice(tx, actor.tenantId, noticeId, forUpdate);
  if (!n) throw new AppError('NOT_FOUND');
  await branchInScope(tx, actor, scope, n.branchId).catch(() => {
    throw new AppError('NOT_FOUND');
  });
  return n;
}

/** Accepted: a correcting entry in the entry's own (still open) period; rejected: the written reason. */
export async function answerObjection(db: Db, actor: Actor, id: string, input: AnswerObjectionRequest): Promise<Objection> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const o = await repo.findObjectionForUpdate(tx, actor.tenantId, id);
    if (!o) throw new AppError('NOT_FOUND');
    const n = await manageableNotice(tx, actor, o.noticeId, true);
    if (n.status !== 'published' || o.status !== 'open') throw new AppError('INVALID_STATE');
    let correctionEntryId: string | null = null;
    if (input.accept) {
      const e = await repo.findEntry(tx, actor.tenantId, o.entryId);
      if (!e) throw new AppError('NOT_FOUND');
      await assertPeriodOpen(tx, actor.tenantId, e.personId, e.branchId, e.period);
      const [c] = await repo.insertEntries(tx, [
        {
          tenantId: actor.tenantId,
          personId: e.personId,
          branchId: e.branchId,
          period: e.period,
          amount: input.correction ?? 0,
          source: 'objection',
          ruleCode: e.ruleCode,
          ruleKind: e.ruleKind,
          ruleSetVersion: e.ruleSetVersion,
          cap: e.cap,
          capPeriod: e.capPeriod,
          correctsId: e.id,
          note: input.answer,
          createdBy: actor.userId,
        },
      ]);
      correctionEntryId = c?.id ?? null;
    }
    const row = await repo.updateObjection(tx, id, {
      status: input.accept ? 'accepted' : 'rejected',
      answer: input.answer,
      correctionEntryId,
      answeredBy: actor.userId,
      answeredAt: new Date(),
    });
    await audit(tx, actor, 'points.objection.answer', { type: 'points_objection', id }, { accept: input.accept, correction: input.correction ?? null });
    const p = await repo.personBrief(tx, actor.tenantId, row.personId);
    return toObjection({ ...row, person_name: p?.name ?? '' });
  });
}

/** Closing freezes the branch's quarter; refused while an objection is unanswered. */
export async function closeNotice(db: Db, actor: Actor, id: string, version: number): Promise<Notice> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const n = await manageableNotice(tx, actor, id, true);
    if (n.version !== version) throw new AppError('STALE_VERSION');
    if (n.status !== 'published') throw new AppError('INVALID_STATE');
    if ((await repo.countOpenObjections(tx, id)) > 0) throw new AppError('CONFLICT', [{ path: 'objections', problem: 'unanswered objections' }]);
    // closing freezes every earlier month of the branch: an earlier notice still open would be frozen mid-window
    if (await repo.earlierPublishedNotice(tx, actor.tenantId, n.branchId, n.quarter))
      throw new AppError('CONFLICT', [{ path: 'quarter', problem: 'close the earlier quarter of this branch first' }]);
    const listed = await tallyIn(tx, actor.tenantId, n.branchId, n.quarter, addMonths(n.quarter, 2));
    await repo.updateNotice(tx, id, { status: 'closed', closedAt: new Date(), closedBy: actor.userId });
    await repo.insertClosureMembers(
      tx,
      actor.tenantId,
      n.branchId,
      n.quarter,
      listed.map((r) => r.personId),
    );
    await repo.insertClosure(tx, { tenantId: actor.tenantId, branchId: n.branchId, quarter: n.quarter, noticeId: id, closedBy: actor.userId });
    await audit(tx, actor, 'points.notice.close', { type: 'points_notice', id }, { quarter: quarterLabel(n.quarter) });
    const [out] = await repo.noticesByIds(tx, actor.tenantId, [id]);
    if (!out) throw new Error('notice');
    return toNotice(out);
  });
}

// ---- yearly evaluation ----

export async function evaluationIn(tx: Executor, tenantId: string, year: number, branchId?: string): Promise<Evaluation> {
  const rs = await repo.ruleSetAt(tx, tenantId, `${year}-12-31`);
  const base = rs?.baseScore ?? 0;
  const grading = GradingSchema.parse(rs?.grading ?? {});
  const rows = await repo.yearTotals(tx, tenantId, year, branchId);
  const overrides = await repo.overridesOf(tx, tenantId, year);
  const byBranch = new Map<string, repo.YearDbRow[]>();
  for (const r of rows) {
    const list = byBranch.get(r.branch_id) ?? [];
    list.push(r);
    byBranch.set(r.branch_id, list);
  }
  const out: Evaluation['rows'] = [];
  for (const list of byBranch.values()) {
    const totalOf = list.map((r) => round2(base + r.points));
    const totals = [...totalOf].sort((a, b) => b - a);
    const rankOf = new Map<number, number>();
    totals.forEach((t, i) => {
      if (!rankOf.has(t)) rankOf.set(t, i + 1);
    });
    for (const [i, r] of list.entries()) {
      const total = totalOf[i] ?? 0;
      const rank = rankOf.get(total) ?? 0;
      const computed = gradeOf(grading, total, rank, list.length, r.sanctioned);
      const o = overrides.get(r.person_id);
      out.push({
        personId: r.person_id,
        personName: r.person_name,
        branchId: r.branch_id,
        branchName: r.branch_name,
        total,
        rank,
        sanctioned: r.sanctioned,
        computedGrade: computed,
        grade: (o?.grade as Grade | undefined) ?? computed,
        overrideReason: o?.reason ?? null,
      });
    }
  }
  return { year, rows: out };
}

async function evaluationScope(tx: Executor, actor: Actor, branchId: string | undefined, p: Permission): Promise<Scope> {
  const scope = requirePermission(actor, p);
  if (branchId) await branchInScope(tx, actor, scope, branchId);
  return scope;
}

export async function evaluation(db: Db, actor: Actor, year: number, branchId?: string): Promise<Evaluation> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const scope = await evaluationScope(tx, actor, branchId, 'points.read');
    const ev = await evaluationIn(tx, actor.tenantId, year, branchId);
    if (scope.all) return ev;
    const paths = new Map<string, boolean>();
    const rows: Evaluation['rows'] = [];
    for (const r of ev.rows) {
      if (!paths.has(r.branchId)) {
        const u = await findUnit(tx, actor.tenantId, r.branchId);
        paths.set(r.branchId, !!u && inScope(scope, u.path));
      }
      if (paths.get(r.branchId)) rows.push(r);
    }
    return { year, rows };
  });
}

export async function overrideGrade(db: Db, actor: Actor, input: OverrideGradeRequest): Promise<void> {
  const scope = requirePermission(actor, 'points.approve');
  await inTenant(db, actor.tenantId, async (tx) => {
    await personInScope(tx, actor, scope, input.personId);
    await repo.upsertOverride(tx, { tenantId: actor.tenantId, year: input.year, personId: input.personId, grade: input.grade, reason: input.reason, createdBy: actor.userId });
    await audit(tx, actor, 'points.grade.override', { type: 'person', id: input.personId }, { year: input.year, grade: input.grade, reason: input.reason });
  });
}

// ---- my points ----

export async function myPoints(db: Db, actor: Actor, month?: string): Promise<MyPoints> {
  if (!actor.personId) throw new AppError('NOT_FOUND', [{ path: 'personId', problem: 'the account is not linked to a person' }]);
  const personId = actor.personId;
  return inTenant(db, actor.tenantId, async (tx) => {
    const me = await repo.personBrief(tx, actor.tenantId, personId);
    if (!me) throw new AppError('NOT_FOUND');
    const m = month ? monthStart(month) : currentMonth();
    const yearFrom = `${m.slice(0, 4)}-01-01`;
    const yearTo = `${m.slice(0, 4)}-12-01`;
    const monthRs = await repo.ruleSetAt(tx, actor.tenantId, lastDayOf(m));
    const yearRs = await repo.ruleSetAt(tx, actor.tenantId, `${m.slice(0, 4)}-12-31`);
    const { month: monthPoints, year: yearPoints } = await repo.personMonthAndYear(tx, actor.tenantId, personId, m);
    let rank: number | null = null;
    let branchSize = 0;
    if (me.branch_id) {
      const tally = await tallyIn(tx, actor.tenantId, me.branch_id, m, m, monthRs?.baseScore ?? 0);
      rank = tally.find((r) => r.personId === personId)?.rank ?? null;
      branchSize = tally.length;
    }
    const entries = await repo.listEntries(tx, actor.tenantId, { personId, from: yearFrom, to: yearTo, limit: 500 });
    const objections = await repo.listObjections(tx, actor.tenantId, { personId });
    const notices = me.branch_id ? await repo.listNotices(tx, actor.tenantId, [me.branch_id]) : [];
    return {
      personId,
      personName: me.name,
      branchId: me.branch_id,
      month: monthOf(m),
      monthPoints: round2(monthPoints),
      monthTotal: round2((monthRs?.baseScore ?? 0) + monthPoints),
      yearPoints: round2(yearPoints),
      yearTotal: round2((yearRs?.baseScore ?? 0) + yearPoints),
      rankInBranch: rank,
      branchSize,
      entries: await entriesOut(tx, actor.tenantId, entries),
      objections: objections.map(toObjection),
      notices: notices.map(toNotice),
    };
  });
}

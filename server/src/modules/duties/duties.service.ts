import type {
  CreateDutyRuleRequest,
  DutiesCalendar,
  DutyCell,
  DutyCellStatus,
  DutyPeriod,
  DutyRule,
  DutyRow,
  MissedDuties,
  UnitType,
  UpdateDutyRuleRequest,
} from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnit } from '../org/org.repo';
import * as repo from './duties.repo';

const DAY_MS = 86_400_000;
/** a duty not yet met is "due soon" when its period ends within this long */
export const DUE_SOON_MS = 7 * DAY_MS;

/** Year and month (1–12) of an instant on the Shanghai calendar (UTC+8, no DST). */
export function shanghaiYearMonth(at: Date): { year: number; month: number } {
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** Shanghai midnight of the first of a month (month may run past 12 or below 1). */
export function shanghaiMonthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month - 1, 1) - 8 * 3_600_000);
}

export function cellStatus(done: number, required: number, endsAt: Date, now: Date): DutyCellStatus {
  if (done >= required) return 'met';
  if (now.getTime() >= endsAt.getTime()) return 'missed';
  if (endsAt.getTime() - now.getTime() <= DUE_SOON_MS) return 'due_soon';
  return 'upcoming';
}

function toRule(r: repo.DutyRuleRow): DutyRule {
  return { ...r, unitType: r.unitType as UnitType, period: r.period as DutyPeriod };
}

export async function listRules(db: Db, actor: Actor): Promise<{ items: DutyRule[] }> {
  requirePermission(actor, 'activities.read');
  return inTenant(db, actor.tenantId, async (tx) => ({ items: (await repo.listRules(tx, actor.tenantId)).map(toRule) }));
}

export async function listTypeOptions(db: Db, actor: Actor) {
  requirePermission(actor, 'activities.catalog');
  return inTenant(db, actor.tenantId, async (tx) => ({ items: await repo.listTypes(tx, actor.tenantId) }));
}

export async function createRule(db: Db, actor: Actor, input: CreateDutyRuleRequest): Promise<DutyRule> {
  requirePermission(actor, 'activities.catalog');
  return inTenant(db, actor.tenantId, async (tx) => {
    if (!(await repo.findType(tx, actor.tenantId, input.typeId))) throw new AppError('NOT_FOUND', [{ path: 'typeId', problem: 'unknown activity type' }]);
    // a second active rule for the same unit type, type and period violates the unique index: DUPLICATE
    const id = await repo.insertRule(tx, { tenantId: actor.tenantId, unitType: input.unitType, typeId: input.typeId, period: input.period, minCount: input.minCount });
    await audit(tx, actor, 'duties.rule.create', { type: 'duty_rule', id }, { ...input });
    const row = await repo.findRule(tx, actor.tenantId, id);
    if (!row) throw new AppError('NOT_FOUND');
    return toRule(row);
  });
}

export async function updateRule(db: Db, actor: Actor, id: string, input: UpdateDutyRuleRequest): Promise<DutyRule> {
  requirePermission(actor, 'activities.catalog');
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await repo.findRule(tx, actor.tenantId, id);
    if (!before) throw new AppError('NOT_FOUND');
    const { version, ...changes } = input;
    const n = await repo.updateRuleVersioned(tx, actor.tenantId, id, version, changes);
    if (n === 0) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'duties.rule.update', { type: 'duty_rule', id }, { before: { period: before.period, minCount: before.minCount, active: before.active }, changes });
    const row = await repo.findRule(tx, actor.tenantId, id);
    if (!row) throw new AppError('NOT_FOUND');
    return toRule(row);
  });
}

/** Groups calendar cells into one row per rule (cells keep the SQL's period order). */
function rowsOf(cells: repo.CellRow[], now: Date): DutyRow[] {
  const rows = new Map<string, DutyRow>();
  for (const c of cells) {
    let row = rows.get(c.ruleId);
    if (!row) {
      row = { ruleId: c.ruleId, typeId: c.typeId, typeNameZh: c.typeNameZh, typeNameEn: c.typeNameEn, period: c.period, cells: [] };
      rows.set(c.ruleId, row);
    }
    row.cells.push(toCell(c, now));
  }
  return [...rows.values()];
}

function toCell(c: repo.CellRow, now: Date): DutyCell {
  return {
    index: c.idx,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    done: c.done,
    required: c.required,
    status: cellStatus(c.done, c.required, c.endsAt, now),
  };
}

/** One unit's duties for a year: every rule of its unit type × its periods. */
export async function unitCalendar(db: Db, actor: Actor, unitId: string, year: number, now = new Date()): Promise<DutiesCalendar> {
  const scope = requirePermission(actor, 'activities.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const unit = await findUnit(tx, actor.tenantId, unitId);
    if (!unit || !inScope(scope, unit.path)) throw new AppError('NOT_FOUND');
    const cells = await repo.dutyCells(tx, actor.tenantId, year, { ids: [unit.id] }, { all: true });
    return { unitId: unit.id, unitName: unit.name, unitType: unit.type as UnitType, year, timeZone: 'Asia/Shanghai', rows: rowsOf(cells, now) };
  });
}

/** Every unit of a subtree for a year, in one statement (the organ Party committee's overview; the benchmark). */
export async function subtreeCalendar(db: Db, actor: Actor, rootUnitId: string, year: number, now = new Date()) {
  const scope = requirePermission(actor, 'activities.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const root = await findUnit(tx, actor.tenantId, rootUnitId);
    if (!root || !inScope(scope, root.path)) throw new AppError('NOT_FOUND');
    const cells = await repo.dutyCells(tx, actor.tenantId, year, { pathPrefix: root.path }, { all: true });
    const byUnit = new Map<string, repo.CellRow[]>();
    for (const c of cells) {
      const list = byUnit.get(c.unitId);
      if (list) list.push(c);
      else byUnit.set(c.unitId, [c]);
    }
    return [...byUnit.values()].map((list) => {
      const first = list[0] as repo.CellRow;
      return { unitId: first.unitId, unitName: first.unitName, rows: rowsOf(list, now) };
    });
  });
}

/**
 * Duties of a subtree whose period ended with last month (Shanghai calendar) without being
 * met: last month's monthly duties, plus the quarter's or the year's when it closed one.
 */
export async function missedLastMonth(db: Db, actor: Actor, rootUnitId: string, now = new Date()): Promise<MissedDuties> {
  const scope = requirePermission(actor, 'activities.read');
  const { year, month } = shanghaiYearMonth(now);
  const cut = shanghaiMonthStart(year, month);
  const last = shanghaiYearMonth(new Date(cut.getTime() - 1));
  return inTenant(db, actor.tenantId, async (tx) => {
    const root = await findUnit(tx, actor.tenantId, rootUnitId);
    if (!root || !inScope(scope, root.path)) throw new AppError('NOT_FOUND');
    const cells = await repo.dutyCells(tx, actor.tenantId, last.year, { pathPrefix: root.path }, { endsAt: cut });
    return {
      month: `${last.year}-${String(last.month).padStart(2, '0')}`,
      items: cells
        .filter((c) => c.done < c.required)
        .map((c) => ({
          unitId: c.unitId,
          unitName: c.unitName,
          ruleId: c.ruleId,
          typeNameZh: c.typeNameZh,
          typeNameEn: c.typeNameEn,
          period: c.period,
          startsAt: c.startsAt.toISOString(),
          endsAt: c.endsAt.toISOString(),
          done: c.done,
          required: c.required,
        })),
    };
  });
}

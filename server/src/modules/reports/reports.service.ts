import type {
  CreateTemplateRequest,
  DashboardRecordsRequest,
  DashboardResponse,
  PointsBand,
  EvaluateMetricRequest,
  Figure,
  MetricResult,
  PlaceholderError,
  PreviewRequest,
  PreviewResponse,
  ReportContext,
  Template,
  UpdateTemplateRequest,
} from '@tongxin/contracts';
import { measureStatuses, pointsBands, reportLimits } from '@tongxin/contracts';
import ExcelJS from 'exceljs';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { hasPermission, inScope, requirePermission, scopeOf, type Actor, type Scope } from '../../platform/access';
import { dutyCells, type CellRow } from '../duties/duties.repo';
import { evaluationIn } from '../points/points.service';
import { audit } from '../audit/audit.service';
import * as repo from './reports.repo';
import { findMetric, metricDef, metrics, type Metric } from './reports.metrics';
import { lineColumn, parseTemplate, type Placeholder } from './reports.placeholders';
import { rangeOf, resolvePeriodArg, type DateRange } from './reports.period';

export function listMetrics(actor: Actor) {
  requirePermission(actor, 'reports.read');
  return metrics.map(metricDef);
}

/** Resolved context of one evaluation run: the viewer's scope, the chosen units' paths, the period. */
export type EvalContext = { tenantId: string; scope: Scope; unitPaths: string[]; range: DateRange };

export async function contextOf(tx: Executor, actor: Actor, c: ReportContext): Promise<EvalContext> {
  const scope = requirePermission(actor, 'reports.read');
  const range = rangeOf(c.period);
  if (range.from > range.to) throw new AppError('VALIDATION_FAILED', [{ path: 'period', problem: 'from after to' }]);
  const units = await repo.unitPathsOf(tx, actor.tenantId, c.unitIds);
  if (units.length !== new Set(c.unitIds).size) throw new AppError('NOT_FOUND', [{ path: 'unitIds', problem: 'unknown unit' }]);
  return { tenantId: actor.tenantId, scope, unitPaths: units.map((u) => u.path), range };
}

/** An argument problem, at an offset into the placeholder (0 when evaluated from the API). */
class ArgError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

type Arg = { name: string; values: string[]; offset: number };

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a metric's arguments and evaluates it; `period` and `unit` are taken by every metric.
 * `records: false` computes the value alone (the dashboard, whose figures open their records
 * through evaluate when clicked).
 */
export async function evaluateMetric(tx: Executor, ctx: EvalContext, metric: Metric, args: Arg[], o: { records?: boolean; recordsMax?: number } = {}): Promise<MetricResult> {
  let range = ctx.range;
  let unitPaths = ctx.unitPaths;
  const filters: Record<string, string[]> = { ...metric.defaults };
  for (const a of args) {
    if (a.name === 'period') {
      const r = a.values.length === 1 && a.values[0] ? resolvePeriodArg(a.values[0], ctx.range) : 'period takes one value';
      if (typeof r === 'string') throw new ArgError(a.offset, r);
      range = r;
    } else if (a.name === 'unit') {
      const bad = a.values.find((v) => !uuidRe.test(v));
      if (bad) throw new ArgError(a.offset, `unit takes unit ids, not '${bad}'`);
      const units = await repo.unitPathsOf(tx, ctx.tenantId, a.values);
      if (units.length !== new Set(a.values).size) throw new ArgError(a.offset, 'unknown unit');
      unitPaths = units.map((u) => u.path);
    } else if (metric.filters.includes(a.name)) {
      filters[a.name] = a.values;
    } else {
      throw new ArgError(a.offset, `metric ${metric.key} takes no argument '${a.name}' (it takes period, unit${metric.filters.map((f) => `, ${f}`).join('')})`);
    }
  }
  const q: repo.MetricQuery = { tenantId: ctx.tenantId, scope: ctx.scope, unitPaths, from: range.from, to: range.to, args: filters };
  const applied: Record<string, string> = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, v.join(',')]));
  if (o.records === false) {
    const value = await repo.valueOfSource(tx, metric.source(q), metric.aggregate);
    return { metric: metric.key, filters: applied, from: range.from, to: range.to, value, records: [], truncated: false };
  }
  const r = await repo.evaluateSource(tx, metric.source(q), metric.aggregate, o.recordsMax ?? reportLimits.recordsMax);
  return { metric: metric.key, filters: applied, from: range.from, to: range.to, value: r.value, records: r.records, truncated: r.total > r.records.length };
}

export async function evaluate(db: Db, actor: Actor, req: EvaluateMetricRequest): Promise<MetricResult> {
  const metric = findMetric(req.metric);
  if (!metric) throw new AppError('NOT_FOUND', [{ path: 'metric', problem: `unknown metric '${req.metric}'` }]);
  return inTenant(db, actor.tenantId, async (tx) => evaluateIn(tx, actor, metric, req));
}

async function evaluateIn(tx: Executor, actor: Actor, metric: Metric, req: EvaluateMetricRequest, recordsMax?: number): Promise<MetricResult> {
  const ctx = await contextOf(tx, actor, req);
  const args = Object.entries(req.args).map(([name, v]) => ({ name, values: v.split(',').filter(Boolean), offset: 0 }));
  try {
    return await evaluateMetric(tx, ctx, metric, args, recordsMax === undefined ? {} : { recordsMax });
  } catch (e) {
    if (e instanceof ArgError) throw new AppError('VALIDATION_FAILED', [{ path: 'args', problem: e.message }]);
    throw e;
  }
}

const kindNames: Record<string, string> = {
  activities: '活动',
  problems: '问题',
  rectification_measures: '整改措施',
  feedback_responses: '问卷（意见）答复',
  contacts: '统战成员',
  enterprises: '企业',
  program_items: '方案任务',
  points_entries: '积分记录',
  service_cases: '服务事项',
  integrity_rule_versions: '制度修订',
  integrity_risks: '廉政风险点',
  publicity_items: '宣传信息',
  research_topics: '调研课题',
  research_suggestions: '调研意见建议',
  org_units: '单位',
  people: '党员',
};

/**
 * The records behind one figure as a spreadsheet: every record (up to exportRecordsMax), not
 * the first recordsMax the drawer shows; the sheet's first rows state the metric, filters,
 * period and value. Audited with the count.
 */
export async function exportRecords(db: Db, actor: Actor, req: EvaluateMetricRequest): Promise<{ fileName: string; data: Buffer }> {
  const metric = findMetric(req.metric);
  if (!metric) throw new AppError('NOT_FOUND', [{ path: 'metric', problem: `unknown metric '${req.metric}'` }]);
  const r = await inTenant(db, actor.tenantId, async (tx) => {
    const r = await evaluateIn(tx, actor, metric, req, reportLimits.exportRecordsMax);
    await audit(tx, actor, 'reports.records.export', null, { metric: r.metric, filters: r.filters, from: r.from, to: r.to, rows: r.records.length });
    return r;
  });
  return recordsWorkbook(metric.nameZh, metric.unitWord, r);
}

/** The records sheet: the figure's name and value, metric, filters and period on top, a row per record. */
async function recordsWorkbook(nameZh: string, unitWord: string, r: MetricResult): Promise<{ fileName: string; data: Buffer }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '同心';
  const ws = wb.addWorksheet('依据记录');
  ws.columns = [{ width: 8 }, { width: 12 }, { width: 60 }, { width: 16 }, { width: 38 }];
  const filters = Object.entries(r.filters).map(([k, v]) => `${k}=${v}`).join(' ');
  ws.addRow([`${nameZh}：${formatValue(r.value)}${unitWord}`]).font = { bold: true, size: 13 };
  ws.addRow([`指标 ${r.metric}${filters ? `，条件 ${filters}` : ''}，期间 ${r.from} 至 ${r.to}，记录 ${r.records.length} 条${r.truncated ? `（仅列出前 ${r.records.length} 条）` : ''}`]);
  ws.addRow([]);
  ws.addRow(['序号', '日期', '标题', '类别', '记录编号']).font = { bold: true };
  r.records.forEach((x, i) => ws.addRow([i + 1, x.date, x.title, kindNames[x.kind] ?? x.kind, x.id]));
  const safe = nameZh.replace(/[\\/:*?"<>|]/g, '');
  return { fileName: `依据记录-${safe}-${r.from}-${r.to}.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

// ---------------------------------------------------------------- resolving a body

export type Resolved = PreviewResponse;

/** Formats a value as it is written in prose: integers plain, others with up to 2 decimals. */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
}

/**
 * Resolves every placeholder of a body for a context. Placeholders with errors stay as
 * written and their errors (with line and column) are returned; identical placeholders are
 * evaluated once.
 */
export async function resolveBody(tx: Executor, ctx: EvalContext, body: string): Promise<Resolved> {
  const parsed = parseTemplate(body);
  const errors: PlaceholderError[] = parsed.errors.map((e) => ({ offset: e.offset, ...lineColumn(body, e.offset), message: e.message }));
  const segments: Resolved['segments'] = [];
  const figures: Figure[] = [];
  const cache = new Map<string, MetricResult>();
  const fail = (ph: Placeholder, offset: number, message: string) => {
    errors.push({ offset, ...lineColumn(body, offset), message });
    segments.push({ kind: 'text', text: ph.source });
  };
  for (const part of parsed.parts) {
    if (part.kind === 'text') {
      segments.push({ kind: 'text', text: part.text });
      continue;
    }
    const ph = part.placeholder;
    const metric = findMetric(ph.metric);
    if (!metric) {
      fail(ph, ph.metricOffset, `unknown metric '${ph.metric}'`);
      continue;
    }
    const key = JSON.stringify([metric.key, ph.args.map((a) => [a.name, a.values])]);
    let result = cache.get(key);
    if (!result) {
      try {
        result = await evaluateMetric(tx, ctx, metric, ph.args);
      } catch (e) {
        if (e instanceof ArgError) {
          fail(ph, e.offset, e.message);
          continue;
        }
        throw e;
      }
      cache.set(key, result);
    }
    const figure: Figure = { ...result, index: figures.length, source: ph.source };
    figures.push(figure);
    segments.push({ kind: 'figure', figure: figure.index, text: formatValue(result.value) });
  }
  errors.sort((a, b) => a.offset - b.offset);
  const text = segments.map((s) => s.text).join('');
  const title = text.split('\n').find((l) => l.trim())?.trim() ?? '';
  return { title, from: ctx.range.from, to: ctx.range.to, segments, text, figures, errors };
}

export async function preview(db: Db, actor: Actor, req: PreviewRequest): Promise<Resolved> {
  return inTenant(db, actor.tenantId, async (tx) => resolveBody(tx, await contextOf(tx, actor, req), req.body));
}

// ---------------------------------------------------------------- templates

function toTemplate(r: repo.TemplateRow): Template {
  return { id: r.id, code: r.code, name: r.name, body: r.body, version: r.version, updatedAt: r.updatedAt.toISOString() };
}

/** A template must parse: its errors are refused with their positions. */
function checkSyntax(body: string): void {
  const { errors } = parseTemplate(body);
  const unknown = parseTemplate(body)
    .parts.flatMap((p) => (p.kind === 'placeholder' && !findMetric(p.placeholder.metric) ? [p.placeholder] : []))
    .map((ph) => ({ offset: ph.metricOffset, message: `unknown metric '${ph.metric}'` }));
  const all = [...errors, ...unknown].sort((a, b) => a.offset - b.offset);
  if (all.length)
    throw new AppError(
      'VALIDATION_FAILED',
      all.slice(0, 20).map((e) => {
        const lc = lineColumn(body, e.offset);
        return { path: 'body', row: lc.line, column: String(lc.column), problem: e.message };
      }),
    );
}

export async function listTemplates(db: Db, actor: Actor): Promise<Template[]> {
  requirePermission(actor, 'reports.read');
  return inTenant(db, actor.tenantId, async (tx) => (await repo.listTemplates(tx, actor.tenantId)).map(toTemplate));
}

export async function getTemplate(db: Db, actor: Actor, id: string): Promise<Template> {
  requirePermission(actor, 'reports.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    const r = await repo.findTemplate(tx, actor.tenantId, id);
    if (!r) throw new AppError('NOT_FOUND');
    return toTemplate(r);
  });
}

export async function createTemplate(db: Db, actor: Actor, req: CreateTemplateRequest): Promise<Template> {
  requirePermission(actor, 'reports.write');
  checkSyntax(req.body);
  return inTenant(db, actor.tenantId, async (tx) => {
    const r = await repo.insertTemplate(tx, { tenantId: actor.tenantId, name: req.name, body: req.body, createdBy: actor.userId });
    await audit(tx, actor, 'reports.template.create', { type: 'report_template', id: r.id }, { name: r.name });
    return toTemplate(r);
  });
}

export async function updateTemplate(db: Db, actor: Actor, id: string, req: UpdateTemplateRequest): Promise<Template> {
  requirePermission(actor, 'reports.write');
  if (req.body !== undefined) checkSyntax(req.body);
  return inTenant(db, actor.tenantId, async (tx) => {
    const set: { name?: string; body?: string } = {};
    if (req.name !== undefined) set.name = req.name;
    if (req.body !== undefined) set.body = req.body;
    const r = await repo.updateTemplateVersioned(tx, actor.tenantId, id, req.version, set);
    if (!r) throw new AppError((await repo.findTemplate(tx, actor.tenantId, id)) ? 'STALE_VERSION' : 'NOT_FOUND');
    await audit(tx, actor, 'reports.template.update', { type: 'report_template', id }, { fields: Object.keys(set) });
    return toTemplate(r);
  });
}

export async function deleteTemplate(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'reports.write');
  await inTenant(db, actor.tenantId, async (tx) => {
    if (!(await repo.deleteTemplate(tx, actor.tenantId, id))) throw new AppError('NOT_FOUND');
    await audit(tx, actor, 'reports.template.delete', { type: 'report_template', id });
  });
}

// ---------------------------------------------------------------- dashboard

/** The key figures a leader looks at first; each opens its records through evaluate. */
const dashboardFigures: { metric: string; args: Record<string, string> }[] = [
  { metric: 'activities.count', args: {} },
  { metric: 'activities.people_times', args: {} },
  { metric: 'training.classes', args: {} },
  { metric: 'training.trainees', args: {} },
  { metric: 'activities.places', args: { type: 'field_visit' } },
  { metric: 'enterprises.visited', args: {} },
  { metric: 'problems.found', args: {} },
  { metric: 'problems.rectified', args: {} },
  { metric: 'cases.resolved', args: {} },
  { metric: 'publicity.items', args: {} },
];

/** The period of the same length just before: the previous year, quarter, month or days. */
export function previousRange(r: DateRange): DateRange {
  const day = 86_400_000;
  const from = Date.parse(`${r.from}T00:00:00Z`);
  const to = Date.parse(`${r.to}T00:00:00Z`);
  const f = new Date(from);
  const t = new Date(to + day);
  // whole calendar months step back by the same number of months
  if (f.getUTCDate() === 1 && t.getUTCDate() === 1) {
    const months = (t.getUTCFullYear() - f.getUTCFullYear()) * 12 + (t.getUTCMonth() - f.getUTCMonth());
    const pf = new Date(Date.UTC(f.getUTCFullYear(), f.getUTCMonth() - months, 1));
    return { from: pf.toISOString().slice(0, 10), to: new Date(from - day).toISOString().slice(0, 10) };
  }
  const len = to - from + day;
  return { from: new Date(from - len).toISOString().slice(0, 10), to: new Date(from - day).toISOString().slice(0, 10) };
}

/** Milliseconds spent per part of one dashboard call (the bench's split); optional. */
export type DashboardTimings = Partial<Record<'context' | 'figures' | 'breakdown' | 'measures' | 'duties' | 'points', number>>;

export async function dashboard(db: Db, actor: Actor, c: ReportContext, timings?: DashboardTimings): Promise<DashboardResponse> {
  let mark = performance.now();
  const lap = (part: keyof DashboardTimings) => {
    const now = performance.now();
    if (timings) timings[part] = (timings[part] ?? 0) + (now - mark);
    mark = now;
  };
  return inTenant(db, actor.tenantId, async (tx) => {
    const ctx = await contextOf(tx, actor, c);
    lap('context');
    const prev = previousRange(ctx.range);
    const figures: DashboardResponse['figures'] = [];
    // Whole months (years, quarters, months: what the dashboard offers) read the activity
    // counts the database keeps per unit × type × month; any other range counts the records.
    const months = wholeMonths(prev.from, ctx.range.to) && wholeMonths(ctx.range.from, ctx.range.to);
    const totals = months ? await repo.activityMonthTotals(tx, { tenantId: ctx.tenantId, scope: ctx.scope, unitPaths: ctx.unitPaths, fromMonth: prev.from, toMonth: ctx.range.to }) : null;
    const current = totals?.filter((t) => `${t.month}-01` >= ctx.range.from) ?? null;
    const q: repo.MetricQuery = { tenantId: ctx.tenantId, scope: ctx.scope, unitPaths: ctx.unitPaths, from: ctx.range.from, to: ctx.range.to, args: {} };
    const visited = prev.to < ctx.range.from ? await repo.visitedBothPeriods(tx, q, prev.from) : null;
    // the figures neither the counts nor the visits statement answer: both periods of all of
    // them in one statement (each the metric's own source, with its default arguments)
    const rest: { metric: Metric; args: Record<string, string> }[] = [];
    const answered = new Map<string, { value: number; previous: number }>();
    for (const f of dashboardFigures) {
      const metric = findMetric(f.metric);
      if (!metric) continue;
      const fromCounts = summaryFigures[metric.key];
      const visitedKey = visitedFigures[metric.key];
      if (totals && current && fromCounts && !Object.keys(f.args).length) {
        const sum = (rows: repo.MonthTypeTotal[]) => rows.filter((t) => !fromCounts.type || fromCounts.type.includes(t.code)).reduce((n, t) => n + t[fromCounts.column], 0);
        answered.set(metric.key, { value: sum(current), previous: sum(totals.filter((t) => `${t.month}-01` < ctx.range.from)) });
      } else if (visited && visitedKey && JSON.stringify(f.args) === JSON.stringify(visitedKey.args)) {
        answered.set(metric.key, { value: visited.current[visitedKey.value], previous: visited.previous[visitedKey.value] });
      } else rest.push({ metric, args: f.args });
    }
    const sources = rest.flatMap(({ metric, args }) => {
      const filters: Record<string, string[]> = { ...metric.defaults, ...Object.fromEntries(Object.entries(args).map(([k, v]) => [k, v.split(',')])) };
      return [ctx.range, prev].map((r) => ({ source: metric.source({ ...q, from: r.from, to: r.to, args: filters }), aggregate: metric.aggregate }));
    });
    const values = await repo.valuesOfSources(tx, sources);
    rest.forEach(({ metric }, i) => answered.set(metric.key, { value: values[2 * i] ?? 0, previous: values[2 * i + 1] ?? 0 }));
    for (const f of dashboardFigures) {
      const metric = findMetric(f.metric);
      const v = metric && answered.get(metric.key);
      if (metric && v) figures.push({ metric: metric.key, args: f.args, nameZh: metric.nameZh, nameEn: metric.nameEn, unitWord: metric.unitWord, ...v });
    }
    lap('figures');
    const { trend, byType } = current ? breakdownOf(current) : await repo.activityBreakdown(tx, q);
    lap('breakdown');
    const byStatus = await repo.measuresByStatus(tx, q);
    const rectification: DashboardResponse['rectification'] = measureStatuses.map((status) => ({ status, count: byStatus.get(status) ?? 0 }));
    lap('measures');
    const duties = await dutiesByRule(tx, actor, ctx);
    lap('duties');
    const points = await pointsOfYear(tx, actor, ctx);
    lap('points');
    const pointsBandsOut = pointsBands.map((band) => ({ band, count: points?.rows.filter((r) => bandOf(r.total) === band).length ?? 0 }));
    return {
      from: ctx.range.from,
      to: ctx.range.to,
      previousFrom: prev.from,
      previousTo: prev.to,
      figures,
      trend,
      byType,
      rectification,
      duties,
      pointsYear: points?.year ?? null,
      pointsBands: pointsBandsOut,
    };
  });
}

/** Shanghai midnight at the start of a day (YYYY-MM-DD). */
const shanghaiMidnight = (d: string) => new Date(`${d}T00:00:00+08:00`);

/** a unit within the viewer's scopes and, when units were chosen, within one of them */
function unitFilter(ctx: EvalContext, scope: Scope): (path: string) => boolean {
  return (path) => inScope(ctx.scope, path) && inScope(scope, path) && (!ctx.unitPaths.length || ctx.unitPaths.some((p) => path.startsWith(p)));
}

/**
 * The duties calendar's cells (computed by the duties area) whose period ended within the
 * period and before now, so "missed" is final; null without activities.read (the duties
 * area's permission). One duties query per calendar year the period touches.
 */
async function endedDutyCells(tx: Executor, actor: Actor, ctx: EvalContext, now: Date): Promise<CellRow[] | null> {
  if (!hasPermission(actor, 'activities.read')) return null;
  const keep = unitFilter(ctx, scopeOf(actor, 'activities.read'));
  const endsAfter = shanghaiMidnight(ctx.range.from);
  const end = new Date(shanghaiMidnight(ctx.range.to).getTime() + 86_400_000);
  const endsUntil = end < now ? end : now;
  if (endsUntil <= endsAfter) return [];
  const prefixes = ctx.unitPaths.length ? ctx.unitPaths : ctx.scope.all ? [''] : ctx.scope.paths;
  const seen = new Set<string>();
  const out: CellRow[] = [];
  const lastYear = Math.min(Number(ctx.range.to.slice(0, 4)), Number(ctx.range.from.slice(0, 4)) + 10);
  for (let year = Number(ctx.range.from.slice(0, 4)); year <= lastYear; year++)
    for (const pathPrefix of prefixes)
      for (const c of await dutyCells(tx, ctx.tenantId, year, { pathPrefix }, { endsAfter, endsUntil })) {
        const key = `${c.unitId}|${c.ruleId}|${c.period}|${c.idx}`;
        if (seen.has(key) || !keep(c.unitPath)) continue;
        seen.add(key);
        out.push(c);
      }
  return out;
}

/**
 * Duty rules' unit-periods met and missed, over the activity counts the database keeps
 * (repo.dutiesFromCounts: the duties area's calendar, dutyCells, on the same counts); the
 * same cells as endedDutyCells, whose list opens a bar. Empty without activities.read.
 */
async function dutiesByRule(tx: Executor, actor: Actor, ctx: EvalContext, now = new Date()): Promise<DashboardResponse['duties']> {
  if (!hasPermission(actor, 'activities.read')) return [];
  const endsAfter = shanghaiMidnight(ctx.range.from);
  const end = new Date(shanghaiMidnight(ctx.range.to).getTime() + 86_400_000);
  const endsUntil = end < now ? end : now;
  if (endsUntil <= endsAfter) return [];
  const firstYear = Number(ctx.range.from.slice(0, 4));
  const lastYear = Math.min(Number(ctx.range.to.slice(0, 4)), firstYear + 10);
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  return repo.dutiesFromCounts(tx, { tenantId: ctx.tenantId, scopes: [ctx.scope, scopeOf(actor, 'activities.read')], unitPaths: ctx.unitPaths, years, endsAfter, endsUntil });
}

/** Duties met/missed from the duties area's own calendar (record-based): the reference the counts-based tally is tested against. */
export async function dutiesFromCells(tx: Executor, actor: Actor, ctx: EvalContext, now = new Date()): Promise<DashboardResponse['duties']> {
  const cells = await endedDutyCells(tx, actor, ctx, now);
  const rules = new Map<string, DashboardResponse['duties'][number]>();
  for (const c of cells ?? []) {
    let r = rules.get(c.ruleId);
    if (!r) {
      r = { ruleId: c.ruleId, typeNameZh: c.typeNameZh, typeNameEn: c.typeNameEn, period: c.period, met: 0, missed: 0 };
      rules.set(c.ruleId, r);
    }
    if (c.done >= c.required) r.met += 1;
    else r.missed += 1;
  }
  return [...rules.values()];
}

/** Dashboard figures that read the month counts: the column summed and the metric's type filter. */
const summaryFigures: Record<string, { column: 'held' | 'present'; type?: string[] }> = {
  'activities.count': { column: 'held' },
  'activities.people_times': { column: 'present' },
  'training.classes': { column: 'held', type: ['training_class'] },
  'training.trainees': { column: 'present', type: ['training_class'] },
};

/** Dashboard figures of repo.visitedBothPeriods: the figure's arguments it answers for, and its value. */
const visitedFigures: Record<string, { args: Record<string, string>; value: 'places' | 'enterprises' }> = {
  'activities.places': { args: { type: 'field_visit' }, value: 'places' },
  'enterprises.visited': { args: {}, value: 'enterprises' },
};

/** from the first day of a month to the last day of a month (Shanghai calendar days) */
export function wholeMonths(from: string, to: string): boolean {
  const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000);
  return from.endsWith('-01') && next.getUTCDate() === 1;
}

/** The trend (per month × type category) and the types of the period, from month × type totals; ordered as repo.activityBreakdown orders them. */
function breakdownOf(rows: repo.MonthTypeTotal[]): { trend: DashboardResponse['trend']; byType: DashboardResponse['byType'] } {
  const trend = new Map<string, { month: string; category: string; count: number }>();
  const types = new Map<string, { code: string; nameZh: string; nameEn: string; count: number; sortOrder: number }>();
  for (const r of rows) {
    if (!r.held) continue;
    const k = `${r.month}|${r.category}`;
    const t = trend.get(k) ?? { month: r.month, category: r.category, count: 0 };
    t.count += r.held;
    trend.set(k, t);
    const y = types.get(r.code) ?? { code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, count: 0, sortOrder: r.sortOrder };
    y.count += r.held;
    types.set(r.code, y);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    trend: [...trend.values()].sort((a, b) => cmp(a.month, b.month) || cmp(a.category, b.category)),
    byType: [...types.values()].sort((a, b) => b.count - a.count || a.sortOrder - b.sortOrder).map(({ sortOrder: _, ...t }) => t),
  };
}

/** The bands of a year's points total: under 60, 60–69, 70–79, 80–89, 90 and over. */
export function bandOf(total: number): PointsBand {
  if (total < 60) return 'lt60';
  if (total >= 90) return 'ge90';
  return String(Math.floor(total / 10) * 10) as PointsBand;
}

/**
 * Members' points totals (the points area's yearly evaluation) of the year the period ends
 * in, within the viewer's scopes; null without points.read.
 */
async function pointsOfYear(tx: Executor, actor: Actor, ctx: EvalContext) {
  if (!hasPermission(actor, 'points.read')) return null;
  const year = Number(ctx.range.to.slice(0, 4));
  const ev = await evaluationIn(tx, ctx.tenantId, year);
  const keep = unitFilter(ctx, scopeOf(actor, 'points.read'));
  const paths = new Map((await repo.unitPathsOf(tx, ctx.tenantId, [...new Set(ev.rows.map((r) => r.branchId))])).map((u) => [u.id, u.path]));
  return { year, rows: ev.rows.filter((r) => keep(paths.get(r.branchId) ?? '\u0000')) };
}

const periodZh = (c: CellRow) => {
  const y = c.startsAt.getTime() + 8 * 3_600_000;
  const year = new Date(y).getUTCFullYear();
  return c.period === 'month' ? `${year}年${c.idx}月` : c.period === 'quarter' ? `${year}年第${c.idx}季度` : `${year}年`;
};

/**
 * The records behind a bar of the duties or points chart: the units that missed a duty rule
 * (one record per unit, its missed periods in the title; the value counts missed periods as
 * the bar does), or the members of a points band (highest total first).
 */
export async function dashboardRecords(db: Db, actor: Actor, req: DashboardRecordsRequest, max: number = reportLimits.recordsMax): Promise<MetricResult> {
  return inTenant(db, actor.tenantId, async (tx): Promise<MetricResult> => {
    const ctx = await contextOf(tx, actor, req);
    if (req.chart === 'duties') {
      const cells = await endedDutyCells(tx, actor, ctx, new Date());
      if (!cells) throw new AppError('FORBIDDEN');
      const missed = cells.filter((c) => c.ruleId === req.key && c.done < c.required);
      const byUnit = new Map<string, CellRow[]>();
      for (const c of missed) byUnit.set(c.unitId, [...(byUnit.get(c.unitId) ?? []), c]);
      const records = [...byUnit.values()].map((list) => {
        const first = list[0] as CellRow;
        const periods = list.map((c) => `${periodZh(c)}（${c.done}/${c.required}）`).join('、');
        const last = list[list.length - 1] as CellRow;
        return { id: first.unitId, kind: 'org_units', title: `${first.unitName}：${first.typeNameZh} ${periods}`, date: new Date(last.endsAt.getTime() - 1 + 8 * 3_600_000).toISOString().slice(0, 10) };
      });
      const rule = missed[0];
      return {
        metric: 'duties.missed',
        filters: { rule: rule ? rule.typeNameZh : req.key },
        from: ctx.range.from,
        to: ctx.range.to,
        value: missed.length,
        records: records.slice(0, max),
        truncated: records.length > max,
      };
    }
    const band = pointsBands.find((b) => b === req.key);
    if (!band) throw new AppError('VALIDATION_FAILED', [{ path: 'key', problem: `unknown band '${req.key}'` }]);
    const points = await pointsOfYear(tx, actor, ctx);
    if (!points) throw new AppError('FORBIDDEN');
    const rows = points.rows.filter((r) => bandOf(r.total) === band).sort((a, b) => b.total - a.total || a.personName.localeCompare(b.personName, 'zh'));
    return {
      metric: 'points.band',
      filters: { band, year: String(points.year) },
      from: `${points.year}-01-01`,
      to: `${points.year}-12-31`,
      value: rows.length,
      records: rows.slice(0, max).map((r) => ({ id: r.personId, kind: 'people', title: `${r.personName}（${r.branchName}）：${formatValue(r.total)}分`, date: null })),
      truncated: rows.length > max,
    };
  });
}

/** A duties or points bar's records as XLSX (every record up to exportRecordsMax), audited as the metric export is. */
export async function exportDashboardRecords(db: Db, actor: Actor, req: DashboardRecordsRequest): Promise<{ fileName: string; data: Buffer }> {
  const r = await dashboardRecords(db, actor, req, reportLimits.exportRecordsMax);
  await inTenant(db, actor.tenantId, (tx) => audit(tx, actor, 'reports.records.export', null, { metric: r.metric, filters: r.filters, from: r.from, to: r.to, rows: r.records.length }));
  return r.metric === 'duties.missed'
    ? recordsWorkbook(`未完成规定动作（${r.filters.rule ?? ''}）`, '次', r)
    : recordsWorkbook(`${r.filters.year ?? ''}年度积分段（${bandNamesZh[req.key as PointsBand] ?? req.key}）党员`, '名', r);
}

const bandNamesZh: Record<PointsBand, string> = { lt60: '60分以下', '60': '60–69分', '70': '70–79分', '80': '80–89分', ge90: '90分及以上' };

import type {
  CreateTemplateRequest,
  DashboardResponse,
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
import { measureStatuses, reportLimits } from '@tongxin/contracts';
import ExcelJS from 'exceljs';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { requirePermission, type Actor, type Scope } from '../../platform/access';
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
  const wb = new ExcelJS.Workbook();
  wb.creator = '同心';
  const ws = wb.addWorksheet('依据记录');
  ws.columns = [{ width: 8 }, { width: 12 }, { width: 60 }, { width: 16 }, { width: 38 }];
  const filters = Object.entries(r.filters).map(([k, v]) => `${k}=${v}`).join(' ');
  ws.addRow([`${metric.nameZh}：${formatValue(r.value)}${metric.unitWord}`]).font = { bold: true, size: 13 };
  ws.addRow([`指标 ${metric.key}${filters ? `，条件 ${filters}` : ''}，期间 ${r.from} 至 ${r.to}，记录 ${r.records.length} 条${r.truncated ? `（仅列出前 ${r.records.length} 条）` : ''}`]);
  ws.addRow([]);
  ws.addRow(['序号', '日期', '标题', '类别', '记录编号']).font = { bold: true };
  r.records.forEach((x, i) => ws.addRow([i + 1, x.date, x.title, kindNames[x.kind] ?? x.kind, x.id]));
  const safe = metric.nameZh.replace(/[\\/:*?"<>|]/g, '');
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

export async function dashboard(db: Db, actor: Actor, c: ReportContext): Promise<DashboardResponse> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const ctx = await contextOf(tx, actor, c);
    const prev = previousRange(ctx.range);
    const figures: DashboardResponse['figures'] = [];
    for (const f of dashboardFigures) {
      const metric = findMetric(f.metric);
      if (!metric) continue;
      const args = Object.entries(f.args).map(([name, v]) => ({ name, values: v.split(','), offset: 0 }));
      const now = await evaluateMetric(tx, ctx, metric, args, { records: false });
      const before = await evaluateMetric(tx, { ...ctx, range: prev }, metric, args, { records: false });
      figures.push({ metric: metric.key, args: f.args, nameZh: metric.nameZh, nameEn: metric.nameEn, unitWord: metric.unitWord, value: now.value, previous: before.value });
    }
    const q: repo.MetricQuery = { tenantId: ctx.tenantId, scope: ctx.scope, unitPaths: ctx.unitPaths, from: ctx.range.from, to: ctx.range.to, args: {} };
    const { trend, byType } = await repo.activityBreakdown(tx, q);
    const rectification: DashboardResponse['rectification'] = [];
    const measures = findMetric('rectification.measures');
    if (measures)
      for (const status of measureStatuses) {
        const r = await evaluateMetric(tx, ctx, measures, [{ name: 'status', values: [status], offset: 0 }], { records: false });
        rectification.push({ status, count: r.value });
      }
    return { from: ctx.range.from, to: ctx.range.to, previousFrom: prev.from, previousTo: prev.to, figures, trend, byType, rectification };
  });
}

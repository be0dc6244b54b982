import type { CheckedFigure, CheckRequest, ConfirmMappingRequest } from '@tongxin/contracts';
import type { Db, Executor } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { requirePermission, type Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import * as repo from './reports.repo';
import { findMetric, metrics } from './reports.metrics';
import { findFigures, type FoundFigure } from './reports.figures';
import { contextOf, evaluateMetric, type EvalContext } from './reports.service';

type Proposal = { metric: string; args: Record<string, string> };

/**
 * Phrases of hand-written reports and the metric they state, most specific first. The
 * shipped templates use the same metrics and arguments, so a report generated from them
 * and edited by hand checks back cleanly.
 */
const rules: { words: string[]; measure: string[]; metric: string; args: Record<string, string>; also?: (text: string, args: Record<string, string>, f: FoundFigure) => void }[] = [
  { words: ['现场教学'], measure: ['次', '场'], metric: 'activities.count', args: { type: 'field_teaching' } },
  { words: ['培训班'], measure: ['期', '个', '次'], metric: 'training.classes', args: {} },
  {
    words: ['培训', '学员'],
    measure: ['人次', '名'],
    metric: 'training.trainees',
    args: {},
    also: (t, a) => {
      if (t.includes('党外')) a.party = 'none';
    },
  },
  { words: ['志愿', '疫情防控'], measure: ['人次'], metric: 'activities.people_times', args: { type: 'volunteer_service' } },
  { words: ['中心组'], measure: ['次', '场'], metric: 'activities.count', args: { type: 'central_group_study' }, also: (t, a) => void (t.includes('扩大') && (a.type = 'central_group_study_extended')) },
  { words: ['集体学习'], measure: ['次', '场'], metric: 'activities.count', args: { type: 'collective_study' } },
  { words: ['集中学习'], measure: ['次', '场'], metric: 'activities.count', args: { type: 'collective_study' }, also: (t, a) => void (t.includes('党史') && (a.topic = '党史')) },
  // research (调研): the topics, their symposiums, places and suggestions, before the general visit and meeting phrases
  { words: ['调研课题', '课题'], measure: ['个', '项'], metric: 'research.topics', args: {} },
  { words: ['调研座谈', '调研召开座谈'], measure: ['场', '次'], metric: 'research.symposiums', args: {} },
  { words: ['收集意见建议', '征集意见建议', '收集到意见建议'], measure: ['条'], metric: 'research.suggestions', args: {} },
  {
    words: ['县市区', '县（市、区）', '乡镇', '乡（镇）'],
    measure: ['个'],
    metric: 'research.places',
    args: {},
    // the kind is the word right after the figure ('2个县市区和5个乡镇': districts, then towns)
    also: (_t, a, f) => void (a.place_kind = /^乡/.test(f.after) ? 'town' : 'district'),
  },
  { words: ['交流研讨', '研讨', '座谈'], measure: ['次', '场'], metric: 'activities.count', args: { type: 'symposium' } },
  { words: ['汇报'], measure: ['次'], metric: 'activities.count', args: { topic: '汇报党建' } },
  { words: ['委员会议', '委员会'], measure: ['次'], metric: 'activities.count', args: { type: 'branch_committee_meeting' } },
  { words: ['主题党日'], measure: ['次'], metric: 'activities.count', args: { type: 'theme_party_day' } },
  { words: ['警示教育'], measure: ['次', '场'], metric: 'activities.count', args: { type: 'warning_education' } },
  { words: ['研判', '党风廉政'], measure: ['次'], metric: 'activities.count', args: { topic: '党风廉政' } },
  { words: ['重点工作'], measure: ['项', '个'], metric: 'programs.items', args: { kind: 'key_task' } },
  { words: ['办实事'], measure: ['个', '项'], metric: 'programs.items', args: { kind: 'service_project' } },
  { words: ['制度'], measure: ['项', '个', '条'], metric: 'integrity.rules_revised', args: {} },
  { words: ['风险点'], measure: ['个', '项', '条'], metric: 'integrity.risks', args: {} },
  { words: ['宣传', '稿件', '信息'], measure: ['条', '篇'], metric: 'publicity.items', args: {} },
  { words: ['民营企业'], measure: ['家'], metric: 'enterprises.visited', args: { enterprise_type: 'private' } },
  { words: ['台资企业', '台企'], measure: ['家'], metric: 'enterprises.visited', args: { enterprise_type: 'taiwan_funded' } },
  { words: ['侨资企业'], measure: ['家'], metric: 'enterprises.visited', args: { enterprise_type: 'overseas_chinese_funded' } },
  { words: ['问卷', '征求意见表'], measure: ['份'], metric: 'feedback.responses', args: {} },
  { words: ['解决问题', '整改到位'], measure: ['个', '条', '项'], metric: 'problems.rectified', args: {} },
  { words: ['检视问题', '发现问题', '查摆问题'], measure: ['个', '条', '项'], metric: 'problems.found', args: {} },
  { words: ['整改措施'], measure: ['项', '条', '个'], metric: 'rectification.measures', args: {} },
  { words: ['走访调研', '走访'], measure: ['次'], metric: 'activities.count', args: { type: 'field_visit' }, also: (t, a) => void (t.includes('村') && (a.place_kind = 'village')) },
];

/** The metric a figure most likely states: a confirmed mapping, a rule, a type name, then synonyms. */
export function propose(f: FoundFigure, confirmed: repo.MappingRow[], typeNames: { code: string; nameZh: string }[]): Proposal & { confirmed: boolean } | null {
  const mine = confirmed.find((c) => c.measureWord === f.measureWord && c.phrase === f.phrase) ?? confirmed.find((c) => c.measureWord === f.measureWord && f.phrase.endsWith(c.phrase));
  if (mine) return { metric: mine.metric, args: mine.args as Record<string, string>, confirmed: true };
  const text = f.phrase + f.after;
  for (const r of rules) {
    if (!r.measure.includes(f.measureWord) || !r.words.some((w) => text.includes(w))) continue;
    const args = { ...r.args };
    r.also?.(text, args, f);
    return { metric: r.metric, args, confirmed: false };
  }
  if (['次', '场', '期'].includes(f.measureWord)) {
    const t = [...typeNames].sort((a, b) => b.nameZh.length - a.nameZh.length).find((x) => text.includes(x.nameZh));
    if (t) return { metric: 'activities.count', args: { type: t.code }, confirmed: false };
  }
  let best: { key: string; score: number } | null = null;
  for (const x of metrics) {
    if (!x.measureWords.includes(f.measureWord)) continue;
    const score = x.synonyms.filter((s) => text.includes(s)).reduce((n, s) => n + s.length, 0);
    if (score > 0 && (!best || score > best.score)) best = { key: x.key, score };
  }
  return best ? { metric: best.key, args: {}, confirmed: false } : null;
}

async function computeFor(tx: Executor, ctx: EvalContext, p: Proposal): Promise<number | null> {
  const metric = findMetric(p.metric);
  if (!metric) return null;
  try {
    const r = await evaluateMetric(
      tx,
      ctx,
      metric,
      Object.entries(p.args).map(([name, v]) => ({ name, values: v.split(','), offset: 0 })),
      { records: false },
    );
    return r.value;
  } catch {
    // a remembered mapping whose arguments no longer apply counts as unknown, not as an error
    return null;
  }
}

export async function checkFigures(db: Db, actor: Actor, req: CheckRequest): Promise<CheckedFigure[]> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const ctx = await contextOf(tx, actor, req);
    const confirmed = await repo.listMappings(tx, actor.tenantId);
    const typeNames = await repo.activityTypeNames(tx, actor.tenantId);
    const cache = new Map<string, number | null>();
    const out: CheckedFigure[] = [];
    for (const f of findFigures(req.text)) {
      const p = propose(f, confirmed, typeNames);
      let computed: number | null = null;
      if (p) {
        const key = JSON.stringify([p.metric, p.args]);
        if (!cache.has(key)) cache.set(key, await computeFor(tx, ctx, p));
        computed = cache.get(key) ?? null;
      }
      const status = computed === null ? 'unknown' : (f.approx ? computed >= f.value : computed === f.value) ? 'matches' : 'differs';
      out.push({
        start: f.start,
        end: f.end,
        written: f.written,
        value: f.value,
        approx: f.approx,
        measureWord: f.measureWord,
        phrase: f.phrase,
        after: f.after,
        metric: p?.metric ?? null,
        metricNameZh: p ? (findMetric(p.metric)?.nameZh ?? null) : null,
        args: p?.args ?? {},
        confirmed: p?.confirmed ?? false,
        computed,
        status,
      });
    }
    return out;
  });
}

export async function confirmMapping(db: Db, actor: Actor, req: ConfirmMappingRequest): Promise<void> {
  requirePermission(actor, 'reports.write');
  const metric = findMetric(req.metric);
  if (!metric) throw new AppError('NOT_FOUND', [{ path: 'metric', problem: `unknown metric '${req.metric}'` }]);
  const bad = Object.keys(req.args).find((k) => k !== 'period' && k !== 'unit' && !metric.filters.includes(k));
  if (bad) throw new AppError('VALIDATION_FAILED', [{ path: `args.${bad}`, problem: `metric ${metric.key} takes no argument '${bad}'` }]);
  await inTenant(db, actor.tenantId, async (tx) => {
    await repo.upsertMapping(tx, { tenantId: actor.tenantId, phrase: req.phrase, measureWord: req.measureWord, metric: metric.key, args: req.args, createdBy: actor.userId });
    await audit(tx, actor, 'reports.mapping.confirm', { type: 'report_figure_mapping' }, { phrase: req.phrase, measureWord: req.measureWord, metric: metric.key });
  });
}

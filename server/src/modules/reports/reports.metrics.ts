import type { MetricDef } from '@tongxin/contracts';
import * as repo from './reports.repo';

/**
 * The metrics catalogue: every figure of a dashboard, a program indicator or a work summary
 * is one of these, defined once here. Each turns a query (period, units, arguments) into a
 * source of evidence rows; the value and the record list come from the same rows.
 *
 * Arguments every metric takes: period (see reports.period.ts) and unit (unit ids, subtrees).
 * `synonyms` are the words a hand-written report uses for it (the figure check matches them).
 */
export type Metric = MetricDef & {
  aggregate: repo.Aggregate;
  source: (q: repo.MetricQuery) => repo.Source;
  /** arguments applied when the placeholder gives none */
  defaults: Record<string, string[]>;
  synonyms: string[];
  /** measure words a report writes this metric with */
  measureWords: string[];
};

const activityFilters = ['type', 'status', 'topic', 'place_kind', 'category'];

type Spec = Omit<Metric, 'aliases' | 'defaults' | 'synonyms' | 'measureWords'> & Partial<Pick<Metric, 'aliases' | 'defaults' | 'synonyms' | 'measureWords'>>;

const m = (s: Spec): Metric => ({ aliases: [], defaults: {}, synonyms: [], measureWords: [s.unitWord], ...s });

export const metrics: Metric[] = [
  m({
    key: 'activities.count',
    aliases: ['count activities', 'activities'],
    nameZh: '活动次数',
    nameEn: 'Activities held',
    descriptionZh: '期间内已召开（已举行或已记录）的活动数，可按活动类型、主题关键词、走访对象类型、学员类别筛选。',
    descriptionEn: 'Activities held or recorded in the period, by type code, topic keyword, kind of place or trainee category.',
    unitWord: '次',
    measureWords: ['次', '场', '期', '个'],
    filters: activityFilters,
    aggregate: 'sum',
    source: (q) => repo.activitySource(q, { weight: 'one' }),
    synonyms: ['活动', '会议', '学习会', '学习', '现场教学', '研讨', '座谈', '警示教育', '主题党日', '党课', '组织生活会', '中心组', '委员会议', '集中学习', '走访', '调研', '汇报', '研判'],
  }),
  m({
    key: 'activities.people_times',
    aliases: ['people times', 'people_times'],
    nameZh: '参加人次',
    nameEn: 'People-times of attendance',
    descriptionZh: '期间内活动的实到人次（签到或登记为出席），可按活动类型和参加者政治面貌（party=full,probationary,none,member）筛选。',
    descriptionEn: 'Present attendances at activities in the period, by activity type and participant party status (party=full, probationary, none, member).',
    unitWord: '人次',
    filters: [...activityFilters, 'party'],
    aggregate: 'sum',
    source: (q) => repo.activitySource(q, { weight: 'present' }),
    synonyms: ['参加', '参与', '出席', '人次', '志愿服务', '疫情防控', '培训'],
  }),
  m({
    key: 'activities.places',
    aliases: ['places visited', 'places'],
    nameZh: '走访地点数',
    nameEn: 'Distinct places visited',
    descriptionZh: '期间内走访调研、现场教学等活动到过的不同地点数（按活动的地点名称去重），可按走访对象类型（place_kind=village,enterprise,town,district）筛选。',
    descriptionEn: 'Distinct places visited by field visits and on-site teaching in the period (by place name), by kind of place.',
    unitWord: '个',
    measureWords: ['个', '家', '处'],
    filters: activityFilters,
    aggregate: 'distinct',
    defaults: { type: ['field_visit', 'field_teaching'] },
    source: (q) => repo.activitySource(q, { weight: 'one', key: 'place' }),
    synonyms: ['走访', '村', '社区', '地点', '基地', '联系村'],
  }),
  m({
    key: 'enterprises.visited',
    aliases: ['enterprises visited'],
    nameZh: '走访企业数',
    nameEn: 'Enterprises visited',
    descriptionZh: '期间内走访调研到过的登记在册企业数（按企业名称去重），可按企业类型（enterprise_type=private,taiwan_funded,overseas_chinese_funded,hk_macao_funded）筛选。',
    descriptionEn: 'Distinct registered enterprises visited in the period, by enterprise type.',
    unitWord: '家',
    filters: [...activityFilters, 'enterprise_type'],
    aggregate: 'distinct',
    defaults: { type: ['field_visit'] },
    source: (q) => repo.activitySource(q, { weight: 'one', key: 'place', enterprises: true }),
    synonyms: ['走访', '企业', '民营企业', '台资企业', '侨资企业', '台企'],
  }),
  m({
    key: 'training.classes',
    aliases: ['training classes'],
    nameZh: '培训班期数',
    nameEn: 'Training classes',
    descriptionZh: '期间内举办的培训班期数，可按学员类别（category）筛选。',
    descriptionEn: 'Training classes held in the period, by trainee category.',
    unitWord: '期',
    filters: activityFilters,
    aggregate: 'sum',
    defaults: { type: ['training_class'] },
    source: (q) => repo.activitySource(q, { weight: 'one' }),
    synonyms: ['培训班', '培训', '举办', '班'],
  }),
  m({
    key: 'training.trainees',
    aliases: ['trainees'],
    nameZh: '培训人次',
    nameEn: 'Trainee people-times',
    descriptionZh: '期间内培训班的实到学员人次，可按学员类别和政治面貌（party）筛选。',
    descriptionEn: 'Present trainees of training classes in the period, by trainee category and party status.',
    unitWord: '人次',
    filters: [...activityFilters, 'party'],
    aggregate: 'sum',
    defaults: { type: ['training_class'] },
    source: (q) => repo.activitySource(q, { weight: 'present' }),
    synonyms: ['培训', '学员', '党外人士', '培训党外人士'],
  }),
  m({
    key: 'problems.found',
    aliases: ['problems found'],
    nameZh: '发现问题数',
    nameEn: 'Problems found',
    descriptionZh: '期间内查摆、调研、征求意见发现并登记的问题数，可按来源（source）、类别（category）、方案（program）筛选。',
    descriptionEn: 'Problems found and registered in the period, by source, category or program.',
    unitWord: '个',
    measureWords: ['个', '条', '项'],
    filters: ['source', 'category', 'program'],
    aggregate: 'sum',
    source: repo.problemsFoundSource,
    synonyms: ['发现问题', '查摆问题', '问题', '意见建议', '建议'],
  }),
  m({
    key: 'problems.rectified',
    aliases: ['problems rectified'],
    nameZh: '解决问题数',
    nameEn: 'Problems rectified',
    descriptionZh: '期间内整改完成（措施全部办结）的问题数。',
    descriptionEn: 'Problems whose measures were all closed in the period.',
    unitWord: '个',
    measureWords: ['个', '条', '项'],
    filters: ['source', 'category', 'program'],
    aggregate: 'sum',
    source: repo.problemsRectifiedSource,
    synonyms: ['解决问题', '协调解决问题', '整改', '解决', '办结'],
  }),
  m({
    key: 'rectification.measures',
    aliases: ['measures'],
    nameZh: '整改措施数',
    nameEn: 'Rectification measures',
    descriptionZh: '期间内制定的整改措施数，可按状态（status）筛选。',
    descriptionEn: 'Rectification measures set in the period, by status.',
    unitWord: '项',
    measureWords: ['项', '条', '个'],
    filters: ['source', 'category', 'program', 'status'],
    aggregate: 'sum',
    source: repo.measuresSource,
    synonyms: ['整改措施', '措施', '制度'],
  }),
  m({
    key: 'feedback.responses',
    aliases: ['feedback responses', 'questionnaires'],
    nameZh: '收回问卷（意见）份数',
    nameEn: 'Feedback responses',
    descriptionZh: '期间内收到的问卷或征求意见表答复份数，可按方案（program）或表单（form）筛选。',
    descriptionEn: 'Answers received to feedback forms (questionnaires) in the period, by program or form.',
    unitWord: '份',
    filters: ['program', 'form'],
    aggregate: 'sum',
    source: repo.feedbackResponsesSource,
    synonyms: ['问卷', '调查问卷', '发放调查问卷', '征求意见', '意见表'],
  }),
  m({
    key: 'unitedfront.contacts',
    aliases: ['contacts'],
    nameZh: '统战成员数',
    nameEn: 'United-front contacts',
    descriptionZh: '期末在册的统战联系对象人数，可按类别（category）和标签（tag）筛选。',
    descriptionEn: 'Active united-front contacts at the end of the period, by category and tag.',
    unitWord: '名',
    measureWords: ['名', '人'],
    filters: ['category', 'tag'],
    aggregate: 'sum',
    source: repo.contactsSource,
    synonyms: ['统战成员', '党外人士', '党外代表人士', '联系对象'],
  }),
  m({
    key: 'unitedfront.enterprises',
    aliases: ['enterprises'],
    nameZh: '在册企业数',
    nameEn: 'Registered enterprises',
    descriptionZh: '期末在册企业数，可按企业类型（enterprise_type）筛选。',
    descriptionEn: 'Active registered enterprises at the end of the period, by type.',
    unitWord: '家',
    filters: ['enterprise_type'],
    aggregate: 'sum',
    source: repo.enterprisesSource,
    synonyms: ['企业', '民营企业', '台资企业'],
  }),
  m({
    key: 'programs.items',
    aliases: ['program items', 'tasks'],
    nameZh: '方案任务项数',
    nameEn: 'Program items',
    descriptionZh: '期间内进行中的工作方案的任务项数（重点工作、办实事项目等），可按类型（kind）和方案（program）筛选。',
    descriptionEn: 'Items of programs running in the period (key tasks, service projects…), by kind and program.',
    unitWord: '项',
    measureWords: ['项', '个'],
    filters: ['kind', 'program'],
    aggregate: 'sum',
    source: repo.programItemsSource,
    synonyms: ['重点工作', '任务', '项目', '办实事', '实事项目'],
  }),
  m({
    key: 'cases.raised',
    aliases: ['service cases'],
    nameZh: '服务事项数',
    nameEn: 'Service cases raised',
    descriptionZh: '期间内受理的为统战成员、企业办实事服务事项数（含协助企业项目签约等），可按类别（category，如 项目签约）、提出方类型（requester_type=enterprise,contact）和企业类型（enterprise_type）筛选。',
    descriptionEn: 'Service cases raised in the period (projects helped to signing included), by category (e.g. 项目签约), requester type and enterprise type.',
    unitWord: '个',
    measureWords: ['个', '件', '项'],
    filters: ['category', 'requester_type', 'enterprise_type'],
    aggregate: 'sum',
    source: repo.casesRaisedSource,
    synonyms: ['办实事', '服务事项', '诉求', '送服务', '项目', '签约'],
  }),
  m({
    key: 'cases.resolved',
    aliases: ['cases resolved'],
    nameZh: '办结服务事项数',
    nameEn: 'Service cases resolved',
    descriptionZh: '期间内办结（已解决）的服务事项数，可按类别、提出方类型和企业类型（enterprise_type）筛选。',
    descriptionEn: 'Service cases closed as resolved in the period, by category, requester type and enterprise type.',
    unitWord: '个',
    measureWords: ['个', '件', '项'],
    filters: ['category', 'requester_type', 'enterprise_type'],
    aggregate: 'sum',
    source: repo.casesResolvedSource,
    synonyms: ['解决问题', '协调解决', '解难题', '办结'],
  }),
  m({
    key: 'integrity.rules_revised',
    aliases: ['rules revised'],
    nameZh: '修订制度数',
    nameEn: 'Rules revised',
    descriptionZh: '期间内修订（含新订）的制度项数，同一制度多次修订计一项。',
    descriptionEn: 'Rules revised or issued in the period (a rule revised twice counts once).',
    unitWord: '项',
    measureWords: ['项', '个', '条'],
    filters: [],
    aggregate: 'distinct',
    source: repo.rulesRevisedSource,
    synonyms: ['制度', '修订', '规定', '办法'],
  }),
  m({
    key: 'integrity.risks',
    aliases: ['risk points'],
    nameZh: '廉政风险点数',
    nameEn: 'Integrity risk points',
    descriptionZh: '期末登记的廉政风险点数，可按等级（level=high,medium,low）筛选。',
    descriptionEn: 'Integrity risk points on the register at the end of the period, by level.',
    unitWord: '个',
    measureWords: ['个', '项', '条'],
    filters: ['level'],
    aggregate: 'sum',
    source: repo.integrityRisksSource,
    synonyms: ['风险点', '廉政风险'],
  }),
  m({
    key: 'publicity.items',
    aliases: ['publicity items'],
    nameZh: '宣传信息数',
    nameEn: 'Publicity items',
    descriptionZh: '期间内刊发、报送的宣传信息条数，可按渠道（channel=newspaper,website,wechat,report_to_higher）和采用级别（adopted_level）筛选。',
    descriptionEn: 'Publicity items published in the period, by channel and level adopted at.',
    unitWord: '条',
    measureWords: ['条', '篇', '期', '个'],
    filters: ['channel', 'adopted_level'],
    aggregate: 'sum',
    source: repo.publicitySource,
    synonyms: ['宣传', '信息', '稿件', '专栏', '推送', '刊发', '报送'],
  }),
  m({
    key: 'points.total',
    aliases: ['points'],
    nameZh: '积分合计',
    nameEn: 'Points total',
    descriptionZh: '期间内积分台账的分值合计，可按规则（rule）筛选。',
    descriptionEn: 'Sum of points ledger amounts in the period, by rule code.',
    unitWord: '分',
    filters: ['rule'],
    aggregate: 'sum',
    source: repo.pointsSource,
    synonyms: ['积分'],
  }),
];

const byName = new Map<string, Metric>();
for (const x of metrics) {
  byName.set(x.key, x);
  for (const a of x.aliases) byName.set(a, x);
}

/** A metric by key or alias (several words separated by single spaces). */
export function findMetric(name: string): Metric | undefined {
  return byName.get(name.trim().replace(/\s+/g, ' '));
}

export function metricDef(x: Metric): MetricDef {
  return {
    key: x.key,
    aliases: x.aliases,
    nameZh: x.nameZh,
    nameEn: x.nameEn,
    descriptionZh: x.descriptionZh,
    descriptionEn: x.descriptionEn,
    unitWord: x.unitWord,
    filters: x.filters,
  };
}

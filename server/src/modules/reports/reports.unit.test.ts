import { describe, expect, it } from 'vitest';
import { formatPlaceholder, lineColumn, parseTemplate, type Placeholder } from './reports.placeholders';
import { findFigures, parseChineseNumber } from './reports.figures';
import { rangeOf, resolvePeriodArg } from './reports.period';
import { propose } from './reports.check.service';
import { findMetric, metrics } from './reports.metrics';
import { defaultTemplates } from './reports.defaults';
import { previousRange } from './reports.service';

const placeholders = (src: string): Placeholder[] => parseTemplate(src).parts.flatMap((p) => (p.kind === 'placeholder' ? [p.placeholder] : []));

describe('placeholder parser', () => {
  it('reads a key, an alias of several words, lists and quoted values', () => {
    const src = '培训班{{training.classes}}期，{{count activities type=training_class,field_teaching period=year}}次，{{activities.count topic="党史 学习" status=held}}';
    const [a, b, c] = placeholders(src);
    expect(a).toMatchObject({ metric: 'training.classes', args: [] });
    expect(src.slice(a?.start, a?.end)).toBe('{{training.classes}}');
    expect(b).toMatchObject({ metric: 'count activities', args: [{ name: 'type', values: ['training_class', 'field_teaching'] }, { name: 'period', values: ['year'] }] });
    expect(c?.args).toEqual([
      { name: 'topic', values: ['党史 学习'], offset: expect.any(Number) as number },
      { name: 'status', values: ['held'], offset: expect.any(Number) as number },
    ]);
    expect(parseTemplate(src).errors).toEqual([]);
  });

  it('keeps text around placeholders and an escaped {{ as text', () => {
    const r = parseTemplate('前\\{{不是}}后{{ points }}尾');
    expect(r.parts).toEqual([
      { kind: 'text', text: '前{{不是}}后' },
      { kind: 'placeholder', placeholder: expect.objectContaining({ metric: 'points' }) as Placeholder },
      { kind: 'text', text: '尾' },
    ]);
  });

  it.each([
    ['{{}}', 0, 'empty placeholder'],
    ['ab{{activities.count type=}}', 'ab{{activities.count type='.length, 'missing value'],
    ['{{type=x}}', 2, 'metric name must come before'],
    ['{{activities.count type=a type=b}}', '{{activities.count type=a '.length, 'given twice'],
    ['{{activities.count\n}}', 0, 'not closed'],
    ['x {{activities.count topic="abc}}', 'x {{activities.count topic='.length, 'quoted value not closed'],
    ['{{activities.count type=a foo}}', '{{activities.count type=a '.length, "expected 'name=value'"],
    ['{{activities.count Type=a}}', '{{activities.count '.length, 'bad argument name'],
  ])('reports %j at its offset', (src, offset, message) => {
    const r = parseTemplate(src);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.offset).toBe(offset);
    expect(r.errors[0]?.message).toContain(message);
    // the broken placeholder stays in the text as written
    expect(r.parts.every((p) => p.kind === 'text')).toBe(true);
  });

  it('carries on after an error and gives lines and columns', () => {
    const src = '第一行\n第二行{{}}和{{points}}';
    const r = parseTemplate(src);
    expect(r.errors).toHaveLength(1);
    expect(lineColumn(src, r.errors[0]?.offset ?? -1)).toEqual({ line: 2, column: 4 });
    expect(placeholders(src).map((p) => p.metric)).toEqual(['points']);
  });

  it('writes back what it reads', () => {
    const text = formatPlaceholder('activities.count', { type: 'a,b', topic: '党史 学习' });
    expect(placeholders(text)[0]).toMatchObject({ metric: 'activities.count', args: [{ name: 'type', values: ['a', 'b'] }, { name: 'topic', values: ['党史 学习'] }] });
  });

  it('the shipped templates parse and name known metrics with their arguments', () => {
    for (const t of defaultTemplates) {
      const r = parseTemplate(t.body);
      expect(r.errors).toEqual([]);
      for (const ph of placeholders(t.body)) {
        const m = findMetric(ph.metric);
        expect(m, ph.source).toBeDefined();
        for (const a of ph.args) expect([...(m?.filters ?? []), 'period', 'unit'], ph.source).toContain(a.name);
      }
    }
  });
});

describe('periods (Asia/Shanghai calendar days)', () => {
  it('turns periods into inclusive days', () => {
    expect(rangeOf({ kind: 'year', year: 2021 })).toEqual({ from: '2021-01-01', to: '2021-12-31' });
    expect(rangeOf({ kind: 'quarter', year: 2024, quarter: 1 })).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(rangeOf({ kind: 'month', year: 2024, month: 2 })).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });
  it('resolves period= arguments against the summary period', () => {
    const ctx = { from: '2021-05-01', to: '2021-05-31' };
    expect(resolvePeriodArg('year', ctx)).toEqual({ from: '2021-01-01', to: '2021-12-31' });
    expect(resolvePeriodArg('quarter', ctx)).toEqual({ from: '2021-04-01', to: '2021-06-30' });
    expect(resolvePeriodArg('previous_year', ctx)).toEqual({ from: '2020-01-01', to: '2020-12-31' });
    expect(resolvePeriodArg('2022-Q4', ctx)).toEqual({ from: '2022-10-01', to: '2022-12-31' });
    expect(resolvePeriodArg('2021-01-01..2021-06-30', ctx)).toEqual({ from: '2021-01-01', to: '2021-06-30' });
    expect(resolvePeriodArg('2021-02-30..2021-03-01', ctx)).toMatch(/bad period/);
    expect(resolvePeriodArg('last', ctx)).toMatch(/bad period/);
  });
});

describe('the previous period of a dashboard', () => {
  it.each([
    [{ from: '2021-01-01', to: '2021-12-31' }, { from: '2020-01-01', to: '2020-12-31' }],
    [{ from: '2024-04-01', to: '2024-06-30' }, { from: '2024-01-01', to: '2024-03-31' }],
    [{ from: '2024-03-01', to: '2024-03-31' }, { from: '2024-02-01', to: '2024-02-29' }],
    [{ from: '2024-03-10', to: '2024-03-19' }, { from: '2024-02-29', to: '2024-03-09' }],
  ])('%j → %j', (r, p) => expect(previousRange(r)).toEqual(p));
});

describe('figures of a hand-written report', () => {
  it('reads Chinese numerals', () => {
    expect(parseChineseNumber('十六')).toBe(16);
    expect(parseChineseNumber('二十')).toBe(20);
    expect(parseChineseNumber('三百五十')).toBe(350);
    expect(parseChineseNumber('两')).toBe(2);
    expect(parseChineseNumber('一万二千')).toBe(12000);
    expect(parseChineseNumber('二三')).toBeUndefined();
  });

  // sentences of the reference report (reference/model-organ-report.zh.txt)
  const types = [
    { code: 'field_teaching', nameZh: '现场教学' },
    { code: 'warning_education', nameZh: '警示教育' },
  ];
  const check = (text: string) => findFigures(text).map((f) => ({ f, p: propose(f, [], types) }));

  it.each([
    ['先后赴绩溪县许家朋烈士陵园、泾县新四军军部旧址等地开展党史学习教育现场教学4次。', 4, false, '次', 'activities.count', { type: 'field_teaching' }],
    ['近年来共举办民主党派成员、党外知识分子、新的社会阶层人士等培训班16期', 16, false, '期', 'training.classes', {}],
    ['培训党外人士637人次，不断凝聚思想共识', 637, false, '人次', 'training.trainees', { party: 'none' }],
    ['去年以来共召开机关集体学习会议20余次，系统学习', 20, true, '次', 'activities.count', { type: 'collective_study' }],
    ['扎实开展党史学习教育，组织集中学习 15次，深学细悟', 15, false, '次', 'activities.count', { type: 'collective_study' }],
    ['一年多来开展学习交流研讨13次；', 13, false, '次', 'activities.count', { type: 'symposium' }],
    ['先后召开两次理论学习中心组(扩大)会议，专题学习', 2, false, '次', 'activities.count', { type: 'central_group_study_extended' }],
    ['召开党委委员会议15次，研究推进机关党建重点工作19项', 15, false, '次', 'activities.count', { type: 'branch_committee_meeting' }],
    ['实施4个“我为统战成员办实事”项目，进一步激发', 4, false, '个', 'programs.items', { kind: 'service_project' }],
    ['目前已走访调研10余次，帮助协调解决问题11个', 10, true, '次', 'activities.count', { type: 'field_visit' }],
    ['实地走访民营企业22家，发放调查问卷350份', 22, false, '家', 'enterprises.visited', { enterprise_type: 'private' }],
    ['会同市台协走访台资企业32家，协调有关部门解决问题5个', 32, false, '家', 'enterprises.visited', { enterprise_type: 'taiwan_funded' }],
    ['深入社区一线参与疫情防控达300人次。', 300, false, '人次', 'activities.people_times', { type: 'volunteer_service' }],
    ['修订完善差旅费、公务车辆使用管理规定等8项制度', 8, false, '项', 'integrity.rules_revised', {}],
    ['2021年共开展警示教育5次；', 5, false, '次', 'activities.count', { type: 'warning_education' }],
  ])('%s', (text, value, approx, word, metric, args) => {
    const found = check(text);
    expect(found.length).toBeGreaterThanOrEqual(1);
    const first = found[0];
    expect(first?.f).toMatchObject({ value, approx, measureWord: word });
    expect(first?.p).toMatchObject({ metric, args });
  });

  it('finds every figure of a sentence with its phrase', () => {
    const found = check('召开党委委员会议15次，研究推进机关党建重点工作19项，机关党委获评市直先进基层党组织。');
    expect(found.map((x) => [x.f.value, x.f.measureWord, x.f.phrase, x.p?.metric])).toEqual([
      [15, '次', '召开党委委员会议', 'activities.count'],
      [19, '项', '研究推进机关党建重点工作', 'programs.items'],
    ]);
    const two = check('帮助协调解决问题11个，发放调查问卷350份');
    expect(two.map((x) => [x.f.value, x.p?.metric])).toEqual([
      [11, 'problems.rectified'],
      [350, 'feedback.responses'],
    ]);
  });

  it('skips ordinals and frequencies and leaves what it cannot place unknown', () => {
    expect(findFigures('机关第一党支部顺利通过验收，坚持每月一次集体学习')).toEqual([]);
    const r = check('连续七年被评为先进，编组划分三个党小组');
    expect(r.map((x) => [x.f.value, x.f.measureWord, x.p])).toEqual([[3, '个', null]]);
  });

  it('every metric in the catalogue has a unique key and aliases', () => {
    const names = metrics.flatMap((m) => [m.key, ...m.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});

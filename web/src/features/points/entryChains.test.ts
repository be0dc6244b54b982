import { describe, expect, it } from 'vitest';
import type { Entry } from '@tongxin/contracts';
import { chainsOf } from './entryChains';

let n = 0;
function entry(o: Partial<Entry>): Entry {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    personId: 'p',
    personName: '张三',
    branchId: 'b',
    period: '2026-08',
    amount: 2,
    source: 'auto',
    ruleCode: 'attend_meeting',
    ruleKind: 'attend',
    ruleSetVersion: 1,
    activityId: 'a',
    activityTopic: '支部党员大会',
    correctsId: null,
    note: null,
    createdAt: `2026-08-${String(n % 28 + 1).padStart(2, '0')}T00:00:00.000Z`,
    adjustmentPeriod: null,
    ...o,
  };
}

describe('entry chains', () => {
  it('collapses repeated corrections of one fact to its net effect, keeping the history', () => {
    const a = entry({ amount: 2 });
    const b = entry({ amount: -4, correctsId: a.id, ruleCode: 'attend_meeting' });
    const c = entry({ amount: 4, correctsId: b.id });
    const other = entry({ amount: 5, ruleCode: 'speaker', ruleKind: 'role' });
    const chains = chainsOf([c, other, b, a]);
    expect(chains).toHaveLength(2);
    const main = chains.find((x) => x.root.id === a.id);
    expect(main?.net).toBe(2);
    expect(main?.entries.map((e) => e.id)).toEqual([a.id, b.id, c.id]);
    expect(main?.last.id).toBe(c.id);
  });

  it('an adjustment in a later period stands alone; a fully reversed fact nets to zero', () => {
    const a = entry({ amount: 2, period: '2026-08' });
    const r = entry({ amount: -2, correctsId: a.id, period: '2026-08' });
    const adj = entry({ amount: -4, source: 'manual', correctsId: a.id, period: '2026-11', ruleCode: 'adj_attend_meeting' });
    const chains = chainsOf([a, r, adj]);
    expect(chains.map((c) => [c.root.period, c.net])).toEqual([
      ['2026-11', -4],
      ['2026-08', 0],
    ]);
  });
});

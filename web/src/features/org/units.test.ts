import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '@tongxin/contracts';
import { buildUnitForest, subtreeIds, unitTreeSelectData } from './units';

let n = 0;
function unit(name: string, parentId: string | null, over: Partial<OrgUnit> = {}): OrgUnit {
  n += 1;
  return { id: `u${n}`, parentId, type: 'office', name, sortOrder: 0, active: true, version: 1, ...over };
}

describe('buildUnitForest', () => {
  it('nests by parentId and sorts by sortOrder, then name in Chinese order', () => {
    const root = unit('市委统战部', null, { type: 'department' });
    const b = unit('办公室', root.id, { sortOrder: 1 });
    const a = unit('干部科', root.id, { sortOrder: 1 });
    const first = unit('宣传研究室', root.id, { sortOrder: 0 });
    const forest = buildUnitForest([b, a, root, first]);
    expect(forest).toHaveLength(1);
    expect(forest[0]?.children.map((c) => c.unit.name)).toEqual(['宣传研究室', '办公室', '干部科']);
  });

  it('makes a unit whose parent is out of sight a root (a secretary sees only their branch)', () => {
    const branch = unit('第一党支部', 'hidden-committee', { type: 'branch' });
    const group = unit('第一党小组', branch.id, { type: 'party_group' });
    const forest = buildUnitForest([group, branch]);
    expect(forest.map((r) => r.unit.name)).toEqual(['第一党支部']);
    expect(forest[0]?.children[0]?.unit.name).toBe('第一党小组');
  });
});

describe('subtreeIds', () => {
  it('collects a unit and all its descendants, nothing else', () => {
    const root = unit('root', null);
    const a = unit('a', root.id);
    const a1 = unit('a1', a.id);
    const b = unit('b', root.id);
    expect([...subtreeIds([root, a, a1, b], a.id)].sort()).toEqual([a.id, a1.id].sort());
  });
});

describe('unitTreeSelectData', () => {
  it('disables units that cannot be picked and drops hidden subtrees', () => {
    const root = unit('部', null, { type: 'department' });
    const office = unit('科', root.id, { type: 'office' });
    const committee = unit('机关党委', root.id, { type: 'party_committee' });
    const branch = unit('支部', committee.id, { type: 'branch' });
    const data = unitTreeSelectData(
      buildUnitForest([root, office, committee, branch]),
      (u) => u.type === 'office',
      (u) => u.id === committee.id,
    );
    expect(data).toEqual([
      { value: root.id, title: '部', disabled: true, children: [{ value: office.id, title: '科', disabled: false }] },
    ]);
  });
});

import { useQuery } from '@tanstack/react-query';
import type { OrgUnit, UnitType } from '@tongxin/contracts';
import { api } from '../../app/api';

export const unitsKey = ['org', 'units'] as const;

export function useUnits(includeInactive = false) {
  return useQuery({
    queryKey: [...unitsKey, { includeInactive }],
    queryFn: ({ signal }) =>
      api.get<{ items: OrgUnit[] }>('/org/units', { includeInactive: includeInactive ? 'true' : 'false' }, signal),
    select: (data) => data.items,
    staleTime: 60_000,
  });
}

export interface UnitNode {
  unit: OrgUnit;
  children: UnitNode[];
}

const collator = new Intl.Collator('zh-CN');

export function compareUnits(a: OrgUnit, b: OrgUnit): number {
  return a.sortOrder - b.sortOrder || collator.compare(a.name, b.name);
}

/**
 * Builds the tree from the flat list. A unit whose parent is not in the list (outside the
 * user's data scope, e.g. a branch secretary's branch) becomes a root.
 */
export function buildUnitForest(units: readonly OrgUnit[]): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  for (const u of units) nodes.set(u.id, { unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => compareUnits(a.unit, b.unit));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** The unit and everything below it. */
export function subtreeIds(units: readonly OrgUnit[], rootId: string): Set<string> {
  const byParent = new Map<string, string[]>();
  for (const u of units) {
    if (!u.parentId) continue;
    const list = byParent.get(u.parentId) ?? [];
    list.push(u.id);
    byParent.set(u.parentId, list);
  }
  const out = new Set<string>([rootId]);
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop() as string;
    for (const child of byParent.get(id) ?? []) {
      if (!out.has(child)) {
        out.add(child);
        stack.push(child);
      }
    }
  }
  return out;
}

export interface UnitTreeSelectNode {
  value: string;
  title: string;
  disabled?: boolean;
  selectable?: boolean;
  children?: UnitTreeSelectNode[];
}

/**
 * TreeSelect data. `canPick` decides which units may be chosen; the others stay visible
 * (disabled) so the user still sees where a unit sits. `hide` drops a unit and its subtree.
 */
export function unitTreeSelectData(
  forest: readonly UnitNode[],
  canPick: (u: OrgUnit) => boolean = () => true,
  hide: (u: OrgUnit) => boolean = () => false,
): UnitTreeSelectNode[] {
  const walk = (nodes: readonly UnitNode[]): UnitTreeSelectNode[] =>
    nodes
      .filter((n) => !hide(n.unit))
      .map((n) => {
        const children = walk(n.children);
        const pickable = canPick(n.unit);
        return {
          value: n.unit.id,
          title: n.unit.name,
          disabled: !pickable,
          ...(children.length ? { children } : {}),
        };
      });
  return walk(forest);
}

/** The type a new child of `parent` most likely has. */
export function suggestedChildType(parent: UnitType): UnitType {
  switch (parent) {
    case 'department':
      return 'office';
    case 'office':
      return 'office';
    case 'party_committee':
      return 'branch';
    case 'discipline_committee':
      return 'office';
    case 'branch':
      return 'party_group';
    case 'party_group':
      return 'party_group';
  }
}

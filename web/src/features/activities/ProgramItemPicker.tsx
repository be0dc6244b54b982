import { TreeSelect } from 'antd';
import { useQueries } from '@tanstack/react-query';
import type { ProgramDetail } from '@tongxin/contracts';
import { api } from '../../app/api';
import { programsKey, usePrograms } from '../programs/programsApi';

interface Node {
  value: string;
  title: string;
  selectable?: boolean;
  disableCheckbox?: boolean;
  children: Node[];
}

/** The measures of every program the viewer can read, as program → item tree; programs themselves are not selectable. */
export function ProgramItemPicker({ value, onChange, max }: { value?: string[]; onChange?: (v: string[]) => void; max: number }) {
  const programs = usePrograms();
  // same keys as the programs area, so its cache is shared
  const details = useQueries({
    queries: (programs.data ?? []).map((p) => ({
      queryKey: [...programsKey, p.id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<ProgramDetail>(`/programs/${p.id}`, undefined, signal),
      staleTime: 30_000,
    })),
  });
  // rebuilt each render: a few programs of a few dozen items each
  const treeData: Node[] = [];
  for (const d of details) {
    const p = d.data;
    if (!p || p.items.length === 0) continue;
    const nodes = new Map<string, Node>(p.items.map((i) => [i.id, { value: i.id, title: i.title, children: [] }]));
    const roots: Node[] = [];
    // items come parents first, so a parent's node exists when its child is placed
    for (const i of p.items) {
      const n = nodes.get(i.id);
      if (!n) continue;
      const parent = i.parentId ? nodes.get(i.parentId) : undefined;
      (parent ? parent.children : roots).push(n);
    }
    treeData.push({ value: `program:${p.id}`, title: p.title, selectable: false, disableCheckbox: true, children: roots });
  }
  return (
    <TreeSelect
      multiple
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      loading={programs.isLoading || details.some((d) => d.isLoading)}
      treeData={treeData}
      value={value}
      onChange={(v: string[]) => onChange?.(v.filter((x) => !x.startsWith('program:')).slice(0, max))}
      data-testid="activity-program-items"
    />
  );
}

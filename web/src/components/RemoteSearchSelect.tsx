import { useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api';

/**
 * A multiple select that searches a server list by name fragment (`q`, 20 a page): the lists
 * are too long to load whole. Chosen entries keep their labels while the search moves on;
 * `initial` labels the entries already chosen when a form opens, so it shows names, not ids.
 */
export function RemoteSearchSelect<T extends { id: string }>({
  path,
  queryKey,
  labelOf,
  value,
  onChange,
  placeholder,
  testId,
  max,
  initial = [],
}: {
  path: string;
  queryKey: string;
  labelOf: (x: T) => string;
  value?: string[];
  onChange?: (v: string[]) => void;
  placeholder: string;
  testId?: string;
  max?: number;
  initial?: { id: string; name: string }[];
}) {
  const [q, setQ] = useState('');
  const [known, setKnown] = useState<Record<string, string>>(() => Object.fromEntries(initial.map((o) => [o.id, o.name])));
  const { data, isFetching } = useQuery({
    queryKey: [queryKey, 'pick', q],
    queryFn: ({ signal }) => api.get<{ items: T[] }>(path, { q: q.trim() || undefined, pageSize: 20 }, signal),
    staleTime: 30_000,
  });
  const options = (data?.items ?? []).map((x) => ({ value: x.id, label: labelOf(x) }));
  for (const id of value ?? []) if (!options.some((o) => o.value === id)) options.push({ value: id, label: known[id] ?? id });
  return (
    <Select
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={isFetching}
      value={value}
      maxCount={max}
      onChange={(v: string[]) => {
        const names = { ...known };
        for (const o of options) names[o.value] = o.label;
        setKnown(names);
        onChange?.(v);
      }}
      options={options}
      placeholder={placeholder}
      data-testid={testId}
    />
  );
}

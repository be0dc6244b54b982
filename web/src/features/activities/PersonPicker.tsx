import { useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';

interface PersonOption {
  id: string;
  name: string;
  officeName: string;
  branchName: string | null;
}

/**
 * People by name, searched on the server (the people list, in the organiser's scope).
 * `initial` names the people already chosen (id and name), so editing shows names, not ids.
 */
export function PersonPicker({
  value,
  onChange,
  testId,
  initial = [],
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  testId?: string;
  initial?: { id: string; name: string }[];
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [known, setKnown] = useState<Record<string, string>>(() => Object.fromEntries(initial.map((o) => [o.id, o.name])));
  const { data, isFetching } = useQuery({
    queryKey: ['people', 'pick', q],
    queryFn: ({ signal }) => api.get<{ items: PersonOption[] }>('/people', { q: q || undefined, pageSize: 20 }, signal),
    staleTime: 30_000,
  });
  const options = (data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.branchName ?? p.officeName}）` }));
  for (const id of value ?? []) if (!options.some((o) => o.value === id)) options.push({ value: id, label: known[id] ?? id });
  return (
    <Select
      mode="multiple"
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={isFetching}
      value={value}
      onChange={(v: string[]) => {
        const names = { ...known };
        for (const o of options) names[o.value] = o.label;
        setKnown(names);
        onChange?.(v);
      }}
      options={options}
      placeholder={t('activities.form.searchPeople')}
      data-testid={testId}
    />
  );
}

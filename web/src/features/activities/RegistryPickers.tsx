import { useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Contact, Enterprise } from '@tongxin/contracts';
import { api } from '../../app/api';

/**
 * A multiple select searching a registry list on the server by name fragment; chosen entries
 * keep their labels while the search moves on.
 */
function RegistrySelect<T extends { id: string }>({
  path,
  queryKey,
  labelOf,
  value,
  onChange,
  placeholder,
  testId,
  max,
}: {
  path: string;
  queryKey: string;
  labelOf: (x: T) => string;
  value?: string[];
  onChange?: (v: string[]) => void;
  placeholder: string;
  testId?: string;
  max?: number;
}) {
  const [q, setQ] = useState('');
  const [known, setKnown] = useState<Record<string, string>>({});
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

/** Contacts of the united-front registry (people outside the Party), by name. */
export function ContactPicker({ value, onChange, testId }: { value?: string[]; onChange?: (v: string[]) => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <RegistrySelect<Contact>
      path="/unitedfront/contacts"
      queryKey="uf-contacts"
      labelOf={(c) => `${c.name}（${[c.categories.map((k) => k.name).join('、'), c.organisation].filter(Boolean).join(' · ') || c.officeName}）`}
      value={value}
      onChange={onChange}
      placeholder={t('activities.form.searchContacts')}
      testId={testId}
    />
  );
}

/** Enterprises of the registry, by name. */
export function EnterprisePicker({ value, onChange, testId, max }: { value?: string[]; onChange?: (v: string[]) => void; testId?: string; max?: number }) {
  const { t } = useTranslation();
  return (
    <RegistrySelect<Enterprise>
      path="/unitedfront/enterprises"
      queryKey="uf-enterprises"
      labelOf={(e) => e.name}
      value={value}
      onChange={onChange}
      placeholder={t('activities.form.searchEnterprises')}
      testId={testId}
      max={max}
    />
  );
}

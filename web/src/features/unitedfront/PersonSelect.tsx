import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePersonOptions } from './ufWorkApi';

/**
 * One person (single) or several (multiple), searched by name on the server; the chosen ids
 * are looked up too, so an edit form shows names, not ids.
 */
export function PersonSelect({ value, onChange, multiple, testId }: { value?: string | string[]; onChange?: (v: string | string[]) => void; multiple?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const chosen = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const search = usePersonOptions(q);
  const known = usePersonOptions('', chosen);
  const seen = new Set<string>();
  const options = [...(known.data?.items ?? []), ...(search.data?.items ?? [])]
    .filter((p) => !seen.has(p.id) && seen.add(p.id))
    .map((p) => ({ value: p.id, label: p.officeName ? `${p.name}（${p.officeName}）` : p.name }));
  return (
    <Select
      mode={multiple ? 'multiple' : undefined}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={search.isFetching}
      value={value}
      onChange={(v: string | string[]) => onChange?.(v)}
      options={options}
      placeholder={t('unitedFront.integrity.searchPerson')}
      data-testid={testId}
    />
  );
}

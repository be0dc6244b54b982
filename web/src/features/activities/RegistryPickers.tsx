import { useTranslation } from 'react-i18next';
import type { Contact, Enterprise } from '@tongxin/contracts';
import { RemoteSearchSelect } from '../../components/RemoteSearchSelect';

/** Contacts of the united-front registry (people outside the Party), by name. */
export function ContactPicker({ value, onChange, testId }: { value?: string[]; onChange?: (v: string[]) => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <RemoteSearchSelect<Contact>
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
    <RemoteSearchSelect<Enterprise>
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

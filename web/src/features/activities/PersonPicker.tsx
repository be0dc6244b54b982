import { useTranslation } from 'react-i18next';
import { RemoteSearchSelect } from '../../components/RemoteSearchSelect';

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
  initial,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  testId?: string;
  initial?: { id: string; name: string }[];
}) {
  const { t } = useTranslation();
  return (
    <RemoteSearchSelect<PersonOption>
      path="/people"
      queryKey="people"
      labelOf={(p) => `${p.name}（${p.branchName ?? p.officeName}）`}
      value={value}
      onChange={onChange}
      placeholder={t('activities.form.searchPeople')}
      testId={testId}
      initial={initial}
    />
  );
}

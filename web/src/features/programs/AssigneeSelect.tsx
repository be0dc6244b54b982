import { Select, type SelectProps } from 'antd';
import { useAssignees } from './programsApi';

/** The users a rectification measure may be given to (its owner picker), searchable by name. */
export function AssigneeSelect(props: Omit<SelectProps<string>, 'options' | 'showSearch' | 'optionFilterProp' | 'mode'>) {
  const users = useAssignees();
  return <Select<string> showSearch optionFilterProp="label" loading={users.isPending} {...props} options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />;
}

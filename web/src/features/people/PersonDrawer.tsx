import { Button, Descriptions, Drawer, Popconfirm, Space, Tag } from 'antd';
import type { DescriptionsProps } from 'antd';
import { EditOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/auth';
import { MaskedValue } from '../../components/MaskedValue';
import { notifier } from '../../app/notify';
import { usePerson, usePersonMutations, useReveal, type RevealField } from './peopleApi';
import { partyStatusColor } from './labels';
import type { Person } from './types';

function PersonNumber({ person, field, masked }: { person: Person; field: RevealField; masked: string | null }) {
  const canReveal = useCan('people.reveal');
  const r = useReveal();
  return <MaskedValue field={field} masked={masked} canReveal={canReveal} revealing={r.isPending} reveal={(show) => r.mutate({ id: person.id, field }, { onSuccess: (x) => show(x.value) })} />;
}

export function PersonDrawer({
  personId,
  onClose,
  onEdit,
}: {
  personId: string | null;
  onClose: () => void;
  onEdit: (p: Person) => void;
}) {
  const { t } = useTranslation();
  const canWrite = useCan('people.write');
  const { data: person, isPending } = usePerson(personId);
  const { setActive } = usePersonMutations();
  const none = t('common.none');

  const items: DescriptionsProps['items'] = person
    ? [
        { key: 'name', label: t('people.name'), children: person.name },
        { key: 'gender', label: t('people.gender'), children: t(`gender.${person.gender}`) },
        { key: 'birthDate', label: t('people.birthDate'), children: person.birthDate ?? none },
        { key: 'ethnicity', label: t('people.ethnicity'), children: person.ethnicity ?? none },
        {
          key: 'phone',
          label: t('people.phone'),
          children: <PersonNumber key={person.id} person={person} field="phone" masked={person.phoneMasked} />,
        },
        {
          key: 'idNumber',
          label: t('people.idNumber'),
          children: <PersonNumber key={person.id} person={person} field="idNumber" masked={person.idNumberMasked} />,
        },
        { key: 'office', label: t('people.office'), children: person.officeName },
        {
          key: 'partyStatus',
          label: t('people.partyStatus'),
          children: <Tag color={partyStatusColor[person.partyStatus]}>{t(`partyStatus.${person.partyStatus}`)}</Tag>,
        },
        { key: 'partyJoinedOn', label: t('people.partyJoinedOn'), children: person.partyJoinedOn ?? none },
        { key: 'fullMemberOn', label: t('people.fullMemberOn'), children: person.fullMemberOn ?? none },
        { key: 'branch', label: t('people.branch'), children: person.branchName ?? none },
        { key: 'group', label: t('people.group'), children: person.groupName ?? none },
        {
          key: 'committeeRole',
          label: t('people.committeeRole'),
          children: person.committeeRole ? t(`committeeRole.${person.committeeRole}`) : none,
        },
        { key: 'leader', label: t('people.leader'), children: person.isLeader ? t('common.yes') : t('common.no') },
        {
          key: 'status',
          label: t('people.status'),
          children: person.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
        },
      ]
    : [];

  const extra = person && canWrite && (
    <Space>
      <Button icon={<EditOutlined />} onClick={() => onEdit(person)} data-testid="person-edit">
        {t('common.edit')}
      </Button>
      <Popconfirm
        title={t(person.active ? 'people.confirmDeactivate' : 'people.confirmReactivate', { name: person.name })}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: person.active }}
        onConfirm={() =>
          setActive.mutate(
            { person, active: !person.active },
            { onSuccess: () => notifier().success(t(person.active ? 'people.deactivated' : 'people.reactivated')) },
          )
        }
      >
        <Button
          danger={person.active}
          icon={person.active ? <StopOutlined /> : <UndoOutlined />}
          loading={setActive.isPending}
          data-testid="person-toggle-active"
        >
          {person.active ? t('common.deactivate') : t('common.reactivate')}
        </Button>
      </Popconfirm>
    </Space>
  );

  return (
    <Drawer
      open={!!personId}
      onClose={onClose}
      title={person?.name ?? t('people.detailTitle')}
      size={560}
      extra={extra}
      loading={isPending && !!personId}
      destroyOnHidden
      data-testid="person-drawer"
    >
      {person && <Descriptions column={1} bordered size="small" items={items} styles={{ label: { width: 130 } }} />}
    </Drawer>
  );
}

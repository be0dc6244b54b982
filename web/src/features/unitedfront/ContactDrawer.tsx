import { Button, Descriptions, Drawer, Popconfirm, Space, Tabs, Tag } from 'antd';
import type { DescriptionsProps } from 'antd';
import { EditOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Contact } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { MaskedValue } from '../../components/MaskedValue';
import { useContact, useContactMutations, useContactReveal, useEnterprises } from './ufApi';
import { RecordTimeline } from './Timeline';

function ContactNumber({ contact, field, masked }: { contact: Contact; field: 'phone' | 'idNumber'; masked: string | null }) {
  const canReveal = useCan('unitedfront.reveal');
  const r = useContactReveal();
  return <MaskedValue field={field} masked={masked} canReveal={canReveal} revealing={r.isPending} reveal={(show) => r.mutate({ id: contact.id, field }, { onSuccess: (x) => show(x.value) })} />;
}

function LinkedEnterprises({ contactId }: { contactId: string }) {
  const { data } = useEnterprises({ contactId, active: 'all' }, 1, 50);
  const { t } = useTranslation();
  const items = data?.items ?? [];
  if (items.length === 0) return <>{t('common.none')}</>;
  return (
    <Space wrap size={4}>
      {items.map((e) => (
        <Tag key={e.id}>{e.name}</Tag>
      ))}
    </Space>
  );
}

export function ContactDrawer({ contactId, onClose, onEdit }: { contactId: string | null; onClose: () => void; onEdit: (c: Contact) => void }) {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const { data: c, isPending } = useContact(contactId);
  const { setActive } = useContactMutations();
  const none = t('common.none');

  const items: DescriptionsProps['items'] = c
    ? [
        { key: 'name', label: t('unitedFront.contact.name'), children: c.name },
        { key: 'gender', label: t('unitedFront.contact.gender'), children: c.gender ? t(`gender.${c.gender}`) : none },
        { key: 'ethnicity', label: t('unitedFront.contact.ethnicity'), children: c.ethnicity ?? none },
        { key: 'birthDate', label: t('unitedFront.contact.birthDate'), children: c.birthDate ?? none },
        {
          key: 'categories',
          label: t('unitedFront.contact.categories'),
          children: (
            <Space wrap size={4}>
              {c.categories.map((k) => (
                <Tag key={k.id} color="red">
                  {k.name}
                </Tag>
              ))}
            </Space>
          ),
        },
        { key: 'party', label: t('unitedFront.contact.party'), children: c.partyName ? `${c.partyName}${c.partyJoinedOn ? `（${c.partyJoinedOn}）` : ''}` : none },
        { key: 'organisation', label: t('unitedFront.contact.organisation'), children: c.organisation ?? none },
        { key: 'post', label: t('unitedFront.contact.post'), children: c.post ?? none },
        {
          key: 'arrangements',
          label: t('unitedFront.contact.arrangements'),
          children: c.arrangements.length
            ? c.arrangements.map((a) => `${t(`unitedFront.level.${a.level}`)}${t(`unitedFront.arrangementKind.${a.kind}`)}`).join('、')
            : none,
        },
        { key: 'phone', label: t('unitedFront.contact.phone'), children: <ContactNumber key={c.id} contact={c} field="phone" masked={c.phoneMasked} /> },
        { key: 'idNumber', label: t('unitedFront.contact.idNumber'), children: <ContactNumber key={c.id} contact={c} field="idNumber" masked={c.idNumberMasked} /> },
        { key: 'tags', label: t('unitedFront.contact.tags'), children: c.tags.length ? c.tags.map((x) => <Tag key={x}>{x}</Tag>) : none },
        { key: 'office', label: t('unitedFront.contact.office'), children: c.officeName },
        { key: 'enterprises', label: t('unitedFront.contact.enterprises'), children: <LinkedEnterprises contactId={c.id} /> },
        { key: 'notes', label: t('unitedFront.contact.notes'), children: c.notes ?? none },
        {
          key: 'status',
          label: t('unitedFront.contact.status'),
          children: c.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
        },
      ]
    : [];

  const extra = c && canWrite && (
    <Space>
      <Button icon={<EditOutlined />} onClick={() => onEdit(c)} data-testid="contact-edit">
        {t('common.edit')}
      </Button>
      <Popconfirm
        title={t(c.active ? 'common.confirmDeactivate' : 'common.confirmReactivate')}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        onConfirm={() => setActive.mutate({ contact: c, active: !c.active })}
      >
        <Button danger={c.active} icon={c.active ? <StopOutlined /> : <UndoOutlined />} loading={setActive.isPending}>
          {c.active ? t('common.deactivate') : t('common.reactivate')}
        </Button>
      </Popconfirm>
    </Space>
  );

  return (
    <Drawer
      open={!!contactId}
      onClose={onClose}
      title={c?.name ?? t('unitedFront.contact.detail')}
      size={600}
      extra={extra}
      loading={isPending && !!contactId}
      destroyOnHidden
      data-testid="contact-drawer"
    >
      {c && (
        <Tabs
          items={[
            {
              key: 'info',
              label: t('unitedFront.contact.detail'),
              children: <Descriptions column={1} bordered size="small" items={items} styles={{ label: { width: 130 } }} />,
            },
            { key: 'timeline', label: <span data-testid="contact-timeline-tab">{t('unitedFront.contact.timeline')}</span>, children: <RecordTimeline kind="contacts" id={c.id} /> },
          ]}
        />
      )}
    </Drawer>
  );
}

import { useMemo, useState } from 'react';
import { Button, Col, Descriptions, Drawer, Form, Input, Modal, Row, Select, Space, Table, Tabs, Tag, TreeSelect } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, MinusCircleOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  enterpriseTypes,
  isValidCreditCode,
  limits,
  ufLimits,
  type Enterprise,
  type EnterpriseType,
  type CreateEnterpriseRequest,
} from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { notifier } from '../../app/notify';
import { useServerPagination } from '../../app/pagination';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { useContactSearch, useEnterprise, useEnterpriseMutations, useEnterprises, type EnterpriseFilters } from './ufApi';
import { RecordTimeline } from './Timeline';

const emptyFilters: EnterpriseFilters = { active: 'true' };

interface Values {
  name: string;
  creditCode: string;
  type: EnterpriseType;
  industry?: string;
  district?: string;
  address?: string;
  officeId?: string;
  notes?: string;
  contacts: { contactId: string; role?: string }[];
}

const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

function ContactPicker({ value, onChange, known }: { value?: string; onChange?: (v: string) => void; known: Map<string, string> }) {
  const [q, setQ] = useState('');
  const { data } = useContactSearch(q);
  const options = (data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}${c.organisation ? `（${c.organisation}）` : ''}` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: known.get(value) ?? value });
  return <Select showSearch={{ filterOption: false, onSearch: setQ }} value={value} onChange={onChange} options={options} style={{ width: 260 }} data-testid="enterprise-contact-picker" />;
}

function EnterpriseFormModal({ open, enterprise, onClose }: { open: boolean; enterprise?: Enterprise; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { data: units = [] } = useUnits(false);
  const officeTree = useMemo(() => unitTreeSelectData(buildUnitForest(units), (u) => u.type === 'office' || u.type === 'department'), [units]);
  const { create, update } = useEnterpriseMutations();
  const known = new Map((enterprise?.contacts ?? []).map((c) => [c.contactId, c.name]));
  const initial: Partial<Values> = enterprise
    ? {
        name: enterprise.name,
        creditCode: enterprise.creditCode,
        type: enterprise.type,
        industry: enterprise.industry ?? undefined,
        district: enterprise.district ?? undefined,
        address: enterprise.address ?? undefined,
        officeId: enterprise.officeId,
        notes: enterprise.notes ?? undefined,
        contacts: enterprise.contacts.map((c) => ({ contactId: c.contactId, role: c.role ?? undefined })),
      }
    : { type: 'private', contacts: [] };

  const submit = (v: Values) => {
    const body: CreateEnterpriseRequest = {
      name: v.name.trim(),
      creditCode: v.creditCode.trim().toUpperCase(),
      type: v.type,
      industry: blank(v.industry),
      district: blank(v.district),
      address: blank(v.address),
      officeId: v.officeId ?? '',
      notes: blank(v.notes),
      contacts: v.contacts.filter((c) => c.contactId).map((c) => ({ contactId: c.contactId, role: blank(c.role) })),
    };
    const done = () => {
      notifier().success(t('common.saved'));
      onClose();
    };
    if (enterprise) update.mutate({ id: enterprise.id, body: { ...body, version: enterprise.version } }, { onSuccess: done });
    else create.mutate(body, { onSuccess: done });
  };

  return (
    <Modal
      open={open}
      title={enterprise ? t('unitedFront.enterprise.edit') : t('unitedFront.enterprise.create')}
      width={760}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="enterprise-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('unitedFront.enterprise.name')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('unitedFront.enterprise.name') }) }]}>
              <Input maxLength={ufLimits.textMax} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="creditCode"
              label={t('unitedFront.enterprise.creditCode')}
              rules={[
                { required: true, message: t('common.required', { field: t('unitedFront.enterprise.creditCode') }) },
                {
                  // the same check digit rule as the server (GB 32100-2015)
                  validator: (_, v: string | undefined) =>
                    !v || isValidCreditCode(v.trim().toUpperCase()) ? Promise.resolve() : Promise.reject(new Error(t('unitedFront.enterprise.creditCodeInvalid'))),
                },
              ]}
            >
              <Input maxLength={18} data-testid="enterprise-credit-code" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="type" label={t('unitedFront.enterprise.type')} rules={[{ required: true }]}>
              <Select options={enterpriseTypes.map((x) => ({ value: x, label: t(`unitedFront.enterpriseType.${x}`) }))} data-testid="enterprise-type" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="industry" label={t('unitedFront.enterprise.industry')}>
              <Input maxLength={ufLimits.textMax} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="district" label={t('unitedFront.enterprise.district')}>
              <Input maxLength={ufLimits.textMax} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="officeId" label={t('unitedFront.enterprise.office')} rules={[{ required: true, message: t('common.selectRequired', { field: t('unitedFront.enterprise.office') }) }]}>
              <TreeSelect treeData={officeTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="enterprise-office" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="address" label={t('unitedFront.enterprise.address')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label={t('unitedFront.enterprise.contacts')}>
              <Form.List name="contacts">
                {(fields, { add, remove }) => (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    {fields.map((f) => (
                      <Space key={f.key} align="baseline">
                        <Form.Item name={[f.name, 'contactId']} noStyle rules={[{ required: true }]}>
                          <ContactPicker known={known} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'role']} noStyle>
                          <Input placeholder={t('unitedFront.enterprise.contactRole')} maxLength={40} style={{ width: 140 }} />
                        </Form.Item>
                        <MinusCircleOutlined onClick={() => remove(f.name)} />
                      </Space>
                    ))}
                    {fields.length < ufLimits.enterpriseContactsMax && (
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="enterprise-add-contact">
                        {t('common.create')}
                      </Button>
                    )}
                  </Space>
                )}
              </Form.List>
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('unitedFront.enterprise.notes')}>
              <Input.TextArea maxLength={ufLimits.notesMax} rows={2} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function EnterpriseDrawer({ id, onClose, onEdit }: { id: string | null; onClose: () => void; onEdit: (e: Enterprise) => void }) {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const { data: e, isPending } = useEnterprise(id);
  const none = t('common.none');
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      title={e?.name ?? t('unitedFront.enterprise.detail')}
      size={600}
      loading={isPending && !!id}
      destroyOnHidden
      extra={
        e &&
        canWrite && (
          <Button icon={<EditOutlined />} onClick={() => onEdit(e)}>
            {t('common.edit')}
          </Button>
        )
      }
      data-testid="enterprise-drawer"
    >
      {e && (
        <Tabs
          items={[
            {
              key: 'info',
              label: t('unitedFront.enterprise.detail'),
              children: (
                <Descriptions
                  column={1}
                  bordered
                  size="small"
                  styles={{ label: { width: 150 } }}
                  items={[
                    { key: 'name', label: t('unitedFront.enterprise.name'), children: e.name },
                    { key: 'code', label: t('unitedFront.enterprise.creditCode'), children: e.creditCode },
                    { key: 'type', label: t('unitedFront.enterprise.type'), children: t(`unitedFront.enterpriseType.${e.type}`) },
                    { key: 'industry', label: t('unitedFront.enterprise.industry'), children: e.industry ?? none },
                    { key: 'district', label: t('unitedFront.enterprise.district'), children: e.district ?? none },
                    { key: 'address', label: t('unitedFront.enterprise.address'), children: e.address ?? none },
                    { key: 'office', label: t('unitedFront.enterprise.office'), children: e.officeName },
                    {
                      key: 'contacts',
                      label: t('unitedFront.enterprise.contacts'),
                      children: e.contacts.length ? e.contacts.map((c) => <Tag key={c.contactId}>{c.role ? `${c.name}（${c.role}）` : c.name}</Tag>) : none,
                    },
                    { key: 'notes', label: t('unitedFront.enterprise.notes'), children: e.notes ?? none },
                  ]}
                />
              ),
            },
            { key: 'timeline', label: t('unitedFront.contact.timeline'), children: <RecordTimeline kind="enterprises" id={e.id} /> },
          ]}
        />
      )}
    </Drawer>
  );
}

export function EnterprisesTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<EnterpriseFilters>();
  const [filters, setFilters] = useState<EnterpriseFilters>(emptyFilters);
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const [openId, setOpenId] = useState<string | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; session: number } | null>(null);
  const canWrite = useCan('unitedfront.write');
  const list = useEnterprises(filters, page, pageSize);
  const editingEnterprise = useEnterprise(editing?.id ?? null).data;

  const columns: TableColumnsType<Enterprise> = [
    {
      title: t('unitedFront.enterprise.name'),
      dataIndex: 'name',
      width: 220,
      render: (name: string, e) => (
        <Space size={4}>
          <span>{name}</span>
          {!e.active && <Tag>{t('common.inactive')}</Tag>}
        </Space>
      ),
    },
    { title: t('unitedFront.enterprise.creditCode'), dataIndex: 'creditCode', width: 190 },
    { title: t('unitedFront.enterprise.type'), dataIndex: 'type', width: 120, render: (v: EnterpriseType) => <Tag color="blue">{t(`unitedFront.enterpriseType.${v}`)}</Tag> },
    { title: t('unitedFront.enterprise.industry'), dataIndex: 'industry', width: 110, render: (v: string | null) => v ?? '' },
    { title: t('unitedFront.enterprise.district'), dataIndex: 'district', width: 100, render: (v: string | null) => v ?? '' },
    { title: t('unitedFront.enterprise.contacts'), dataIndex: 'contacts', width: 160, render: (cs: Enterprise['contacts']) => cs.map((c) => c.name).join('、') },
  ];

  const apply = (v: EnterpriseFilters) => {
    setFilters({ ...v, q: v.q?.trim() || undefined });
    setPage(1);
  };

  return (
    <div data-testid="enterprises-tab">
      <Form<EnterpriseFilters> form={form} initialValues={emptyFilters} onFinish={apply} layout="vertical">
        <Row gutter={12}>
          <Col xs={24} sm={12} md={8} xl={5}>
            <Form.Item name="q" label={t('unitedFront.enterprise.q')}>
              <Input allowClear maxLength={limits.searchMax} onPressEnter={() => form.submit()} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={4}>
            <Form.Item name="type" label={t('unitedFront.enterprise.type')}>
              <Select allowClear options={enterpriseTypes.map((x) => ({ value: x, label: t(`unitedFront.enterpriseType.${x}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={3}>
            <Form.Item name="active" label={t('unitedFront.contact.status')}>
              <Select
                options={[
                  { value: 'true', label: t('common.active') },
                  { value: 'false', label: t('common.inactive') },
                  { value: 'all', label: t('common.all') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} xl={5}>
            <Form.Item label=" " colon={false}>
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                  {t('common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    apply(emptyFilters);
                  }}
                >
                  {t('common.reset')}
                </Button>
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {canWrite && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ id: null, session: Date.now() })} data-testid="enterprise-create">
            {t('unitedFront.enterprise.create')}
          </Button>
        </Space>
      )}
      <Table<Enterprise>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 900 }}
        rowClassName="tx-row-clickable"
        onRow={(e) => ({ onClick: () => setOpenId(e.id), 'data-testid': 'enterprise-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid="enterprises-table"
      />
      <EnterpriseDrawer id={openId} onClose={() => setOpenId(null)} onEdit={(e) => setEditing({ id: e.id, session: Date.now() })} />
      <EnterpriseFormModal
        key={editing?.session ?? 0}
        open={!!editing && (editing.id === null || !!editingEnterprise)}
        enterprise={editing?.id ? editingEnterprise : undefined}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}

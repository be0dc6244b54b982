import { useState } from 'react';
import { Button, Col, Form, Input, Row, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ExportOutlined, ImportOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { arrangementKinds, limits, type Contact } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { useServerPagination } from '../../app/pagination';
import { useDownloadWithProgress } from '../people/DownloadProgressModal';
import { contactsQuery, useContact, useContacts, useCatalogues, type ContactFilters } from './ufApi';
import { ContactDrawer } from './ContactDrawer';
import { ContactFormModal } from './ContactFormModal';
import { ContactImportModal } from './ContactImportModal';

const emptyFilters: ContactFilters = { active: 'true' };
type Editing = { kind: 'create' } | { kind: 'edit'; id: string } | null;

export function ContactsTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<ContactFilters>();
  const [filters, setFilters] = useState<ContactFilters>(emptyFilters);
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const [openId, setOpenId] = useState<string | null>(null);
  const [editing, setEditingState] = useState<Editing>(null);
  const [session, setSession] = useState(0);
  const setEditing = (e: Editing) => {
    if (e) setSession((n) => n + 1);
    setEditingState(e);
  };
  const [importOpen, setImportOpen] = useState(false);
  const download = useDownloadWithProgress();
  const canWrite = useCan('unitedfront.write');
  const canImport = useCan('unitedfront.import');
  const canExport = useCan('unitedfront.export');
  const { data: cat } = useCatalogues();
  const list = useContacts(filters, page, pageSize);
  const editingContact = useContact(editing?.kind === 'edit' ? editing.id : null).data;

  const columns: TableColumnsType<Contact> = [
    {
      title: t('unitedFront.contact.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 110,
      render: (name: string, c) => (
        <Space size={4}>
          <Button
            type="link"
            size="small"
            style={{ padding: 0, height: 'auto' }}
            onClick={(e) => {
              e.stopPropagation();
              setOpenId(c.id);
            }}
          >
            {name}
          </Button>
          {!c.active && <Tag>{t('common.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('unitedFront.contact.categories'),
      dataIndex: 'categories',
      width: 200,
      render: (cs: Contact['categories']) => cs.map((c) => <Tag key={c.id}>{c.name}</Tag>),
    },
    { title: t('unitedFront.contact.party'), dataIndex: 'partyName', width: 90, render: (v: string | null) => v ?? '' },
    { title: t('unitedFront.contact.organisation'), dataIndex: 'organisation', width: 160, ellipsis: true, render: (v: string | null) => v ?? '' },
    { title: t('unitedFront.contact.post'), dataIndex: 'post', width: 110, ellipsis: true, render: (v: string | null) => v ?? '' },
    { title: t('unitedFront.contact.phone'), dataIndex: 'phoneMasked', width: 130, render: (v: string | null) => v ?? '' },
    { title: t('unitedFront.contact.tags'), dataIndex: 'tags', width: 140, render: (v: string[]) => v.join('、') },
    { title: t('unitedFront.contact.office'), dataIndex: 'officeName', width: 120, ellipsis: true },
  ];

  const apply = (v: ContactFilters) => {
    const next = { ...v, q: v.q?.trim() || undefined, tag: v.tag?.trim() || undefined };
    if (page === 1 && JSON.stringify(next) === JSON.stringify(filters)) void list.refetch();
    setFilters(next);
    setPage(1);
  };

  return (
    <div data-testid="contacts-tab">
      <Form<ContactFilters> form={form} initialValues={emptyFilters} onFinish={apply} layout="vertical">
        <Row gutter={12}>
          <Col xs={24} sm={12} md={6} xl={4}>
            <Form.Item name="q" label={t('unitedFront.contact.q')}>
              <Input allowClear maxLength={limits.searchMax} placeholder={t('unitedFront.contact.qPlaceholder')} onPressEnter={() => form.submit()} data-testid="contact-filter-q" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={6} xl={4}>
            <Form.Item name="categoryId" label={t('unitedFront.contact.categories')}>
              <Select allowClear options={(cat?.categories ?? []).map((c) => ({ value: c.id, label: c.name }))} data-testid="contact-filter-category" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={3}>
            <Form.Item name="tag" label={t('unitedFront.contact.tag')}>
              <Input allowClear maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={3}>
            <Form.Item name="arrangement" label={t('unitedFront.contact.arrangement')}>
              <Select allowClear options={arrangementKinds.map((k) => ({ value: k, label: t(`unitedFront.arrangementKind.${k}`) }))} />
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
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="contact-filter-submit">
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

      <Space wrap style={{ marginBottom: 12 }}>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'create' })} data-testid="contact-create">
            {t('unitedFront.contact.create')}
          </Button>
        )}
        {canImport && (
          <>
            <Button
              icon={<DownloadOutlined />}
              disabled={download.busy}
              onClick={() => void download.start(t('unitedFront.contact.downloadTemplate'), '/unitedfront/contacts/import-template.xlsx', undefined, 'contacts-template.xlsx')}
            >
              {t('unitedFront.contact.downloadTemplate')}
            </Button>
            <Button icon={<ImportOutlined />} onClick={() => setImportOpen(true)} data-testid="contact-import">
              {t('unitedFront.contact.import')}
            </Button>
          </>
        )}
        {canExport && (
          <Button
            icon={<ExportOutlined />}
            disabled={download.busy}
            data-testid="contact-export"
            onClick={() => void download.start(t('exporter.title'), '/unitedfront/contacts/export.xlsx', contactsQuery(filters), 'contacts.xlsx')}
          >
            {t('unitedFront.contact.export')}
          </Button>
        )}
      </Space>

      <Table<Contact>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 1000 }}
        rowClassName="tx-row-clickable"
        onRow={(c) => ({ onClick: () => setOpenId(c.id), 'data-testid': 'contact-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid="contacts-table"
      />

      <ContactDrawer contactId={openId} onClose={() => setOpenId(null)} onEdit={(c) => setEditing({ kind: 'edit', id: c.id })} />
      <ContactFormModal
        key={session}
        open={editing?.kind === 'create' || (editing?.kind === 'edit' && !!editingContact)}
        contact={editing?.kind === 'edit' ? editingContact : undefined}
        onClose={() => setEditing(null)}
        onSaved={(c) => {
          if (editing?.kind === 'create') setOpenId(c.id);
        }}
      />
      <ContactImportModal open={importOpen} onClose={() => setImportOpen(false)} />
      {download.element}
    </div>
  );
}

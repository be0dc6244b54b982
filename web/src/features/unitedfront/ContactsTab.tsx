import { Col, Form, Input, Select, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { arrangementKinds, limits, type Contact } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { RegistryBrowser, type RegistryEditing } from '../../components/RegistryBrowser';
import { contactsQuery, useContact, useContacts, useCatalogues, type ContactFilters } from './ufApi';
import { ContactDrawer } from './ContactDrawer';
import { ContactFormModal } from './ContactFormModal';
import { ContactImportModal } from './ContactImportModal';

const emptyFilters: ContactFilters = { active: 'true' };

/** The contact form, with the contact being edited fresh from the server. */
function ContactEditor({ editing, onClose, onCreated }: { editing: RegistryEditing; onClose: () => void; onCreated: (id: string) => void }) {
  const editingContact = useContact(editing?.kind === 'edit' ? editing.id : null).data;
  return (
    <ContactFormModal
      open={editing?.kind === 'create' || (editing?.kind === 'edit' && !!editingContact)}
      contact={editing?.kind === 'edit' ? editingContact : undefined}
      onClose={onClose}
      onSaved={(c) => {
        if (editing?.kind === 'create') onCreated(c.id);
      }}
    />
  );
}

export function ContactsTab() {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const canImport = useCan('unitedfront.import');
  const canExport = useCan('unitedfront.export');
  const { data: cat } = useCatalogues();

  const columns: TableColumnsType<Contact> = [
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

  return (
    <RegistryBrowser<Contact, ContactFilters>
      testId="contacts-tab"
      emptyFilters={emptyFilters}
      normalise={(v) => ({ ...v, q: v.q?.trim() || undefined, tag: v.tag?.trim() || undefined })}
      useList={useContacts}
      submitTestId="contact-filter-submit"
      submitCol={{ xs: 24, md: 8, xl: 5 }}
      filterFields={(form) => (
        <>
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
        </>
      )}
      activeLabel={t('unitedFront.contact.status')}
      nameColumn={{ title: t('unitedFront.contact.name'), width: 110 }}
      columns={columns}
      scrollX={1000}
      tableTestId="contacts-table"
      rowTestId="contact-row"
      create={canWrite ? { label: t('unitedFront.contact.create'), testId: 'contact-create' } : undefined}
      importer={
        canImport
          ? {
              label: t('unitedFront.contact.import'),
              testId: 'contact-import',
              templateLabel: t('unitedFront.contact.downloadTemplate'),
              templatePath: '/unitedfront/contacts/import-template.xlsx',
              templateFile: 'contacts-template.xlsx',
            }
          : undefined
      }
      exporter={canExport ? { label: t('unitedFront.contact.export'), testId: 'contact-export', path: '/unitedfront/contacts/export.xlsx', query: contactsQuery, file: 'contacts.xlsx' } : undefined}
      renderDetail={({ openId, onClose, onEdit }) => <ContactDrawer contactId={openId} onClose={onClose} onEdit={(c) => onEdit(c.id)} />}
      renderForm={(p) => <ContactEditor {...p} />}
      renderImport={(p) => <ContactImportModal {...p} />}
    />
  );
}

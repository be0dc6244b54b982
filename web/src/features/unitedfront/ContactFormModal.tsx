import { useMemo } from 'react';
import { Button, Col, DatePicker, Form, Input, Modal, Row, Select, Space, TreeSelect } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import {
  arrangementKinds,
  arrangementLevels,
  genders,
  limits,
  ufLimits,
  type Arrangement,
  type Contact,
  type CreateContactRequest,
  type UpdateContactRequest,
} from '@tongxin/contracts';
import { notifier } from '../../app/notify';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { useCatalogues, useContactMutations } from './ufApi';

interface Values {
  name: string;
  gender?: 'male' | 'female' | null;
  ethnicity?: string;
  birthDate?: Dayjs | null;
  officeId?: string;
  categoryIds: string[];
  partyId?: string | null;
  partyJoinedOn?: Dayjs | null;
  organisation?: string;
  post?: string;
  arrangements: Arrangement[];
  phone?: string;
  idNumber?: string;
  tags: string[];
  notes?: string;
}

const fmt = 'YYYY-MM-DD';
const toDate = (d: Dayjs | null | undefined) => (d ? d.format(fmt) : null);
const fromDate = (s: string | null) => (s ? dayjs(s, fmt) : null);
const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

export function ContactFormModal({ open, contact, onClose, onSaved }: { open: boolean; contact?: Contact; onClose: () => void; onSaved?: (c: Contact) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { data: units = [] } = useUnits(false);
  const { data: cat } = useCatalogues();
  const { create, update } = useContactMutations();
  const officeTree = useMemo(() => unitTreeSelectData(buildUnitForest(units), (u) => u.type === 'office' || u.type === 'department'), [units]);
  const categoryIds = Form.useWatch('categoryIds', form) ?? contact?.categories.map((c) => c.id) ?? [];
  const needsParty = (cat?.categories ?? []).some((c) => c.needsParty && categoryIds.includes(c.id));

  const initial: Partial<Values> = contact
    ? {
        name: contact.name,
        gender: contact.gender,
        ethnicity: contact.ethnicity ?? undefined,
        birthDate: fromDate(contact.birthDate),
        officeId: contact.officeId,
        categoryIds: contact.categories.map((c) => c.id),
        partyId: contact.partyId,
        partyJoinedOn: fromDate(contact.partyJoinedOn),
        organisation: contact.organisation ?? undefined,
        post: contact.post ?? undefined,
        arrangements: contact.arrangements,
        tags: contact.tags,
        notes: contact.notes ?? undefined,
      }
    : { categoryIds: [], arrangements: [], tags: [] };

  const submit = (v: Values) => {
    const common = {
      name: v.name.trim(),
      gender: v.gender ?? null,
      ethnicity: blank(v.ethnicity),
      birthDate: toDate(v.birthDate),
      officeId: v.officeId ?? '',
      categoryIds: v.categoryIds,
      partyId: needsParty ? (v.partyId ?? null) : null,
      partyJoinedOn: needsParty ? toDate(v.partyJoinedOn) : null,
      organisation: blank(v.organisation),
      post: blank(v.post),
      arrangements: v.arrangements.map((a) => ({ kind: a.kind, level: a.level })),
      tags: v.tags.map((x) => x.trim()).filter(Boolean),
      notes: blank(v.notes),
    };
    const phone = blank(v.phone);
    const idNumber = blank(v.idNumber)?.toUpperCase() ?? null;
    const done = (saved: Contact) => {
      notifier().success(t('common.saved'));
      onSaved?.(saved);
      onClose();
    };
    if (contact) {
      // numbers are shown masked only: blank means "keep"
      const body: UpdateContactRequest = { ...common, version: contact.version, ...(phone ? { phone } : {}), ...(idNumber ? { idNumber } : {}) };
      update.mutate({ id: contact.id, body }, { onSuccess: done });
    } else {
      const body: CreateContactRequest = { ...common, phone, idNumber };
      create.mutate(body, { onSuccess: done });
    }
  };

  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });

  return (
    <Modal
      open={open}
      title={contact ? t('unitedFront.contact.edit') : t('unitedFront.contact.create')}
      width={760}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="contact-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('unitedFront.contact.name')} rules={[{ ...required(t('unitedFront.contact.name')), whitespace: true }]}>
              <Input maxLength={limits.nameMax} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="gender" label={t('unitedFront.contact.gender')}>
              <Select allowClear options={genders.map((g) => ({ value: g, label: t(`gender.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="ethnicity" label={t('unitedFront.contact.ethnicity')}>
              <Input maxLength={limits.ethnicityMax} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="categoryIds" label={t('unitedFront.contact.categories')} rules={[{ required: true, type: 'array', min: 1, message: t('common.selectRequired', { field: t('unitedFront.contact.categories') }) }]}>
              <Select
                mode="multiple"
                data-testid="contact-categories"
                options={(cat?.categories ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="officeId" label={t('unitedFront.contact.office')} rules={[{ required: true, message: t('common.selectRequired', { field: t('unitedFront.contact.office') }) }]}>
              <TreeSelect treeData={officeTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="contact-office" />
            </Form.Item>
          </Col>
          {needsParty && (
            <>
              <Col xs={12} sm={12}>
                <Form.Item name="partyId" label={t('unitedFront.contact.party')} rules={[{ required: true, message: t('common.selectRequired', { field: t('unitedFront.contact.party') }) }]}>
                  <Select options={(cat?.parties ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))} data-testid="contact-party" />
                </Form.Item>
              </Col>
              <Col xs={12} sm={12}>
                <Form.Item name="partyJoinedOn" label={t('unitedFront.contact.partyJoinedOn')}>
                  <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24} sm={12}>
            <Form.Item name="organisation" label={t('unitedFront.contact.organisation')}>
              <Input maxLength={ufLimits.textMax} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="post" label={t('unitedFront.contact.post')}>
              <Input maxLength={ufLimits.textMax} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('unitedFront.contact.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('unitedFront.contact.phone') }]}>
              <Input maxLength={11} placeholder={contact?.phoneMasked ?? ''} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="idNumber" label={t('unitedFront.contact.idNumber')} rules={[{ pattern: /^\d{17}[\dXx]$/, message: t('unitedFront.contact.idNumber') }]}>
              <Input maxLength={18} placeholder={contact?.idNumberMasked ?? ''} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="birthDate" label={t('unitedFront.contact.birthDate')}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="tags" label={t('unitedFront.contact.tags')}>
              <Select mode="tags" maxCount={ufLimits.tagsMax} tokenSeparators={[',', '，', '、']} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label={t('unitedFront.contact.arrangements')}>
              <Form.List name="arrangements">
                {(fields, { add, remove }) => (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    {fields.map((f) => (
                      <Space key={f.key} align="baseline">
                        <Form.Item name={[f.name, 'level']} noStyle rules={[{ required: true }]}>
                          <Select style={{ width: 120 }} options={arrangementLevels.map((l) => ({ value: l, label: t(`unitedFront.level.${l}`) }))} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'kind']} noStyle rules={[{ required: true }]}>
                          <Select style={{ width: 160 }} options={arrangementKinds.map((k) => ({ value: k, label: t(`unitedFront.arrangementKind.${k}`) }))} />
                        </Form.Item>
                        <MinusCircleOutlined onClick={() => remove(f.name)} />
                      </Space>
                    ))}
                    {fields.length < ufLimits.arrangementsMax && (
                      <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'cppcc_member', level: 'city' })}>
                        {t('common.create')}
                      </Button>
                    )}
                  </Space>
                )}
              </Form.List>
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t('unitedFront.contact.notes')}>
              <Input.TextArea maxLength={ufLimits.notesMax} rows={2} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tag } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { activityCategories, fieldKinds, quorumRules, unitTypes, type ActivityType, type FieldDef } from '@tongxin/contracts';
import { useActivityTypes, useTypeMutations } from './activitiesApi';
import { typeName } from './ActivityFormModal';

type FieldValues = Omit<FieldDef, 'options'> & { optionsText?: string };
type Values = Omit<ActivityType, 'id' | 'version' | 'fields'> & { fields: FieldValues[] };

/** "value=中文名=English" lines ↔ options of a select field. */
function parseOptions(text: string | undefined): FieldDef['options'] {
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.map((l) => {
    const [value = '', zh, en] = l.split('=').map((x) => x.trim());
    return { value, labelZh: zh || value, labelEn: en || zh || value };
  });
}

function optionsText(f: FieldDef): string {
  return (f.options ?? []).map((o) => `${o.value}=${o.labelZh}=${o.labelEn}`).join('\n');
}

function TypeModal({ type, open, onClose }: { type: ActivityType | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { create, update } = useTypeMutations();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      type
        ? { ...type, fields: type.fields.map((f) => ({ ...f, optionsText: optionsText(f) })) }
        : { category: 'other', unitTypes: [], takesAttendance: true, countsPersonTimes: true, quorumRule: 'none', fields: [], sortOrder: 500, active: true },
    );
  }, [open, type, form]);
  const submit = async (v: Values) => {
    const fields: FieldDef[] = (v.fields ?? []).map(({ optionsText: text, ...f }) => ({ ...f, required: !!f.required, ...(f.kind === 'select' ? { options: parseOptions(text) } : {}) }));
    const body = {
      nameZh: v.nameZh,
      nameEn: v.nameEn,
      category: v.category,
      unitTypes: v.unitTypes,
      takesAttendance: v.takesAttendance,
      countsPersonTimes: v.countsPersonTimes,
      quorumRule: v.quorumRule,
      fields,
      sortOrder: v.sortOrder,
    };
    if (type) await update.mutateAsync({ id: type.id, body: { ...body, version: type.version, active: v.active } });
    else await create.mutateAsync({ ...body, code: v.code });
    onClose();
  };
  return (
    <Modal open={open} title={type ? t('activities.types.edit') : t('activities.types.new')} onCancel={onClose} onOk={() => form.submit()} width={760} destroyOnHidden confirmLoading={create.isPending || update.isPending}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v).catch(() => undefined)}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="code" label={t('activities.types.code')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,47}$/ }]}>
              <Input disabled={!!type} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nameZh" label={t('activities.types.nameZh')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nameEn" label={t('activities.types.nameEn')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="category" label={t('activities.types.category')}>
              <Select options={activityCategories.map((c) => ({ value: c, label: t(`activities.category.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="unitTypes" label={t('activities.types.unitTypes')} extra={t('activities.types.unitTypesHelp')}>
              <Select mode="multiple" options={unitTypes.map((u) => ({ value: u, label: t(`unitType.${u}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="quorumRule" label={t('activities.types.quorumRule')}>
              <Select options={quorumRules.map((q) => ({ value: q, label: t(`activities.quorumRule.${q}`) }))} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="takesAttendance" label={t('activities.types.takesAttendance')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="countsPersonTimes" label={t('activities.types.countsPersonTimes')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="sortOrder" label={t('activities.types.sortOrder')}>
              <InputNumber min={0} max={10000} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="active" label={t('activities.types.active')} valuePropName="checked">
              <Switch disabled={!type} />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="fields">
          {(items, { add, remove }) => (
            <>
              {items.map((item) => (
                <Space key={item.key} align="start" wrap style={{ display: 'flex', borderTop: '1px dashed #eee', paddingTop: 8 }}>
                  <Form.Item name={[item.name, 'key']} label={t('activities.types.fieldKey')} rules={[{ required: true, pattern: /^[a-z][a-zA-Z0-9_]{0,31}$/ }]}>
                    <Input style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'labelZh']} label={t('activities.types.fieldLabelZh')} rules={[{ required: true }]}>
                    <Input style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'labelEn']} label={t('activities.types.fieldLabelEn')} rules={[{ required: true }]}>
                    <Input style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'kind']} label={t('activities.types.fieldKind')} rules={[{ required: true }]}>
                    <Select style={{ width: 90 }} options={fieldKinds.map((k) => ({ value: k, label: t(`activities.fieldKind.${k}`) }))} />
                  </Form.Item>
                  <Form.Item name={[item.name, 'required']} label={t('activities.types.fieldRequired')} valuePropName="checked">
                    <Checkbox />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() =>
                      form.getFieldValue(['fields', item.name, 'kind']) === 'select' ? (
                        <Form.Item name={[item.name, 'optionsText']} label={t('activities.types.fieldOptions')} rules={[{ required: true }]}>
                          <Input.TextArea rows={3} style={{ width: 220 }} placeholder="town=镇（街道）=Town" />
                        </Form.Item>
                      ) : null
                    }
                  </Form.Item>
                  <MinusCircleOutlined style={{ marginTop: 36 }} onClick={() => remove(item.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'text', required: false })}>
                {t('activities.types.addField')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** The activity-type catalogue (activities.catalog). */
export default function ActivityTypesPage() {
  const { t } = useTranslation();
  const types = useActivityTypes(true);
  const [editing, setEditing] = useState<ActivityType | null>(null);
  const [open, setOpen] = useState(false);
  const columns = [
    { title: t('activities.types.nameZh'), render: (_: unknown, r: ActivityType) => typeName(r) },
    { title: t('activities.types.code'), dataIndex: 'code' },
    { title: t('activities.types.category'), dataIndex: 'category', render: (v: ActivityType['category']) => t(`activities.category.${v}`) },
    { title: t('activities.types.unitTypes'), dataIndex: 'unitTypes', render: (v: ActivityType['unitTypes']) => v.map((u) => <Tag key={u}>{t(`unitType.${u}`)}</Tag>) },
    { title: t('activities.types.quorumRule'), dataIndex: 'quorumRule', render: (v: ActivityType['quorumRule']) => t(`activities.quorumRule.${v}`) },
    { title: t('activities.types.fields'), dataIndex: 'fields', render: (v: FieldDef[]) => v.map((f) => f.labelZh).join('、') },
    { title: t('activities.types.active'), dataIndex: 'active', render: (v: boolean) => (v ? <Tag color="green">✓</Tag> : <Tag>—</Tag>) },
    {
      title: '',
      render: (_: unknown, r: ActivityType) => (
        <a
          onClick={() => {
            setEditing(r);
            setOpen(true);
          }}
        >
          {t('activities.types.edit')}
        </a>
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('activities.types.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setEditing(null);
            setOpen(true);
          }}
        >
          {t('activities.types.new')}
        </Button>
      }
    >
      <Table<ActivityType> rowKey="id" size="small" loading={types.isFetching} dataSource={types.data ?? []} columns={columns} pagination={false} />
      <TypeModal type={editing} open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}

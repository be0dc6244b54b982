import { useEffect } from 'react';
import { Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { limits, unitTypes, type OrgUnit, type UnitType } from '@tongxin/contracts';
import { suggestedChildType } from './units';
import { useUnitMutations } from './orgMutations';
import { notifier } from '../../app/notify';

interface Values {
  type: UnitType;
  name: string;
  sortOrder: number;
}

/** Creates a child of `parent`, or edits `unit`. */
export function UnitFormModal({
  open,
  parent,
  unit,
  onClose,
  onSaved,
}: {
  open: boolean;
  parent?: OrgUnit;
  unit?: OrgUnit;
  onClose: () => void;
  onSaved?: (u: OrgUnit) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { create, update } = useUnitMutations();
  const editing = !!unit;
  const pending = create.isPending || update.isPending;

  // a refetch after a stale write (409) brings a new version: show the fresh record
  const version = unit?.version;
  useEffect(() => {
    if (version !== undefined) form.resetFields();
  }, [form, version]);

  const initial: Values = unit
    ? { type: unit.type, name: unit.name, sortOrder: unit.sortOrder }
    : { type: parent ? suggestedChildType(parent.type) : 'office', name: '', sortOrder: 0 };

  const submit = (v: Values) => {
    if (unit) {
      update.mutate(
        { id: unit.id, version: unit.version, name: v.name.trim(), type: v.type, sortOrder: v.sortOrder },
        {
          onSuccess: (saved) => {
            notifier().success(t('common.saved'));
            onSaved?.(saved);
            onClose();
          },
        },
      );
    } else if (parent) {
      create.mutate(
        { parentId: parent.id, name: v.name.trim(), type: v.type, sortOrder: v.sortOrder },
        {
          onSuccess: (saved) => {
            notifier().success(t('org.created'));
            onSaved?.(saved);
            onClose();
          },
        },
      );
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t('org.editTitle') : t('org.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={pending}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        data-testid="unit-form"
      >
        {parent && !editing && (
          <Form.Item label={t('org.parent')}>
            <Typography.Text strong>{parent.name}</Typography.Text>
          </Form.Item>
        )}
        <Form.Item name="type" label={t('org.type')} rules={[{ required: true }]}>
          <Select<UnitType>
            options={unitTypes.map((v) => ({ value: v, label: t(`unitType.${v}`) }))}
            data-testid="unit-type"
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('org.name') }) }]}
        >
          <Input maxLength={limits.unitNameMax} showCount />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('org.sortOrder')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

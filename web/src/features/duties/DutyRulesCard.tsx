import { useEffect, useState, type HTMLAttributes } from 'react';
import { Button, Card, Form, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { dutyPeriods, unitTypes, type DutyPeriod, type DutyRule, type UnitType } from '@tongxin/contracts';
import { currentLanguage } from '../../app/i18n';
import { notifier } from '../../app/notify';
import { useDutyRuleMutations, useDutyRules, useDutyTypeOptions } from './dutiesApi';

interface Values {
  unitType: UnitType;
  typeId: string;
  period: DutyPeriod;
  minCount: number;
  active: boolean;
}

/** Creates a rule, or edits `rule` (unit type and activity type are fixed once created). */
function DutyRuleModal({ open, rule, onClose }: { open: boolean; rule?: DutyRule; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [form] = Form.useForm<Values>();
  const { create, update } = useDutyRuleMutations();
  const { data: types = [], isPending: typesPending } = useDutyTypeOptions(open && !rule);
  const editing = !!rule;

  // a refetch after a stale write (409) brings a new version: show the fresh record
  const version = rule?.version;
  useEffect(() => {
    if (version !== undefined) form.resetFields();
  }, [form, version]);

  const initial: Partial<Values> = rule
    ? { unitType: rule.unitType, typeId: rule.typeId, period: rule.period, minCount: rule.minCount, active: rule.active }
    : { unitType: 'branch', period: 'month', minCount: 1, active: true };

  const submit = (v: Values) => {
    if (rule) {
      update.mutate(
        { id: rule.id, version: rule.version, period: v.period, minCount: v.minCount, active: v.active },
        {
          onSuccess: () => {
            notifier().success(t('common.saved'));
            onClose();
          },
        },
      );
    } else {
      create.mutate(
        { unitType: v.unitType, typeId: v.typeId, period: v.period, minCount: v.minCount },
        {
          onSuccess: () => {
            notifier().success(t('duties.rules.created'));
            onClose();
          },
        },
      );
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t('duties.rules.editTitle') : t('duties.rules.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="duty-rule-form">
        <Form.Item
          name="unitType"
          label={t('duties.rules.unitType')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('duties.rules.unitType') }) }]}
        >
          <Select<UnitType>
            disabled={editing}
            options={unitTypes.map((v) => ({ value: v, label: t(`unitType.${v}`) }))}
            data-testid="duty-rule-unit-type"
          />
        </Form.Item>
        <Form.Item
          name="typeId"
          label={t('duties.rules.type')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('duties.rules.type') }) }]}
        >
          {editing && rule ? (
            <Select disabled options={[{ value: rule.typeId, label: lang === 'en' ? rule.typeNameEn : rule.typeNameZh }]} />
          ) : (
            <Select
              showSearch
              optionFilterProp="label"
              loading={typesPending}
              options={types.map((o) => ({ value: o.id, label: lang === 'en' ? o.nameEn : o.nameZh }))}
              data-testid="duty-rule-type"
            />
          )}
        </Form.Item>
        <Form.Item name="period" label={t('duties.rules.period')} rules={[{ required: true }]}>
          <Select<DutyPeriod> options={dutyPeriods.map((p) => ({ value: p, label: t(`duties.periods.${p}`) }))} data-testid="duty-rule-period" />
        </Form.Item>
        <Form.Item
          name="minCount"
          label={t('duties.rules.minCount')}
          rules={[{ required: true, message: t('common.required', { field: t('duties.rules.minCount') }) }]}
        >
          <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} data-testid="duty-rule-min-count" />
        </Form.Item>
        {editing && (
          <Form.Item name="active" label={t('duties.rules.active')} valuePropName="checked">
            <Switch checkedChildren={t('duties.rules.enabled')} unCheckedChildren={t('duties.rules.disabled')} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** The duty rules (activities.catalog): list, create, edit, deactivate/reactivate. */
export function DutyRulesCard() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { data: rules = [], isPending } = useDutyRules(true);
  const { update } = useDutyRuleMutations();
  const [modal, setModal] = useState<{ open: boolean; ruleId?: string }>({ open: false });
  // read the rule from the list, so a refetch after a stale write hands the modal the new version
  const editing = modal.ruleId ? rules.find((r) => r.id === modal.ruleId) : undefined;

  const setActive = (rule: DutyRule, active: boolean) =>
    update.mutate(
      { id: rule.id, version: rule.version, active },
      { onSuccess: () => notifier().success(active ? t('duties.rules.reactivated') : t('duties.rules.deactivated')) },
    );

  return (
    <Card
      title={t('duties.rules.title')}
      data-testid="duty-rules"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ open: true })} data-testid="duty-rule-create">
          {t('duties.rules.create')}
        </Button>
      }
    >
      <Table<DutyRule>
        size="small"
        loading={isPending}
        rowKey="id"
        dataSource={rules}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('duties.rules.empty') }}
        onRow={(r) => ({ 'data-testid': 'duty-rule-row', 'data-type': r.typeNameZh }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('duties.rules.unitType'), dataIndex: 'unitType', render: (u: UnitType) => t(`unitType.${u}`) },
          { title: t('duties.rules.type'), render: (_v, r) => (lang === 'en' ? r.typeNameEn : r.typeNameZh) },
          { title: t('duties.rules.period'), dataIndex: 'period', render: (p: DutyPeriod) => t(`duties.periods.${p}`) },
          { title: t('duties.rules.minCount'), dataIndex: 'minCount' },
          {
            title: t('duties.rules.active'),
            dataIndex: 'active',
            render: (a: boolean) => (a ? <Tag color="success">{t('duties.rules.enabled')}</Tag> : <Tag>{t('duties.rules.disabled')}</Tag>),
          },
          {
            title: '',
            key: 'actions',
            render: (_v, r) => (
              <Space size="small">
                <Button type="link" size="small" onClick={() => setModal({ open: true, ruleId: r.id })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={r.active ? t('common.confirmDeactivate') : t('common.confirmReactivate')}
                  onConfirm={() => setActive(r, !r.active)}
                >
                  <Button type="link" size="small" danger={r.active}>
                    {r.active ? t('common.deactivate') : t('common.reactivate')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <DutyRuleModal open={modal.open && (!modal.ruleId || !!editing)} rule={editing} onClose={() => setModal({ open: false })} />
    </Card>
  );
}

import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ACTIVITY_RULE_KINDS, RuleKindSchema, type CreateRuleSetRequest, type Rule, type RuleKind, type RuleSet } from '@tongxin/contracts';
import { isApiError } from '../../app/api';
import { notifier } from '../../app/notify';
import { useActivityTypes } from '../activities/activitiesApi';
import { currentMonth, useCreateRuleSet } from './pointsApi';

/** A rule as the form holds it: the cap as two fields, empty when the rule has none. */
type RuleValues = Omit<Rule, 'cap'> & { cap?: { period?: 'month' | 'quarter' | 'year'; max?: number | null } };
type Values = Omit<CreateRuleSetRequest, 'rules'> & { rules: RuleValues[] };

const kinds = RuleKindSchema.options;

function toValues(rs: RuleSet): Values {
  return {
    effectiveFrom: `${currentMonth()}-01`,
    baseScore: rs.baseScore,
    note: '',
    grading: rs.grading,
    rules: rs.rules.map((r) => ({ ...r, cap: r.cap ? { period: r.cap.period, max: r.cap.max } : { period: 'month', max: null } })),
  };
}

/** The request exactly as entered: the server validates it and its answers are shown by field. */
function toRequest(v: Values): CreateRuleSetRequest {
  return {
    effectiveFrom: v.effectiveFrom,
    baseScore: v.baseScore,
    grading: v.grading,
    ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    rules: (v.rules ?? []).map((r) => {
      const activity = ACTIVITY_RULE_KINDS.includes(r.kind);
      return {
        code: r.code,
        kind: r.kind,
        nameZh: r.nameZh,
        // the English name defaults to the Chinese one: most tenants never show it
        nameEn: r.nameEn?.trim() ? r.nameEn : r.nameZh,
        typeCodes: activity ? (r.typeCodes ?? []) : [],
        roles: r.kind === 'role' ? (r.roles ?? []) : [],
        amount: r.amount,
        cap: r.cap && r.cap.max !== null && r.cap.max !== undefined ? { period: r.cap.period ?? 'month', max: r.cap.max } : null,
        ...(r.kind === 'honour' && r.level?.trim() ? { level: r.level.trim() } : {}),
      };
    }),
  };
}

/** 'body/rules/0/cap/max' or 'rules.0.typeCodes' → ['rules', 0, 'cap', 'max'] */
export function fieldOf(path: string): (string | number)[] {
  return path
    .replace(/^body/, '')
    .split(/[/.]/)
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The rule set editor: a new version of the rules, effective from a date. */
export function RuleSetForm({ current, onClose }: { current: RuleSet; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateRuleSet();
  const types = useActivityTypes();
  const [other, setOther] = useState<string[]>([]);
  const typeOptions = useMemo(() => (types.data ?? []).map((x) => ({ value: x.code, label: x.nameZh })), [types.data]);
  const initial = useMemo(() => toValues(current), [current]);

  const submit = (v: Values) => {
    setOther([]);
    create.mutate(toRequest(v), {
      onSuccess: () => {
        notifier().success(t('points.rules.created'));
        onClose();
      },
      onError: (e) => {
        if (!isApiError(e) || (e.code !== 'VALIDATION_FAILED' && e.code !== 'PERIOD_CLOSED')) return;
        const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
        const unplaced: string[] = [];
        for (const d of e.details) {
          const name = d.path ? fieldOf(d.path) : [];
          // only a field the form shows can carry the message; the rest go above the form
          if (name.length && form.getFieldInstance(name as never) !== undefined) {
            const k = name.join('.');
            const cur = byField.get(k) ?? { name, errors: [] };
            cur.errors.push(d.problem);
            byField.set(k, cur);
          } else unplaced.push(d.path ? `${d.path}: ${d.problem}` : d.problem);
        }
        form.setFields([...byField.values()].map((f) => ({ name: f.name as never, errors: f.errors })));
        setOther(unplaced.length ? unplaced : byField.size ? [] : [e.message]);
      },
    });
  };

  return (
    <Modal open width={980} title={t('points.rules.newVersion')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} okButtonProps={{ id: 'rules-submit' }} destroyOnHidden>
      {other.length > 0 && <Alert type="error" showIcon message={other.join('；')} style={{ marginBottom: 8 }} data-testid="rules-errors" />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid="rules-form">
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="effectiveFrom" label={t('points.rules.effectiveFrom')} rules={[{ required: true }]}>
              <Input type="date" data-testid="rules-effective-from" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="baseScore" label={t('points.rules.baseScore')} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} data-testid="rules-base" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="note" label={t('points.rules.note')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('points.rules.list')}</Typography.Title>
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <RuleFields key={f.key} index={f.name} typeOptions={typeOptions} onRemove={() => remove(f.name)} />
              ))}
              <Button
                onClick={() => add({ code: `rule_${Date.now().toString(36)}`, kind: 'other', nameZh: '', nameEn: '', typeCodes: [], roles: [], amount: 1, cap: { period: 'month', max: null } })}
                data-testid="rules-add"
              >
                {t('points.rules.addRule')}
              </Button>
            </>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('points.rules.gradingTitle')}
        </Typography.Title>
        <Row gutter={12}>
          <Col xs={12} sm={6}>
            <Form.Item name={['grading', 'excellentTopPercent']} label={t('points.rules.excellentTop')}>
              <InputNumber addonAfter="%" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name={['grading', 'excellentNoSanction']} label={t('points.rules.excellentNoSanction')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name={['grading', 'basicBelow']} label={t('points.rules.basicBelow')}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name={['grading', 'failBelow']} label={t('points.rules.failBelow')}>
              <InputNumber style={{ width: '100%' }} data-testid="rules-fail-below" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function RuleFields({ index, typeOptions, onRemove }: { index: number; typeOptions: { value: string; label: string }[]; onRemove: () => void }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<Values>();
  const kind = Form.useWatch(['rules', index, 'kind'], form) as RuleKind | undefined;
  const activity = !!kind && ACTIVITY_RULE_KINDS.includes(kind);
  return (
    <Card size="small" style={{ marginBottom: 8 }} data-testid="rules-rule">
      <Row gutter={8}>
        <Col xs={24} sm={6}>
          <Form.Item name={[index, 'kind']} label={t('points.rules.kindLabel')} rules={[{ required: true }]}>
            <Select options={kinds.map((k) => ({ value: k, label: t(`points.rules.kind.${k}`) }))} data-testid="rules-kind" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={6}>
          <Form.Item name={[index, 'nameZh']} label={t('points.rules.name')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={50} data-testid="rules-name" />
          </Form.Item>
        </Col>
        <Col xs={12} sm={4}>
          <Form.Item name={[index, 'amount']} label={t('points.rules.amount')} tooltip={t('points.rules.amountHint')}>
            <InputNumber style={{ width: '100%' }} data-testid="rules-amount" />
          </Form.Item>
        </Col>
        <Col xs={12} sm={4}>
          <Form.Item name={[index, 'cap', 'max']} label={t('points.rules.cap')} tooltip={t('points.rules.capHint')}>
            <InputNumber style={{ width: '100%' }} data-testid="rules-cap" />
          </Form.Item>
        </Col>
        <Col xs={12} sm={4}>
          <Form.Item name={[index, 'cap', 'period']} label={t('points.rules.capPeriodLabel')}>
            <Select options={(['month', 'quarter', 'year'] as const).map((p) => ({ value: p, label: t(`points.rules.capPeriod.${p}`) }))} />
          </Form.Item>
        </Col>
        {activity && (
          <Col xs={24} sm={12}>
            <Form.Item name={[index, 'typeCodes']} label={t('points.rules.types')}>
              <Select mode="multiple" options={typeOptions} optionFilterProp="label" data-testid="rules-types" />
            </Form.Item>
          </Col>
        )}
        {kind === 'role' && (
          <Col xs={24} sm={6}>
            <Form.Item name={[index, 'roles']} label={t('points.rules.roles')}>
              <Select
                mode="multiple"
                options={[
                  { value: 'speaker', label: t('points.rules.role.speaker') },
                  { value: 'host', label: t('points.rules.role.host') },
                ]}
              />
            </Form.Item>
          </Col>
        )}
        {kind === 'honour' && (
          <Col xs={12} sm={4}>
            <Form.Item name={[index, 'level']} label={t('points.rules.level')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
        )}
        <Col xs={12} sm={4}>
          <Form.Item name={[index, 'code']} label={t('points.rules.code')} tooltip={t('points.rules.codeHint')}>
            <Input maxLength={48} />
          </Form.Item>
        </Col>
        <Col xs={12} sm={4}>
          <Form.Item name={[index, 'nameEn']} label={t('points.rules.nameEn')}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
        <Col flex="none" style={{ display: 'flex', alignItems: 'center' }}>
          <Space>
            <Button danger size="small" onClick={onRemove} data-testid="rules-remove">
              {t('points.rules.removeRule')}
            </Button>
          </Space>
        </Col>
      </Row>
    </Card>
  );
}

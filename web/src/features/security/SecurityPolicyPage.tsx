import { Alert, Button, Card, Col, Form, InputNumber, Row, Space, Spin, Switch, Typography } from 'antd';
import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api';
import { notifier } from '../../app/notify';
import { lockoutFields, passwordFields, policyFields, policyRange, warnDaysProblem, type PolicyField, type PolicyValues } from './policy';
import { usePolicy, useSavePolicy, type VersionedPolicy } from './policyApi';

const units: Record<PolicyField, 'unitChars' | 'unitClasses' | 'unitTimes' | 'unitDays' | 'unitMinutes'> = {
  passwordMinLength: 'unitChars',
  passwordMinClasses: 'unitClasses',
  passwordHistory: 'unitTimes',
  passwordMaxAgeDays: 'unitDays',
  passwordWarnDays: 'unitDays',
  lockoutThreshold: 'unitTimes',
  lockoutMinutes: 'unitMinutes',
};

function PolicyForm({ policy, save }: { policy: VersionedPolicy; save: ReturnType<typeof useSavePolicy> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PolicyValues>();

  const submit = (values: PolicyValues) => {
    // only the fields shown here: anything else of the policy stays as stored
    const body = {
      ...(Object.fromEntries(policyFields.map((f) => [f, values[f]])) as Pick<PolicyValues, PolicyField>),
      totpRequired: values.totpRequired,
    };
    save.mutate(
      { ...body, version: policy.version },
      {
        onSuccess: () => notifier().success(t('security.saved')),
        onError: (e) => {
          // the server's own field checks (the central handler shows the general message)
          if (!isApiError(e) || e.code !== 'VALIDATION_FAILED') return;
          const fields: readonly string[] = policyFields;
          form.setFields(
            e.details
              .filter((d) => d.path && fields.includes(d.path))
              .map((d) => ({
                name: d.path as PolicyField,
                errors: [
                  d.path === 'passwordWarnDays'
                    ? t('security.warnNotBelowMaxAge', { days: values.passwordMaxAgeDays })
                    : d.problem,
                ],
              })),
          );
        },
      },
    );
  };

  const item = (field: PolicyField) => {
    const { min, max } = policyRange(field);
    const label = t(`security.${field}`);
    return (
      <Col xs={24} md={12} key={field}>
        <Form.Item
          name={field}
          label={label}
          extra={t(`security.${field}Help`, { min, max })}
          dependencies={field === 'passwordWarnDays' ? ['passwordMaxAgeDays'] : undefined}
          rules={[
            { required: true, message: t('common.required', { field: label }) },
            ...(field === 'passwordWarnDays'
              ? [
                  ({ getFieldValue }: { getFieldValue: (name: PolicyField) => unknown }) => ({
                    validator: (_r: unknown, warn: number | null) => {
                      const days = warnDaysProblem(getFieldValue('passwordMaxAgeDays') as number | null, warn);
                      return days === null
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('security.warnNotBelowMaxAge', { days })));
                    },
                  }),
                ]
              : []),
          ]}
        >
          <InputNumber<number>
            min={min}
            max={max}
            precision={0}
            suffix={t(`security.${units[field]}`)}
            style={{ width: 200 }}
            data-testid={`policy-${field}`}
          />
        </Form.Item>
      </Col>
    );
  };

  return (
    <Form<PolicyValues>
      form={form}
      layout="vertical"
      initialValues={policy}
      onFinish={submit}
      style={{ maxWidth: 960 }}
      data-testid="policy-form"
    >
      <Typography.Title level={5}>{t('security.passwordSection')}</Typography.Title>
      <Row gutter={24}>{passwordFields.map(item)}</Row>
      <Typography.Title level={5}>{t('security.lockoutSection')}</Typography.Title>
      <Row gutter={24}>{lockoutFields.map(item)}</Row>
      <Typography.Title level={5}>{t('security.totpSection')}</Typography.Title>
      <Form.Item
        name="totpRequired"
        label={t('security.totpRequired')}
        valuePropName="checked"
        extra={t('security.totpRequiredHelp')}
      >
        <Switch data-testid="policy-totpRequired" />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} data-testid="policy-save">
          {t('common.save')}
        </Button>
        <Button icon={<UndoOutlined />} onClick={() => form.resetFields()}>
          {t('common.reset')}
        </Button>
      </Space>
    </Form>
  );
}

export default function SecurityPolicyPage() {
  const { t } = useTranslation();
  const { data: policy, isError, refetch } = usePolicy();
  // owned here, not by the form: a saved version remounts the form, and the callbacks of a
  // mutation observer that unmounted would never run
  const save = useSavePolicy();
  return (
    <Card
      title={t('security.title')}
      size="small"
      extra={policy && <Typography.Text type="secondary" data-testid="policy-version">{t('security.version', { version: policy.version })}</Typography.Text>}
      data-testid="security-page"
    >
      <Alert type="info" showIcon title={t('security.intro')} style={{ marginBottom: 16 }} />
      {policy ? (
        // a new version (saved here, or loaded after a stale write) starts a fresh form with its values
        <PolicyForm key={policy.version} policy={policy} save={save} />
      ) : isError ? (
        // the reason was already shown by the central error handler
        <Button onClick={() => void refetch()}>{t('app.reload')}</Button>
      ) : (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      )}
    </Card>
  );
}

import { useEffect } from 'react';
import { Alert, Form, Input, Modal, Switch, Typography, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { notifier } from '../../app/notify';
import { useNotificationSettings, useSaveNotificationSettings } from './dutiesApi';

type Values = { email: string; emailEnabled: boolean };

/** The user's own reminder channels: the bell always, email when the installation sends it. */
export function NotificationSettingsModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { data, isPending } = useNotificationSettings(open);
  const save = useSaveNotificationSettings();

  useEffect(() => {
    if (open && data) form.setFieldsValue({ email: data.email ?? '', emailEnabled: data.emailEnabled });
  }, [form, open, data]);

  const submit = (v: Values) => {
    const email = v.email.trim();
    save.mutate(
      { email: email === '' ? null : email, emailEnabled: v.emailEnabled },
      {
        onSuccess: () => {
          notifier().success(t('common.saved'));
          onClose();
        },
      },
    );
  };

  const available = data?.emailAvailable ?? false;
  return (
    <Modal
      open={open}
      title={t('duties.settings.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ disabled: isPending, 'data-testid': 'notification-settings-save' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('duties.settings.inApp')}</Typography.Paragraph>
      {data && !available && <Alert type="info" showIcon message={t('duties.settings.unavailable')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ email: '', emailEnabled: false }} data-testid="notification-settings">
        <Form.Item
          name="email"
          label={t('duties.settings.email')}
          rules={[
            { type: 'email', message: t('duties.settings.emailInvalid') },
            ({ getFieldValue }) => ({
              validator: (_r, value: string) =>
                getFieldValue('emailEnabled') && !value?.trim() ? Promise.reject(new Error(t('duties.settings.emailRequired'))) : Promise.resolve(),
            }),
          ]}
        >
          <Input type="email" maxLength={254} autoComplete="email" data-testid="notification-settings-email" />
        </Form.Item>
        <Form.Item name="emailEnabled" label={t('duties.settings.emailEnabled')} valuePropName="checked" dependencies={['email']}>
          <Switch disabled={!available} data-testid="notification-settings-email-enabled" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

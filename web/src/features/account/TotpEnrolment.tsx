import { useState } from 'react';
import { Button, Flex, Form, Input, QRCode, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api';
import { useEnableTotp, useTotpSetup } from './accountApi';
import { groupSecret } from './format';
import { RecoveryCodes } from './RecoveryCodes';

interface Values {
  code: string;
}

/**
 * Binding an authenticator: the QR code (and the secret for typing it in), a first code to
 * confirm, then the recovery codes. `onEnabled` runs when the server accepted the code,
 * `onFinished` when the user says the recovery codes are saved.
 */
export function TotpEnrolment({ onEnabled, onFinished }: { onEnabled?: () => void; onFinished: () => void }) {
  const { t } = useTranslation();
  const setup = useTotpSetup();
  const enable = useEnableTotp();
  const [form] = Form.useForm<Values>();
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes) return <RecoveryCodes codes={codes} onDone={onFinished} />;

  if (!setup.data) {
    return setup.isError ? (
      // the reason was shown by the central handler
      <Button onClick={() => void setup.refetch()}>{t('app.reload')}</Button>
    ) : (
      <Spin style={{ display: 'block', margin: '48px auto' }} />
    );
  }

  const submit = ({ code }: Values) =>
    enable.mutate(code, {
      onSuccess: (r) => {
        setCodes(r.recoveryCodes);
        onEnabled?.();
      },
      onError: (e) => {
        if (isApiError(e) && e.code === 'SECOND_FACTOR_INVALID') form.setFields([{ name: 'code', value: '', errors: [e.message] }]);
      },
    });

  return (
    <Flex vertical gap={8} data-testid="totp-enrolment">
      <Typography.Text strong>{t('totp.scan')}</Typography.Text>
      <Flex gap={16} align="center" wrap>
        <QRCode value={setup.data.otpauthUri} size={176} errorLevel="M" data-testid="totp-qr" />
        <Flex vertical gap={4} style={{ minWidth: 0, flex: '1 1 160px' }}>
          <Typography.Text type="secondary">{t('totp.manual')}</Typography.Text>
          <Typography.Paragraph
            copyable={{ text: setup.data.secret }}
            style={{
              margin: 0,
              padding: '6px 10px',
              fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
              fontSize: 15,
              letterSpacing: 0.5,
              background: '#fafafa',
              border: '1px solid #f0f0f0',
              borderRadius: 6,
            }}
          >
            <span data-testid="totp-secret">{groupSecret(setup.data.secret)}</span>
          </Typography.Paragraph>
        </Flex>
      </Flex>
      <Typography.Text strong style={{ marginTop: 8 }}>
        {t('totp.enterCode')}
      </Typography.Text>
      <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="code"
          label={t('totp.code')}
          normalize={(v: string) => v.replace(/\D/g, '')}
          rules={[{ required: true, pattern: /^\d{6}$/, message: t('totp.codeRequired') }]}
        >
          <Input
            placeholder={t('login.otpPlaceholder')}
            inputMode="numeric"
            pattern="[0-9]*"
            autoComplete="one-time-code"
            maxLength={6}
            style={{ maxWidth: 200 }}
            data-testid="totp-code"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={enable.isPending} data-testid="totp-confirm">
          {t('totp.confirmBind')}
        </Button>
      </Form>
    </Flex>
  );
}

import { useEffect, useState } from 'react';
import { Alert, Button, Flex, Form, Input } from 'antd';
import { KeyOutlined, LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { limits, type Me } from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';
import { homeOf, useMe, type LoginState } from '../../app/auth';
import { meKey } from '../../app/queryClient';
import { AuthCard } from './AuthCard';

interface Values {
  username: string;
  password: string;
  otp?: string;
  recoveryCode?: string;
}

/** The password, then (for an account with a second factor) a code or a recovery code. */
type Step = 'password' | 'otp' | 'recovery';

function target(state: unknown): string {
  const from = (state as LoginState | null)?.from;
  // only same-app paths: never bounce to another site after sign-in
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== '/login' ? from : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const [form] = Form.useForm<Values>();
  const [step, setStep] = useState<Step>('password');

  // already signed in (e.g. the back button): go on
  useEffect(() => {
    if (me) void navigate(homeOf(me) ?? target(location.state), { replace: true });
  }, [me, navigate, location.state]);

  const login = useMutation({
    mutationFn: (v: Values) =>
      api.post<Me>('/auth/login', {
        username: v.username,
        password: v.password,
        // only the code of the step shown
        ...(step === 'otp' ? { otp: v.otp?.trim() } : {}),
        ...(step === 'recovery' ? { recoveryCode: v.recoveryCode?.trim() } : {}),
      }),
    onSuccess: (signedIn) => {
      queryClient.removeQueries(); // nothing cached from a previous user may leak
      queryClient.setQueryData(meKey, signedIn);
    },
    // the second step is part of this form, not an error to report
    meta: { quietCodes: ['SECOND_FACTOR_REQUIRED', 'SECOND_FACTOR_INVALID'] },
    onError: (e) => {
      if (!isApiError(e)) return;
      if (e.code === 'SECOND_FACTOR_REQUIRED') {
        setStep('otp');
      } else if (e.code === 'SECOND_FACTOR_INVALID') {
        const field = step === 'recovery' ? 'recoveryCode' : 'otp';
        form.setFields([{ name: field, value: '', errors: [e.message] }]);
      } else if (e.code === 'ACCOUNT_LOCKED' || e.code === 'INVALID_CREDENTIALS') {
        // shown by the central handler; the password has to be entered again
        setStep('password');
        form.setFieldsValue({ password: '', otp: '', recoveryCode: '' });
      }
    },
  });

  const switchTo = (next: Step) => {
    form.setFields([
      { name: 'otp', value: '', errors: [] },
      { name: 'recoveryCode', value: '', errors: [] },
    ]);
    setStep(next);
  };

  const secondStep = step !== 'password';

  return (
    <AuthCard heading={secondStep ? t('login.secondStep') : t('login.submit')}>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => login.mutate(v)}
        requiredMark={false}
        data-testid="login-form"
      >
        {/* kept (hidden) during the second step: the request carries all of it again */}
        <Form.Item
          name="username"
          label={t('login.username')}
          hidden={secondStep}
          rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" maxLength={limits.usernameMax} autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          hidden={secondStep}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={limits.passwordMax} />
        </Form.Item>
        {step === 'otp' && (
          <>
            <Alert type="info" showIcon title={t('login.otpHint')} style={{ marginBottom: 16 }} />
            <Form.Item
              name="otp"
              label={t('login.otp')}
              normalize={(v: string) => v.replace(/\D/g, '')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.otpRequired') }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                placeholder={t('login.otpPlaceholder')}
                inputMode="numeric"
                pattern="[0-9]*"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                data-testid="login-otp"
              />
            </Form.Item>
          </>
        )}
        {step === 'recovery' && (
          <>
            <Alert type="info" showIcon title={t('login.recoveryHint')} style={{ marginBottom: 16 }} />
            <Form.Item
              name="recoveryCode"
              label={t('login.recoveryCode')}
              rules={[{ required: true, whitespace: true, message: t('login.recoveryRequired') }]}
            >
              <Input
                prefix={<KeyOutlined />}
                autoComplete="off"
                autoCapitalize="off"
                spellCheck={false}
                maxLength={32}
                autoFocus
                data-testid="login-recovery"
              />
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
          {t('login.submit')}
        </Button>
        {secondStep && (
          <Flex justify="space-between" style={{ marginTop: 8 }}>
            <Button type="link" style={{ paddingInline: 0 }} onClick={() => switchTo('password')}>
              {t('login.back')}
            </Button>
            <Button
              type="link"
              style={{ paddingInline: 0 }}
              onClick={() => switchTo(step === 'otp' ? 'recovery' : 'otp')}
              data-testid="login-switch-code"
            >
              {step === 'otp' ? t('login.useRecoveryCode') : t('login.useOtp')}
            </Button>
          </Flex>
        )}
      </Form>
    </AuthCard>
  );
}

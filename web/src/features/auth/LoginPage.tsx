import { useEffect } from 'react';
import { Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { limits, type Me } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useMe, type LoginState } from '../../app/auth';
import { meKey } from '../../app/queryClient';
import { AuthCard } from './AuthCard';

interface Values {
  username: string;
  password: string;
}

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

  // already signed in (e.g. the back button): go on
  useEffect(() => {
    if (me) void navigate(me.mustChangePassword ? '/change-password' : target(location.state), { replace: true });
  }, [me, navigate, location.state]);

  const login = useMutation({
    mutationFn: (v: Values) => api.post<Me>('/auth/login', v),
    onSuccess: (signedIn) => {
      queryClient.removeQueries(); // nothing cached from a previous user may leak
      queryClient.setQueryData(meKey, signedIn);
    },
  });

  return (
    <AuthCard heading={t('login.submit')}>
      <Form<Values> layout="vertical" onFinish={(v) => login.mutate(v)} requiredMark={false} data-testid="login-form">
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" maxLength={limits.usernameMax} autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={limits.passwordMax} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
          {t('login.submit')}
        </Button>
      </Form>
    </AuthCard>
  );
}

import { useEffect } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isReservedUsername, type Me } from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';
import { useCurrentUser, useLogout } from '../../app/auth';
import { meKey } from '../../app/queryClient';
import { notifier } from '../../app/notify';
import { AuthCard } from '../auth/AuthCard';
import { explain } from './problems';

/** The built-in administrator takes a personal username before anything else (after the password change). */
export default function RenamePage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = useLogout();
  const [form] = Form.useForm<{ username: string }>();

  useEffect(() => {
    if (!me.mustRename) void navigate('/', { replace: true });
  }, [me.mustRename, navigate]);

  const rename = useMutation({
    mutationFn: (username: string) => api.post<Me>('/auth/rename', { username }),
    onSuccess: (next) => {
      notifier().success(t('users.rename.renamed', { name: next.username }));
      queryClient.setQueryData(meKey, next);
    },
    meta: { quietCodes: ['DUPLICATE', 'VALIDATION_FAILED'] },
    onError: (e) => {
      if (!isApiError(e) || (e.code !== 'DUPLICATE' && e.code !== 'VALIDATION_FAILED')) return;
      form.setFields([{ name: 'username', errors: [explain(e, t as (k: string, v?: Record<string, unknown>) => string)] }]);
    },
  });

  return (
    <AuthCard heading={t('users.rename.title')} width={440}>
      <Alert type="warning" showIcon title={t('users.rename.hint', { name: me.username })} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => rename.mutate(v.username.trim())}>
        <Form.Item
          name="username"
          label={t('users.rename.newUsername')}
          extra={t('users.usernameRule')}
          rules={[
            { required: true, pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: t('users.usernameRule') },
            { validator: async (_r, v: string | undefined) => (v && isReservedUsername(v) ? Promise.reject(new Error(t('users.usernameRule'))) : undefined) },
          ]}
        >
          <Input autoComplete="username" data-testid="rename-username" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={rename.isPending}>
          {t('users.rename.submit')}
        </Button>
      </Form>
      <Button type="link" block onClick={() => logout.mutate()} style={{ marginTop: 8 }}>
        {t('user.logout')}
      </Button>
    </AuthCard>
  );
}

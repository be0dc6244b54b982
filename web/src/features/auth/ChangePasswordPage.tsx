import { useEffect } from 'react';
import { Alert, Button } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useCurrentUser } from '../../app/auth';
import { meKey } from '../../app/queryClient';
import { AuthCard } from './AuthCard';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Shown when the server requires a password change before anything else. */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  useEffect(() => {
    if (!me.mustChangePassword) void navigate('/', { replace: true });
  }, [me.mustChangePassword, navigate]);

  const logout = useMutation({
    mutationFn: () => api.post<{ ok: true }>('/auth/logout'),
    onSettled: async () => {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      await navigate('/login', { replace: true });
    },
  });

  return (
    <AuthCard heading={t('password.title')}>
      <Alert type="warning" showIcon title={t('password.forcedHint')} style={{ marginBottom: 16 }} />
      <ChangePasswordForm />
      <Button type="link" block onClick={() => logout.mutate()} style={{ marginTop: 8 }}>
        {t('user.logout')}
      </Button>
    </AuthCard>
  );
}

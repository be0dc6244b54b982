import { useEffect } from 'react';
import { Alert, Button } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser, useLogout } from '../../app/auth';
import { AuthCard } from './AuthCard';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Shown when the server requires a password change before anything else. */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();

  useEffect(() => {
    if (!me.mustChangePassword) void navigate('/', { replace: true });
  }, [me.mustChangePassword, navigate]);

  const logout = useLogout();

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

import { useEffect, useRef } from 'react';
import { Alert, Button } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentUser, useLogout } from '../../app/auth';
import { meKey } from '../../app/queryClient';
import { AuthCard } from '../auth/AuthCard';
import { TotpEnrolment } from './TotpEnrolment';

/** Shown when the security policy requires a second factor the user has not set up yet. */
export default function TotpEnrolmentPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // after enabling, the user stays here until the recovery codes are saved
  const enrolled = useRef(false);

  useEffect(() => {
    if (!me.totpEnrolmentRequired && !enrolled.current) void navigate('/', { replace: true });
  }, [me.totpEnrolmentRequired, navigate]);

  const logout = useLogout();

  const finish = async () => {
    await queryClient.invalidateQueries({ queryKey: meKey });
    await navigate('/', { replace: true });
  };

  return (
    <AuthCard heading={t('totp.forcedTitle')} width={480}>
      <Alert type="warning" showIcon title={t('totp.forcedHint')} style={{ marginBottom: 16 }} />
      <TotpEnrolment
        onEnabled={() => {
          enrolled.current = true;
        }}
        onFinished={() => void finish()}
      />
      <Button type="link" block onClick={() => logout.mutate()} style={{ marginTop: 8 }}>
        {t('user.logout')}
      </Button>
    </AuthCard>
  );
}

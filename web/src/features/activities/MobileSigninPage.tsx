import { Alert, Button, Card, Descriptions, Result, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../app/api';
import { typeName } from './ActivityFormModal';
import { useSignIn, useSigninInfo } from './activitiesApi';
import { formatTime } from './labels';

/**
 * What a phone opens from the QR code: /m/signin/<activity>?c=<code>. Outside the app shell
 * (no side menu) and one column, for a 375 px screen. Signing in needs a session: the
 * sign-in page returns here afterwards.
 */
export default function MobileSigninPage() {
  const { t } = useTranslation();
  const { activityId = '' } = useParams();
  const [params] = useSearchParams();
  const code = params.get('c') ?? '';
  const info = useSigninInfo(activityId);
  const signIn = useSignIn(activityId);
  const me = info.data?.me;
  const signedIn = me?.attendance === 'present';
  const infoError = isApiError(info.error) ? info.error : null;
  const signError = isApiError(signIn.error) ? signIn.error : null;
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', padding: 12 }}>
      <Card title={t('activities.signin.title')} size="small">
        {info.isPending && <Spin />}
        {infoError && <Result status="warning" title={infoError.message} data-testid="signin-error" />}
        {info.data && (
          <>
            <h3 style={{ marginTop: 0 }} data-testid="signin-topic">
              {info.data.topic}
            </h3>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('activities.form.type')}>{typeName({ nameZh: info.data.typeNameZh, nameEn: info.data.typeNameEn })}</Descriptions.Item>
              <Descriptions.Item label={t('activities.form.unit')}>{info.data.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('activities.signin.time')}>{`${formatTime(info.data.startsAt)} ~ ${formatTime(info.data.endsAt).slice(11)}`}</Descriptions.Item>
              {info.data.place && <Descriptions.Item label={t('activities.signin.place')}>{info.data.place}</Descriptions.Item>}
            </Descriptions>
            {signedIn ? (
              <Result
                status="success"
                title={signIn.isSuccess ? t('activities.signin.done') : t('activities.signin.already')}
                subTitle={me?.signedInAt ? formatTime(me.signedInAt) : undefined}
                data-testid="signin-done"
              />
            ) : code ? (
              <>
                {signError && <Alert type="error" showIcon message={signError.message} style={{ marginBottom: 12 }} data-testid="signin-error" />}
                <Button type="primary" size="large" block loading={signIn.isPending} onClick={() => signIn.mutate(code)} data-testid="signin-button">
                  {t('activities.signin.button')}
                </Button>
              </>
            ) : (
              <Alert type="info" showIcon message={t('activities.signin.noCode')} />
            )}
            {me && !signedIn && me.attendance !== 'pending' && <Tag style={{ marginTop: 8 }}>{t(`activities.attendance.${me.attendance}`)}</Tag>}
          </>
        )}
      </Card>
    </div>
  );
}

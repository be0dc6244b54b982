import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { KeyOutlined, LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { limits } from '@tongxin/contracts';
import { isApiError } from '../../app/api';
import { useCurrentUser } from '../../app/auth';
import { meKey } from '../../app/queryClient';
import { notifier } from '../../app/notify';
import { ChangePasswordForm } from '../auth/ChangePasswordForm';
import {
  useDisableTotp,
  useEndOtherSessions,
  useEndSession,
  useRegenerateRecoveryCodes,
  useSessions,
  type SessionInfo,
} from './accountApi';
import { browserSummary } from './format';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpEnrolment } from './TotpEnrolment';
import { CalendarFeedCard } from '../duties/CalendarFeedCard';

const timeFormat = 'YYYY-MM-DD HH:mm:ss';

/** Asks for the current password before a sensitive change; wrong passwords show under the field. */
function PasswordConfirmForm({
  hint,
  submitLabel,
  danger,
  pending,
  onSubmit,
}: {
  hint: string;
  submitLabel: string;
  danger?: boolean;
  pending: boolean;
  onSubmit: (password: string, fail: (message: string) => void) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={({ password }) =>
        onSubmit(password, (message) => form.setFields([{ name: 'password', value: '', errors: [message] }]))
      }
    >
      <Alert type={danger ? 'warning' : 'info'} showIcon title={hint} style={{ marginBottom: 16 }} />
      <Form.Item
        name="password"
        label={t('totp.password')}
        rules={[{ required: true, message: t('common.required', { field: t('totp.password') }) }]}
      >
        <Input.Password autoComplete="current-password" maxLength={limits.passwordMax} autoFocus />
      </Form.Item>
      <Button type="primary" danger={danger} htmlType="submit" block loading={pending} data-testid="password-confirm-submit">
        {submitLabel}
      </Button>
    </Form>
  );
}

type TotpDialog = 'bind' | 'unbind' | 'regenerate' | null;

function TotpCard() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<TotpDialog>(null);
  // opening counter: every opening is a fresh form or enrolment
  const [opening, setOpening] = useState(0);
  const [codes, setCodes] = useState<string[] | null>(null);
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();

  const open = (d: TotpDialog) => {
    setCodes(null);
    setOpening((n) => n + 1);
    setDialog(d);
  };
  const close = () => {
    setDialog(null);
    setCodes(null);
  };
  const wrongPassword = (fail: (message: string) => void) => (e: unknown) => {
    if (isApiError(e) && e.code === 'INVALID_CREDENTIALS') fail(e.message);
  };

  const title = dialog === 'bind' ? t('totp.bindTitle') : dialog === 'unbind' ? t('totp.unbindTitle') : t('totp.regenerateTitle');

  return (
    <Card
      size="small"
      title={
        <Space>
          <SafetyCertificateOutlined />
          {t('totp.title')}
        </Space>
      }
      data-testid="totp-card"
    >
      <Typography.Paragraph type="secondary">{t('totp.desc')}</Typography.Paragraph>
      <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('totp.status')}>
          {me.totpEnabled ? (
            <Tag color="success" data-testid="totp-status">
              {t('totp.enabled')}
            </Tag>
          ) : (
            <Tag data-testid="totp-status">{t('totp.notEnabled')}</Tag>
          )}
        </Descriptions.Item>
      </Descriptions>
      {me.totpEnabled ? (
        <Space wrap>
          <Button onClick={() => open('regenerate')} data-testid="totp-regenerate">
            {t('totp.regenerate')}
          </Button>
          <Button danger onClick={() => open('unbind')} data-testid="totp-unbind">
            {t('totp.unbind')}
          </Button>
        </Space>
      ) : (
        <Button type="primary" onClick={() => open('bind')} data-testid="totp-bind">
          {t('totp.bind')}
        </Button>
      )}
      <Modal
        title={title}
        open={dialog !== null}
        onCancel={close}
        footer={null}
        destroyOnHidden
        maskClosable={false}
        width={dialog === 'bind' || codes ? 600 : 440}
      >
        {dialog === 'bind' && (
          <TotpEnrolment
            key={opening}
            onEnabled={() => {
              notifier().success(t('totp.bound'));
              void queryClient.invalidateQueries({ queryKey: meKey });
            }}
            onFinished={close}
          />
        )}
        {dialog === 'regenerate' &&
          (codes ? (
            <RecoveryCodes codes={codes} onDone={close} />
          ) : (
            <PasswordConfirmForm
              key={opening}
              hint={t('totp.regenerateHint')}
              submitLabel={t('totp.regenerate')}
              pending={regenerate.isPending}
              onSubmit={(password, fail) =>
                regenerate.mutate(password, { onSuccess: (r) => setCodes(r.recoveryCodes), onError: wrongPassword(fail) })
              }
            />
          ))}
        {dialog === 'unbind' && (
          <PasswordConfirmForm
            key={opening}
            danger
            hint={t('totp.unbindHint')}
            submitLabel={t('totp.unbind')}
            pending={disable.isPending}
            onSubmit={(password, fail) =>
              disable.mutate(password, {
                onSuccess: () => {
                  notifier().success(t('totp.unbound'));
                  close();
                },
                onError: (e) => {
                  if (isApiError(e) && e.code === 'CONFLICT') fail(t('totp.requiredByPolicy'));
                  else wrongPassword(fail)(e);
                },
              })
            }
          />
        )}
      </Modal>
    </Card>
  );
}

function SessionsCard() {
  const { t } = useTranslation();
  const { data: sessions, isPending, isError, refetch } = useSessions();
  const end = useEndSession();
  const endOthers = useEndOtherSessions();
  const others = (sessions ?? []).filter((s) => !s.current).length;

  const columns: TableColumnsType<SessionInfo> = [
    {
      title: t('sessions.createdAt'),
      dataIndex: 'createdAt',
      render: (v: string, s) => (
        <Space>
          {dayjs(v).format(timeFormat)}
          {s.current && (
            <Tag color="processing" data-testid="session-current">
              {t('sessions.current')}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: t('sessions.lastSeenAt'), dataIndex: 'lastSeenAt', render: (v: string) => dayjs(v).format(timeFormat) },
    { title: t('sessions.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? t('common.none') },
    {
      title: t('sessions.browser'),
      dataIndex: 'userAgent',
      render: (ua: string | null) => {
        const { browser, os } = browserSummary(ua);
        const text = [browser, os].filter(Boolean).join(' · ') || t('sessions.unknown');
        return ua ? (
          <Tooltip title={ua}>
            <span>{text}</span>
          </Tooltip>
        ) : (
          text
        );
      },
    },
    {
      title: '',
      key: 'actions',
      width: 90,
      align: 'right',
      render: (_v, s) =>
        s.current ? null : (
          <Popconfirm
            title={t('sessions.confirmEnd')}
            onConfirm={() => end.mutateAsync(s.id).then(() => notifier().success(t('sessions.ended')))}
          >
            <Button size="small" danger data-testid="session-end">
              {t('sessions.end')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={
        <Space>
          <LogoutOutlined />
          {t('sessions.title')}
        </Space>
      }
      extra={
        <Popconfirm
          title={t('sessions.confirmEndOthers')}
          disabled={others === 0}
          onConfirm={() => endOthers.mutateAsync().then(() => notifier().success(t('sessions.othersEnded')))}
        >
          <Button size="small" danger disabled={others === 0} loading={endOthers.isPending} data-testid="sessions-end-others">
            {t('sessions.endOthers')}
          </Button>
        </Popconfirm>
      }
      data-testid="sessions-card"
    >
      <Typography.Paragraph type="secondary">{t('sessions.desc')}</Typography.Paragraph>
      {isError ? (
        <Button onClick={() => void refetch()}>{t('app.reload')}</Button>
      ) : (
        <Table<SessionInfo>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={sessions}
          loading={isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="sessions-table"
        />
      )}
    </Card>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);
  return (
    <Card
      size="small"
      title={
        <Space>
          <KeyOutlined />
          {t('account.passwordTitle')}
        </Space>
      }
    >
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Typography.Text type="secondary">
          {t('account.passwordDesc')}
          {me.passwordExpiresAt
            ? t('account.passwordExpires', { date: dayjs(me.passwordExpiresAt).format('YYYY-MM-DD') })
            : t('account.passwordNoExpiry')}
        </Typography.Text>
        <Button onClick={() => setOpen(true)} data-testid="account-change-password">
          {t('user.changePassword')}
        </Button>
      </Flex>
      <Modal title={t('password.title')} open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <ChangePasswordForm onDone={() => setOpen(false)} />
      </Modal>
    </Card>
  );
}

/** Every user's own account: the second factor, the signed-in sessions, the password. */
export default function AccountSecurityPage() {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={16} style={{ maxWidth: 1080 }} data-testid="account-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('account.title')}
      </Typography.Title>
      <TotpCard />
      <SessionsCard />
      <PasswordCard />
      <CalendarFeedCard />
    </Flex>
  );
}

import { Alert, Button, Flex, Space, Typography } from 'antd';
import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useCurrentUser } from '../../app/auth';
import { notifier } from '../../app/notify';
import { recoveryCodesFile } from './format';

/** The recovery codes, shown this once, with copy and download and a clear warning. */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const fileText = () =>
    recoveryCodesFile(t('totp.fileHeader', { username: me.username, time: dayjs().format('YYYY-MM-DD HH:mm') }), codes);

  const copy = () => {
    navigator.clipboard.writeText(codes.join('\n')).then(
      () => notifier().success(t('totp.copied')),
      () => notifier().warning(t('totp.copyFailed')),
    );
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([fileText()], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `tongxin-recovery-codes-${me.username}.txt`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  return (
    <Flex vertical gap={16} data-testid="recovery-codes">
      <Alert type="warning" showIcon title={t('totp.recoveryTitle')} description={t('totp.recoveryWarning')} />
      <ol
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(2, 1fr)',
          gap: '8px 24px',
          margin: 0,
          padding: '12px 16px 12px 40px',
          background: '#fafafa',
          border: '1px solid #f0f0f0',
          borderRadius: 8,
        }}
      >
        {codes.map((c) => (
          <li key={c}>
            <Typography.Text code style={{ fontSize: 15 }} data-testid="recovery-code">
              {c}
            </Typography.Text>
          </li>
        ))}
      </ol>
      <Space wrap>
        <Button icon={<CopyOutlined />} onClick={copy}>
          {t('totp.copy')}
        </Button>
        <Button icon={<DownloadOutlined />} onClick={download} data-testid="recovery-download">
          {t('totp.download')}
        </Button>
      </Space>
      <Button type="primary" block onClick={onDone} data-testid="recovery-done">
        {t('totp.savedThem')}
      </Button>
    </Flex>
  );
}

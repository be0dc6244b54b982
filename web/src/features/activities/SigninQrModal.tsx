import { useRef } from 'react';
import { Button, Modal, QRCode, Space, Typography } from 'antd';
import { FullscreenOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSigninCode } from './activitiesApi';

/** The rotating sign-in code, large enough to scan across a meeting room; full screen on a projector. */
export function SigninQrModal({ id, topic, open, onClose }: { id: string; topic: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const code = useSigninCode(id, open);
  const box = useRef<HTMLDivElement>(null);
  const url = code.data ? `${window.location.origin}${code.data.path}` : '';
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('activities.qr.title')} width={520} destroyOnHidden>
      <div ref={box} style={{ background: '#fff', textAlign: 'center', padding: 16 }}>
        <Typography.Title level={4}>{topic}</Typography.Title>
        <div style={{ display: 'inline-block' }}>
          <QRCode value={url || '-'} size={320} status={code.data ? 'active' : 'loading'} data-testid="signin-qr" />
        </div>
        <Typography.Paragraph type="secondary">{t('activities.qr.help')}</Typography.Paragraph>
        <Typography.Paragraph copyable={{ text: url }} style={{ fontSize: 12, wordBreak: 'break-all' }}>
          <a href={url} data-testid="signin-link">
            {t('activities.qr.link')}
          </a>
        </Typography.Paragraph>
      </div>
      <Space>
        <Button icon={<FullscreenOutlined />} onClick={() => void box.current?.requestFullscreen().catch(() => undefined)}>
          {t('activities.qr.fullscreen')}
        </Button>
      </Space>
    </Modal>
  );
}

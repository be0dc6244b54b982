import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/LanguageSwitch';

/** The centred card used by the sign-in and forced password pages. */
export function AuthCard({ children, heading, width = 400 }: { children: ReactNode; heading?: string; width?: number }) {
  const { t } = useTranslation();
  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{
        minHeight: '100vh',
        padding: 16,
        background: 'linear-gradient(160deg, #fff5f5 0%, #f5f6f8 45%, #eef2f8 100%)',
      }}
    >
      <div style={{ position: 'absolute', top: 12, right: 16 }}>
        <LanguageSwitch />
      </div>
      <Flex vertical align="center" gap={4} style={{ marginBottom: 24 }}>
        <img src="/favicon.svg" alt="" width={48} height={48} />
        <Typography.Title level={2} style={{ margin: 0, color: '#c8102e' }}>
          {t('app.title')}
        </Typography.Title>
      </Flex>
      <Card style={{ width: '100%', maxWidth: width }} title={heading}>
        {children}
      </Card>
    </Flex>
  );
}

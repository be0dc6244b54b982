import { useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * A masked number (phone, ID number) with a "reveal" button for those allowed: the full
 * value is fetched only on request, because the server audits every reveal.
 */
export function MaskedValue({
  field,
  masked,
  canReveal,
  revealing,
  reveal,
}: {
  /** names the test ids: masked-<field>, reveal-<field> */
  field: string;
  masked: string | null;
  canReveal: boolean;
  revealing: boolean;
  /** asks the server for the full value and hands it to `show` */
  reveal: (show: (value: string | null) => void) => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState<string | null | undefined>(undefined);
  if (!masked) return <>{t('common.none')}</>;
  if (value !== undefined) return <Typography.Text copyable>{value ?? t('common.none')}</Typography.Text>;
  return (
    <Space size={4}>
      <span data-testid={`masked-${field}`}>{masked}</span>
      {canReveal && (
        <Button size="small" type="link" icon={<EyeOutlined />} loading={revealing} data-testid={`reveal-${field}`} onClick={() => reveal(setValue)}>
          {t('common.reveal')}
        </Button>
      )}
    </Space>
  );
}

import { Card, Result } from 'antd';
import { ToolOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Messages } from '../../app/locales/zh-CN';

export default function ComingSoonPage({ area }: { area: keyof Messages['menu'] }) {
  const { t } = useTranslation();
  return (
    <Card>
      <Result
        icon={<ToolOutlined />}
        title={t('comingSoon.title')}
        subTitle={t('comingSoon.description', { area: t(`menu.${area}`) })}
      />
    </Card>
  );
}

import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { PeopleBrowser } from './PeopleBrowser';

export default function PeoplePage() {
  const { t } = useTranslation();
  return (
    <Card title={t('people.title')} size="small">
      <PeopleBrowser />
    </Card>
  );
}

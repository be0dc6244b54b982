import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { ContactsTab } from './ContactsTab';
import { EnterprisesTab } from './EnterprisesTab';
import { CasesTab } from './CasesTab';

/** 统战工作: the contacts registry and the enterprises, one tab each. */
export default function UnitedFrontPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('unitedFront.title')} data-testid="united-front-page">
      <Tabs
        destroyOnHidden
        items={[
          { key: 'contacts', label: t('unitedFront.tabs.contacts'), children: <ContactsTab /> },
          { key: 'enterprises', label: <span data-testid="tab-enterprises">{t('unitedFront.tabs.enterprises')}</span>, children: <EnterprisesTab /> },
          { key: 'cases', label: <span data-testid="tab-cases">{t('unitedFront.tabs.cases')}</span>, children: <CasesTab /> },
        ]}
      />
    </Card>
  );
}

import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { ContactsTab } from './ContactsTab';
import { EnterprisesTab } from './EnterprisesTab';
import { CasesTab } from './CasesTab';
import { ResearchTab } from './ResearchTab';
import { IntegrityTab } from './IntegrityTab';
import { PublicityTab } from './PublicityTab';

/** 统战工作: the contacts registry, enterprises, service cases, research topics, integrity and publicity, one tab each. */
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
          { key: 'research', label: <span data-testid="tab-research">{t('unitedFront.tabs.research')}</span>, children: <ResearchTab /> },
          { key: 'integrity', label: <span data-testid="tab-integrity">{t('unitedFront.tabs.integrity')}</span>, children: <IntegrityTab /> },
          { key: 'publicity', label: <span data-testid="tab-publicity">{t('unitedFront.tabs.publicity')}</span>, children: <PublicityTab /> },
        ]}
      />
    </Card>
  );
}

import { Select } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, type Language } from './i18n';

const options: { value: Language; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'English' },
];

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  void i18n.language; // re-render on change
  return (
    <Select<Language>
      aria-label={t('app.language')}
      data-testid="language-switch"
      value={currentLanguage()}
      options={options}
      onChange={(v) => void setLanguage(v)}
      variant="borderless"
      prefix={<GlobalOutlined />}
      style={{ width: 130 }}
      popupMatchSelectWidth={false}
    />
  );
}

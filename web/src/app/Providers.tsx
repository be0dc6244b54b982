import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
// Vite 8's CommonJS interop leaves `antd/locale/*` in English: use the ES module build.
import zhCNLocale from 'antd/es/locale/zh_CN';
import enUSLocale from 'antd/es/locale/en_US';
import { useTranslation } from 'react-i18next';
import { queryClient } from './queryClient';
import { NotifyBridge } from './notify';
import { currentLanguage } from './i18n';

export function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  void i18n.language; // re-render when the language changes
  const lang = currentLanguage();
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={lang === 'en' ? enUSLocale : zhCNLocale}
        theme={{
          token: {
            borderRadius: 6,
            // system CJK fonts only: intranet deployments cannot fetch web fonts
            fontFamily:
              "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif",
          },
        }}
      >
        <AntApp>
          <NotifyBridge />
          {children}
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}

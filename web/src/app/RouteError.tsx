import { Button, Result } from 'antd';
import { useRouteError } from 'react-router';
import { useTranslation } from 'react-i18next';

/** A lazy chunk that fails to load usually means a new version was deployed meanwhile. */
function isChunkLoadError(e: unknown): boolean {
  return (
    e instanceof Error &&
    /dynamically imported module|Importing a module script failed|error loading dynamically imported module/i.test(e.message)
  );
}

export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  const updated = isChunkLoadError(error);
  return (
    <Result
      status={updated ? 'info' : 'error'}
      title={updated ? t('app.updated') : t('app.crashed')}
      subTitle={updated ? undefined : error instanceof Error ? error.message : undefined}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('app.reload')}
        </Button>
      }
    />
  );
}

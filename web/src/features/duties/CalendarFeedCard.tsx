import { Button, Card, Popconfirm, Space, Typography } from 'antd';
import { CalendarOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { notifier } from '../../app/notify';
import { useCalendarFeed, useResetCalendarFeed } from './dutiesApi';

/** The account page's private calendar (ICS) address, with copy and reset. */
export function CalendarFeedCard() {
  const { t } = useTranslation();
  const { data } = useCalendarFeed();
  const reset = useResetCalendarFeed();
  const url = data ? `${window.location.origin}${data.path}` : '';
  return (
    <Card
      title={
        <Space>
          <CalendarOutlined />
          {t('duties.feed.title')}
        </Space>
      }
      extra={
        <Popconfirm title={t('duties.feed.resetConfirm')} onConfirm={() => reset.mutateAsync().then(() => notifier().success(t('duties.feed.resetDone')))}>
          <Button icon={<ReloadOutlined />} loading={reset.isPending} data-testid="calendar-feed-reset">
            {t('duties.feed.reset')}
          </Button>
        </Popconfirm>
      }
      data-testid="calendar-feed-card"
    >
      <Typography.Paragraph type="secondary">{t('duties.feed.description')}</Typography.Paragraph>
      {url && (
        <Typography.Paragraph copyable={{ text: url }} code style={{ wordBreak: 'break-all' }} data-testid="calendar-feed-url">
          {url}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

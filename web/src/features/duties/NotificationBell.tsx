import { useState } from 'react';
import { Badge, Button, Empty, List, Popover, Space, Typography } from 'antd';
import { BellOutlined, SettingOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { AppNotification } from '@tongxin/contracts';
import { useMarkAllRead, useMarkRead, useRecentNotifications, useUnreadCount } from './dutiesApi';
import { NotificationSettingsModal } from './NotificationSettingsModal';

/** The header's bell: unread count (polled), the latest notifications, mark read. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const { data: unread = 0 } = useUnreadCount();
  const { data, isPending } = useRecentNotifications(open);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();

  const openItem = (n: AppNotification) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.link) {
      setOpen(false);
      void navigate(n.link);
    }
  };

  const content = (
    <div style={{ width: 340 }} data-testid="notification-list">
      <List
        size="small"
        loading={isPending}
        dataSource={data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('duties.bell.empty')} /> }}
        renderItem={(n) => (
          <List.Item
            key={n.id}
            onClick={() => openItem(n)}
            style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}
            data-testid="notification-item"
            data-unread={n.readAt ? 'false' : 'true'}
          >
            <List.Item.Meta
              title={
                <Space size={6}>
                  {!n.readAt && <Badge status="processing" />}
                  <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                </Space>
              }
              description={
                <>
                  {n.body && <div>{n.body}</div>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {dayjs(n.createdAt).format('YYYY-MM-DD HH:mm')}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </div>
  );

  return (
    <>
      <Popover
        trigger="click"
        placement="bottomRight"
        open={open}
        onOpenChange={setOpen}
        title={
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <span>{t('duties.bell.title')}</span>
            <Space size={0}>
              <Button size="small" type="link" disabled={unread === 0} onClick={() => markAll.mutate()} data-testid="notifications-read-all">
                {t('duties.bell.markAll')}
              </Button>
              <Button
                size="small"
                type="text"
                icon={<SettingOutlined />}
                aria-label={t('duties.bell.settings')}
                title={t('duties.bell.settings')}
                onClick={() => {
                  setOpen(false);
                  setSettingsOpen(true);
                }}
                data-testid="notification-settings-open"
              />
            </Space>
          </Space>
        }
        content={content}
      >
        <Button type="text" aria-label={t('duties.bell.unread', { count: unread })} data-testid="notification-bell">
          <Badge count={unread} size="small" data-testid="notification-count">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        </Button>
      </Popover>
      <NotificationSettingsModal open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </>
  );
}

import { Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Alert, Avatar, Button, Dropdown, Layout, Menu, Modal, Space, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import {
  DownOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  SafetyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useCurrentUser, useLogout } from './auth';
import { allows, areas, isGroup, type AreaPage } from './areas';
import { FullPageSpin } from './FullPageSpin';
import { LanguageSwitch } from './LanguageSwitch';
import { ChangePasswordForm } from '../features/auth/ChangePasswordForm';
import { NotificationBell } from '../features/duties/NotificationBell';

const { Header, Sider, Content } = Layout;

export function AppShell() {
  const me = useCurrentUser();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const logout = useLogout();

  const menuItems = useMemo<MenuProps['items']>(() => {
    const allowed = (p: AreaPage) => allows(me.permissions, p.permission);
    type Item = NonNullable<MenuProps['items']>[number];
    const item = (p: AreaPage): Item => ({
      key: p.path,
      icon: p.icon,
      label: <span data-testid={`menu-${p.path.slice(1)}`}>{t(`menu.${p.label}`)}</span>,
    });
    return areas.flatMap((e): Item[] => {
      if (!isGroup(e)) return allowed(e) ? [item(e)] : [];
      const children = e.children.filter(allowed).map(item);
      return children.length ? [{ key: `group:${e.label}`, icon: e.icon, label: t(`menu.${e.label}`), children }] : [];
    });
  }, [me.permissions, t]);

  const selected = '/' + (location.pathname.split('/')[1] ?? '');
  const openGroups = areas.filter(isGroup).map((g) => `group:${g.label}`);

  const userMenu: MenuProps = {
    items: [
      { key: 'account', icon: <SafetyOutlined />, label: <span data-testid="menu-account">{t('user.accountSecurity')}</span> },
      { key: 'password', icon: <KeyOutlined />, label: t('user.changePassword') },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('user.logout')}</span>, danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'account') void navigate('/account');
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') logout.mutate();
    },
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={220}
        breakpoint="lg"
        onBreakpoint={(broken) => setCollapsed(broken)}
        style={{ background: token.colorBgContainer, borderRight: `1px solid ${token.colorBorderSecondary}` }}
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: collapsed ? 'center' : 'flex-start',
            padding: collapsed ? 0 : '0 20px',
            gap: 10,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <img src="/favicon.svg" alt="" width={26} height={26} />
          {!collapsed && (
            <Typography.Text strong style={{ fontSize: 18, color: '#c8102e', whiteSpace: 'nowrap' }}>
              {t('app.name')}
            </Typography.Text>
          )}
        </div>
        <Menu
          mode="inline"
          items={menuItems}
          selectedKeys={[selected]}
          defaultOpenKeys={openGroups}
          onClick={({ key }) => void navigate(key)}
          style={{ borderInlineEnd: 'none' }}
          data-testid="side-menu"
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            padding: '0 16px',
            height: 56,
            lineHeight: '56px',
            display: 'flex',
            alignItems: 'center',
            gap: 12,
          }}
        >
          <Button
            type="text"
            aria-label="toggle menu"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
          />
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="tenant-name" ellipsis>
            {me.tenantName}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {t('app.subtitle')}
          </Typography.Text>
          <div style={{ flex: 1 }} />
          <NotificationBell />
          <LanguageSwitch />
          <Dropdown menu={userMenu} trigger={['click']}>
            <Button type="text" data-testid="user-menu">
              <Space>
                <Avatar size="small" icon={<UserOutlined />} />
                {me.displayName}
                <DownOutlined />
              </Space>
            </Button>
          </Dropdown>
        </Header>
        <Content style={{ padding: 16, minWidth: 0 }}>
          {me.passwordExpiringSoon && me.passwordExpiresAt && (
            <Alert
              type="warning"
              showIcon
              closable
              style={{ marginBottom: 16 }}
              title={t('password.expiringSoon', { date: dayjs(me.passwordExpiresAt).format('YYYY-MM-DD') })}
              action={
                <Button size="small" onClick={() => setPasswordOpen(true)}>
                  {t('user.changePassword')}
                </Button>
              }
              data-testid="password-expiring"
            />
          )}
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
      <Modal
        title={t('password.title')}
        open={passwordOpen}
        onCancel={() => setPasswordOpen(false)}
        footer={null}
        destroyOnHidden
      >
        <ChangePasswordForm onDone={() => setPasswordOpen(false)} />
      </Modal>
    </Layout>
  );
}

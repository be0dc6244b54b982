import { useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '@tongxin/contracts';
import { useCan, useCurrentUser } from '../../app/auth';
import { useServerPagination } from '../../app/pagination';
import { notifier } from '../../app/notify';
import { buildUnitForest, unitTreeSelectData } from '../org/units';
import { useGrantableUnits, usePersonOptions, useRoles, useUserMutations, useUsers, type Role, type UserWithPassword } from './usersApi';

const dateTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : null);

/** Shows a password the server generated, once. */
function InitialPasswordModal({ result, onClose }: { result: UserWithPassword | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={!!result?.initialPassword} title={t('users.initialPasswordTitle')} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }} destroyOnHidden>
      <Typography.Paragraph>{t('users.initialPasswordHint', { name: result?.user.username ?? '' })}</Typography.Paragraph>
      <Typography.Text code copyable={{ text: result?.initialPassword ?? '' }} data-testid="initial-password" style={{ fontSize: 18 }}>
        {result?.initialPassword}
      </Typography.Text>
    </Modal>
  );
}

interface CreateValues {
  username: string;
  displayName: string;
  personId?: string;
  mode: 'generate' | 'typed';
  password?: string;
}

function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (r: UserWithPassword) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const mode = Form.useWatch('mode', form);
  const [personQ, setPersonQ] = useState('');
  const canReadPeople = useCan('people.read');
  const people = usePersonOptions(personQ, open && canReadPeople);
  const { create } = useUserMutations();
  const submit = (v: CreateValues) =>
    create.mutate(
      { username: v.username.trim(), displayName: v.displayName.trim(), personId: v.personId ?? null, ...(v.mode === 'typed' ? { password: v.password ?? '' } : {}) },
      {
        onSuccess: (r) => {
          notifier().success(t('users.created'));
          form.resetFields();
          onCreated(r);
        },
      },
    );
  return (
    <Modal open={open} title={t('users.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} okText={t('common.save')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'generate' }} preserve={false}>
        <Form.Item name="username" label={t('users.username')} extra={t('users.usernameRule')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: t('users.usernameRule') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, max: 64 }]}>
          <Input />
        </Form.Item>
        {canReadPeople && (
          <Form.Item name="personId" label={t('users.person')} extra={t('users.personHint')}>
            <Select
              showSearch={{ filterOption: false, onSearch: setPersonQ }}
              allowClear
              placeholder={t('users.personSearch')}
              data-testid="user-person"
              loading={people.isFetching}
              options={(people.data ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.officeName}）` }))}
            />
          </Form.Item>
        )}
        <Form.Item name="mode" label={t('users.passwordMode')}>
          <Radio.Group
            options={[
              { value: 'generate', label: t('users.generate') },
              { value: 'typed', label: t('users.typed') },
            ]}
          />
        </Form.Item>
        {mode === 'typed' && (
          <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHint')} rules={[{ required: true }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** The roles of the department with what each permits. */
function RoleCatalogueModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const roles = useRoles();
  return (
    <Modal open={open} title={t('users.catalogue')} onCancel={onClose} footer={null} width={860} destroyOnHidden>
      <Table<Role>
        rowKey="id"
        size="small"
        pagination={false}
        loading={roles.isFetching}
        dataSource={roles.data ?? []}
        data-testid="role-catalogue"
        columns={[
          {
            title: t('users.role'),
            key: 'name',
            width: 160,
            render: (_: unknown, r: Role) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{r.name}</Typography.Text>
                <Typography.Text type="secondary">{r.code}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('users.permissions'),
            key: 'permissions',
            render: (_: unknown, r: Role) => (
              <Space size={[4, 4]} wrap>
                {r.permissions.map((p) => (
                  <Tag key={p}>{p}</Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Modal>
  );
}

interface GrantValues {
  roleId: string;
  scopeUnitId: string;
}

function GrantModal({ user, onClose }: { user: UserSummary | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<GrantValues>();
  const roles = useRoles();
  const units = useGrantableUnits(!!user);
  const roleId = Form.useWatch('roleId', form);
  const role = roles.data?.find((r) => r.id === roleId);
  const tree = useMemo(() => unitTreeSelectData(buildUnitForest(units.data ?? [])), [units.data]);
  const { grant } = useUserMutations();
  const submit = (v: GrantValues) => {
    if (!user) return;
    grant.mutate(
      { id: user.id, version: user.version, ...v },
      {
        onSuccess: () => {
          notifier().success(t('users.done'));
          onClose();
        },
      },
    );
  };
  return (
    <Modal open={!!user} title={t('users.grantTitle', { name: user?.username ?? '' })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={grant.isPending} okText={t('common.save')} destroyOnHidden>
      <Alert type="info" showIcon title={t('users.adminExclusive')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="roleId" label={t('users.role')} rules={[{ required: true }]}>
          <Select data-testid="grant-role" options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name, title: r.name }))} />
        </Form.Item>
        {role && (
          <Form.Item label={t('users.permissions')}>
            <Space size={[4, 4]} wrap>
              {role.permissions.map((p) => (
                <Tag key={p}>{p}</Tag>
              ))}
            </Space>
          </Form.Item>
        )}
        <Form.Item name="scopeUnitId" label={t('users.scope')} extra={t('users.scopeHint')} rules={[{ required: true }]}>
          <TreeSelect data-testid="grant-scope" treeData={tree} treeDefaultExpandAll virtual={false} showSearch={{ treeNodeFilterProp: 'title' }} loading={units.isFetching} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const canManage = useCan('users.manage');
  const canGrant = useCan('security.manage');
  const [q, setQ] = useState('');
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const list = useUsers(q, page, pageSize);
  const m = useUserMutations();
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<UserSummary | null>(null);
  const [password, setPassword] = useState<UserWithPassword | null>(null);
  const [catalogue, setCatalogue] = useState(false);

  const columns = [
    {
      title: t('users.username'),
      key: 'username',
      render: (_: unknown, u: UserSummary) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{u.username}</Typography.Text>
          <Typography.Text type="secondary">
            {u.displayName}
            {u.personName && u.personName !== u.displayName ? ` · ${u.personName}` : ''}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('users.roles'),
      key: 'roles',
      render: (_: unknown, u: UserSummary) => (
        <Space size={[4, 4]} wrap>
          {u.grants.length === 0 && <Typography.Text type="secondary">{t('users.noRoles')}</Typography.Text>}
          {u.grants.map((g) => {
            const label = `${g.roleName} · ${g.scopeUnitName}`;
            return canGrant && u.id !== me.userId ? (
              <Popconfirm
                key={`${g.roleId}:${g.scopeUnitId}`}
                title={t('users.revokeConfirm', { role: g.roleName, scope: g.scopeUnitName })}
                onConfirm={() => m.revoke.mutate({ id: u.id, version: u.version, roleId: g.roleId, scopeUnitId: g.scopeUnitId })}
              >
                <Tag color="red" style={{ cursor: 'pointer' }} data-testid="grant-tag" title={t('users.revoke')}>
                  {label} ×
                </Tag>
              </Popconfirm>
            ) : (
              <Tag key={`${g.roleId}:${g.scopeUnitId}`} data-testid="grant-tag">
                {label}
              </Tag>
            );
          })}
        </Space>
      ),
    },
    {
      title: t('users.state'),
      key: 'state',
      render: (_: unknown, u: UserSummary) => (
        <Space size={[4, 4]} wrap>
          {u.active ? <Tag color="success">{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>}
          {u.lockedUntil && <Tag color="error">{t('users.locked')}</Tag>}
          {u.mustChangePassword && <Tag color="warning">{t('users.mustChange')}</Tag>}
          {u.mustRename && <Tag color="warning">{t('users.mustRename')}</Tag>}
          {u.totpEnabled && <Tag color="blue">{t('users.totp')}</Tag>}
          {u.id === me.userId && <Tag title={t('users.selfHint')}>{t('users.self')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('users.lastLogin'),
      key: 'lastLogin',
      render: (_: unknown, u: UserSummary) => dateTime(u.lastLoginAt) ?? <Typography.Text type="secondary">{t('users.never')}</Typography.Text>,
    },
    {
      title: t('users.actions'),
      key: 'actions',
      render: (_: unknown, u: UserSummary) =>
        u.id === me.userId ? null : (
          <Space size={0} wrap>
            {canGrant && u.active && (
              <Button type="link" size="small" onClick={() => setGranting(u)} data-testid="user-grant">
                {t('users.grant')}
              </Button>
            )}
            {canManage && (
              <Popconfirm
                title={t('users.resetConfirm', { name: u.username })}
                onConfirm={() => m.resetPassword.mutate(u, { onSuccess: (r) => setPassword(r) })}
              >
                <Button type="link" size="small">
                  {t('users.resetPassword')}
                </Button>
              </Popconfirm>
            )}
            {canManage && u.lockedUntil && (
              <Button type="link" size="small" onClick={() => m.unlock.mutate(u, { onSuccess: () => notifier().success(t('users.unlocked')) })}>
                {t('users.unlock')}
              </Button>
            )}
            {canManage &&
              (u.active ? (
                <Popconfirm title={t('users.deactivateConfirm', { name: u.username })} onConfirm={() => m.setActive.mutate({ user: u, active: false })}>
                  <Button type="link" size="small" danger>
                    {t('users.deactivate')}
                  </Button>
                </Popconfirm>
              ) : (
                <Button type="link" size="small" onClick={() => m.setActive.mutate({ user: u, active: true })}>
                  {t('users.reactivate')}
                </Button>
              ))}
          </Space>
        ),
    },
  ];

  return (
    <Card
      title={t('users.title')}
      size="small"
      extra={
        <Space>
          <Button onClick={() => setCatalogue(true)} data-testid="role-catalogue-open">
            {t('users.catalogue')}
          </Button>
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t('users.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Alert type="info" showIcon title={t('users.separationHint')} style={{ marginBottom: 12 }} />
      <Input.Search
        allowClear
        placeholder={t('users.search')}
        style={{ maxWidth: 320, marginBottom: 12 }}
        onSearch={(v) => {
          setQ(v);
          setPage(1);
        }}
        data-testid="user-search"
      />
      <Table<UserSummary>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={pagination(list.data?.total ?? 0)}
        onRow={(u) => ({ 'data-username': u.username }) as HTMLAttributes<HTMLElement>}
      />
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(r) => {
          setCreating(false);
          setPassword(r);
        }}
      />
      <GrantModal user={granting} onClose={() => setGranting(null)} />
      <RoleCatalogueModal open={catalogue} onClose={() => setCatalogue(false)} />
      <InitialPasswordModal result={password} onClose={() => setPassword(null)} />
    </Card>
  );
}

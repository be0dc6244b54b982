import { useMemo, useState } from 'react';
import { Button, Card, Checkbox, DatePicker, Input, Select, Space, Table, Tag, TreeSelect } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { activityStatuses, type ActivitySummary } from '@tongxin/contracts';
import { useCan, useCurrentUser } from '../../app/auth';
import { useServerPagination } from '../../app/pagination';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { exportUrl, filtersQuery, useActivityList, useActivityTypes, type ActivityFilters } from './activitiesApi';
import { ActivityFormModal, typeName } from './ActivityFormModal';
import { formatTime, statusColors } from './labels';

export default function ActivitiesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const canWrite = useCan('activities.write');
  const [filters, setFilters] = useState<ActivityFilters>({});
  const [creating, setCreating] = useState(false);
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const list = useActivityList(filters, page, pageSize);
  const types = useActivityTypes();
  const units = useUnits();
  const forest = useMemo(() => buildUnitForest(units.data ?? []), [units.data]);
  const set = (f: Partial<ActivityFilters>) => {
    setFilters((old) => ({ ...old, ...f }));
    setPage(1);
  };

  const columns = [
    { title: t('activities.list.time'), dataIndex: 'startsAt', width: 150, render: (v: string) => formatTime(v) },
    {
      title: t('activities.list.topic'),
      dataIndex: 'topic',
      render: (v: string, r: ActivitySummary) => (
        <a onClick={() => void navigate(`/activities/${r.id}`)} data-testid="activity-link">
          {v}
        </a>
      ),
    },
    { title: t('activities.list.type'), dataIndex: 'typeNameZh', width: 160, render: (_: string, r: ActivitySummary) => typeName({ nameZh: r.typeNameZh, nameEn: r.typeNameEn }) },
    { title: t('activities.list.unit'), dataIndex: 'unitName', width: 160 },
    {
      title: t('activities.list.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: ActivitySummary['status']) => <Tag color={statusColors[v]}>{t(`activities.status.${v}`)}</Tag>,
    },
    { title: t('activities.list.attendance'), width: 90, render: (_: unknown, r: ActivitySummary) => `${r.present}/${r.expected}` },
    {
      title: t('activities.list.quorum'),
      width: 120,
      render: (_: unknown, r: ActivitySummary) =>
        r.quorumRule === 'none' ? '—' : <Tag color={r.valid ? 'green' : 'red'}>{`${r.valid ? t('activities.valid') : t('activities.invalid')} ${r.quorumPresent ?? 0}/${r.quorumEligible ?? 0}`}</Tag>,
    },
  ];

  return (
    <Card
      title={t('activities.title')}
      size="small"
      extra={
        <Space>
          <Button icon={<DownloadOutlined />} href={exportUrl('/activities/export.xlsx', filtersQuery(filters))}>
            {t('activities.list.exportLedger')}
          </Button>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="activity-new">
              {t('activities.list.new')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <TreeSelect
          allowClear
          style={{ width: 220 }}
          placeholder={t('activities.list.unit')}
          treeData={unitTreeSelectData(forest)}
          treeDefaultExpandAll
          showSearch
          treeNodeFilterProp="title"
          onChange={(v: string | undefined) => set({ unitId: v })}
        />
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t('activities.list.type')}
          options={(types.data ?? []).map((x) => ({ value: x.id, label: typeName(x) }))}
          onChange={(v: string | undefined) => set({ typeId: v })}
        />
        <Select
          allowClear
          style={{ width: 110 }}
          placeholder={t('activities.list.status')}
          options={activityStatuses.map((s) => ({ value: s, label: t(`activities.status.${s}`) }))}
          onChange={(v: ActivityFilters['status']) => set({ status: v })}
        />
        <DatePicker.RangePicker onChange={(d) => set({ from: d?.[0]?.format('YYYY-MM-DD'), to: d?.[1]?.format('YYYY-MM-DD') })} />
        <Input.Search allowClear style={{ width: 180 }} placeholder={t('activities.list.search')} onSearch={(q) => set({ q })} />
        {me.personId && <Checkbox onChange={(e) => set({ personId: e.target.checked ? (me.personId ?? undefined) : undefined })}>{t('activities.list.mine')}</Checkbox>}
      </Space>
      <Table<ActivitySummary>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid="activities-table"
      />
      <ActivityFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(a) => {
          setCreating(false);
          void navigate(`/activities/${a.id}`);
        }}
      />
    </Card>
  );
}

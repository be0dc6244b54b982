import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Entry } from '@tongxin/contracts';
import { entrySubject, formatTime, signed } from './labels';

/** The entries behind a number: every tally figure drills into these. */
export function EntriesTable({ entries, loading, action }: { entries: Entry[]; loading?: boolean; action?: (e: Entry) => React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Table<Entry>
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={entries}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      scroll={{ x: true }}
      data-testid="points-entries"
      columns={[
        { title: t('points.cols.period'), dataIndex: 'period', width: 90 },
        { title: t('points.cols.rule'), dataIndex: 'ruleCode', render: (_, e) => t(`points.rules.kind.${e.ruleKind}`) + (e.correctsId ? ' ↺' : '') },
        { title: t('points.cols.amount'), dataIndex: 'amount', align: 'right', render: (n: number) => <b style={{ color: n < 0 ? '#cf1322' : '#389e0d' }}>{signed(n)}</b> },
        { title: t('points.cols.activity'), render: (_, e) => entrySubject(e) },
        { title: t('points.cols.source'), dataIndex: 'source', render: (s: Entry['source']) => <Tag>{t(`points.source.${s}`)}</Tag> },
        { title: t('points.cols.createdAt'), dataIndex: 'createdAt', render: (s: string) => formatTime(s) },
        ...(action ? [{ key: 'action', render: (_: unknown, e: Entry) => action(e) }] : []),
      ]}
    />
  );
}

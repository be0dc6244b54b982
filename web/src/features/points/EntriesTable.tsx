import { useMemo, useState } from 'react';
import { Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Entry } from '@tongxin/contracts';
import { chainsOf, type EntryChain } from './entryChains';
import { entrySubject, formatTime, signed } from './labels';

const amountCell = (n: number) => <b style={{ color: n < 0 ? '#cf1322' : n > 0 ? '#389e0d' : undefined }}>{signed(n)}</b>;

/** The history behind one line: every entry of the chain, oldest first. */
function ChainHistory({ chain }: { chain: EntryChain }) {
  const { t } = useTranslation();
  return (
    <Table<Entry>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={chain.entries}
      data-testid="points-entry-history"
      columns={[
        { title: t('points.cols.createdAt'), dataIndex: 'createdAt', render: (s: string) => formatTime(s) },
        { title: t('points.cols.amount'), dataIndex: 'amount', align: 'right', render: amountCell },
        { title: t('points.cols.source'), dataIndex: 'source', render: (s: Entry['source'], e) => <Tag>{e.correctsId ? t('points.entries.correction') : t(`points.source.${s}`)}</Tag> },
        { title: t('points.cols.note'), render: (_, e) => e.note ?? '' },
      ]}
    />
  );
}

/**
 * The entries behind a number: every tally figure drills into these. Corrections of one fact
 * are shown as one line with their net effect (expand it for the history); facts fully
 * reversed are folded away unless the raw ledger is asked for.
 */
export function EntriesTable({
  entries,
  loading,
  action,
  sign,
}: {
  entries: Entry[];
  loading?: boolean;
  /** a button for a line; it gets the newest entry of the fact */
  action?: (e: Entry) => React.ReactNode;
  /** only facts whose net effect is an addition (plus) or a deduction (minus) */
  sign?: 'plus' | 'minus';
}) {
  const { t } = useTranslation();
  const [raw, setRaw] = useState(false);
  const chains = useMemo(() => chainsOf(entries), [entries]);
  const shown = chains.filter((c) => (sign === 'plus' ? c.net > 0 : sign === 'minus' ? c.net < 0 : c.net !== 0));
  const folded = chains.length - shown.length;
  const rawRows = sign === 'plus' ? entries.filter((e) => e.amount > 0) : sign === 'minus' ? entries.filter((e) => e.amount < 0) : entries;
  const ruleOf = (e: Entry) => t(`points.rules.kind.${e.ruleKind}`);
  const actionCol = action ? [{ key: 'action', render: (_: unknown, c: EntryChain | Entry) => action('last' in c ? c.last : c) }] : [];
  return (
    <>
      <Space style={{ marginBottom: 8 }} wrap>
        <Switch size="small" checked={raw} onChange={setRaw} data-testid="points-entries-raw" />
        <Typography.Text type="secondary">{t('points.entries.raw')}</Typography.Text>
        {!raw && folded > 0 && (
          <Typography.Text type="secondary" data-testid="points-entries-folded">
            {t('points.entries.folded', { n: folded })}
          </Typography.Text>
        )}
      </Space>
      {raw ? (
        <Table<Entry>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={rawRows}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: true }}
          data-testid="points-entries"
          columns={[
            { title: t('points.cols.period'), dataIndex: 'period', width: 90 },
            { title: t('points.cols.rule'), dataIndex: 'ruleCode', render: (_, e) => ruleOf(e) + (e.correctsId ? ' ↺' : '') },
            { title: t('points.cols.amount'), dataIndex: 'amount', align: 'right', render: amountCell },
            { title: t('points.cols.activity'), render: (_, e) => entrySubject(e) },
            { title: t('points.cols.source'), dataIndex: 'source', render: (s: Entry['source']) => <Tag>{t(`points.source.${s}`)}</Tag> },
            { title: t('points.cols.createdAt'), dataIndex: 'createdAt', render: (s: string) => formatTime(s) },
            ...actionCol,
          ]}
        />
      ) : (
        <Table<EntryChain>
          size="small"
          rowKey="key"
          loading={loading}
          dataSource={shown}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: true }}
          data-testid="points-entries"
          expandable={{ rowExpandable: (c) => c.entries.length > 1, expandedRowRender: (c) => <ChainHistory chain={c} /> }}
          columns={[
            { title: t('points.cols.period'), render: (_, c) => c.root.period, width: 90 },
            { title: t('points.cols.rule'), render: (_, c) => ruleOf(c.root) },
            { title: t('points.cols.amount'), dataIndex: 'net', align: 'right', render: (n: number) => <span data-testid="points-entry-net">{amountCell(n)}</span> },
            {
              title: t('points.cols.activity'),
              render: (_, c) => (
                <Space size={4} wrap>
                  {entrySubject(c.root)}
                  {c.entries.length > 1 && <Tag color="blue">{t('points.entries.corrected', { n: c.entries.length - 1 })}</Tag>}
                  {c.root.correctsId && <Tag color="purple">{t('points.entries.adjustment')}</Tag>}
                  {c.root.adjustmentPeriod && <Tag>{t('points.entries.frozen')}</Tag>}
                </Space>
              ),
            },
            { title: t('points.cols.source'), render: (_, c) => <Tag>{t(`points.source.${c.root.source}`)}</Tag> },
            { title: t('points.cols.createdAt'), render: (_, c) => formatTime(c.last.createdAt) },
            ...actionCol,
          ]}
        />
      )}
    </>
  );
}

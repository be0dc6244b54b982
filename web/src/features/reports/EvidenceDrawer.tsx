import { useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Table, Tag, Typography } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { EvidenceRecord, MetricDef, MetricResult } from '@tongxin/contracts';
import { downloadRecords } from './reportsApi';

/** Exports a figure that is not a catalogue metric (the dashboard's duties and points bars). */
export type ExportOwn = () => Promise<void>;

function recordLink(r: EvidenceRecord) {
  if (r.kind === 'activities') return <Link to={`/activities/${r.id}`}>{r.title}</Link>;
  if (r.kind === 'problems') return <Link to={`/programs/problems/${r.id}`}>{r.title}</Link>;
  return r.title;
}

/** The records behind one figure: the same list an inspector checks in the DOCX appendix. */
export function EvidenceDrawer({
  figure,
  metrics,
  unitIds,
  onClose,
  exportOwn,
}: {
  figure: MetricResult | null;
  metrics: MetricDef[];
  unitIds: string[];
  onClose: () => void;
  exportOwn?: ExportOwn | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const m = metrics.find((x) => x.key === figure?.metric);
  // the dashboard's duties and points bars are not catalogue metrics: named here, exported by their own call
  const special = figure?.metric === 'duties.missed' || figure?.metric === 'points.band' ? figure.metric : null;
  const name = m ? (i18n.language.startsWith('en') ? m.nameEn : m.nameZh) : special ? t(`reports.dashboard.records.${special}`) : figure?.metric;
  const exportXlsx = async () => {
    if (!figure) return;
    setBusy(true);
    try {
      await (exportOwn ? exportOwn() : downloadRecords(figure, unitIds));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open={figure !== null}
      onClose={onClose}
      title={t('reports.evidence.title')}
      size="large"
      data-testid="evidence-drawer"
      extra={
        (!special || exportOwn) && (
          <Button icon={<FileExcelOutlined />} loading={busy} onClick={() => void exportXlsx()} data-testid="evidence-export">
            {t('reports.evidence.export')}
          </Button>
        )
      }
    >
      {figure && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('reports.evidence.metric')}>
              {name} <Typography.Text type="secondary">({figure.metric})</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('reports.evidence.filters')}>
              {Object.entries(figure.filters).map(([k, v]) => (
                <Tag key={k}>
                  {k}={v}
                </Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('reports.evidence.period')}>
              {figure.from} ~ {figure.to}
            </Descriptions.Item>
            <Descriptions.Item label={t('reports.evidence.value')}>
              <strong data-testid="evidence-value">{figure.value}</strong> {m?.unitWord}
            </Descriptions.Item>
          </Descriptions>
          {figure.truncated && <Alert style={{ marginTop: 12 }} type="info" title={t('reports.evidence.truncated', { count: figure.records.length })} />}
          <Table<EvidenceRecord>
            style={{ marginTop: 12 }}
            size="small"
            rowKey="id"
            dataSource={figure.records}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('reports.evidence.recordTitle'), render: (_, r) => recordLink(r) },
              { title: t('reports.evidence.date'), dataIndex: 'date', width: 110 },
              { title: t('reports.evidence.id'), dataIndex: 'id', width: 300, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

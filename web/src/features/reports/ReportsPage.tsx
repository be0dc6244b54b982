import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Input, Row, Select, Space, Spin, Table, Tabs, Tag, Tooltip, TreeSelect, Typography } from 'antd';
import { CheckOutlined, DownloadOutlined, SaveOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import type { CheckedFigure, Figure, MetricDef, Template } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan } from '../../app/auth';
import { notifier } from '../../app/notify';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { EvidenceDrawer } from './EvidenceDrawer';
import LedgersTab from './LedgersTab';
import { checkFigures, downloadDocx, periodOf, reportsKey, useMetrics, usePreview, useTemplates, type PeriodChoice, type PeriodKind } from './reportsApi';

const thisYear = new Date().getFullYear();
// ECharts comes with the dashboard tab only
const DashboardTab = lazy(() => import('./DashboardTab'));

/** Period kind, year, and quarter or month; plus the units (subtrees) the figures cover. */
function ContextBar({ value, onChange, unitIds, onUnits }: { value: PeriodChoice; onChange: (v: PeriodChoice) => void; unitIds: string[]; onUnits: (v: string[]) => void }) {
  const { t } = useTranslation();
  const canUnits = useCan('org.read');
  const units = useUnits();
  const forest = useMemo(() => buildUnitForest(units.data ?? []), [units.data]);
  const years = Array.from({ length: 12 }, (_, i) => thisYear - i);
  return (
    <Space wrap>
      <span>{t('reports.period.label')}</span>
      <Select
        style={{ width: 90 }}
        value={value.kind}
        data-testid="report-period-kind"
        options={(['year', 'quarter', 'month'] as PeriodKind[]).map((k) => ({ value: k, label: t(`reports.period.${k}`) }))}
        onChange={(kind: PeriodKind) => onChange({ ...value, kind })}
      />
      <Select style={{ width: 100 }} value={value.year} data-testid="report-year" options={years.map((y) => ({ value: y, label: String(y) }))} onChange={(year: number) => onChange({ ...value, year })} />
      {value.kind === 'quarter' && (
        <Select
          style={{ width: 90 }}
          value={Math.ceil(value.month / 3)}
          options={[1, 2, 3, 4].map((q) => ({ value: q, label: `Q${q}` }))}
          onChange={(q: number) => onChange({ ...value, month: q * 3 - 2 })}
        />
      )}
      {value.kind === 'month' && (
        <Select style={{ width: 90 }} value={value.month} options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `${i + 1}` }))} onChange={(month: number) => onChange({ ...value, month })} />
      )}
      {canUnits && (
        <TreeSelect
          multiple
          allowClear
          style={{ minWidth: 260 }}
          placeholder={t('reports.units')}
          treeData={unitTreeSelectData(forest)}
          treeDefaultExpandAll
          showSearch
          treeNodeFilterProp="title"
          value={unitIds}
          onChange={(v: string[]) => onUnits(v)}
        />
      )}
    </Space>
  );
}

function SummaryTab({ choice, unitIds }: { choice: PeriodChoice; unitIds: string[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const canWrite = useCan('reports.write');
  const templates = useTemplates();
  const metrics = useMetrics();
  const [templateId, setTemplateId] = useState<string>();
  const [body, setBody] = useState<string>();
  const [debounced, setDebounced] = useState<string>();
  const [open, setOpen] = useState<Figure | null>(null);
  const [busy, setBusy] = useState(false);
  const period = periodOf(choice);
  const template = templates.data?.find((x) => x.id === templateId);

  useEffect(() => {
    if (!templateId && templates.data?.[0]) {
      setTemplateId(templates.data[0].id);
      setBody(templates.data[0].body);
    }
  }, [templates.data, templateId]);
  // the preview follows the text as it is typed, half a second behind
  useEffect(() => {
    const h = setTimeout(() => setDebounced(body), 500);
    return () => clearTimeout(h);
  }, [body]);
  const preview = usePreview(debounced, period, unitIds);

  const save = async () => {
    if (!template || body === undefined) return;
    setBusy(true);
    try {
      await api.patch<Template>(`/reports/templates/${template.id}`, { version: template.version, body });
      await qc.invalidateQueries({ queryKey: [...reportsKey, 'templates'] });
      notifier().success(t('reports.summary.saved'));
    } finally {
      setBusy(false);
    }
  };
  const exportDocx = async () => {
    if (body === undefined) return;
    setBusy(true);
    try {
      await downloadDocx(body, period, unitIds);
    } finally {
      setBusy(false);
    }
  };

  const p = preview.data;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={11}>
        <Space style={{ marginBottom: 8 }} wrap>
          <span>{t('reports.summary.template')}</span>
          <Select
            style={{ width: 240 }}
            value={templateId}
            data-testid="report-template"
            options={(templates.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
            onChange={(id: string) => {
              setTemplateId(id);
              setBody(templates.data?.find((x) => x.id === id)?.body);
            }}
          />
          {canWrite && (
            <Button icon={<SaveOutlined />} onClick={() => void save()} disabled={!template || busy}>
              {t('reports.summary.saveTemplate')}
            </Button>
          )}
          <Button type="primary" icon={<DownloadOutlined />} onClick={() => void exportDocx()} loading={busy} disabled={!p || p.errors.length > 0} data-testid="report-export">
            {t('reports.summary.export')}
          </Button>
        </Space>
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 4 }}>
          {t('reports.summary.body', { example: '{{activities.count type=training_class}}', interpolation: { escapeValue: false } })}
        </Typography.Text>
        <Input.TextArea
          value={body}
          onChange={(e) => setBody(e.target.value)}
          autoSize={{ minRows: 20, maxRows: 40 }}
          style={{ fontFamily: 'monospace', fontSize: 13 }}
          data-testid="report-body"
        />
      </Col>
      <Col xs={24} lg={13}>
        <Card size="small" title={t('reports.summary.preview')} loading={preview.isLoading} extra={p && <Typography.Text type="secondary">{t('reports.summary.figures', { count: p.figures.length })}</Typography.Text>}>
          {p && p.errors.length > 0 && (
            <Alert
              type="error"
              style={{ marginBottom: 12 }}
              title={t('reports.summary.errors')}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="report-errors">
                  {p.errors.map((e) => (
                    <li key={`${e.offset}-${e.message}`}>{t('reports.summary.errorAt', { line: e.line, column: e.column, message: e.message, interpolation: { escapeValue: false } })}</li>
                  ))}
                </ul>
              }
            />
          )}
          {p ? (
            <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.9, fontSize: 15 }} data-testid="report-preview">
              {p.segments.map((s, i) =>
                s.kind === 'text' ? (
                  <span key={i}>{s.text}</span>
                ) : (
                  <Tooltip key={i} title={p.figures[s.figure]?.source}>
                    <a
                      data-testid="report-figure"
                      style={{ background: '#fff1b8', padding: '0 3px', borderRadius: 3, fontWeight: 600 }}
                      onClick={() => setOpen(p.figures[s.figure] ?? null)}
                    >
                      {s.text}
                    </a>
                  </Tooltip>
                ),
              )}
            </div>
          ) : (
            <Empty description={t('reports.summary.empty')} />
          )}
        </Card>
      </Col>
      <EvidenceDrawer figure={open} metrics={metrics.data ?? []} unitIds={unitIds} onClose={() => setOpen(null)} />
    </Row>
  );
}

const statusColor = { matches: 'green', differs: 'red', unknown: 'default' } as const;

function CheckTab({ choice, unitIds }: { choice: PeriodChoice; unitIds: string[] }) {
  const { t, i18n } = useTranslation();
  const canWrite = useCan('reports.write');
  const metrics = useMetrics();
  const [text, setText] = useState('');
  const [checked, setChecked] = useState<{ text: string; figures: CheckedFigure[] }>();
  const [choices, setChoices] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const period = periodOf(choice);
  const metricName = (key: string | null) => {
    const m = metrics.data?.find((x) => x.key === key);
    return m ? (i18n.language.startsWith('en') ? m.nameEn : m.nameZh) : key;
  };
  const run = async () => {
    setBusy(true);
    try {
      const r = await checkFigures(text, period, unitIds);
      setChecked({ text, figures: r.figures });
      setChoices({});
    } finally {
      setBusy(false);
    }
  };
  const confirm = async (f: CheckedFigure, i: number) => {
    const metric = choices[i] ?? f.metric;
    if (!metric) return;
    const args = metric === f.metric ? f.args : {};
    await api.put('/reports/figure-mappings', { phrase: f.phrase.slice(-40) || f.after.slice(0, 40), measureWord: f.measureWord, metric, args });
    notifier().success(t('reports.check.remembered'));
    await run();
  };

  const marked = useMemo(() => {
    if (!checked) return null;
    const out: React.ReactNode[] = [];
    let at = 0;
    checked.figures.forEach((f, i) => {
      out.push(<span key={`t${i}`}>{checked.text.slice(at, f.start)}</span>);
      out.push(
        <Tag key={`f${i}`} color={statusColor[f.status]} style={{ marginInline: 2 }}>
          {checked.text.slice(f.start, f.end)}
          {f.status === 'differs' && ` → ${f.computed}`}
        </Tag>,
      );
      at = f.end;
    });
    out.push(<span key="end">{checked.text.slice(at)}</span>);
    return out;
  }, [checked]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} placeholder={t('reports.check.placeholder')} autoSize={{ minRows: 6, maxRows: 16 }} data-testid="check-text" />
      <Button type="primary" icon={<SearchOutlined />} onClick={() => void run()} loading={busy} disabled={!text.trim()} data-testid="check-run">
        {t('reports.check.run')}
      </Button>
      {marked && (
        <Card size="small">
          <div style={{ whiteSpace: 'pre-wrap', lineHeight: 2 }} data-testid="check-marked">
            {marked}
          </div>
        </Card>
      )}
      {checked && (
        <Table<CheckedFigure>
          size="small"
          rowKey="start"
          dataSource={checked.figures}
          pagination={false}
          data-testid="check-table"
          columns={[
            { title: t('reports.check.written'), render: (_, f) => `${f.written}${f.measureWord}`, width: 100 },
            { title: t('reports.check.phrase'), render: (_, f) => `${f.phrase}…${f.after}` },
            {
              title: t('reports.check.metric'),
              width: 260,
              render: (_, f, i) =>
                canWrite ? (
                  <Select
                    style={{ width: 240 }}
                    placeholder={t('reports.check.chooseMetric')}
                    value={choices[i] ?? f.metric ?? undefined}
                    options={(metrics.data ?? []).map((m) => ({ value: m.key, label: metricName(m.key) }))}
                    onChange={(v: string) => setChoices((c) => ({ ...c, [i]: v }))}
                  />
                ) : (
                  metricName(f.metric)
                ),
            },
            { title: t('reports.check.computed'), dataIndex: 'computed', width: 100 },
            {
              title: t('reports.check.status'),
              width: 110,
              render: (_, f) => <Tag color={statusColor[f.status]}>{t(`reports.check.statuses.${f.status}`)}</Tag>,
            },
            ...(canWrite
              ? [
                  {
                    title: '',
                    width: 110,
                    render: (_: unknown, f: CheckedFigure, i: number) =>
                      f.confirmed && !choices[i] ? (
                        <Tag icon={<CheckOutlined />}>{t('reports.check.confirmed')}</Tag>
                      ) : (
                        <Button size="small" disabled={!(choices[i] ?? f.metric)} onClick={() => void confirm(f, i)}>
                          {t('reports.check.confirm')}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </Space>
  );
}

function MetricsTab() {
  const { t, i18n } = useTranslation();
  const metrics = useMetrics();
  const en = i18n.language.startsWith('en');
  return (
    <Table<MetricDef>
      size="small"
      rowKey="key"
      loading={metrics.isLoading}
      dataSource={metrics.data}
      pagination={false}
      columns={[
        { title: t('reports.metrics.key'), dataIndex: 'key', width: 200, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
        { title: t('reports.metrics.name'), render: (_, m) => (en ? m.nameEn : m.nameZh), width: 180 },
        { title: t('reports.metrics.unit'), dataIndex: 'unitWord', width: 60 },
        { title: t('reports.metrics.filters'), render: (_, m) => ['period', 'unit', ...m.filters].join(', '), width: 240 },
        { title: t('reports.metrics.description'), render: (_, m) => (en ? m.descriptionEn : m.descriptionZh) },
      ]}
    />
  );
}

/** /reports: the dashboard, the generated work summary, the figure check of a hand-written draft, the ledgers, and the metrics catalogue. */
export default function ReportsPage() {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<PeriodChoice>({ kind: 'year', year: thisYear, month: new Date().getMonth() + 1 });
  const [unitIds, setUnitIds] = useState<string[]>([]);
  return (
    <Card title={t('reports.title')} size="small" extra={<ContextBar value={choice} onChange={setChoice} unitIds={unitIds} onUnits={setUnitIds} />}>
      <Tabs
        destroyOnHidden
        items={[
          {
            key: 'dashboard',
            label: t('reports.tabs.dashboard'),
            children: (
              <Suspense fallback={<Spin />}>
                <DashboardTab period={periodOf(choice)} unitIds={unitIds} />
              </Suspense>
            ),
          },
          { key: 'summary', label: t('reports.tabs.summary'), children: <SummaryTab choice={choice} unitIds={unitIds} /> },
          { key: 'check', label: t('reports.tabs.check'), children: <CheckTab choice={choice} unitIds={unitIds} /> },
          { key: 'ledgers', label: t('reports.tabs.ledgers'), children: <LedgersTab choice={choice} unitIds={unitIds} /> },
          { key: 'metrics', label: t('reports.tabs.metrics'), children: <MetricsTab /> },
        ]}
      />
    </Card>
  );
}

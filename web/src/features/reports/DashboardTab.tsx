import { useEffect, useRef, useState } from 'react';
import { Card, Col, Empty, Row, Spin, Statistic, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import type { DashboardResponse, Figure, MetricResult, Period } from '@tongxin/contracts';
import { api } from '../../app/api';
// ECharts' tree-shakable core: only the charts and components drawn here are bundled, and
// only into this lazily loaded chunk (the dashboard tab), not into the rest of the app
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { downloadDashboardRecords, reportsKey, useMetrics } from './reportsApi';
import { EvidenceDrawer } from './EvidenceDrawer';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = Parameters<echarts.ECharts['setOption']>[0];

/** One chart; `onClick` gets the clicked item's name (a bar's category) and its index among the categories. */
function Chart({ option, onClick, testId, height = 300 }: { option: Option; onClick?: (name: string, index: number) => void; testId: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current);
    chart.current = c;
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const h = (p: { name?: string; dataIndex?: number }): void => {
      if (p.name) onClick(p.name, p.dataIndex ?? -1);
    };
    c.on('click', h);
    return () => {
      c.off('click', h);
    };
  }, [onClick]);
  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}

/** Key figures against the previous period, the activity trend by month, activities by type and rectification measures by status; every figure and bar opens its records. */
export default function DashboardTab({ period, unitIds }: { period: Period; unitIds: string[] }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const metrics = useMetrics();
  const [open, setOpen] = useState<Figure | null>(null);
  // the duties or points bar the drawer shows, for its export
  const [bar, setBar] = useState<{ chart: 'duties' | 'points'; key: string } | null>(null);
  const d = useQuery({
    queryKey: [...reportsKey, 'dashboard', period, unitIds],
    queryFn: () => api.post<DashboardResponse>('/reports/dashboard', { period, unitIds }),
  });
  const records = async (metric: string, args: Record<string, string>) => {
    const r = await api.post<MetricResult>('/reports/metrics/evaluate', { period, unitIds, metric, args });
    setBar(null);
    setOpen({ ...r, index: 0, source: metric });
  };
  // the duties and points bars: their records come from those areas, not from a catalogue metric
  const chartRecords = async (chart: 'duties' | 'points', key: string) => {
    const r = await api.post<MetricResult>('/reports/dashboard/records', { period, unitIds, chart, key });
    setBar({ chart, key });
    setOpen({ ...r, index: 0, source: chart });
  };
  if (d.isLoading) return <Spin />;
  if (!d.data) return <Empty />;
  const data = d.data;
  const months = [...new Set(data.trend.map((x) => x.month))].sort();
  const categories = [...new Set(data.trend.map((x) => x.category))];
  const trend: Option = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', minInterval: 1 },
    series: categories.map((c) => ({
      name: t(`activities.category.${c}`, { defaultValue: c }),
      type: 'bar',
      stack: 'all',
      data: months.map((m) => data.trend.find((x) => x.month === m && x.category === c)?.count ?? 0),
    })),
  };
  const byType: Option = {
    tooltip: { trigger: 'axis' },
    grid: { left: 150, right: 24, top: 8, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: data.byType.map((x) => (en ? x.nameEn : x.nameZh)) },
    series: [{ type: 'bar', data: data.byType.map((x) => x.count), itemStyle: { color: '#c0392b' }, cursor: 'pointer' }],
  };
  const typeByName = (name: string) => data.byType.find((x) => (en ? x.nameEn : x.nameZh) === name)?.code;
  const statusName = (status: string) => t(`programs.problem.measureStatuses.${status as 'done'}`, { defaultValue: status });
  const rectification: Option = {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: data.rectification.map((x) => statusName(x.status)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: data.rectification.map((x) => x.count), itemStyle: { color: '#d4380d' }, cursor: 'pointer' }],
  };
  const dutyName = (x: DashboardResponse['duties'][number]) => `${en ? x.typeNameEn : x.typeNameZh}（${t(`reports.dashboard.periods.${x.period}`)}）`;
  const duties: Option = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 190, right: 24, top: 32, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: data.duties.map(dutyName) },
    series: [
      { name: t('reports.dashboard.met'), type: 'bar', stack: 'all', data: data.duties.map((x) => x.met), itemStyle: { color: '#52c41a' }, cursor: 'pointer' },
      { name: t('reports.dashboard.missed'), type: 'bar', stack: 'all', data: data.duties.map((x) => x.missed), itemStyle: { color: '#cf1322' }, cursor: 'pointer' },
    ],
  };
  const bandName = (band: string) => t(`reports.dashboard.bands.${band as 'lt60'}`);
  const points: Option = {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: data.pointsBands.map((x) => bandName(x.band)) },
    yAxis: { type: 'value', minInterval: 1, name: t('reports.dashboard.pointsUnit') },
    series: [{ type: 'bar', data: data.pointsBands.map((x) => x.count), itemStyle: { color: '#1677ff' }, cursor: 'pointer' }],
  };
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('reports.dashboard.compare', { from: data.from, to: data.to, previousFrom: data.previousFrom, previousTo: data.previousTo })}
      </Typography.Paragraph>
      <Row gutter={[12, 12]}>
        {data.figures.map((f) => {
          const delta = f.value - f.previous;
          return (
            <Col key={`${f.metric}${JSON.stringify(f.args)}`} xs={12} md={8} xl={4}>
              <Card size="small" hoverable onClick={() => void records(f.metric, f.args)} data-testid="dashboard-figure">
                <Statistic title={en ? f.nameEn : f.nameZh} value={f.value} suffix={f.unitWord} />
                <Typography.Text type={delta > 0 ? 'success' : delta < 0 ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                  {delta > 0 ? <ArrowUpOutlined /> : delta < 0 ? <ArrowDownOutlined /> : null} {t('reports.dashboard.previous', { value: f.previous })}
                </Typography.Text>
              </Card>
            </Col>
          );
        })}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('reports.dashboard.trend')}>
            <Chart option={trend} testId="chart-trend" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('reports.dashboard.byType')}>
            <Chart
              option={byType}
              testId="chart-types"
              // one 36 px band per type, so the first bar is always at the same place
              height={Math.max(1, data.byType.length) * 36 + 40}
              onClick={(name) => {
                const code = typeByName(name);
                if (code) void records('activities.count', { type: code });
              }}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('reports.dashboard.rectification')}>
            <Chart
              option={rectification}
              testId="chart-rectification"
              height={240}
              onClick={(name) => {
                const status = data.rectification.find((x) => statusName(x.status) === name)?.status;
                if (status) void records('rectification.measures', { status });
              }}
            />
          </Card>
        </Col>
        {data.pointsYear !== null && (
          <Col xs={24} xl={12}>
            <Card size="small" title={t('reports.dashboard.points', { year: data.pointsYear })}>
              <Chart
                option={points}
                testId="chart-points"
                height={240}
                onClick={(_name, i) => {
                  const band = data.pointsBands[i]?.band;
                  if (band) void chartRecords('points', band);
                }}
              />
            </Card>
          </Col>
        )}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24}>
          <Card size="small" title={t('reports.dashboard.duties')}>
            {data.duties.length ? (
              <Chart
                option={duties}
                testId="chart-duties"
                // one 36 px band per rule, as the types chart
                height={data.duties.length * 36 + 60}
                onClick={(_name, i) => {
                  // two rules may share a type name (a department's and a committee's study): by index
                  const rule = data.duties[i];
                  if (rule) void chartRecords('duties', rule.ruleId);
                }}
              />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </Card>
        </Col>
      </Row>
      <EvidenceDrawer
        figure={open}
        metrics={metrics.data ?? []}
        unitIds={unitIds}
        onClose={() => setOpen(null)}
        exportOwn={bar ? () => downloadDashboardRecords(bar.chart, bar.key, period, unitIds) : undefined}
      />
    </>
  );
}

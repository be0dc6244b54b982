import { useMemo, type CSSProperties } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, Card, Empty, Flex, Select, Space, Spin, Table, Tag, Tooltip, TreeSelect, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DutyCell, DutyCellStatus, DutyRow, MissedDuty } from '@tongxin/contracts';
import { currentLanguage } from '../../app/i18n';
import { useCan, useCurrentUser } from '../../app/auth';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { useDutiesCalendar, useMissedDuties } from './dutiesApi';
import { DutyRulesCard } from './DutyRulesCard';

/** green met, red missed, amber due soon, grey upcoming */
export const statusColors: Record<DutyCellStatus, { bg: string; border: string; tag: string }> = {
  met: { bg: '#f6ffed', border: '#95de64', tag: 'success' },
  missed: { bg: '#fff1f0', border: '#ff7875', tag: 'error' },
  due_soon: { bg: '#fffbe6', border: '#ffc53d', tag: 'warning' },
  upcoming: { bg: '#fafafa', border: '#d9d9d9', tag: 'default' },
};

/** The current year on the Shanghai calendar. */
function shanghaiYear(): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

function DutyGrid({ rows }: { rows: DutyRow[] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const lang = currentLanguage();
  const monthNames = useMemo(() => {
    const f = new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, i) => f.format(new Date(Date.UTC(2026, i, 1))));
  }, [lang]);
  const span = (row: DutyRow) => (row.period === 'month' ? 1 : row.period === 'quarter' ? 3 : 12);
  const label = (row: DutyRow, c: DutyCell) =>
    row.period === 'month' ? monthNames[c.index - 1] : row.period === 'quarter' ? t('duties.quarter', { n: c.index }) : t('duties.wholeYear');
  const th: CSSProperties = { padding: '6px 4px', fontWeight: 500, borderBottom: `1px solid ${token.colorBorderSecondary}`, textAlign: 'center', whiteSpace: 'nowrap' };
  return (
    <div style={{ overflowX: 'auto' }}>
      <table style={{ borderCollapse: 'separate', borderSpacing: 4, width: '100%', minWidth: 900 }} data-testid="duties-grid">
        <thead>
          <tr>
            <th style={{ ...th, textAlign: 'left' }}>{t('duties.page.duty')}</th>
            <th style={th}>{t('duties.page.period')}</th>
            {monthNames.map((m) => (
              <th key={m} style={th}>
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.ruleId} data-testid="duty-row" data-type={row.typeNameZh}>
              <td style={{ whiteSpace: 'nowrap', paddingRight: 8 }}>{lang === 'en' ? row.typeNameEn : row.typeNameZh}</td>
              <td style={{ whiteSpace: 'nowrap', textAlign: 'center' }}>{t(`duties.periods.${row.period}`)}</td>
              {row.cells.map((c) => {
                const color = statusColors[c.status];
                const statusText = t(`duties.status.${c.status}`);
                return (
                  <td key={c.index} colSpan={span(row)} style={{ padding: 0 }}>
                    <Tooltip title={`${label(row, c)} · ${t('duties.cellTitle', { status: statusText, done: c.done, required: c.required })}`}>
                      <div
                        data-testid="duty-cell"
                        data-period={row.period}
                        data-index={c.index}
                        data-status={c.status}
                        data-done={c.done}
                        style={{
                          background: color.bg,
                          border: `1px solid ${color.border}`,
                          borderRadius: 4,
                          textAlign: 'center',
                          padding: '4px 2px',
                          fontSize: 12,
                          minWidth: 44,
                        }}
                      >
                        <div>{row.period === 'month' ? '' : `${label(row, c)} `}{c.done}/{c.required}</div>
                        <div style={{ color: token.colorTextSecondary }}>{statusText}</div>
                      </div>
                    </Tooltip>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MissedList({ unitId }: { unitId: string }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { data, isPending } = useMissedDuties(unitId);
  return (
    <Card title={t('duties.missed.title', { month: data?.month ?? '' })} data-testid="duties-missed">
      <Table<MissedDuty>
        size="small"
        loading={isPending}
        rowKey={(m) => `${m.unitId}:${m.ruleId}:${m.startsAt}`}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('duties.missed.none') }}
        columns={[
          { title: t('duties.missed.unit'), dataIndex: 'unitName' },
          { title: t('duties.missed.duty'), render: (_v, m) => (lang === 'en' ? m.typeNameEn : m.typeNameZh) },
          { title: t('duties.page.period'), dataIndex: 'period', render: (p: MissedDuty['period']) => t(`duties.periods.${p}`) },
          {
            title: t('duties.missed.count'),
            render: (_v, m) => (
              <Tag color="error">
                {m.done}/{m.required}
              </Tag>
            ),
          },
        ]}
      />
    </Card>
  );
}

export default function DutiesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { data: units = [], isPending: unitsPending } = useUnits();
  const forest = useMemo(() => buildUnitForest(units), [units]);
  const unitTree = useMemo(() => unitTreeSelectData(forest), [forest]);
  const thisYear = shanghaiYear();
  const me = useCurrentUser();
  const canEditRules = useCan('activities.catalog');
  // every reader sees the whole tree, but data scope follows the grants: start at the user's own scope unit
  const unitId = params.get('unitId') ?? me.roles[0]?.scopeUnitId ?? forest[0]?.unit.id;
  const year = Number(params.get('year')) || thisYear;
  const { data, isPending, isError, error } = useDutiesCalendar(unitId, year);

  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    if (k === 'unitId' && !next.get('year')) next.set('year', String(year));
    setParams(next, { replace: true });
  };

  return (
    <Flex vertical gap={16}>
      <Card
        title={t('duties.page.title')}
        extra={
          <Space wrap>
            <TreeSelect
              style={{ minWidth: 240 }}
              treeData={unitTree}
              treeDefaultExpandAll
              value={unitId}
              loading={unitsPending}
              onChange={(v: string) => set('unitId', v)}
              placeholder={t('duties.page.unit')}
              data-testid="duties-unit"
              showSearch
              treeNodeFilterProp="title"
            />
            <Select
              value={year}
              style={{ width: 100 }}
              onChange={(v: number) => set('year', String(v))}
              options={[thisYear + 1, thisYear, thisYear - 1, thisYear - 2, thisYear - 3].map((y) => ({ value: y, label: String(y) }))}
              data-testid="duties-year"
            />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('duties.page.subtitle')}</Typography.Paragraph>
        <Space style={{ marginBottom: 12 }} wrap>
          {(['met', 'missed', 'due_soon', 'upcoming'] as const).map((s) => (
            <Tag key={s} color={statusColors[s].tag}>
              {t(`duties.status.${s}`)}
            </Tag>
          ))}
        </Space>
        {isError ? (
          <Alert type="error" showIcon title={error.message} />
        ) : isPending && unitId ? (
          <Spin />
        ) : data && data.rows.length > 0 ? (
          <DutyGrid rows={data.rows} />
        ) : (
          <Empty description={t('duties.page.noRules')} />
        )}
      </Card>
      {unitId && <MissedList unitId={unitId} />}
      {canEditRules && <DutyRulesCard />}
    </Flex>
  );
}

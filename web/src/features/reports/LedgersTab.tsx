import { useMemo, useState } from 'react';
import { Button, Space, Table, TreeSelect, Typography } from 'antd';
import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ledgerAreaInfo, ledgerAreas, type LedgerArea } from '@tongxin/contracts';
import { apiBase, queryString } from '../../app/api';
import { can, useCan, useMe } from '../../app/auth';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { rangeOf, type PeriodChoice } from './reportsApi';

const noted: Partial<Record<LedgerArea, true>> = { points: true, problems: true, contacts: true, enterprises: true, integrity: true };

/**
 * 台账: one Excel ledger per area for the period chosen above and one unit (with its
 * sub-units), and the combined workbook. Plain links: the browser downloads with the session
 * cookie, and the server audits every export.
 */
export default function LedgersTab({ choice, unitIds }: { choice: PeriodChoice; unitIds: string[] }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const canUnits = useCan('org.read');
  const units = useUnits();
  const forest = useMemo(() => buildUnitForest(units.data ?? []), [units.data]);
  const [unitId, setUnitId] = useState<string | undefined>(unitIds[0]);
  const { from, to } = rangeOf(choice);
  const query = queryString({ from, to, unitId });
  const en = i18n.language.startsWith('en');
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('reports.ledgers.intro', { from, to })}</Typography.Text>
      <Space wrap>
        {canUnits && (
          <TreeSelect
            allowClear
            style={{ minWidth: 280 }}
            placeholder={t('reports.ledgers.unit')}
            treeData={unitTreeSelectData(forest)}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            value={unitId}
            onChange={(v: string | undefined) => setUnitId(v)}
            data-testid="ledger-unit"
          />
        )}
        <Button type="primary" icon={<FileExcelOutlined />} href={`${apiBase}/reports/ledgers${query}`} data-testid="ledger-combined">
          {t('reports.ledgers.combined')}
        </Button>
      </Space>
      <Table<LedgerArea>
        size="small"
        rowKey={(a) => a}
        dataSource={[...ledgerAreas]}
        pagination={false}
        columns={[
          { title: t('reports.ledgers.area'), width: 220, render: (_, a) => (en ? ledgerAreaInfo[a].nameEn : ledgerAreaInfo[a].nameZh) },
          { title: t('reports.ledgers.note'), render: (_, a) => (noted[a] ? t(`reports.ledgers.notes.${a as 'points'}`) : '') },
          {
            title: '',
            width: 140,
            render: (_, a) =>
              can(me.data, ledgerAreaInfo[a].permission) ? (
                <Button size="small" icon={<DownloadOutlined />} href={`${apiBase}/reports/ledgers/${a}${query}`} data-testid={`ledger-${a}`}>
                  {t('reports.ledgers.download')}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t('reports.ledgers.noPermission')}</Typography.Text>
              ),
          },
        ]}
      />
    </Space>
  );
}

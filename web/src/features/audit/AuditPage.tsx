import { useMemo, useState } from 'react';
import { useServerPagination } from '../../app/pagination';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { ExportOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { auditResults, limits, type AuditEntry } from '@tongxin/contracts';
import { useDownloadWithProgress } from '../people/DownloadProgressModal';
import { auditKey, useAuditList, useAuditVerify, type AuditVerifyResult } from './auditApi';
import { auditFiltersQuery, type AuditFilterValues, type AuditResult } from './filters';
import { auditActionKey, auditPrefixes, auditResultColor, auditTargetKey } from './labels';

const timeFormat = 'YYYY-MM-DD HH:mm:ss';
const dayBounds = [dayjs().startOf('day'), dayjs().endOf('day').second(0)];
const actionMax = 64;
const targetIdMax = 64;

function ActionLabel({ action }: { action: string }) {
  const { t } = useTranslation();
  const key = auditActionKey(action);
  return (
    <span data-action={action}>
      {key ? (
        <Tooltip title={action}>
          <span>{t(`auditAction.${key}`)}</span>
        </Tooltip>
      ) : (
        // unknown codes (a newer server, custom actions) are shown as they are
        <Typography.Text code>{action}</Typography.Text>
      )}
    </span>
  );
}

function TargetLabel({ entry, full }: { entry: AuditEntry; full?: boolean }) {
  const { t } = useTranslation();
  const key = auditTargetKey(entry.targetType);
  const type = key ? t(`auditTarget.${key}`) : (entry.targetType ?? '');
  if (!entry.targetId) return <>{type || t('common.none')}</>;
  return (
    <Space size={4}>
      {type}
      <Typography.Text type="secondary" copyable={{ text: entry.targetId }} title={entry.targetId}>
        {full || entry.targetId.length <= 12 ? entry.targetId : `${entry.targetId.slice(0, 8)}…`}
      </Typography.Text>
    </Space>
  );
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const none = t('common.none');
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      styles={{ label: { width: 110 } }}
      data-testid="audit-entry-details"
      items={[
        { key: 'action', label: t('audit.actionCode'), children: <Typography.Text code>{entry.action}</Typography.Text> },
        { key: 'target', label: t('audit.target'), children: <TargetLabel entry={entry} full /> },
        { key: 'userAgent', label: t('audit.userAgent'), children: entry.userAgent ?? none },
        {
          key: 'details',
          label: t('audit.details'),
          children: entry.details ? (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>
              {JSON.stringify(entry.details, null, 2)}
            </pre>
          ) : (
            none
          ),
        },
      ]}
    />
  );
}

/** Entries moved to signed files earlier: the chain in the database continues from them. */
function Archives({ result }: { result: AuditVerifyResult }) {
  const { t } = useTranslation();
  if (result.archives.length === 0) return null;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="audit-archives">
      {result.archives.map((a) => (
        <li key={a.fileSha256 + a.archivedAt}>
          {t('audit.archivedItem', { entries: a.entries, before: a.before.slice(0, 10), file: a.fileName, sha: a.fileSha256.slice(0, 16) })}
        </li>
      ))}
    </ul>
  );
}

function VerifyResult({ result, onClose }: { result: AuditVerifyResult; onClose: () => void }) {
  const { t } = useTranslation();
  if (result.breaks.length === 0) {
    return (
      <Alert
        type="success"
        showIcon
        closable={{ onClose }}
        style={{ marginBottom: 12 }}
        title={t('audit.verifyOk', { checked: result.checked })}
        description={<Archives result={result} />}
        data-testid="audit-verify-result"
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      title={t('audit.verifyBroken', { checked: result.checked })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {result.breaks.map((b) => (
            <li key={b.id}>{t('audit.breakItem', { id: b.id, reason: t(`auditBreak.${b.reason}`) })}</li>
          ))}
        </ul>
      }
      data-testid="audit-verify-result"
    />
  );
}

export default function AuditPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AuditFilterValues>();
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const { page, setPage, pageSize, pagination } = useServerPagination();
  // converted once when applied: the query key must not change while the filters stand
  const query = useMemo(() => auditFiltersQuery(filters), [filters]);
  const list = useAuditList(query, page, pageSize);
  const verify = useAuditVerify();
  const download = useDownloadWithProgress();

  const applyFilters = (v: AuditFilterValues) => {
    // 查询 with unchanged filters still means "load again": the trail grows all the time
    if (page === 1 && JSON.stringify(auditFiltersQuery(v)) === JSON.stringify(query)) void list.refetch();
    setFilters(v);
    setPage(1);
  };

  const exportTrail = async () => {
    await download.start(t('audit.exportTitle'), '/audit/export.xlsx', query, 'audit.xlsx');
    // the export is itself an entry of the trail
    await queryClient.invalidateQueries({ queryKey: auditKey });
  };

  const columns: TableColumnsType<AuditEntry> = [
    // the number the integrity check and the export refer to
    { title: t('audit.id'), dataIndex: 'id', width: 80 },
    {
      title: t('audit.time'),
      dataIndex: 'at',
      width: 170,
      render: (at: string) => dayjs(at).format(timeFormat),
    },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 130, ellipsis: true, render: (v: string | null) => v ?? t('common.none') },
    { title: t('audit.action'), dataIndex: 'action', width: 150, render: (a: string) => <ActionLabel action={a} /> },
    { title: t('audit.target'), key: 'target', width: 200, render: (_v, e) => <TargetLabel entry={e} /> },
    {
      title: t('audit.result'),
      dataIndex: 'result',
      width: 80,
      render: (r: AuditResult) => <Tag color={auditResultColor[r]}>{t(`auditResult.${r}`)}</Tag>,
    },
    { title: t('audit.ip'), dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? t('common.none') },
  ];

  const now = () => dayjs();
  const presets = [
    { label: t('audit.today'), value: () => [now().startOf('day'), now().endOf('day')] as [Dayjs, Dayjs] },
    { label: t('audit.last7Days'), value: () => [now().subtract(7, 'day'), now()] as [Dayjs, Dayjs] },
    { label: t('audit.last30Days'), value: () => [now().subtract(30, 'day'), now()] as [Dayjs, Dayjs] },
  ];

  return (
    <Card title={t('audit.title')} size="small" data-testid="audit-page">
      <Form<AuditFilterValues> form={form} layout="vertical" onFinish={applyFilters} data-testid="audit-filters">
        <Row gutter={12}>
          <Col xs={24} md={12} xl={7}>
            <Form.Item name="range" label={t('audit.timeRange')}>
              <DatePicker.RangePicker
                // a picked end day runs to 23:59 (inclusive), not to its first minute
                showTime={{ format: 'HH:mm', defaultOpenValue: dayBounds }}
                format="YYYY-MM-DD HH:mm"
                allowEmpty={[true, true]}
                presets={presets}
                placeholder={[t('audit.startTime'), t('audit.endTime')]}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Form.Item name="actor" label={t('audit.actor')} tooltip={t('audit.actorHelp')}>
              <Input
                allowClear
                maxLength={limits.usernameMax}
                placeholder={t('audit.actorPlaceholder')}
                onPressEnter={() => form.submit()}
                data-testid="audit-filter-actor"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={4}>
            <Form.Item name="action" label={t('audit.action')} rules={[{ max: actionMax }]}>
              <AutoComplete
                allowClear
                placeholder={t('audit.actionPlaceholder')}
                options={auditPrefixes.map((p) => ({
                  value: `${p}.`,
                  label: (
                    <Space size={6}>
                      <span>{p}.</span>
                      <Typography.Text type="secondary">{t(`auditPrefix.${p}`)}</Typography.Text>
                    </Space>
                  ),
                }))}
                showSearch={{
                  // a prefix being typed, or a longer action code below a prefix
                  filterOption: (input, option) => {
                    const value = String(option?.value ?? '');
                    const typed = input.trim();
                    return value.startsWith(typed) || typed.startsWith(value);
                  },
                }}
                data-testid="audit-filter-action"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Form.Item name="result" label={t('audit.result')}>
              <Select<AuditResult>
                allowClear
                options={auditResults.map((r) => ({ value: r, label: t(`auditResult.${r}`) }))}
                data-testid="audit-filter-result"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Form.Item name="targetId" label={t('audit.targetId')}>
              <Input allowClear maxLength={targetIdMax} onPressEnter={() => form.submit()} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} xl={4}>
            <Form.Item label=" " colon={false}>
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-filter-submit">
                  {t('common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    applyFilters({});
                  }}
                >
                  {t('common.reset')}
                </Button>
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>

      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<ExportOutlined />} disabled={download.busy} onClick={() => void exportTrail()} data-testid="audit-export">
          {t('audit.export')}
        </Button>
        <Button
          icon={<SafetyCertificateOutlined />}
          loading={verify.isPending}
          onClick={() => verify.mutate()}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      </Space>

      {verify.data && <VerifyResult result={verify.data} onClose={() => verify.reset()} />}

      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 900 }}
        expandable={{ expandedRowRender: (e) => <EntryDetails entry={e} /> }}
        onRow={() => ({ 'data-testid': 'audit-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid="audit-table"
      />
      {download.element}
    </Card>
  );
}

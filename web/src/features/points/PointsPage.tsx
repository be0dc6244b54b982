import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Entry, EntriesQuery, EvaluationRow, Grade, ManualRequest, Notice, Objection, RuleKind, RuleSet, TallyRow } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { apiBase } from '../../app/api';
import { notifier } from '../../app/notify';
import { useUnits } from '../org/units';
import { AdjustModal } from './AdjustModal';
import { EntriesTable } from './EntriesTable';
import { RuleSetForm } from './RuleSetForm';
import { MyPointsView } from './MyPointsView';
import { formatTime, signed } from './labels';
import {
  currentMonth,
  useAnswerObjection,
  useCloseNotice,
  useCreateManual,
  useEntries,
  useEvaluation,
  useManualRequests,
  useNotice,
  useNotices,
  useOverrideGrade,
  usePublishNotice,
  useReviewManual,
  useRuleSets,
  useTally,
} from './pointsApi';

function useBranches() {
  const units = useUnits();
  return useMemo(() => (units.data ?? []).filter((u) => u.type === 'branch').map((u) => ({ value: u.id, label: u.name })), [units.data]);
}

function BranchSelect({ value, onChange }: { value?: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const options = useBranches();
  return <Select style={{ minWidth: 200 }} placeholder={t('points.tally.pickBranch')} options={options} value={value} onChange={onChange} showSearch optionFilterProp="label" data-testid="branch-select" />;
}

function EntriesDrawer({ query, onClose }: { query: EntriesQuery | null; onClose: () => void }) {
  const { t } = useTranslation();
  // the sign is applied to each fact's net effect, not to single entries (a correction is negative)
  const { sign, ...rest } = query ?? {};
  const entries = useEntries(query ? rest : null);
  const canManage = useCan('points.manage');
  const [adjusting, setAdjusting] = useState<Entry | null>(null);
  return (
    <Drawer open={!!query} onClose={onClose} width={860} title={t('points.tally.drill')}>
      <EntriesTable
        entries={entries.data ?? []}
        loading={entries.isFetching}
        sign={sign}
        action={(e) =>
          canManage && e.adjustmentPeriod ? (
            <Button size="small" onClick={() => setAdjusting(e)} data-testid="adjust-button">
              {t('points.adjust.button')}
            </Button>
          ) : null
        }
      />
      {adjusting && <AdjustModal entry={adjusting} onClose={() => setAdjusting(null)} />}
    </Drawer>
  );
}

function TallyTab() {
  const { t } = useTranslation();
  const [branchId, setBranchId] = useState<string>();
  const [month, setMonth] = useState(currentMonth());
  const tally = useTally(branchId, month);
  const [drill, setDrill] = useState<EntriesQuery | null>(null);
  const link = (r: TallyRow, n: number, sign?: 'plus' | 'minus') => (
    <Button type="link" size="small" onClick={() => setDrill({ personId: r.personId, branchId: r.branchId, month, sign })} data-testid={`drill-${sign ?? 'total'}`}>
      {sign ? signed(n) : n}
    </Button>
  );
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <BranchSelect value={branchId} onChange={setBranchId} />
        <Input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} style={{ width: 160 }} data-testid="tally-month" />
      </Space>
      <Table<TallyRow>
        size="small"
        rowKey="personId"
        loading={tally.isFetching}
        dataSource={tally.data?.rows ?? []}
        pagination={false}
        data-testid="tally-table"
        columns={[
          { title: t('points.cols.rank'), dataIndex: 'rank', width: 70 },
          { title: t('points.cols.person'), dataIndex: 'personName' },
          { title: t('points.cols.base'), dataIndex: 'base', align: 'right' },
          { title: t('points.cols.additions'), dataIndex: 'additions', align: 'right', render: (n: number, r) => link(r, n, 'plus') },
          { title: t('points.cols.deductions'), dataIndex: 'deductions', align: 'right', render: (n: number, r) => link(r, n, 'minus') },
          { title: t('points.cols.total'), dataIndex: 'total', align: 'right', render: (n: number, r) => <span data-testid="tally-total">{link(r, n)}</span> },
          { title: t('points.cols.capped'), dataIndex: 'capped', align: 'right', render: (n: number) => (n ? n : '') },
        ]}
      />
      <EntriesDrawer query={drill} onClose={() => setDrill(null)} />
    </>
  );
}

function quarterOptions(): string[] {
  const now = currentMonth();
  const y = Number(now.slice(0, 4));
  const q = Math.floor((Number(now.slice(5, 7)) - 1) / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < 6; i++) {
    const k = y * 4 + (q - 1) - i;
    out.push(`${Math.floor(k / 4)}-Q${(k % 4) + 1}`);
  }
  return out;
}

function AnswerModal({ objection, onClose }: { objection: Objection; onClose: () => void }) {
  const { t } = useTranslation();
  const answer = useAnswerObjection();
  const [form] = Form.useForm<{ accept: boolean; answer: string; correction?: number }>();
  const accept = Form.useWatch('accept', form);
  return (
    <Modal open title={t('points.notices.answer')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={answer.isPending} okButtonProps={{ id: 'answer-submit' }}>
      <Typography.Paragraph>{objection.text}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ accept: true }}
        onFinish={(v) =>
          answer.mutate(
            { id: objection.id, accept: v.accept, answer: v.answer, correction: v.accept ? v.correction : undefined },
            {
              onSuccess: () => {
                notifier().success(t('points.notices.answered'));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item name="accept">
          <Select
            data-testid="answer-accept"
            options={[
              { value: true, label: t('points.notices.accept') },
              { value: false, label: t('points.notices.reject') },
            ]}
          />
        </Form.Item>
        {accept && (
          <Form.Item name="correction" label={t('points.notices.correction')} rules={[{ required: true }]}>
            <InputNumber min={-1000} max={1000} step={0.5} data-testid="answer-correction" />
          </Form.Item>
        )}
        <Form.Item name="answer" label={t('points.cols.answer')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="answer-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function NoticeDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const notice = useNotice(id);
  const close = useCloseNotice();
  const canManage = useCan('points.manage');
  const [answering, setAnswering] = useState<Objection | null>(null);
  const n = notice.data;
  return (
    <Drawer open={!!id} onClose={onClose} width={820} title={n ? `${n.branchName} ${n.quarter}` : ''} data-testid="notice-drawer">
      {n && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={n.status === 'closed' ? 'default' : 'processing'} data-testid="notice-status">
              {t(`points.notices.status.${n.status}`)}
            </Tag>
            <span>
              {t('points.cols.windowEndsAt')}：{formatTime(n.windowEndsAt)}
            </span>
            {canManage && n.status === 'published' && (
              <Popconfirm
                title={t('points.notices.closeConfirm')}
                onConfirm={() => close.mutate({ id: n.id, version: n.version }, { onSuccess: () => notifier().success(t('points.notices.closed')) })}
              >
                <Button danger loading={close.isPending} data-testid="notice-close">
                  {t('points.notices.close')}
                </Button>
              </Popconfirm>
            )}
          </Space>
          <Table<TallyRow>
            size="small"
            rowKey="personId"
            pagination={false}
            dataSource={n.rows}
            columns={[
              { title: t('points.cols.rank'), dataIndex: 'rank', width: 70 },
              { title: t('points.cols.person'), dataIndex: 'personName' },
              { title: t('points.cols.additions'), dataIndex: 'additions', align: 'right', render: (x: number) => signed(x) },
              { title: t('points.cols.deductions'), dataIndex: 'deductions', align: 'right', render: (x: number) => signed(x) },
              { title: t('points.cols.total'), dataIndex: 'total', align: 'right' },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('points.me.objections')}
          </Typography.Title>
          <Table<Objection>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={n.objections}
            data-testid="objections-table"
            columns={[
              { title: t('points.cols.person'), dataIndex: 'personName' },
              { title: t('points.cols.text'), dataIndex: 'text' },
              { title: t('points.cols.status'), dataIndex: 'status', render: (s: Objection['status']) => <Tag>{t(`points.notices.objStatus.${s}`)}</Tag> },
              { title: t('points.cols.answer'), dataIndex: 'answer' },
              {
                key: 'a',
                render: (_, o) =>
                  canManage && o.status === 'open' && n.status === 'published' ? (
                    <Button size="small" onClick={() => setAnswering(o)} data-testid="answer-button">
                      {t('points.notices.answer')}
                    </Button>
                  ) : null,
              },
            ]}
          />
          {answering && <AnswerModal objection={answering} onClose={() => setAnswering(null)} />}
        </>
      )}
    </Drawer>
  );
}

function NoticesTab() {
  const { t } = useTranslation();
  const notices = useNotices();
  const publish = usePublishNotice();
  const canManage = useCan('points.manage');
  const [open, setOpen] = useState<string | null>(null);
  const [branchId, setBranchId] = useState<string>();
  const [quarter, setQuarter] = useState(quarterOptions()[0] ?? '');
  const [days, setDays] = useState(5);
  return (
    <>
      {canManage && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space wrap>
            <BranchSelect value={branchId} onChange={setBranchId} />
            <Select value={quarter} onChange={setQuarter} options={quarterOptions().map((q) => ({ value: q, label: q }))} style={{ width: 120 }} data-testid="notice-quarter" />
            <span>{t('points.notices.windowDays')}</span>
            <InputNumber min={1} max={30} value={days} onChange={(v) => setDays(v ?? 5)} />
            <Button
              type="primary"
              disabled={!branchId}
              loading={publish.isPending}
              data-testid="notice-publish"
              onClick={() => branchId && publish.mutate({ branchId, quarter, windowDays: days }, { onSuccess: (n: Notice) => (notifier().success(t('points.notices.published')), setOpen(n.id)) })}
            >
              {t('points.notices.publish')}
            </Button>
            <Typography.Text type="secondary">{t('points.notices.windowHint')}</Typography.Text>
          </Space>
        </Card>
      )}
      <Table<Notice>
        size="small"
        rowKey="id"
        loading={notices.isFetching}
        dataSource={notices.data ?? []}
        pagination={false}
        data-testid="notices-table"
        columns={[
          { title: t('points.cols.branch'), dataIndex: 'branchName' },
          { title: t('points.cols.quarter'), dataIndex: 'quarter' },
          { title: t('points.cols.status'), dataIndex: 'status', render: (s: Notice['status']) => <Tag>{t(`points.notices.status.${s}`)}</Tag> },
          { title: t('points.cols.windowEndsAt'), dataIndex: 'windowEndsAt', render: (s: string) => formatTime(s) },
          { title: t('points.cols.openObjections'), dataIndex: 'openObjections' },
          {
            key: 'open',
            render: (_, n) => (
              <Button size="small" onClick={() => setOpen(n.id)} data-testid="notice-open">
                {t('points.notices.open')}
              </Button>
            ),
          },
        ]}
      />
      <NoticeDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}

const grades: Grade[] = ['excellent', 'qualified', 'basic', 'unqualified'];

function EvaluationTab() {
  const { t } = useTranslation();
  const [year, setYear] = useState(Number(currentMonth().slice(0, 4)));
  const [branchId, setBranchId] = useState<string>();
  const ev = useEvaluation(year, branchId);
  const canOverride = useCan('points.approve');
  const override = useOverrideGrade();
  const [editing, setEditing] = useState<EvaluationRow | null>(null);
  const [form] = Form.useForm<{ grade: Grade; reason: string }>();
  const q = `year=${year}${branchId ? `&branchId=${branchId}` : ''}`;
  const candidates = (ev.data?.rows ?? []).filter((r) => r.grade === 'excellent').length;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} addonBefore={t('points.evaluation.year')} />
        <BranchSelect value={branchId} onChange={setBranchId} />
        <Button href={`${apiBase}/points/evaluation.xlsx?${q}`}>{t('points.evaluation.exportXlsx')}</Button>
        <Button href={`${apiBase}/points/evaluation.docx?${q}`}>{t('points.evaluation.exportDocx')}</Button>
        <Tag color="gold">{t('points.evaluation.candidates', { n: candidates })}</Tag>
      </Space>
      <Table<EvaluationRow>
        size="small"
        rowKey="personId"
        loading={ev.isFetching}
        dataSource={ev.data?.rows ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        data-testid="evaluation-table"
        columns={[
          { title: t('points.cols.branch'), dataIndex: 'branchName' },
          { title: t('points.cols.rank'), dataIndex: 'rank', width: 70 },
          { title: t('points.cols.person'), dataIndex: 'personName' },
          { title: t('points.cols.total'), dataIndex: 'total', align: 'right' },
          {
            title: t('points.cols.grade'),
            dataIndex: 'grade',
            render: (g: Grade, r) => (
              <Space>
                <Tag color={g === 'excellent' ? 'gold' : g === 'unqualified' ? 'red' : undefined} data-testid="evaluation-grade">
                  {t(`points.grade.${g}`)}
                </Tag>
                {r.overrideReason && <Typography.Text type="secondary">（{r.overrideReason}）</Typography.Text>}
                {r.sanctioned && <Tag color="red">{t('points.evaluation.sanctioned')}</Tag>}
              </Space>
            ),
          },
          ...(canOverride
            ? [
                {
                  key: 'o',
                  render: (_: unknown, r: EvaluationRow) => (
                    <Button size="small" onClick={() => (form.setFieldsValue({ grade: r.grade, reason: '' }), setEditing(r))}>
                      {t('points.evaluation.override')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal open={!!editing} title={`${t('points.evaluation.override')}：${editing?.personName ?? ''}`} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={override.isPending}>
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) =>
            editing &&
            override.mutate({ year, personId: editing.personId, grade: v.grade, reason: v.reason }, { onSuccess: () => (notifier().success(t('points.evaluation.overrideDone')), setEditing(null)) })
          }
        >
          <Form.Item name="grade" label={t('points.cols.grade')}>
            <Select options={grades.map((g) => ({ value: g, label: t(`points.grade.${g}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('points.cols.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ManualTab() {
  const { t } = useTranslation();
  const canManage = useCan('points.manage');
  const canApprove = useCan('points.approve');
  const list = useManualRequests();
  const create = useCreateManual();
  const review = useReviewManual();
  const rules = useRuleSets();
  const [branchId, setBranchId] = useState<string>();
  const tally = useTally(branchId, currentMonth());
  const [form] = Form.useForm<{ personId: string; ruleCode: string; amount: number; reason: string; evidence: string; month: string }>();
  const manualRules = (rules.data?.[0]?.rules ?? []).filter((r) => ['honour', 'sanction', 'other'].includes(r.kind));
  const ruleNames = new Map((rules.data ?? []).flatMap((rs) => rs.rules.map((r) => [r.code, r.nameZh] as const)).reverse());
  return (
    <>
      {canManage && (
        <Card size="small" title={t('points.manual.create')} style={{ marginBottom: 12 }}>
          <Space style={{ marginBottom: 8 }}>
            <BranchSelect value={branchId} onChange={setBranchId} />
          </Space>
          <Form
            form={form}
            layout="inline"
            initialValues={{ month: currentMonth() }}
            onFinish={(v) => create.mutate(v, { onSuccess: () => (notifier().success(t('points.manual.created')), form.resetFields()) })}
          >
            <Form.Item name="personId" rules={[{ required: true }]}>
              <Select style={{ width: 140 }} placeholder={t('points.manual.person')} options={(tally.data?.rows ?? []).map((r) => ({ value: r.personId, label: r.personName }))} />
            </Form.Item>
            <Form.Item name="ruleCode" rules={[{ required: true }]}>
              <Select
                style={{ width: 160 }}
                placeholder={t('points.manual.rule')}
                options={manualRules.map((r) => ({ value: r.code, label: r.nameZh }))}
                onChange={(code: string) => {
                  const r = manualRules.find((x) => x.code === code);
                  if (r) form.setFieldValue('amount', r.kind === 'sanction' ? -r.amount : r.amount);
                }}
              />
            </Form.Item>
            <Form.Item name="amount" rules={[{ required: true }]}>
              <InputNumber min={-1000} max={1000} placeholder={t('points.manual.amount')} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="month">
              <Input type="month" style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="reason" rules={[{ required: true, whitespace: true }]}>
              <Input placeholder={t('points.manual.reason')} maxLength={500} />
            </Form.Item>
            <Form.Item name="evidence" rules={[{ required: true, whitespace: true }]}>
              <Input placeholder={t('points.manual.evidence')} maxLength={1000} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('points.manual.create')}
            </Button>
          </Form>
        </Card>
      )}
      <Table<ManualRequest>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('points.cols.person'), dataIndex: 'personName' },
          { title: t('points.cols.period'), dataIndex: 'period' },
          {
            title: t('points.cols.rule'),
            dataIndex: 'ruleCode',
            render: (code: string, m) => {
              // an adjustment books under adj_<code>: name the corrected rule, marked as an adjustment
              const base = m.correctsEntryId ? code.replace(/^adj_/, '') : code;
              const name = ruleNames.get(base) ?? base;
              return m.correctsEntryId ? (
                <Space size={4}>
                  <Tag color="purple">{t('points.entries.adjustment')}</Tag>
                  {name}
                </Space>
              ) : (
                name
              );
            },
          },
          { title: t('points.cols.amount'), dataIndex: 'amount', render: (n: number) => signed(n) },
          { title: t('points.cols.reason'), dataIndex: 'reason' },
          { title: t('points.cols.evidence'), dataIndex: 'evidence' },
          { title: t('points.cols.status'), dataIndex: 'status', render: (s: ManualRequest['status']) => <Tag>{t(`points.manual.status.${s}`)}</Tag> },
          {
            key: 'r',
            render: (_, m) =>
              canApprove && m.status === 'pending' ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => review.mutate({ id: m.id, approve: true }, { onSuccess: () => notifier().success(t('points.manual.reviewed')) })}>
                    {t('points.manual.approve')}
                  </Button>
                  <Button size="small" onClick={() => review.mutate({ id: m.id, approve: false })}>
                    {t('points.manual.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </>
  );
}

function RuleSetCard({ rs }: { rs: RuleSet }) {
  const { t } = useTranslation();
  return (
    <Card size="small" style={{ marginBottom: 8 }} title={`${t('points.rules.version', { v: rs.version })} · ${t('points.rules.effectiveFrom')} ${rs.effectiveFrom} · ${t('points.rules.baseScore')} ${rs.baseScore}`}>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={rs.rules}
        columns={[
          { title: t('points.cols.rule'), dataIndex: 'nameZh' },
          { title: t('points.cols.source'), dataIndex: 'kind', render: (k: RuleKind) => t(`points.rules.kind.${k}`) },
          { title: t('points.cols.amount'), dataIndex: 'amount', render: (n: number, r) => (r.kind === 'absent' || r.kind === 'sanction' ? signed(-n) : signed(n)) },
          { title: t('points.rules.cap'), dataIndex: 'cap', render: (c: RuleSet['rules'][number]['cap']) => (c ? `${t(`points.rules.capPeriod.${c.period}`)} ${c.max}` : '') },
          { title: t('points.rules.types'), dataIndex: 'typeCodes', render: (c: string[]) => c.join('、') },
        ]}
      />
      <Typography.Text type="secondary">
        {t('points.rules.grading', {
          pct: rs.grading.excellentTopPercent,
          noSanction: rs.grading.excellentNoSanction ? t('points.rules.noSanction') : '',
          basic: rs.grading.basicBelow,
          fail: rs.grading.failBelow,
        })}
      </Typography.Text>
    </Card>
  );
}

function RulesTab() {
  const { t } = useTranslation();
  const rules = useRuleSets();
  const canEdit = useCan('points.rules');
  const [editing, setEditing] = useState(false);
  const current = rules.data?.[0];
  return (
    <>
      {canEdit && current && (
        <Button style={{ marginBottom: 12 }} onClick={() => setEditing(true)} data-testid="rules-new-version">
          {t('points.rules.newVersion')}
        </Button>
      )}
      {(rules.data ?? []).map((rs) => (
        <RuleSetCard key={rs.id} rs={rs} />
      ))}
      {editing && current && <RuleSetForm current={current} onClose={() => setEditing(false)} />}
    </>
  );
}

/** Points: every user has "my points"; the other tabs follow the user's permissions. */
export default function PointsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const canRead = useCan('points.read');
  const items = [
    { key: 'me', label: t('points.tabs.me'), children: <MyPointsView /> },
    ...(canRead
      ? [
          { key: 'tally', label: t('points.tabs.tally'), children: <TallyTab /> },
          { key: 'notices', label: t('points.tabs.notices'), children: <NoticesTab /> },
          { key: 'evaluation', label: t('points.tabs.evaluation'), children: <EvaluationTab /> },
          { key: 'manual', label: t('points.tabs.manual'), children: <ManualTab /> },
          { key: 'rules', label: t('points.tabs.rules'), children: <RulesTab /> },
        ]
      : []),
  ];
  return (
    <Card title={t('points.title')}>
      <Tabs activeKey={params.get('tab') ?? 'me'} onChange={(k) => setParams({ tab: k }, { replace: true })} items={items} destroyOnHidden />
    </Card>
  );
}

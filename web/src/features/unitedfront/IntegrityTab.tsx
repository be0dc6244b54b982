import { useMemo, useState } from 'react';
import { Button, Card, DatePicker, Form, Input, Modal, Select, Space, Switch, Table, Tag, Timeline, TreeSelect, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { riskLevels, ufLimits, type IntegrityRisk, type IntegrityRule } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { notifier } from '../../app/notify';
import { useServerPagination } from '../../app/pagination';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { PersonSelect } from './PersonSelect';
import { useRiskMutations, useRisks, useRuleMutations, useRules } from './ufWorkApi';
import type { unitedFrontLocale } from './unitedfront.locale';

type Msgs = (typeof unitedFrontLocale.zh)['integrity'];

type Level = IntegrityRisk['level'];
const levelColor: Record<Level, string> = { high: 'red', medium: 'orange', low: 'blue' };
const day = (d: Dayjs) => d.format('YYYY-MM-DD');

function useOfficeTree() {
  const { data: units = [] } = useUnits(false);
  return useMemo(() => unitTreeSelectData(buildUnitForest(units), (u) => ['office', 'department', 'party_committee', 'discipline_committee'].includes(u.type)), [units]);
}

interface RiskValues {
  officeId: string;
  duty: string;
  risk: string;
  level: Level;
  controls: string;
  ownerPersonId: string;
  reviewDueOn: Dayjs;
}

/** Create (risk = null) or edit a risk point; the owner is required either way. */
function RiskModal({ risk, open, onClose }: { risk: IntegrityRisk | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RiskValues>();
  const officeTree = useOfficeTree();
  const { create, update } = useRiskMutations();
  const done = () => {
    notifier().success(t('common.saved'));
    onClose();
  };
  const submit = (v: RiskValues) => {
    const fields = { officeId: v.officeId, duty: v.duty.trim(), risk: v.risk.trim(), level: v.level, controls: v.controls.trim(), ownerPersonId: v.ownerPersonId };
    if (risk) update.mutate({ id: risk.id, body: { version: risk.version, ...fields } }, { onSuccess: done });
    else create.mutate({ ...fields, reviewDueOn: day(v.reviewDueOn) }, { onSuccess: done });
  };
  const req = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  const k = (x: keyof Msgs) => t(`unitedFront.integrity.${x}`);
  return (
    <Modal
      open={open}
      title={k(risk ? 'editRisk' : 'createRisk')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={640}
    >
      <Form<RiskValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid="risk-form"
        initialValues={risk ? { ...risk, reviewDueOn: dayjs(risk.reviewDueOn) } : { level: 'medium', reviewDueOn: dayjs().add(6, 'month') }}
      >
        <Form.Item name="officeId" label={k('office')} rules={req(k('office'))}>
          <TreeSelect treeData={officeTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="risk-office" />
        </Form.Item>
        <Form.Item name="duty" label={k('duty')} rules={req(k('duty'))}>
          <Input maxLength={500} data-testid="risk-duty" />
        </Form.Item>
        <Form.Item name="risk" label={k('risk')} rules={req(k('risk'))}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="risk-risk" />
        </Form.Item>
        <Form.Item name="level" label={k('level')} rules={[{ required: true }]}>
          <Select options={riskLevels.map((l) => ({ value: l, label: t(`unitedFront.riskLevel.${l}`) }))} />
        </Form.Item>
        <Form.Item name="controls" label={k('controls')} rules={req(k('controls'))}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="risk-controls" />
        </Form.Item>
        <Form.Item name="ownerPersonId" label={k('owner')} extra={k('ownerHelp')} rules={[{ required: true, message: t('common.required', { field: k('owner') }) }]}>
          <PersonSelect testId="risk-owner" />
        </Form.Item>
        {!risk && (
          <Form.Item name="reviewDueOn" label={k('reviewDueOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ReviewModal({ risk, onClose }: { risk: IntegrityRisk | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reviewedOn: Dayjs; nextDueOn: Dayjs }>();
  const { review } = useRiskMutations();
  return (
    <Modal open={!!risk} title={t('unitedFront.integrity.review')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={review.isPending} destroyOnHidden>
      {risk && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ reviewedOn: dayjs(), nextDueOn: dayjs().add(6, 'month') }}
          onFinish={(v) =>
            review.mutate(
              { id: risk.id, body: { version: risk.version, reviewedOn: day(v.reviewedOn), nextDueOn: day(v.nextDueOn) } },
              {
                onSuccess: () => {
                  notifier().success(t('common.saved'));
                  onClose();
                },
              },
            )
          }
          data-testid="review-form"
        >
          <Typography.Paragraph>{risk.duty}：{risk.risk}</Typography.Paragraph>
          <Form.Item name="reviewedOn" label={t('unitedFront.integrity.reviewedOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isAfter(dayjs())} />
          </Form.Item>
          <Form.Item name="nextDueOn" label={t('unitedFront.integrity.nextDueOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function RisksCard() {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const [level, setLevel] = useState<Level | undefined>();
  const [overdue, setOverdue] = useState(false);
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const list = useRisks({ level, overdue: overdue ? 'true' : undefined }, page, pageSize);
  const [editing, setEditing] = useState<{ risk: IntegrityRisk | null; n: number } | null>(null);
  const [reviewing, setReviewing] = useState<IntegrityRisk | null>(null);
  const k = (x: keyof Msgs) => t(`unitedFront.integrity.${x}`);
  const columns: TableColumnsType<IntegrityRisk> = [
    { title: k('office'), dataIndex: 'officeName', width: 120 },
    { title: k('duty'), dataIndex: 'duty', width: 160 },
    { title: k('risk'), dataIndex: 'risk', ellipsis: true },
    { title: k('level'), dataIndex: 'level', width: 80, render: (l: Level) => <Tag color={levelColor[l]}>{t(`unitedFront.riskLevel.${l}`)}</Tag> },
    { title: k('controls'), dataIndex: 'controls', ellipsis: true },
    { title: k('owner'), dataIndex: 'ownerName', width: 100 },
    {
      title: k('reviewDueOn'),
      dataIndex: 'reviewDueOn',
      width: 150,
      render: (d: string, r) => (
        <Space size={4}>
          {d}
          {r.overdue && <Tag color="red">{k('overdue')}</Tag>}
        </Space>
      ),
    },
    { title: k('reviewsDone'), dataIndex: 'reviewsDone', width: 100 },
    ...(canWrite
      ? [
          {
            key: 'actions',
            width: 150,
            render: (_: unknown, r: IntegrityRisk) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing({ risk: r, n: Date.now() })} data-testid="risk-edit">
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" onClick={() => setReviewing(r)} data-testid="risk-review">
                  {k('review')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card size="small" title={k('risks')} data-testid="risks-card">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<Level>
          allowClear
          placeholder={k('level')}
          style={{ width: 120 }}
          value={level}
          onChange={(v) => {
            setLevel(v);
            setPage(1);
          }}
          options={riskLevels.map((l) => ({ value: l, label: t(`unitedFront.riskLevel.${l}`) }))}
        />
        <Space>
          <Switch
            checked={overdue}
            onChange={(v) => {
              setOverdue(v);
              setPage(1);
            }}
            data-testid="risk-overdue-only"
          />
          {k('onlyOverdue')}
        </Space>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ risk: null, n: Date.now() })} data-testid="risk-create">
            {k('createRisk')}
          </Button>
        )}
      </Space>
      <Table<IntegrityRisk> rowKey="id" size="middle" columns={columns} dataSource={list.data?.items ?? []} loading={list.isFetching} pagination={pagination(list.data?.total ?? 0)} data-testid="risks-table" />
      {editing && <RiskModal key={editing.n} risk={editing.risk} open onClose={() => setEditing(null)} />}
      <ReviewModal risk={reviewing} onClose={() => setReviewing(null)} />
    </Card>
  );
}

interface RuleValues {
  officeId: string;
  title: string;
  date: Dayjs;
  summary: string;
}

/** Create a rule (rule = null: version 1) or add a revision to one. */
function RuleModal({ rule, open, onClose }: { rule: IntegrityRule | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RuleValues>();
  const officeTree = useOfficeTree();
  const { create, revise } = useRuleMutations();
  const k = (x: keyof Msgs) => t(`unitedFront.integrity.${x}`);
  const done = () => {
    notifier().success(t('common.saved'));
    onClose();
  };
  const submit = (v: RuleValues) => {
    if (rule) revise.mutate({ id: rule.id, body: { version: rule.version, revisedOn: day(v.date), summary: v.summary.trim() } }, { onSuccess: done });
    else create.mutate({ officeId: v.officeId, title: v.title.trim(), adoptedOn: day(v.date), summary: v.summary.trim() }, { onSuccess: done });
  };
  const last = rule?.versions[rule.versions.length - 1]?.revisedOn;
  return (
    <Modal
      open={open}
      title={rule ? t('unitedFront.integrity.reviseTitle', { title: rule.title }) : k('createRule')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || revise.isPending}
      destroyOnHidden
    >
      <Form<RuleValues> form={form} layout="vertical" onFinish={submit} initialValues={{ date: dayjs() }} data-testid="rule-form">
        {!rule && (
          <>
            <Form.Item name="officeId" label={k('office')} rules={[{ required: true, message: t('common.required', { field: k('office') }) }]}>
              <TreeSelect treeData={officeTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="rule-office" />
            </Form.Item>
            <Form.Item name="title" label={k('title')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: k('title') }) }]}>
              <Input maxLength={200} data-testid="rule-title" />
            </Form.Item>
          </>
        )}
        <Form.Item name="date" label={k(rule ? 'revisedOn' : 'adoptedOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs()) || (!!last && d.isBefore(dayjs(last)))} />
        </Form.Item>
        <Form.Item name="summary" label={k('summary')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: k('summary') }) }]}>
          <Input.TextArea rows={3} maxLength={ufLimits.notesMax} data-testid="rule-summary" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RulesCard() {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const rules = useRules();
  const [editing, setEditing] = useState<{ rule: IntegrityRule | null; n: number } | null>(null);
  const k = (x: keyof Msgs) => t(`unitedFront.integrity.${x}`);
  const columns: TableColumnsType<IntegrityRule> = [
    { title: k('title'), dataIndex: 'title' },
    { title: k('currentVersion'), dataIndex: 'currentVersion', width: 110, render: (n: number) => t('unitedFront.integrity.versionNo', { n }) },
    { title: k('revisedOn'), key: 'revisedOn', width: 120, render: (_: unknown, r) => r.versions[r.versions.length - 1]?.revisedOn },
    ...(canWrite
      ? [
          {
            key: 'actions',
            width: 90,
            render: (_: unknown, r: IntegrityRule) => (
              <Button type="link" size="small" onClick={() => setEditing({ rule: r, n: Date.now() })} data-testid="rule-revise">
                {k('revise')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      size="small"
      title={k('rules')}
      data-testid="rules-card"
      extra={
        canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ rule: null, n: Date.now() })} data-testid="rule-create">
            {k('createRule')}
          </Button>
        )
      }
    >
      <Table<IntegrityRule>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rules.data?.items ?? []}
        loading={rules.isFetching}
        pagination={false}
        data-testid="rules-table"
        expandable={{
          expandedRowRender: (r) => (
            <Timeline
              items={r.versions.map((v) => ({
                key: v.versionNo,
                children: (
                  <span>
                    <Typography.Text strong>{t('unitedFront.integrity.versionNo', { n: v.versionNo })}</Typography.Text>（{v.revisedOn}）{v.summary}
                  </span>
                ),
              }))}
            />
          ),
        }}
      />
      {editing && <RuleModal key={editing.n} rule={editing.rule} open onClose={() => setEditing(null)} />}
    </Card>
  );
}

/** 廉政建设: the integrity risk register and the department's rules with their versions. */
export function IntegrityTab() {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large" data-testid="integrity-tab">
      <RisksCard />
      <RulesCard />
    </Space>
  );
}

import { useMemo, useState } from 'react';
import { Button, DatePicker, Descriptions, Drawer, Form, Input, Modal, Radio, Select, Space, Table, Tag, Timeline, TreeSelect, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { caseStatuses, satisfactions, ufLimits, type CaseStatus, type CreateCaseRequest, type ServiceCase } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { notifier } from '../../app/notify';
import { useServerPagination } from '../../app/pagination';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { useCase, useCaseMutations, useCases, useContactSearch, useEnterpriseSearch } from './ufApi';

const statusColor: Record<CaseStatus, string> = { open: 'orange', coordinating: 'blue', resolved: 'green', cannot_resolve: 'default' };
/** Where a case may move next (the server holds the same rule). */
const nextStatuses: Record<CaseStatus, CaseStatus[]> = {
  open: ['coordinating', 'resolved', 'cannot_resolve'],
  coordinating: ['resolved', 'cannot_resolve'],
  resolved: [],
  cannot_resolve: [],
};

function RequesterPicker({ kind, value, onChange }: { kind: 'enterprise' | 'contact'; value?: string; onChange?: (v: string) => void }) {
  const [q, setQ] = useState('');
  const enterprises = useEnterpriseSearch(q, kind === 'enterprise');
  const contacts = useContactSearch(q, kind === 'contact');
  const options =
    kind === 'enterprise'
      ? (enterprises.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))
      : (contacts.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}${c.organisation ? `（${c.organisation}）` : ''}` }));
  return <Select showSearch={{ filterOption: false, onSearch: setQ }} value={value} onChange={onChange} options={options} data-testid="case-requester" />;
}

interface CreateValues {
  requesterType: 'enterprise' | 'contact';
  requesterId?: string;
  officeId?: string;
  category: string;
  problem: string;
  departments: string[];
  project?: string;
  raisedOn: Dayjs;
}

function CreateCaseModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateValues>();
  const kind = Form.useWatch('requesterType', form) ?? 'enterprise';
  const { data: units = [] } = useUnits(false);
  const officeTree = useMemo(() => unitTreeSelectData(buildUnitForest(units), (u) => u.type === 'office' || u.type === 'department'), [units]);
  const { create } = useCaseMutations();
  const submit = (v: CreateValues) => {
    const body: CreateCaseRequest = {
      officeId: v.officeId ?? '',
      ...(v.requesterType === 'enterprise' ? { enterpriseId: v.requesterId } : { contactId: v.requesterId }),
      category: v.category.trim(),
      problem: v.problem.trim(),
      departments: v.departments,
      project: v.project?.trim() || null,
      raisedOn: v.raisedOn.format('YYYY-MM-DD'),
    };
    create.mutate(body, {
      onSuccess: () => {
        notifier().success(t('common.saved'));
        onClose();
      },
    });
  };
  const req = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <Modal open={open} title={t('unitedFront.cases.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={create.isPending} destroyOnHidden width={640}>
      <Form<CreateValues> form={form} layout="vertical" initialValues={{ requesterType: 'enterprise', departments: [], raisedOn: dayjs() }} onFinish={submit} data-testid="case-form">
        <Form.Item name="requesterType" label={t('unitedFront.cases.requesterType')}>
          <Radio.Group
            onChange={() => form.setFieldValue('requesterId', undefined)}
            options={[
              { value: 'enterprise', label: t('unitedFront.cases.enterprise') },
              { value: 'contact', label: t('unitedFront.cases.contact') },
            ]}
          />
        </Form.Item>
        <Form.Item name="requesterId" label={t('unitedFront.cases.requester')} rules={req(t('unitedFront.cases.requester'))}>
          <RequesterPicker kind={kind} />
        </Form.Item>
        <Form.Item name="officeId" label={t('unitedFront.cases.office')} rules={req(t('unitedFront.cases.office'))}>
          <TreeSelect treeData={officeTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="case-office" />
        </Form.Item>
        <Form.Item name="category" label={t('unitedFront.cases.category')} rules={req(t('unitedFront.cases.category'))}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="problem" label={t('unitedFront.cases.problem')} rules={req(t('unitedFront.cases.problem'))}>
          <Input.TextArea rows={3} maxLength={ufLimits.notesMax} />
        </Form.Item>
        <Form.Item name="departments" label={t('unitedFront.cases.departments')}>
          <Select mode="tags" tokenSeparators={[',', '，', '、']} />
        </Form.Item>
        <Form.Item name="project" label={t('unitedFront.cases.project')}>
          <Input maxLength={ufLimits.textMax} />
        </Form.Item>
        <Form.Item name="raisedOn" label={t('unitedFront.cases.raisedOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs())} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface FollowValues {
  note: string;
  status?: CaseStatus;
  result?: string;
  satisfaction?: (typeof satisfactions)[number];
}

function CaseDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const { data: c, isPending } = useCase(id);
  const { followUp } = useCaseMutations();
  const [form] = Form.useForm<FollowValues>();
  const next = Form.useWatch('status', form);
  const closing = next === 'resolved' || next === 'cannot_resolve';
  const none = t('common.none');
  const submit = (v: FollowValues) => {
    if (!c) return;
    followUp.mutate(
      { id: c.id, body: { version: c.version, note: v.note.trim(), ...(v.status ? { status: v.status } : {}), ...(closing && v.result ? { result: v.result.trim() } : {}), ...(v.satisfaction ? { satisfaction: v.satisfaction } : {}) } },
      {
        onSuccess: () => {
          notifier().success(t('common.saved'));
          form.resetFields();
        },
      },
    );
  };
  return (
    <Drawer open={!!id} onClose={onClose} title={c?.requesterName ?? ''} size={600} loading={isPending && !!id} destroyOnHidden data-testid="case-drawer">
      {c && (
        <Space orientation="vertical" style={{ width: '100%' }} size="large">
          <Descriptions
            column={1}
            bordered
            size="small"
            styles={{ label: { width: 120 } }}
            items={[
              { key: 'requester', label: t('unitedFront.cases.requester'), children: c.requesterName },
              { key: 'problem', label: t('unitedFront.cases.problem'), children: c.problem },
              { key: 'category', label: t('unitedFront.cases.category'), children: c.category },
              { key: 'departments', label: t('unitedFront.cases.departments'), children: c.departments.join('、') || none },
              { key: 'project', label: t('unitedFront.cases.project'), children: c.project ?? none },
              { key: 'raisedOn', label: t('unitedFront.cases.raisedOn'), children: c.raisedOn },
              { key: 'status', label: t('unitedFront.cases.status'), children: <Tag color={statusColor[c.status]}>{t(`unitedFront.caseStatus.${c.status}`)}</Tag> },
              { key: 'result', label: t('unitedFront.cases.result'), children: c.result ? `${c.result}（${c.closedOn ?? ''}）` : none },
              { key: 'satisfaction', label: t('unitedFront.cases.satisfaction'), children: c.satisfaction ? t(`unitedFront.satisfaction.${c.satisfaction}`) : none },
            ]}
          />
          <div>
            <Typography.Title level={5}>{t('unitedFront.cases.followups')}</Typography.Title>
            <Timeline
              items={c.followups.map((f, i) => ({
                key: i,
                children: (
                  <div>
                    {f.status && <Tag color={statusColor[f.status]}>{t(`unitedFront.caseStatus.${f.status}`)}</Tag>}
                    {f.note}
                    <div>
                      <Typography.Text type="secondary">
                        {dayjs(f.at).format('YYYY-MM-DD HH:mm')} · {f.byName}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              }))}
            />
          </div>
          {canWrite && nextStatuses[c.status].length > 0 && (
            <Form<FollowValues> form={form} layout="vertical" onFinish={submit} data-testid="case-followup-form">
              <Form.Item name="note" label={t('unitedFront.cases.note')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('unitedFront.cases.note') }) }]}>
                <Input.TextArea rows={2} maxLength={ufLimits.notesMax} />
              </Form.Item>
              <Form.Item name="status" label={t('unitedFront.cases.nextStatus')}>
                <Select allowClear options={nextStatuses[c.status].map((s) => ({ value: s, label: t(`unitedFront.caseStatus.${s}`) }))} data-testid="case-next-status" />
              </Form.Item>
              {closing && (
                <>
                  <Form.Item
                    name="result"
                    label={t('unitedFront.cases.result')}
                    extra={t('unitedFront.cases.resultHelp')}
                    rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('unitedFront.cases.result') }) }]}
                  >
                    <Input.TextArea rows={2} maxLength={ufLimits.notesMax} />
                  </Form.Item>
                  <Form.Item name="satisfaction" label={t('unitedFront.cases.satisfaction')}>
                    <Select allowClear options={satisfactions.map((s) => ({ value: s, label: t(`unitedFront.satisfaction.${s}`) }))} />
                  </Form.Item>
                </>
              )}
              <Button type="primary" htmlType="submit" loading={followUp.isPending} data-testid="case-followup-submit">
                {t('unitedFront.cases.followUp')}
              </Button>
            </Form>
          )}
        </Space>
      )}
    </Drawer>
  );
}

export function CasesTab() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CaseStatus | undefined>();
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(0);
  const canWrite = useCan('unitedfront.write');
  const list = useCases({ status }, page, pageSize);
  const columns: TableColumnsType<ServiceCase> = [
    { title: t('unitedFront.cases.raisedOn'), dataIndex: 'raisedOn', width: 110 },
    { title: t('unitedFront.cases.requester'), dataIndex: 'requesterName', width: 180 },
    { title: t('unitedFront.cases.problem'), dataIndex: 'problem', ellipsis: true },
    { title: t('unitedFront.cases.category'), dataIndex: 'category', width: 100 },
    { title: t('unitedFront.cases.departments'), dataIndex: 'departments', width: 160, render: (v: string[]) => v.join('、') },
    { title: t('unitedFront.cases.status'), dataIndex: 'status', width: 110, render: (s: CaseStatus) => <Tag color={statusColor[s]}>{t(`unitedFront.caseStatus.${s}`)}</Tag> },
  ];
  return (
    <div data-testid="cases-tab">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<CaseStatus>
          allowClear
          placeholder={t('unitedFront.cases.status')}
          style={{ width: 160 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={caseStatuses.map((s) => ({ value: s, label: t(`unitedFront.caseStatus.${s}`) }))}
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating((n) => n + 1)} data-testid="case-create">
            {t('unitedFront.cases.create')}
          </Button>
        )}
      </Space>
      <Table<ServiceCase>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        rowClassName="tx-row-clickable"
        onRow={(c) => ({ onClick: () => setOpenId(c.id), 'data-testid': 'case-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid="cases-table"
      />
      <CaseDrawer id={openId} onClose={() => setOpenId(null)} />
      <CreateCaseModal key={creating} open={creating > 0} onClose={() => setCreating(0)} />
    </div>
  );
}

import { useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Progress, Radio, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Dayjs } from 'dayjs';
import { indicatorSources, type Indicator, type IndicatorRecords, type IndicatorSource, type ProgramDetail, type ProgramItem } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan } from '../../app/auth';
import { FullPageSpin } from '../../app/FullPageSpin';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { PersonPicker } from '../activities/PersonPicker';
import { programsKey, useProgram } from './programsApi';

type TreeRow = ProgramItem & { children?: TreeRow[] };

function toTree(items: ProgramItem[]): TreeRow[] {
  const byParent = new Map<string | null, ProgramItem[]>();
  for (const i of items) byParent.set(i.parentId, [...(byParent.get(i.parentId) ?? []), i]);
  const walk = (parent: string | null): TreeRow[] =>
    (byParent.get(parent) ?? []).map((i) => {
      const children = walk(i.id);
      return children.length ? { ...i, children } : { ...i };
    });
  return walk(null);
}

export default function ProgramPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const canWrite = useCan('programs.write');
  const qc = useQueryClient();
  const { data: program } = useProgram(id);
  const [itemParent, setItemParent] = useState<string | null | undefined>(undefined);
  const [indicatorItem, setIndicatorItem] = useState<string | null>(null);
  const [judging, setJudging] = useState<Indicator | null>(null);
  const [records, setRecords] = useState<Indicator | null>(null);
  const set = (p: ProgramDetail) => qc.setQueryData([...programsKey, id], p);
  const remove = useMutation({ mutationFn: (itemId: string) => api.delete<ProgramDetail>(`/programs/items/${itemId}`), onSuccess: set });
  if (!program) return <FullPageSpin />;
  const tree = toTree(program.items);

  const indicatorCell = (ind: Indicator) => (
    <div key={ind.id} data-testid="indicator">
      <Typography.Text>{ind.name}：</Typography.Text>
      {ind.kind === 'computed' ? (
        <a onClick={() => setRecords(ind)} data-testid="indicator-count">
          {ind.count}/{ind.target}
        </a>
      ) : (
        <span>
          {ind.manualPercent ?? 0}%{' '}
          {canWrite && (
            <a onClick={() => setJudging(ind)} data-testid="indicator-judge">
              {t('programs.program.judge')}
            </a>
          )}
        </span>
      )}
    </div>
  );

  return (
    <Card
      size="small"
      title={
        <Space>
          <Link to="/programs">{t('programs.tabs.programs')}</Link>/<span data-testid="program-heading">{program.title}</span>
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('programs.program.ownerUnit')}>{program.ownerUnitName}</Descriptions.Item>
        <Descriptions.Item label={t('programs.program.owner')}>{program.ownerUserName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('programs.program.period')}>
          {program.startsOn} ~ {program.endsOn}
        </Descriptions.Item>
        <Descriptions.Item label={t('programs.program.progress')}>
          <Progress percent={program.progress ?? 0} size="small" style={{ width: 200 }} data-testid="program-progress" />
        </Descriptions.Item>
      </Descriptions>
      {program.description && <Typography.Paragraph type="secondary">{program.description}</Typography.Paragraph>}
      {canWrite && (
        <Button style={{ marginBottom: 12 }} onClick={() => setItemParent(null)} data-testid="item-add-root">
          {t('programs.program.addTrack')}
        </Button>
      )}
      <Table<TreeRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={tree}
        expandable={{ defaultExpandAllRows: true }}
        locale={{ emptyText: t('programs.program.empty') }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('programs.program.items'),
            render: (_, r) => (
              <span data-testid="item-row">
                <Tag>{r.kind}</Tag>
                {r.title}
              </span>
            ),
          },
          { title: t('programs.program.owners'), width: 120, render: (_, r) => r.owners.map((o) => o.name).join('、') },
          { title: t('programs.program.dueOn'), dataIndex: 'dueOn', width: 110 },
          {
            title: t('programs.program.progress'),
            width: 160,
            render: (_, r) => (r.progress === null ? <Typography.Text type="secondary">{t('programs.program.noProgress')}</Typography.Text> : <Progress percent={r.progress} size="small" />),
          },
          { title: t('programs.program.indicators'), render: (_, r) => r.indicators.map(indicatorCell) },
          ...(canWrite
            ? [
                {
                  title: '',
                  width: 220,
                  render: (_: unknown, r: TreeRow) => (
                    <Space size="small" wrap>
                      <a onClick={() => setItemParent(r.id)}>{t('programs.program.addChild')}</a>
                      <a onClick={() => setIndicatorItem(r.id)} data-testid="indicator-add">
                        {t('programs.program.addIndicator')}
                      </a>
                      <Popconfirm title={t('programs.program.deleteConfirm')} onConfirm={() => remove.mutate(r.id)}>
                        <a>{t('programs.program.delete')}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {itemParent !== undefined && <ItemModal programId={id} parentId={itemParent} onDone={set} onClose={() => setItemParent(undefined)} />}
      {indicatorItem && <IndicatorModal itemId={indicatorItem} onDone={set} onClose={() => setIndicatorItem(null)} />}
      {judging && <JudgeModal indicator={judging} onDone={set} onClose={() => setJudging(null)} />}
      {records && <RecordsDrawer indicator={records} onClose={() => setRecords(null)} />}
    </Card>
  );
}

function ItemModal({ programId, parentId, onDone, onClose }: { programId: string; parentId: string | null; onDone: (p: ProgramDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ kind: string; title: string; dueOn?: Dayjs; ownerPersonIds?: string[] }>();
  const save = useMutation({
    mutationFn: (v: { kind: string; title: string; dueOn?: Dayjs; ownerPersonIds?: string[] }) =>
      api.post<ProgramDetail>(`/programs/${programId}/items`, { parentId, kind: v.kind, title: v.title, dueOn: v.dueOn ? v.dueOn.format('YYYY-MM-DD') : null, ownerPersonIds: v.ownerPersonIds ?? [] }),
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  return (
    <Modal open title={parentId ? t('programs.program.addChild') : t('programs.program.addTrack')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={{ kind: parentId ? '举措' : '行动' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="kind" label={t('programs.program.kind')} extra={t('programs.program.kindHint')} rules={[{ required: true, max: 20 }]}>
          <Input data-testid="item-kind" />
        </Form.Item>
        <Form.Item name="title" label={t('programs.program.itemTitle')} rules={[{ required: true, max: 300 }]}>
          <Input data-testid="item-title" />
        </Form.Item>
        <Form.Item name="ownerPersonIds" label={t('programs.program.owners')}>
          <PersonPicker />
        </Form.Item>
        <Form.Item name="dueOn" label={t('programs.program.dueOn')}>
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface IndicatorValues {
  kind: 'computed' | 'manual';
  name: string;
  source?: IndicatorSource;
  typeCodes?: string[];
  unitId?: string;
  target?: number;
}

function IndicatorModal({ itemId, onDone, onClose }: { itemId: string; onDone: (p: ProgramDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<IndicatorValues>();
  const kind = Form.useWatch('kind', form);
  const source = Form.useWatch('source', form);
  const units = useUnits();
  const types = useQuery({
    queryKey: ['activity-types', 'pick'],
    queryFn: ({ signal }) => api.get<{ items: { code: string; nameZh: string }[] }>('/activity-types', undefined, signal),
    select: (d) => d.items,
    staleTime: 60_000,
  });
  const save = useMutation({
    mutationFn: (v: IndicatorValues) =>
      api.post<ProgramDetail>(
        `/programs/items/${itemId}/indicators`,
        v.kind === 'manual'
          ? { kind: 'manual', name: v.name }
          : { kind: 'computed', name: v.name, source: v.source, target: v.target, query: { ...(v.typeCodes?.length ? { typeCodes: v.typeCodes } : {}), ...(v.unitId ? { unitId: v.unitId } : {}) } },
      ),
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  const sources = indicatorSources;
  return (
    <Modal open title={t('programs.program.addIndicator')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'computed', source: 'activities', target: 1 }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('programs.program.indicatorName')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="indicator-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('programs.program.indicatorKind')}>
          <Radio.Group
            options={[
              { value: 'computed', label: t('programs.program.computed') },
              { value: 'manual', label: t('programs.program.manual') },
            ]}
          />
        </Form.Item>
        {kind === 'computed' && (
          <>
            <Form.Item name="source" label={t('programs.program.source')}>
              <Select data-testid="indicator-source" options={sources.map((s) => ({ value: s, label: t(`programs.program.sources.${s}`) }))} />
            </Form.Item>
            {(source === 'activities' || source === 'linked_activities') && (
              <>
                <Form.Item name="typeCodes" label={t('programs.program.typeCodes')}>
                  <Select mode="multiple" options={(types.data ?? []).map((x) => ({ value: x.code, label: x.nameZh }))} />
                </Form.Item>
                <Form.Item name="unitId" label={t('programs.program.unit')}>
                  <TreeSelect allowClear treeDefaultExpandAll treeData={unitTreeSelectData(buildUnitForest(units.data ?? []))} />
                </Form.Item>
              </>
            )}
            <Form.Item name="target" label={t('programs.program.target')} rules={[{ required: true }]}>
              <InputNumber min={1} max={100000} data-testid="indicator-target" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

function JudgeModal({ indicator, onDone, onClose }: { indicator: Indicator; onDone: (p: ProgramDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ manualPercent: number; manualEvidence: string }>();
  const save = useMutation({
    mutationFn: (v: { manualPercent: number; manualEvidence: string }) => api.patch<ProgramDetail>(`/programs/indicators/${indicator.id}`, { version: indicator.version, ...v }),
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  return (
    <Modal open title={`${t('programs.program.judge')}：${indicator.name}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={{ manualPercent: indicator.manualPercent ?? 0, manualEvidence: indicator.manualEvidence ?? '' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="manualPercent" label={t('programs.program.percent')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item name="manualEvidence" label={t('programs.program.evidence')} rules={[{ required: true, max: 5000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RecordsDrawer({ indicator, onClose }: { indicator: Indicator; onClose: () => void }) {
  const { t } = useTranslation();
  const { data, isFetching } = useQuery({
    queryKey: ['programs', 'records', indicator.id],
    queryFn: ({ signal }) => api.get<IndicatorRecords>(`/programs/indicators/${indicator.id}/records`, undefined, signal),
  });
  return (
    <Drawer open width={560} title={`${t('programs.program.records')}：${indicator.name}`} onClose={onClose}>
      <Table
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: '', dataIndex: 'title', render: (v: string, r) => <Link to={r.link}>{v}</Link> },
          { title: '', dataIndex: 'date', width: 110 },
          { title: '', dataIndex: 'unitName', width: 120 },
        ]}
      />
    </Drawer>
  );
}

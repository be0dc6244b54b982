import { useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Progress, Radio, Select, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { indicatorSources, type Indicator, type IndicatorRecords, type IndicatorSource, type ProgramDetail, type ProgramItem } from '@tongxin/contracts';
import { api } from '../../app/api';
import { FullPageSpin } from '../../app/FullPageSpin';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { PersonPicker } from '../activities/PersonPicker';
import { ProgramFormModal } from './ProgramsList';
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
  const qc = useQueryClient();
  const { data: program } = useProgram(id);
  // the server knows the scope: programs.write over the owner unit
  const canWrite = program?.canEdit ?? false;
  const navigate = useNavigate();
  const [itemParent, setItemParent] = useState<string | null | undefined>(undefined);
  const [editingItem, setEditingItem] = useState<ProgramItem | null>(null);
  const [editingProgram, setEditingProgram] = useState(false);
  const [indicatorItem, setIndicatorItem] = useState<string | null>(null);
  const [editingIndicator, setEditingIndicator] = useState<Indicator | null>(null);
  const [judging, setJudging] = useState<Indicator | null>(null);
  const [records, setRecords] = useState<Indicator | null>(null);
  const set = (p: ProgramDetail) => qc.setQueryData([...programsKey, id], p);
  const remove = useMutation({ mutationFn: (itemId: string) => api.delete<ProgramDetail>(`/programs/items/${itemId}`), onSuccess: set });
  const removeIndicator = useMutation({ mutationFn: (indicatorId: string) => api.delete<ProgramDetail>(`/programs/indicators/${indicatorId}`), onSuccess: set });
  const removeProgram = useMutation({
    mutationFn: () => api.delete(`/programs/${id}`),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: programsKey });
      void navigate('/programs');
    },
  });
  // moving among siblings renumbers them 10, 20, 30…: sort orders may all be 0 to start with
  const move = useMutation({
    mutationFn: async ({ item, by }: { item: ProgramItem; by: -1 | 1 }) => {
      const siblings = (program?.items ?? []).filter((i) => i.parentId === item.parentId);
      const at = siblings.findIndex((i) => i.id === item.id);
      const other = siblings[at + by];
      if (!other) return null;
      const order = [...siblings];
      order[at] = other;
      order[at + by] = item;
      let latest: ProgramDetail | null = null;
      for (const [n, sib] of order.entries()) {
        const want = (n + 1) * 10;
        if (sib.sortOrder === want) continue;
        const version: number = latest?.items.find((i) => i.id === sib.id)?.version ?? sib.version;
        latest = await api.patch<ProgramDetail>(`/programs/items/${sib.id}`, { version, sortOrder: want });
      }
      return latest;
    },
    onSuccess: (p) => p && set(p),
  });
  if (!program) return <FullPageSpin />;
  const tree = toTree(program.items);
  const siblingsOf = (r: ProgramItem) => program.items.filter((i) => i.parentId === r.parentId);

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
      {canWrite && (
        <Space size={4} style={{ marginLeft: 6 }}>
          <a onClick={() => setEditingIndicator(ind)} data-testid="indicator-edit">
            {t('programs.program.edit')}
          </a>
          <Popconfirm title={t('programs.program.deleteIndicatorConfirm')} onConfirm={() => removeIndicator.mutate(ind.id)}>
            <a data-testid="indicator-delete">{t('programs.program.delete')}</a>
          </Popconfirm>
        </Space>
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
      extra={
        canWrite && (
          <Space>
            <Button size="small" onClick={() => setEditingProgram(true)} data-testid="program-edit">
              {t('programs.program.edit')}
            </Button>
            <Popconfirm title={t('programs.program.deleteProgramConfirm')} onConfirm={() => removeProgram.mutate()}>
              <Button size="small" danger>
                {t('programs.program.delete')}
              </Button>
            </Popconfirm>
          </Space>
        )
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
                  width: 260,
                  render: (_: unknown, r: TreeRow) => (
                    <Space size="small" wrap>
                      <a onClick={() => setEditingItem(r)} data-testid="item-edit">
                        {t('programs.program.edit')}
                      </a>
                      {siblingsOf(r)[0]?.id !== r.id && (
                        <a onClick={() => move.mutate({ item: r, by: -1 })} title={t('programs.program.moveUp')} data-testid="item-up">
                          ↑
                        </a>
                      )}
                      {siblingsOf(r).at(-1)?.id !== r.id && (
                        <a onClick={() => move.mutate({ item: r, by: 1 })} title={t('programs.program.moveDown')} data-testid="item-down">
                          ↓
                        </a>
                      )}
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
      {editingItem && <ItemModal programId={id} parentId={editingItem.parentId} item={editingItem} onDone={set} onClose={() => setEditingItem(null)} />}
      {editingProgram && <ProgramFormModal program={program} onSaved={set} onClose={() => setEditingProgram(false)} />}
      {indicatorItem && <IndicatorModal itemId={indicatorItem} onDone={set} onClose={() => setIndicatorItem(null)} />}
      {editingIndicator && <IndicatorModal indicator={editingIndicator} onDone={set} onClose={() => setEditingIndicator(null)} />}
      {judging && <JudgeModal indicator={judging} onDone={set} onClose={() => setJudging(null)} />}
      {records && <RecordsDrawer indicator={records} onClose={() => setRecords(null)} />}
    </Card>
  );
}

interface ItemValues {
  kind: string;
  title: string;
  description?: string;
  dueOn?: Dayjs | null;
  ownerPersonIds?: string[];
}

/** A new item under a parent (or at the top), or (given one) an item's edit. */
function ItemModal({ programId, parentId, item, onDone, onClose }: { programId: string; parentId: string | null; item?: ProgramItem; onDone: (p: ProgramDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ItemValues>();
  const save = useMutation({
    mutationFn: (v: ItemValues) => {
      const body = { kind: v.kind, title: v.title, description: v.description || null, dueOn: v.dueOn ? v.dueOn.format('YYYY-MM-DD') : null, ownerPersonIds: v.ownerPersonIds ?? [] };
      return item ? api.patch<ProgramDetail>(`/programs/items/${item.id}`, { ...body, version: item.version }) : api.post<ProgramDetail>(`/programs/${programId}/items`, { ...body, parentId });
    },
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  const initialValues: ItemValues = item
    ? { kind: item.kind, title: item.title, description: item.description ?? undefined, dueOn: item.dueOn ? dayjs(item.dueOn) : null, ownerPersonIds: item.owners.map((o) => o.id) }
    : { kind: parentId ? '举措' : '行动', title: '' };
  const title = item ? t('programs.program.editItem') : parentId ? t('programs.program.addChild') : t('programs.program.addTrack');
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="kind" label={t('programs.program.kind')} extra={t('programs.program.kindHint')} rules={[{ required: true, max: 20 }]}>
          <Input data-testid="item-kind" />
        </Form.Item>
        <Form.Item name="title" label={t('programs.program.itemTitle')} rules={[{ required: true, max: 300 }]}>
          <Input data-testid="item-title" />
        </Form.Item>
        <Form.Item name="ownerPersonIds" label={t('programs.program.owners')}>
          <PersonPicker initial={item?.owners} testId="item-owners" />
        </Form.Item>
        <Form.Item name="dueOn" label={t('programs.program.dueOn')}>
          <DatePicker data-testid="item-due" />
        </Form.Item>
        <Form.Item name="description" label={t('programs.program.description')}>
          <Input.TextArea rows={2} maxLength={5000} />
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

/** A new indicator of an item, or (given one) an indicator's edit: its kind and source stay. */
function IndicatorModal({ itemId, indicator, onDone, onClose }: { itemId?: string; indicator?: Indicator; onDone: (p: ProgramDetail) => void; onClose: () => void }) {
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
    mutationFn: (v: IndicatorValues) => {
      const query = { ...(v.typeCodes?.length ? { typeCodes: v.typeCodes } : {}), ...(v.unitId ? { unitId: v.unitId } : {}) };
      if (indicator) {
        return api.patch<ProgramDetail>(
          `/programs/indicators/${indicator.id}`,
          indicator.kind === 'manual'
            ? { version: indicator.version, name: v.name }
            : // the saved query keeps its own period, if it had one
              { version: indicator.version, name: v.name, target: v.target, query: { ...query, ...(indicator.query.from ? { from: indicator.query.from } : {}), ...(indicator.query.to ? { to: indicator.query.to } : {}) } },
        );
      }
      return api.post<ProgramDetail>(
        `/programs/items/${itemId}/indicators`,
        v.kind === 'manual' ? { kind: 'manual', name: v.name } : { kind: 'computed', name: v.name, source: v.source, target: v.target, query },
      );
    },
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  const sources = indicatorSources;
  return (
    <Modal open title={indicator ? t('programs.program.editIndicator') : t('programs.program.addIndicator')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form
        form={form}
        layout="vertical"
        initialValues={
          indicator
            ? { kind: indicator.kind, name: indicator.name, source: indicator.source ?? undefined, target: indicator.target ?? 1, typeCodes: indicator.query.typeCodes, unitId: indicator.query.unitId }
            : { kind: 'computed', source: 'activities', target: 1 }
        }
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label={t('programs.program.indicatorName')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="indicator-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('programs.program.indicatorKind')}>
          <Radio.Group
            disabled={!!indicator}
            options={[
              { value: 'computed', label: t('programs.program.computed') },
              { value: 'manual', label: t('programs.program.manual') },
            ]}
          />
        </Form.Item>
        {kind === 'computed' && (
          <>
            <Form.Item name="source" label={t('programs.program.source')}>
              <Select disabled={!!indicator} data-testid="indicator-source" options={sources.map((s) => ({ value: s, label: t(`programs.program.sources.${s}`) }))} />
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

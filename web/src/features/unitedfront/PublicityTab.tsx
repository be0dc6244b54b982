import { useMemo, useState } from 'react';
import { Button, Card, Col, DatePicker, Form, Input, Modal, Row, Select, Space, Statistic, Table, Tag, TreeSelect } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { adoptionLevels, publicityChannels, ufLimits, type PublicityItem } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { notifier } from '../../app/notify';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { usePublicity, usePublicityMutations, type AdoptionLevel, type PublicityChannel } from './ufWorkApi';
import type { unitedFrontLocale } from './unitedfront.locale';

type Msgs = (typeof unitedFrontLocale.zh)['publicity'];

interface Values {
  officeId: string;
  title: string;
  channel: PublicityChannel;
  outlet?: string;
  publishedOn: Dayjs;
  link?: string;
  adoptedLevel?: AdoptionLevel | null;
}

function PublicityModal({ item, open, onClose }: { item: PublicityItem | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { data: units = [] } = useUnits(false);
  const officeTree = useMemo(() => unitTreeSelectData(buildUnitForest(units), () => true), [units]);
  const { create, update } = usePublicityMutations();
  const k = (x: keyof Msgs) => t(`unitedFront.publicity.${x}`);
  const done = () => {
    notifier().success(t('common.saved'));
    onClose();
  };
  const submit = (v: Values) => {
    const body = {
      officeId: v.officeId,
      title: v.title.trim(),
      channel: v.channel,
      outlet: v.outlet?.trim() || null,
      publishedOn: v.publishedOn.format('YYYY-MM-DD'),
      link: v.link?.trim() || null,
      adoptedLevel: v.adoptedLevel ?? null,
    };
    if (item) update.mutate({ id: item.id, body: { version: item.version, ...body } }, { onSuccess: done });
    else create.mutate(body, { onSuccess: done });
  };
  return (
    <Modal open={open} title={k(item ? 'edit' : 'create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={create.isPending || update.isPending} destroyOnHidden width={600}>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid="publicity-form"
        initialValues={item ? { ...item, outlet: item.outlet ?? undefined, link: item.link ?? undefined, publishedOn: dayjs(item.publishedOn) } : { channel: 'wechat', publishedOn: dayjs() }}
      >
        <Form.Item name="title" label={k('title')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: k('title') }) }]}>
          <Input maxLength={200} data-testid="publicity-title" />
        </Form.Item>
        <Form.Item name="officeId" label={k('office')} rules={[{ required: true, message: t('common.required', { field: k('office') }) }]}>
          <TreeSelect treeData={officeTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="publicity-office" />
        </Form.Item>
        <Form.Item name="channel" label={k('channel')} rules={[{ required: true }]}>
          <Select options={publicityChannels.map((c) => ({ value: c, label: t(`unitedFront.channel.${c}`) }))} data-testid="publicity-channel" />
        </Form.Item>
        <Form.Item name="outlet" label={k('outlet')}>
          <Input maxLength={ufLimits.textMax} />
        </Form.Item>
        <Form.Item name="publishedOn" label={k('publishedOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs())} />
        </Form.Item>
        <Form.Item name="link" label={k('link')} rules={[{ pattern: /^https?:\/\/\S+$/, message: 'http(s)://…' }]}>
          <Input maxLength={500} placeholder="https://" />
        </Form.Item>
        <Form.Item name="adoptedLevel" label={k('adoptedLevel')}>
          <Select allowClear placeholder={k('notAdopted')} options={adoptionLevels.map((l) => ({ value: l, label: t(`unitedFront.adoptionLevel.${l}`) }))} data-testid="publicity-level" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 宣传信息: items published or submitted, filtered by channel and adoption level, with counts of the period. */
export function PublicityTab() {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs().endOf('year')]);
  const [channel, setChannel] = useState<PublicityChannel | undefined>();
  const [level, setLevel] = useState<AdoptionLevel | 'none' | undefined>();
  const [editing, setEditing] = useState<{ item: PublicityItem | null; n: number } | null>(null);
  const list = usePublicity({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), channel, adoptedLevel: level });
  const k = (x: keyof Msgs) => t(`unitedFront.publicity.${x}`);
  const total = (list.data?.byChannel ?? []).reduce((s, c) => s + c.count, 0);
  const columns: TableColumnsType<PublicityItem> = [
    { title: k('publishedOn'), dataIndex: 'publishedOn', width: 120 },
    { title: k('title'), dataIndex: 'title', render: (v: string, r) => (r.link ? <a href={r.link} target="_blank" rel="noopener noreferrer">{v}</a> : v) },
    { title: k('channel'), dataIndex: 'channel', width: 160, render: (c: PublicityChannel) => t(`unitedFront.channel.${c}`) },
    { title: k('outlet'), dataIndex: 'outlet', width: 160 },
    {
      title: k('adoptedLevel'),
      dataIndex: 'adoptedLevel',
      width: 110,
      render: (l: AdoptionLevel | null) => (l ? <Tag color="green">{t(`unitedFront.adoptionLevel.${l}`)}</Tag> : <Tag>{k('notAdopted')}</Tag>),
    },
    ...(canWrite
      ? [
          {
            key: 'actions',
            width: 80,
            render: (_: unknown, r: PublicityItem) => (
              <Button type="link" size="small" onClick={() => setEditing({ item: r, n: Date.now() })} data-testid="publicity-edit">
                {t('common.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <div data-testid="publicity-tab">
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        <Select<PublicityChannel>
          allowClear
          placeholder={k('channel')}
          style={{ width: 180 }}
          value={channel}
          onChange={setChannel}
          options={publicityChannels.map((c) => ({ value: c, label: t(`unitedFront.channel.${c}`) }))}
          data-testid="publicity-filter-channel"
        />
        <Select<AdoptionLevel | 'none'>
          allowClear
          placeholder={k('adoptedLevel')}
          style={{ width: 140 }}
          value={level}
          onChange={setLevel}
          options={[...adoptionLevels.map((l) => ({ value: l, label: t(`unitedFront.adoptionLevel.${l}`) })), { value: 'none' as const, label: k('notAdopted') }]}
          data-testid="publicity-filter-level"
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ item: null, n: Date.now() })} data-testid="publicity-create">
            {k('create')}
          </Button>
        )}
      </Space>
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col xs={24} md={12}>
          <Card size="small" title={`${k('byChannel')}（${t('unitedFront.publicity.total', { n: total })}）`} data-testid="publicity-by-channel">
            <Space wrap size="large">
              {(list.data?.byChannel ?? []).map((c) => (
                <a key={c.channel} onClick={() => setChannel(c.channel)}>
                  <Statistic title={t(`unitedFront.channel.${c.channel}`)} value={c.count} />
                </a>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={k('byLevel')} data-testid="publicity-by-level">
            <Space wrap size="large">
              {(list.data?.byAdoptedLevel ?? []).map((c) => (
                <a key={c.level} onClick={() => setLevel(c.level)}>
                  <Statistic title={t(`unitedFront.adoptionLevel.${c.level}`)} value={c.count} />
                </a>
              ))}
            </Space>
          </Card>
        </Col>
      </Row>
      <Table<PublicityItem> rowKey="id" size="middle" columns={columns} dataSource={list.data?.items ?? []} loading={list.isFetching} pagination={{ pageSize: 20, showSizeChanger: false }} data-testid="publicity-table" />
      {editing && <PublicityModal key={editing.n} item={editing.item} open onClose={() => setEditing(null)} />}
    </div>
  );
}

import { useMemo, useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Drawer, Form, Input, List, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { programLimits, researchLimits, type TopicDetail, type TopicSummary } from '@tongxin/contracts';
import { Link } from 'react-router';
import { useCan, useCurrentUser } from '../../app/auth';
import { notifier } from '../../app/notify';
import { useServerPagination } from '../../app/pagination';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { AssigneeSelect } from '../programs/AssigneeSelect';
import { PersonSelect } from './PersonSelect';
import { useLinkableActivities, useProblemCategories, useProblemPicks, useTopic, useTopicMutations, useTopics } from './ufWorkApi';
import type { unitedFrontLocale } from './unitedfront.locale';

type Msgs = (typeof unitedFrontLocale.zh)['research'];

interface TopicValues {
  officeId: string;
  title: string;
  leadPersonId: string;
  memberIds: string[];
  plan?: string;
  period: [Dayjs, Dayjs];
}

function TopicModal({ topic, open, onClose, onCreated }: { topic: TopicDetail | null; open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TopicValues>();
  const { data: units = [] } = useUnits(false);
  const officeTree = useMemo(() => unitTreeSelectData(buildUnitForest(units), () => true), [units]);
  const { create, update } = useTopicMutations();
  const k = (x: keyof Msgs) => t(`unitedFront.research.${x}`);
  const submit = (v: TopicValues) => {
    const body = {
      officeId: v.officeId,
      title: v.title.trim(),
      leadPersonId: v.leadPersonId,
      memberIds: v.memberIds.filter((id) => id !== v.leadPersonId),
      plan: v.plan?.trim() || null,
      startsOn: v.period[0].format('YYYY-MM-DD'),
      endsOn: v.period[1].format('YYYY-MM-DD'),
    };
    const done = (d: TopicDetail) => {
      notifier().success(t('common.saved'));
      onClose();
      if (!topic) onCreated(d.id);
    };
    if (topic) update.mutate({ id: topic.id, body: { version: topic.version, ...body } }, { onSuccess: done });
    else create.mutate(body, { onSuccess: done });
  };
  const req = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <Modal open={open} title={k(topic ? 'edit' : 'create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={create.isPending || update.isPending} destroyOnHidden width={640}>
      <Form<TopicValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid="topic-form"
        initialValues={
          topic
            ? { officeId: topic.officeId, title: topic.title, leadPersonId: topic.leadPersonId, memberIds: topic.members.map((m) => m.personId), plan: topic.plan ?? undefined, period: [dayjs(topic.startsOn), dayjs(topic.endsOn)] }
            : { memberIds: [], period: [dayjs(), dayjs().add(3, 'month')] }
        }
      >
        <Form.Item name="title" label={k('title')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: k('title') }) }]}>
          <Input maxLength={researchLimits.titleMax} data-testid="topic-title" />
        </Form.Item>
        <Form.Item name="officeId" label={k('office')} rules={req(k('office'))}>
          <TreeSelect treeData={officeTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="topic-office" />
        </Form.Item>
        <Form.Item name="leadPersonId" label={k('lead')} rules={req(k('lead'))}>
          <PersonSelect testId="topic-lead" />
        </Form.Item>
        <Form.Item name="memberIds" label={k('members')}>
          <PersonSelect multiple testId="topic-members" />
        </Form.Item>
        <Form.Item name="period" label={k('period')} rules={req(k('period'))}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="plan" label={k('plan')}>
          <Input.TextArea rows={4} maxLength={researchLimits.planMax} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function LinkActivity({ topic }: { topic: TopicDetail }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [value, setValue] = useState<string | undefined>();
  const acts = useLinkableActivities(q, true);
  const { link } = useTopicMutations();
  const linked = new Set(topic.activityList.map((a) => a.id));
  const options = (acts.data?.items ?? [])
    .filter((a) => !linked.has(a.id))
    .map((a) => ({ value: a.id, label: `${dayjs(a.startsAt).format('YYYY-MM-DD')} ${a.typeNameZh}：${a.topic}` }));
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Select showSearch={{ filterOption: false, onSearch: setQ }} value={value} onChange={setValue} options={options} placeholder={t('unitedFront.research.linkHelp')} style={{ flex: 1 }} data-testid="topic-link-activity" />
      <Button
        disabled={!value}
        loading={link.isPending}
        onClick={() => value && link.mutate({ id: topic.id, activityId: value }, { onSuccess: () => setValue(undefined) })}
        data-testid="topic-link-submit"
      >
        {t('unitedFront.research.linkActivity')}
      </Button>
    </Space.Compact>
  );
}

function SuggestionForm({ topic }: { topic: TopicDetail }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ content: string; source?: string; activityId?: string; receivedOn: Dayjs }>();
  const { suggest } = useTopicMutations();
  const k = (x: keyof Msgs) => t(`unitedFront.research.${x}`);
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ receivedOn: dayjs() }}
      data-testid="suggestion-form"
      onFinish={(v) =>
        suggest.mutate(
          { id: topic.id, body: { content: v.content.trim(), source: v.source?.trim() || null, activityId: v.activityId ?? null, receivedOn: v.receivedOn.format('YYYY-MM-DD') } },
          { onSuccess: () => form.resetFields() },
        )
      }
    >
      <Form.Item name="content" label={k('suggestion')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: k('suggestion') }) }]}>
        <Input.TextArea rows={2} maxLength={researchLimits.textMax} data-testid="suggestion-content" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="source" label={k('source')}>
          <Input maxLength={researchLimits.sourceMax} />
        </Form.Item>
        <Form.Item name="activityId" label={k('atActivity')}>
          <Select allowClear style={{ width: 240 }} options={topic.activityList.map((a) => ({ value: a.id, label: a.topic }))} />
        </Form.Item>
        <Form.Item name="receivedOn" label={k('receivedOn')} rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs())} />
        </Form.Item>
      </Space>
      <Button htmlType="submit" loading={suggest.isPending} data-testid="suggestion-submit">
        {k('addSuggestion')}
      </Button>
    </Form>
  );
}

function ToProblemButton({ recommendationId }: { recommendationId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const cats = useProblemCategories(open);
  const { toProblem } = useTopicMutations();
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="recommendation-to-problem">
        {t('unitedFront.research.toProblem')}
      </Button>
      <Modal
        open={open}
        title={t('unitedFront.research.toProblem')}
        onCancel={() => setOpen(false)}
        okButtonProps={{ disabled: !categoryId, 'data-testid': 'to-problem-ok' } as React.ComponentProps<typeof Button>}
        confirmLoading={toProblem.isPending}
        onOk={() =>
          categoryId &&
          toProblem.mutate(
            { id: recommendationId, body: { categoryId } },
            {
              onSuccess: () => {
                notifier().success(t('common.saved'));
                setOpen(false);
              },
            },
          )
        }
        destroyOnHidden
      >
        <Select
          style={{ width: '100%' }}
          placeholder={t('unitedFront.research.problemCategory')}
          value={categoryId}
          onChange={setCategoryId}
          options={(cats.data?.items ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: c.nameZh }))}
          data-testid="to-problem-category"
        />
      </Modal>
    </>
  );
}

interface MeasureValues {
  problemId: string;
  title?: string;
  ownerUserId: string;
  deadline: Dayjs;
}

/** A recommendation becomes a measure (整改措施) of an existing problem of the rectification inventory. */
function ToMeasureButton({ recommendationId }: { recommendationId: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [form] = Form.useForm<MeasureValues>();
  const problems = useProblemPicks(q, open);
  const { toMeasure } = useTopicMutations();
  const k = (x: keyof Msgs) => t(`unitedFront.research.${x}`);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="recommendation-to-measure">
        {k('toMeasure')}
      </Button>
      <Modal
        open={open}
        title={k('toMeasure')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'to-measure-ok' } as React.ComponentProps<typeof Button>}
        confirmLoading={toMeasure.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ ownerUserId: me.userId }}
          onFinish={(v) =>
            toMeasure.mutate(
              {
                id: recommendationId,
                body: { problemId: v.problemId, title: v.title?.trim() || undefined, ownerUserId: v.ownerUserId, deadline: v.deadline.format('YYYY-MM-DD'), immediate: false, status: 'not_started' },
              },
              {
                onSuccess: () => {
                  notifier().success(t('common.saved'));
                  setOpen(false);
                },
              },
            )
          }
        >
          <Form.Item name="problemId" label={k('measureProblem')} rules={[{ required: true }]}>
            <Select
              showSearch
              filterOption={false}
              onSearch={setQ}
              loading={problems.isFetching}
              placeholder={k('measureProblemSearch')}
              options={(problems.data?.items ?? []).map((p) => ({ value: p.id, label: `#${p.number} ${p.title}` }))}
              data-testid="to-measure-problem"
            />
          </Form.Item>
          <Form.Item name="title" label={k('measureTitle')} extra={k('measureTitleHint')} rules={[{ max: programLimits.measureTitleMax }]}>
            <Input.TextArea rows={2} data-testid="to-measure-title" />
          </Form.Item>
          <Form.Item name="ownerUserId" label={k('measureOwner')} rules={[{ required: true }]}>
            <AssigneeSelect data-testid="to-measure-owner" />
          </Form.Item>
          <Form.Item name="deadline" label={k('measureDeadline')} rules={[{ required: true }]}>
            <DatePicker data-testid="to-measure-deadline" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function TopicDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const canProblem = useCan('rectification.write');
  const { data: topic, isPending } = useTopic(id);
  const { unlink, recommend, report, dropSuggestion, dropRecommendation } = useTopicMutations();
  const [editing, setEditing] = useState(0);
  const [rec, setRec] = useState('');
  const k = (x: keyof Msgs) => t(`unitedFront.research.${x}`);
  const none = t('common.none');
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      title={topic?.title ?? k('detail')}
      size={760}
      loading={isPending && !!id}
      destroyOnHidden
      data-testid="topic-drawer"
      extra={canWrite && topic && <Button onClick={() => setEditing((n) => n + 1)}>{t('common.edit')}</Button>}
    >
      {topic && (
        <Space orientation="vertical" style={{ width: '100%' }} size="large">
          <Descriptions
            column={1}
            bordered
            size="small"
            styles={{ label: { width: 120 } }}
            items={[
              { key: 'lead', label: k('lead'), children: topic.leadName },
              { key: 'members', label: k('members'), children: topic.members.map((m) => m.name).join('、') || none },
              { key: 'office', label: k('office'), children: topic.officeName },
              { key: 'period', label: k('period'), children: `${topic.startsOn} ~ ${topic.endsOn}` },
              { key: 'plan', label: k('plan'), children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{topic.plan ?? none}</Typography.Paragraph> },
              {
                key: 'places',
                label: k('places'),
                children: topic.places.length ? (
                  <Space wrap data-testid="topic-places">
                    {topic.places.map((p) => (
                      <Tag key={`${p.kind}:${p.name}`}>
                        {t(`unitedFront.placeKind.${p.kind}`)}：{p.name}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  k('noPlaces')
                ),
              },
              {
                key: 'report',
                label: k('report'),
                children: (
                  <Space wrap>
                    {topic.report ? (
                      <a href={`/api/v1/research/topics/${topic.id}/report`} data-testid="topic-report-link">
                        {topic.report.filename}
                      </a>
                    ) : (
                      k('noReport')
                    )}
                    {canWrite && (
                      <Upload
                        accept=".pdf,.docx"
                        showUploadList={false}
                        customRequest={({ file }) => report.mutate({ id: topic.id, file: file as File }, { onSuccess: () => notifier().success(t('common.saved')) })}
                      >
                        <Button size="small" icon={<UploadOutlined />} loading={report.isPending} data-testid="topic-report-upload">
                          {k('uploadReport')}
                        </Button>
                      </Upload>
                    )}
                  </Space>
                ),
              },
            ]}
          />
          <Card size="small" title={`${k('activities')}（${topic.activities}）`}>
            <List
              size="small"
              dataSource={topic.activityList}
              data-testid="topic-activities"
              renderItem={(a) => (
                <List.Item
                  actions={
                    canWrite
                      ? [
                          <a key="unlink" onClick={() => unlink.mutate({ id: topic.id, activityId: a.id })}>
                            {k('unlink')}
                          </a>,
                        ]
                      : []
                  }
                >
                  <Space wrap>
                    {dayjs(a.startsAt).format('YYYY-MM-DD')}
                    <Tag>{a.typeNameZh}</Tag>
                    {a.topic}
                    {a.placeKind && a.placeName && (
                      <Typography.Text type="secondary">
                        {t(`unitedFront.placeKind.${a.placeKind}`)}：{a.placeName}
                      </Typography.Text>
                    )}
                  </Space>
                </List.Item>
              )}
            />
            {canWrite && <LinkActivity topic={topic} />}
          </Card>
          <Card size="small" title={`${k('suggestions')}（${topic.suggestions}）`}>
            <List
              size="small"
              dataSource={topic.suggestionList}
              data-testid="topic-suggestions"
              renderItem={(s) => (
                <List.Item
                  actions={
                    canWrite
                      ? [
                          <Popconfirm key="d" title={k('confirmDeleteSuggestion')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => dropSuggestion.mutate(s.id)}>
                            <a data-testid="suggestion-delete">{k('delete')}</a>
                          </Popconfirm>,
                        ]
                      : []
                  }
                >
                  <Space orientation="vertical" size={0}>
                    {s.content}
                    <Typography.Text type="secondary">
                      {s.receivedOn}
                      {s.source ? ` · ${s.source}` : ''}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
            {canWrite && <SuggestionForm topic={topic} />}
          </Card>
          <Card size="small" title={`${k('recommendations')}（${topic.recommendations}）`}>
            <List
              size="small"
              dataSource={topic.recommendationList}
              data-testid="topic-recommendations"
              renderItem={(r) => (
                <List.Item
                  actions={
                    r.problemId
                      ? [
                          <Tag color="green" key="p">
                            {t('unitedFront.research.becameProblem', { n: r.problemNumber ?? '' })}
                          </Tag>,
                        ]
                      : r.measureId
                        ? [
                            <Link key="m" to={`/programs/problems/${r.measureProblemId ?? ''}`} data-testid="recommendation-measure-link">
                              <Tag color="green">{t('unitedFront.research.becameMeasure', { n: r.measureProblemNumber ?? '' })}</Tag>
                            </Link>,
                          ]
                        : [
                            ...(canWrite && canProblem ? [<ToProblemButton key="p" recommendationId={r.id} />, <ToMeasureButton key="m" recommendationId={r.id} />] : []),
                            ...(canWrite
                              ? [
                                  <Popconfirm key="d" title={k('confirmDeleteRecommendation')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => dropRecommendation.mutate(r.id)}>
                                    <a data-testid="recommendation-delete">{k('delete')}</a>
                                  </Popconfirm>,
                                ]
                              : []),
                          ]
                  }
                >
                  {r.content}
                </List.Item>
              )}
            />
            {canWrite && (
              <Space.Compact style={{ width: '100%' }}>
                <Input value={rec} onChange={(e) => setRec(e.target.value)} maxLength={researchLimits.textMax} placeholder={k('recommendation')} data-testid="recommendation-content" />
                <Button disabled={!rec.trim()} loading={recommend.isPending} onClick={() => recommend.mutate({ id: topic.id, content: rec.trim() }, { onSuccess: () => setRec('') })} data-testid="recommendation-submit">
                  {k('addRecommendation')}
                </Button>
              </Space.Compact>
            )}
          </Card>
          {editing > 0 && <TopicModal key={editing} topic={topic} open onClose={() => setEditing(0)} onCreated={() => undefined} />}
        </Space>
      )}
    </Drawer>
  );
}

/** 调研课题: topics with their field trips, symposiums, suggestions, final report and recommendations. */
export function ResearchTab() {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const list = useTopics(search, page, pageSize);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(0);
  const k = (x: keyof Msgs) => t(`unitedFront.research.${x}`);
  const columns: TableColumnsType<TopicSummary> = [
    { title: k('title'), dataIndex: 'title' },
    { title: k('lead'), dataIndex: 'leadName', width: 110 },
    { title: k('period'), key: 'period', width: 200, render: (_: unknown, r) => `${r.startsOn} ~ ${r.endsOn}` },
    { title: k('activities'), dataIndex: 'activities', width: 90 },
    { title: k('symposiums'), dataIndex: 'symposiums', width: 80 },
    { title: k('suggestions'), dataIndex: 'suggestions', width: 90 },
    { title: k('report'), dataIndex: 'hasReport', width: 90, render: (v: boolean) => (v ? <Tag color="green">✓</Tag> : <Tag>{k('noReport')}</Tag>) },
  ];
  return (
    <div data-testid="research-tab">
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={k('q')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onSearch={(v) => {
            setSearch(v);
            setPage(1);
          }}
          style={{ width: 240 }}
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating((n) => n + 1)} data-testid="topic-create">
            {k('create')}
          </Button>
        )}
      </Space>
      <Table<TopicSummary>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        rowClassName="tx-row-clickable"
        onRow={(r) => ({ onClick: () => setOpenId(r.id), 'data-testid': 'topic-row' }) as React.HTMLAttributes<HTMLElement>}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid="topics-table"
      />
      <TopicDrawer id={openId} onClose={() => setOpenId(null)} />
      {creating > 0 && <TopicModal key={creating} topic={null} open onClose={() => setCreating(0)} onCreated={setOpenId} />}
    </div>
  );
}

import { useState } from 'react';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { problemSources, type ProblemDetail, type ProblemSummary } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan } from '../../app/auth';
import { useServerPagination } from '../../app/pagination';
import { dueColor, problemsKey, useAssignees, useCategories, usePrograms } from './programsApi';
import { CategoriesModal } from './CategoriesModal';

type Filters = { status?: string; categoryId?: string; claimantId?: string; due?: string; source?: string; q?: string };

export function ProblemsList() {
  const { t } = useTranslation();
  const canWrite = useCan('rectification.write');
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const [managing, setManaging] = useState(false);
  const categories = useCategories();
  const users = useAssignees();
  const { data, isFetching } = useQuery({
    queryKey: [...problemsKey, 'list', filters, page, pageSize],
    queryFn: ({ signal }) => api.get<{ items: ProblemSummary[]; total: number }>('/rectification/problems', { ...filters, page, pageSize }, signal),
  });
  const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1])).toString();
  const change = (patch: Filters) => {
    setFilters({ ...filters, ...patch });
    setPage(1);
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('programs.problem.title')} onSearch={(q) => change({ q: q || undefined })} style={{ width: 180 }} />
        <Select
          allowClear
          placeholder={t('programs.problem.status')}
          style={{ width: 120 }}
          onChange={(v?: string) => change({ status: v })}
          options={(['open', 'rectified'] as const).map((s) => ({ value: s, label: t(`programs.problem.statuses.${s}`) }))}
        />
        <Select allowClear placeholder={t('programs.problem.category')} style={{ width: 170 }} onChange={(v?: string) => change({ categoryId: v })} options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.nameZh }))} />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('programs.problem.claimants')}
          style={{ width: 140 }}
          onChange={(v?: string) => change({ claimantId: v })}
          options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
        />
        <Select
          allowClear
          placeholder={t('programs.problem.due')}
          style={{ width: 130 }}
          onChange={(v?: string) => change({ due: v })}
          options={[
            { value: 'overdue', label: t('programs.problem.overdue') },
            { value: 'soon', label: t('programs.problem.soon') },
          ]}
        />
        {canWrite && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('programs.problem.new')}
          </Button>
        )}
        {canWrite && (
          <Button onClick={() => setManaging(true)} data-testid="categories-manage">
            {t('programs.problem.categories')}
          </Button>
        )}
        <Button href={`/api/v1/rectification/ledger.xlsx${query ? `?${query}` : ''}`}>{t('programs.problem.ledger')}</Button>
        <Button href={`/api/v1/rectification/ledger.docx${query ? `?${query}` : ''}`}>{t('programs.problem.summary')}</Button>
      </Space>
      <Table<ProblemSummary>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items ?? []}
        pagination={pagination(data?.total ?? 0)}
        scroll={{ x: 900 }}
        columns={[
          { title: t('programs.problem.number'), dataIndex: 'number', width: 60 },
          { title: t('programs.problem.title'), dataIndex: 'title', render: (v: string, r) => <Link to={`/programs/problems/${r.id}`}>{v}</Link> },
          { title: t('programs.problem.source'), dataIndex: 'source', width: 90, render: (v: ProblemSummary['source']) => t(`programs.problem.sources.${v}`) },
          { title: t('programs.problem.category'), dataIndex: 'categoryName', width: 150 },
          { title: t('programs.problem.claimants'), width: 120, render: (_, r) => r.claimants.map((c) => c.name).join('、') },
          { title: t('programs.problem.measures'), width: 110, render: (_, r) => t('programs.problem.closedCount', { closed: r.measuresClosed, total: r.measures }) },
          {
            title: t('programs.problem.status'),
            width: 150,
            render: (_, r) => (
              <Space size={4}>
                <Tag color={r.status === 'rectified' ? 'green' : 'blue'}>{t(`programs.problem.statuses.${r.status}`)}</Tag>
                {r.due && <Tag color={dueColor[r.due]}>{t(`programs.problem.${r.due}`)}</Tag>}
              </Space>
            ),
          },
        ]}
      />
      {creating && <ProblemFormModal onClose={() => setCreating(false)} />}
      {managing && <CategoriesModal onClose={() => setManaging(false)} />}
    </>
  );
}

interface ProblemValues {
  title: string;
  description: string;
  source: string;
  categoryId: string;
  foundOn: Dayjs;
  programId?: string;
}

/** New problem; from a feedback response it arrives prefilled with the response's text (editable: a part of it). */
export function ProblemFormModal({ onClose, response }: { onClose: () => void; response?: { id: string; text: string; programId: string | null } }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ProblemValues>();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const categories = useCategories();
  const programs = usePrograms();
  const create = useMutation({
    mutationFn: (v: ProblemValues) =>
      api.post<ProblemDetail>('/rectification/problems', {
        title: v.title,
        description: v.description,
        source: response ? 'feedback_response' : v.source,
        ...(response ? { sourceResponseId: response.id } : {}),
        categoryId: v.categoryId,
        foundOn: v.foundOn.format('YYYY-MM-DD'),
        ...(v.programId ? { programId: v.programId } : {}),
      }),
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: problemsKey });
      void qc.invalidateQueries({ queryKey: ['feedback'] });
      onClose();
      void navigate(`/programs/problems/${p.id}`);
    },
  });
  return (
    <Modal open title={response ? t('programs.form.toProblem') : t('programs.problem.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ source: 'self_inspection', foundOn: dayjs(), description: response?.text.slice(0, 5000), title: response?.text.slice(0, 60), programId: response?.programId ?? undefined }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="title" label={t('programs.problem.title')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="problem-title" />
        </Form.Item>
        <Form.Item name="description" label={t('programs.problem.description')} rules={[{ required: true, max: 5000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
        {!response && (
          <Form.Item name="source" label={t('programs.problem.source')}>
            <Select options={problemSources.filter((s) => s !== 'feedback_response').map((s) => ({ value: s, label: t(`programs.problem.sources.${s}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="categoryId" label={t('programs.problem.category')} rules={[{ required: true }]}>
          <Select data-testid="problem-category" options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.nameZh }))} />
        </Form.Item>
        <Form.Item name="programId" label={t('programs.problem.program')}>
          <Select allowClear options={(programs.data ?? []).map((p) => ({ value: p.id, label: p.title }))} />
        </Form.Item>
        <Form.Item name="foundOn" label={t('programs.problem.foundOn')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

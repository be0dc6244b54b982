import { useState } from 'react';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Table, TreeSelect } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import type { ProgramDetail, ProgramSummary } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan } from '../../app/auth';
import { useServerPagination } from '../../app/pagination';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { programsKey, useAssignees } from './programsApi';

export function ProgramsList() {
  const { t } = useTranslation();
  const canWrite = useCan('programs.write');
  const { page, pageSize, pagination } = useServerPagination();
  const [creating, setCreating] = useState(false);
  const { data, isFetching } = useQuery({
    queryKey: [...programsKey, 'list', page, pageSize],
    queryFn: ({ signal }) => api.get<{ items: ProgramSummary[]; total: number }>('/programs', { page, pageSize }, signal),
  });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {canWrite && (
          <Button type="primary" onClick={() => setCreating(true)} data-testid="program-new">
            {t('programs.program.new')}
          </Button>
        )}
      </Space>
      <Table<ProgramSummary>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items ?? []}
        pagination={pagination(data?.total ?? 0)}
        columns={[
          { title: t('programs.program.title'), dataIndex: 'title', render: (v: string, r) => <Link to={`/programs/${r.id}`}>{v}</Link> },
          { title: t('programs.program.ownerUnit'), dataIndex: 'ownerUnitName' },
          { title: t('programs.program.owner'), dataIndex: 'ownerUserName' },
          { title: t('programs.program.period'), render: (_, r) => `${r.startsOn} ~ ${r.endsOn}` },
        ]}
      />
      {creating && <ProgramFormModal onClose={() => setCreating(false)} />}
    </>
  );
}

interface ProgramFormValues {
  title: string;
  description?: string;
  ownerUnitId: string;
  ownerUserId?: string;
  startsOn: Dayjs;
  endsOn: Dayjs;
}

/** New program, or (given one) its edit: title, owner unit and owner, period, description. */
export function ProgramFormModal({ onClose, program, onSaved }: { onClose: () => void; program?: ProgramDetail; onSaved?: (p: ProgramDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ProgramFormValues>();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const units = useUnits();
  const users = useAssignees();
  const save = useMutation({
    mutationFn: (v: ProgramFormValues) => {
      const body = {
        title: v.title,
        description: v.description || null,
        ownerUnitId: v.ownerUnitId,
        startsOn: v.startsOn.format('YYYY-MM-DD'),
        endsOn: v.endsOn.format('YYYY-MM-DD'),
      };
      return program
        ? api.patch<ProgramDetail>(`/programs/${program.id}`, { ...body, version: program.version, ownerUserId: v.ownerUserId ?? null })
        : api.post<ProgramDetail>('/programs', { ...body, ...(v.ownerUserId ? { ownerUserId: v.ownerUserId } : {}) });
    },
    onSuccess: (p) => {
      void qc.invalidateQueries({ queryKey: programsKey });
      onClose();
      if (program) onSaved?.(p);
      else void navigate(`/programs/${p.id}`);
    },
  });
  const initialValues: Partial<ProgramFormValues> | undefined = program && {
    title: program.title,
    description: program.description ?? undefined,
    ownerUnitId: program.ownerUnitId,
    ownerUserId: program.ownerUserId ?? undefined,
    startsOn: dayjs(program.startsOn),
    endsOn: dayjs(program.endsOn),
  };
  return (
    <Modal open title={program ? t('programs.program.edit') : t('programs.program.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="title" label={t('programs.program.title')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="program-title" />
        </Form.Item>
        <Form.Item name="ownerUnitId" label={t('programs.program.ownerUnit')} rules={[{ required: true }]}>
          <TreeSelect treeDefaultExpandAll treeData={unitTreeSelectData(buildUnitForest(units.data ?? []))} data-testid="program-unit" />
        </Form.Item>
        <Form.Item name="ownerUserId" label={t('programs.program.owner')}>
          <Select allowClear showSearch optionFilterProp="label" options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Space>
          <Form.Item name="startsOn" label={t('programs.program.startsOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="endsOn" label={t('programs.program.endsOn')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('programs.program.description')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

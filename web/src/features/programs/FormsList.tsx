import { useState } from 'react';
import { Button, Checkbox, Form, Input, Modal, Radio, Select, Space, Table, Tag } from 'antd';
import { MinusCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formFieldKinds, type FeedbackForm, type FormField } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan } from '../../app/auth';
import { useServerPagination } from '../../app/pagination';
import { formsKey, usePrograms } from './programsApi';

export const statusColor = { draft: 'default', open: 'green', closed: 'red' } as const;

export function FormsList() {
  const { t } = useTranslation();
  const canWrite = useCan('feedback.manage');
  const { page, pageSize, pagination } = useServerPagination();
  const [creating, setCreating] = useState(false);
  const { data, isFetching } = useQuery({
    queryKey: [...formsKey, 'list', page, pageSize],
    queryFn: ({ signal }) => api.get<{ items: FeedbackForm[]; total: number }>('/feedback/forms', { page, pageSize }, signal),
  });
  return (
    <>
      {canWrite && (
        <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setCreating(true)} data-testid="form-new">
          {t('programs.form.new')}
        </Button>
      )}
      <Table<FeedbackForm>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data?.items ?? []}
        pagination={pagination(data?.total ?? 0)}
        columns={[
          { title: t('programs.form.title'), dataIndex: 'title', render: (v: string, r) => <Link to={`/programs/forms/${r.id}`}>{v}</Link> },
          { title: t('programs.form.program'), dataIndex: 'programTitle' },
          { title: t('programs.form.mode'), dataIndex: 'mode', width: 80, render: (v: 'named' | 'anonymous') => t(`programs.form.modes.${v}`) },
          { title: t('programs.form.status'), dataIndex: 'status', width: 90, render: (v: FeedbackForm['status']) => <Tag color={statusColor[v]}>{t(`programs.form.statuses.${v}`)}</Tag> },
          { title: t('programs.form.responses'), dataIndex: 'responses', width: 80 },
        ]}
      />
      {creating && <FormBuilderModal onClose={() => setCreating(false)} />}
    </>
  );
}

interface FieldValues {
  label: string;
  kind: FormField['kind'];
  required?: boolean;
  options?: string;
  multiple?: boolean;
}
interface BuilderValues {
  title: string;
  description?: string;
  programId?: string;
  mode: 'named' | 'anonymous';
  inviteOnly?: boolean;
  fields: FieldValues[];
}

export function toFields(values: FieldValues[]): FormField[] {
  return values.map((f, i) => ({
    key: `q${i + 1}`,
    label: f.label,
    kind: f.kind,
    required: !!f.required,
    ...(f.kind === 'choice'
      ? {
          options: (f.options ?? '')
            .split('\n')
            .map((o) => o.trim())
            .filter(Boolean),
          multiple: !!f.multiple,
        }
      : {}),
    ...(f.kind === 'text' ? { long: true } : {}),
  }));
}

function FormBuilderModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<BuilderValues>();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const programs = usePrograms();
  const create = useMutation({
    mutationFn: (v: BuilderValues) =>
      api.post<FeedbackForm>('/feedback/forms', {
        title: v.title,
        description: v.description || null,
        ...(v.programId ? { programId: v.programId } : {}),
        mode: v.mode,
        inviteOnly: !!v.inviteOnly,
        fields: toFields(v.fields),
      }),
    onSuccess: (f) => {
      void qc.invalidateQueries({ queryKey: formsKey });
      onClose();
      void navigate(`/programs/forms/${f.id}`);
    },
  });
  return (
    <Modal open width={720} title={t('programs.form.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending}>
      <Form form={form} layout="vertical" initialValues={{ mode: 'anonymous', fields: [{ label: '意见建议', kind: 'text', required: true }] }} onFinish={(v) => create.mutate(v)}>
        <Form.Item name="title" label={t('programs.form.title')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="form-title" />
        </Form.Item>
        <Form.Item name="description" label={t('programs.form.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="programId" label={t('programs.form.program')}>
          <Select allowClear data-testid="form-program" options={(programs.data ?? []).map((p) => ({ value: p.id, label: p.title }))} />
        </Form.Item>
        <Space>
          <Form.Item name="mode" label={t('programs.form.mode')}>
            <Radio.Group options={(['anonymous', 'named'] as const).map((m) => ({ value: m, label: t(`programs.form.modes.${m}`) }))} />
          </Form.Item>
          <Form.Item name="inviteOnly" valuePropName="checked" label=" ">
            <Checkbox>{t('programs.form.inviteOnly')}</Checkbox>
          </Form.Item>
        </Space>
        <Form.List name="fields">
          {(list, { add, remove }) => (
            <>
              {list.map((f) => (
                <FieldRow key={f.key} name={f.name} onRemove={() => remove(f.name)} />
              ))}
              <Button onClick={() => add({ kind: 'text', label: '' })} data-testid="form-add-field">
                {t('programs.form.addField')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function FieldRow({ name, onRemove }: { name: number; onRemove: () => void }) {
  const { t } = useTranslation();
  const kind = Form.useWatch(['fields', name, 'kind']) as FormField['kind'] | undefined;
  return (
    <Space align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
      <Form.Item name={[name, 'label']} rules={[{ required: true, max: 200 }]} style={{ marginBottom: 4 }}>
        <Input placeholder={t('programs.form.fieldLabel')} style={{ width: 260 }} data-testid="field-label" />
      </Form.Item>
      <Form.Item name={[name, 'kind']} style={{ marginBottom: 4 }}>
        <Select style={{ width: 90 }} options={formFieldKinds.map((k) => ({ value: k, label: t(`programs.form.kinds.${k}`) }))} data-testid="field-kind" />
      </Form.Item>
      <Form.Item name={[name, 'required']} valuePropName="checked" style={{ marginBottom: 4 }}>
        <Checkbox>{t('programs.form.required')}</Checkbox>
      </Form.Item>
      {kind === 'choice' && (
        <>
          <Form.Item name={[name, 'options']} rules={[{ required: true }]} style={{ marginBottom: 4 }}>
            <Input.TextArea rows={3} placeholder={t('programs.form.options')} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name={[name, 'multiple']} valuePropName="checked" style={{ marginBottom: 4 }}>
            <Checkbox>{t('programs.form.multiple')}</Checkbox>
          </Form.Item>
        </>
      )}
      <MinusCircleOutlined onClick={onRemove} style={{ marginTop: 8 }} />
    </Space>
  );
}

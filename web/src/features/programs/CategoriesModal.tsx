import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ProblemCategory } from '@tongxin/contracts';
import { api } from '../../app/api';

const key = ['rectification', 'categories'] as const;

interface CategoryValues {
  code?: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number;
}

/**
 * The configurable problem categories: add, rename, reorder, retire and reactivate. A retired
 * category stays on the problems that have it and is no longer offered for new ones.
 */
export function CategoriesModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<ProblemCategory | 'new' | null>(null);
  const { data, isFetching } = useQuery({ queryKey: [...key, 'all'], queryFn: ({ signal }) => api.get<{ items: ProblemCategory[] }>('/rectification/categories', undefined, signal) });
  const refresh = () => void qc.invalidateQueries({ queryKey: key });
  const toggle = useMutation({ mutationFn: (c: ProblemCategory) => api.patch<ProblemCategory>(`/rectification/categories/${c.id}`, { active: !c.active }), onSuccess: refresh });
  return (
    <Modal open width={760} title={t('programs.problem.categories')} onCancel={onClose} footer={null}>
      <Button style={{ marginBottom: 8 }} onClick={() => setEditing('new')} data-testid="category-add">
        {t('programs.problem.addCategory')}
      </Button>
      <Table<ProblemCategory>
        rowKey="id"
        size="small"
        loading={isFetching}
        pagination={false}
        dataSource={data?.items ?? []}
        columns={[
          { title: t('programs.problem.sortOrder'), dataIndex: 'sortOrder', width: 60 },
          { title: t('programs.problem.categoryNameZh'), dataIndex: 'nameZh', render: (v: string) => <span data-testid="category-name">{v}</span> },
          { title: t('programs.problem.categoryNameEn'), dataIndex: 'nameEn' },
          { title: t('programs.problem.categoryCode'), dataIndex: 'code', width: 140 },
          {
            title: '',
            width: 170,
            render: (_, c) => (
              <Space size="small">
                {!c.active && <Tag>{t('programs.problem.inactive')}</Tag>}
                <a onClick={() => setEditing(c)} data-testid="category-edit">
                  {t('programs.problem.edit')}
                </a>
                <a onClick={() => toggle.mutate(c)} data-testid="category-toggle">
                  {c.active ? t('programs.problem.deactivate') : t('programs.problem.reactivate')}
                </a>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <CategoryForm
          category={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onDone={() => {
            refresh();
            setEditing(null);
          }}
        />
      )}
    </Modal>
  );
}

function CategoryForm({ category, onClose, onDone }: { category?: ProblemCategory; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CategoryValues>();
  const save = useMutation({
    mutationFn: (v: CategoryValues) =>
      category
        ? api.patch<ProblemCategory>(`/rectification/categories/${category.id}`, { nameZh: v.nameZh, nameEn: v.nameEn, sortOrder: v.sortOrder })
        : api.post<ProblemCategory>('/rectification/categories', v),
    onSuccess: onDone,
  });
  return (
    <Modal open title={category ? t('programs.problem.edit') : t('programs.problem.addCategory')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={category ?? { sortOrder: 10 }} onFinish={(v) => save.mutate(v)}>
        {!category && (
          <Form.Item
            name="code"
            label={t('programs.problem.categoryCode')}
            extra={t('programs.problem.categoryCodeHint')}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,47}$/ }]}
          >
            <Input data-testid="category-code" />
          </Form.Item>
        )}
        <Form.Item name="nameZh" label={t('programs.problem.categoryNameZh')} rules={[{ required: true, max: 50 }]}>
          <Input data-testid="category-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('programs.problem.categoryNameEn')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="category-name-en" />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('programs.problem.sortOrder')}>
          <InputNumber min={0} max={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

import { Fragment, useState, type ReactNode } from 'react';
import { Button, Col, Form, Row, Select, Space, Table, Tag, type ColProps, type FormInstance } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ExportOutlined, ImportOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Query } from '../app/api';
import { useServerPagination } from '../app/pagination';
import { useDownloadWithProgress } from '../features/people/DownloadProgressModal';

/** What the form modal edits: a new record, an existing one, or none (closed). */
export type RegistryEditing = { kind: 'create' } | { kind: 'edit'; id: string } | null;

interface ListResult<T> {
  data?: { items: T[]; total: number } | undefined;
  isFetching: boolean;
  refetch: () => Promise<unknown>;
}

/**
 * The list page of a registry of named records (the people roster, the united-front contacts):
 * a filter form, the create / template / import / export buttons, a server-paginated table whose
 * first column opens the record's drawer, and the drawer, form and import modals the caller
 * renders. Each registry brings its filters, columns, endpoints and labels.
 */
export function RegistryBrowser<T extends { id: string; name: string; active: boolean }, F extends { active?: 'true' | 'false' | 'all' | undefined }>({
  testId,
  emptyFilters,
  normalise,
  sameFilters = (a, b) => JSON.stringify(a) === JSON.stringify(b),
  effective = (f) => f,
  resetKey,
  useList,
  filterFields,
  activeLabel,
  filtersTestId,
  submitTestId,
  submitCol,
  nameColumn,
  columns,
  scrollX,
  tableTestId,
  rowTestId,
  create,
  importer,
  exporter,
  renderDetail,
  renderForm,
  renderImport,
}: {
  /** of the page's outer element */
  testId: string;
  emptyFilters: F;
  /** tidies what the form holds (trims texts) before it is applied */
  normalise: (v: F) => F;
  sameFilters?: (a: F, b: F) => boolean;
  /** the filters sent to the server for the list and the export (e.g. with a fixed unit) */
  effective?: (f: F) => F;
  /** when it changes (another unit picked elsewhere), the list goes back to its first page */
  resetKey?: string | undefined;
  useList: (filters: F, page: number, pageSize: number) => ListResult<T>;
  /** the filter form's columns, before the active / inactive / all one and the buttons */
  filterFields: (form: FormInstance<F>) => ReactNode;
  /** the label of the active / inactive / all filter (field `active`) */
  activeLabel: string;
  filtersTestId?: string;
  submitTestId: string;
  /** the span of the search and reset buttons' column */
  submitCol: ColProps;
  nameColumn: { title: string; width: number };
  /** the columns after the name */
  columns: TableColumnsType<T>;
  scrollX: number;
  tableTestId: string;
  rowTestId: string;
  /** absent when the actor may not create */
  create?: { label: string; testId: string } | undefined;
  /** absent when the actor may not import */
  importer?: { label: string; testId: string; templateLabel: string; templatePath: string; templateFile: string } | undefined;
  /** absent when the actor may not export */
  exporter?: { label: string; testId: string; path: string; query: (f: F) => Query; file: string } | undefined;
  renderDetail: (p: { openId: string | null; onClose: () => void; onEdit: (id: string) => void }) => ReactNode;
  renderForm: (p: { editing: RegistryEditing; onClose: () => void; onCreated: (id: string) => void }) => ReactNode;
  renderImport: (p: { open: boolean; onClose: () => void }) => ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<F>();
  const [filters, setFilters] = useState<F>(emptyFilters);
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const [openId, setOpenId] = useState<string | null>(null);
  const [editing, setEditingState] = useState<RegistryEditing>(null);
  // a fresh form per opening: antd keeps a form's values in its instance across openings
  const [formSession, setFormSession] = useState(0);
  const setEditing = (e: RegistryEditing) => {
    if (e) setFormSession((n) => n + 1);
    setEditingState(e);
  };
  const [importOpen, setImportOpen] = useState(false);
  const download = useDownloadWithProgress();
  const sent = effective(filters);
  const list = useList(sent, page, pageSize);

  const [prevKey, setPrevKey] = useState(resetKey);
  if (prevKey !== resetKey) {
    setPrevKey(resetKey);
    setPage(1);
  }

  const allColumns: TableColumnsType<T> = [
    {
      title: nameColumn.title,
      dataIndex: 'name',
      fixed: 'left',
      width: nameColumn.width,
      render: (name: string, r: T) => (
        <Space size={4}>
          {/* a real button, so keyboard users can open the detail too */}
          <Button
            type="link"
            size="small"
            style={{ padding: 0, height: 'auto' }}
            onClick={(e) => {
              e.stopPropagation();
              setOpenId(r.id);
            }}
          >
            {name}
          </Button>
          {!r.active && <Tag>{t('common.inactive')}</Tag>}
        </Space>
      ),
    },
    ...columns,
  ];

  const apply = (v: F) => {
    const next = normalise(v);
    // 查询 with unchanged filters still means "load again"
    if (page === 1 && sameFilters(next, filters)) void list.refetch();
    setFilters(next);
    setPage(1);
  };

  return (
    <div data-testid={testId}>
      <Form<F> form={form} initialValues={emptyFilters} onFinish={apply} layout="vertical" size="middle" data-testid={filtersTestId}>
        <Row gutter={12}>
          {filterFields(form)}
          <Col xs={12} sm={6} md={4} xl={3}>
            <Form.Item name="active" label={activeLabel}>
              <Select
                options={[
                  { value: 'true', label: t('common.active') },
                  { value: 'false', label: t('common.inactive') },
                  { value: 'all', label: t('common.all') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col {...submitCol}>
            <Form.Item label=" " colon={false}>
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid={submitTestId}>
                  {t('common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    apply(emptyFilters);
                  }}
                >
                  {t('common.reset')}
                </Button>
              </Space>
            </Form.Item>
          </Col>
        </Row>
      </Form>

      <Space wrap style={{ marginBottom: 12 }}>
        {create && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'create' })} data-testid={create.testId}>
            {create.label}
          </Button>
        )}
        {importer && (
          <>
            <Button icon={<DownloadOutlined />} disabled={download.busy} onClick={() => void download.start(importer.templateLabel, importer.templatePath, undefined, importer.templateFile)}>
              {importer.templateLabel}
            </Button>
            <Button icon={<ImportOutlined />} onClick={() => setImportOpen(true)} data-testid={importer.testId}>
              {importer.label}
            </Button>
          </>
        )}
        {exporter && (
          <Button
            icon={<ExportOutlined />}
            disabled={download.busy}
            data-testid={exporter.testId}
            onClick={() => void download.start(t('exporter.title'), exporter.path, exporter.query(sent), exporter.file)}
          >
            {exporter.label}
          </Button>
        )}
      </Space>

      <Table<T>
        rowKey="id"
        size="middle"
        columns={allColumns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: scrollX }}
        rowClassName="tx-row-clickable"
        onRow={(r) => ({ onClick: () => setOpenId(r.id), 'data-testid': rowTestId }) as React.HTMLAttributes<HTMLElement>}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid={tableTestId}
      />

      {renderDetail({ openId, onClose: () => setOpenId(null), onEdit: (id) => setEditing({ kind: 'edit', id }) })}
      <Fragment key={formSession}>{renderForm({ editing, onClose: () => setEditing(null), onCreated: setOpenId })}</Fragment>
      {renderImport({ open: importOpen, onClose: () => setImportOpen(false) })}
      {download.element}
    </div>
  );
}

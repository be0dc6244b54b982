import { useMemo, useState } from 'react';
import { useServerPagination } from '../../app/pagination';
import { Button, Col, Form, Input, Row, Select, Space, Table, Tag, TreeSelect } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ExportOutlined, ImportOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { genders, limits, partyStatuses, type OrgUnit } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { filtersQuery, usePeopleList, usePerson, type PeopleFilters } from './peopleApi';
import { partyStatusColor } from './labels';
import { PersonDrawer } from './PersonDrawer';
import { PersonFormModal } from './PersonFormModal';
import { ImportModal } from './ImportModal';
import { useDownloadWithProgress } from './DownloadProgressModal';
import type { Gender, PartyStatus, Person } from './types';

interface FilterValues {
  unitId?: string;
  q?: string;
  partyStatus?: PartyStatus;
  gender?: Gender;
  isLeader?: 'true' | 'false';
  active: 'true' | 'false' | 'all';
}

const emptyFilters: FilterValues = { active: 'true' };

function sameFilters(a: FilterValues, b: FilterValues): boolean {
  const keys: (keyof FilterValues)[] = ['unitId', 'q', 'partyStatus', 'gender', 'isLeader', 'active'];
  return keys.every((k) => (a[k] ?? undefined) === (b[k] ?? undefined));
}

type Editing = { kind: 'create' } | { kind: 'edit'; personId: string } | null;

/**
 * Filter form + table + detail drawer + create/edit/import/export. Used by the people page,
 * and by the org page with `fixedUnit` (the unit filter then follows the tree selection).
 */
export function PeopleBrowser({ fixedUnit }: { fixedUnit?: OrgUnit }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<FilterValues>(emptyFilters);
  const { page, setPage, pageSize, pagination } = useServerPagination();
  const [openId, setOpenId] = useState<string | null>(null);
  const [editing, setEditingState] = useState<Editing>(null);
  // a fresh form per opening: antd keeps a form's values in its instance across openings
  const [formSession, setFormSession] = useState(0);
  const setEditing = (e: Editing) => {
    if (e) setFormSession((n) => n + 1);
    setEditingState(e);
  };
  const [importOpen, setImportOpen] = useState(false);
  const download = useDownloadWithProgress();
  const canWrite = useCan('people.write');
  const canImport = useCan('people.import');
  const canExport = useCan('people.export');
  const canReadOrg = useCan('org.read');

  const effective: PeopleFilters = { ...filters, unitId: fixedUnit ? fixedUnit.id : filters.unitId };
  const list = usePeopleList(effective, page, pageSize);
  // the person being edited, fresh from the server (a stale write refetches it)
  const editingPerson = usePerson(editing?.kind === 'edit' ? editing.personId : null).data;

  const { data: units = [] } = useUnits(true);
  const unitTree = useMemo(() => unitTreeSelectData(buildUnitForest(units)), [units]);

  const [prevUnit, setPrevUnit] = useState(fixedUnit?.id);
  if (prevUnit !== fixedUnit?.id) {
    // another unit picked in the org tree: start from its first page
    setPrevUnit(fixedUnit?.id);
    setPage(1);
  }

  const columns: TableColumnsType<Person> = [
    {
      title: t('people.name'),
      dataIndex: 'name',
      fixed: 'left',
      width: 120,
      render: (name: string, p) => (
        <Space size={4}>
          {/* a real button, so keyboard users can open the detail too */}
          <Button
            type="link"
            size="small"
            style={{ padding: 0, height: 'auto' }}
            onClick={(e) => {
              e.stopPropagation();
              setOpenId(p.id);
            }}
          >
            {name}
          </Button>
          {!p.active && <Tag>{t('common.inactive')}</Tag>}
        </Space>
      ),
    },
    { title: t('people.gender'), dataIndex: 'gender', width: 70, render: (g: Gender) => t(`gender.${g}`) },
    { title: t('people.office'), dataIndex: 'officeName', width: 140, ellipsis: true },
    {
      title: t('people.partyStatus'),
      dataIndex: 'partyStatus',
      width: 110,
      render: (s: PartyStatus) => <Tag color={partyStatusColor[s]}>{t(`partyStatus.${s}`)}</Tag>,
    },
    { title: t('people.branch'), dataIndex: 'branchName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '' },
    { title: t('people.group'), dataIndex: 'groupName', width: 120, ellipsis: true, render: (v: string | null) => v ?? '' },
    { title: t('people.phone'), dataIndex: 'phoneMasked', width: 130, render: (v: string | null) => v ?? '' },
    {
      title: t('people.leader'),
      dataIndex: 'isLeader',
      width: 70,
      align: 'center',
      render: (v: boolean) => (v ? <Tag color="blue">{t('common.yes')}</Tag> : ''),
    },
  ];

  const applyFilters = (v: FilterValues) => {
    const next: FilterValues = { ...v, q: v.q?.trim() || undefined };
    // 查询 with unchanged filters still means "load again"
    if (page === 1 && sameFilters(next, filters)) void list.refetch();
    setFilters(next);
    setPage(1);
  };

  const yesNo = [
    { value: 'true', label: t('common.yes') },
    { value: 'false', label: t('common.no') },
  ];

  return (
    <div data-testid="people-browser">
      <Form<FilterValues>
        form={form}
        initialValues={emptyFilters}
        onFinish={applyFilters}
        layout="vertical"
        size="middle"
        data-testid="people-filters"
      >
        <Row gutter={12}>
          {!fixedUnit && canReadOrg && (
            <Col xs={24} sm={12} md={8} xl={6}>
              <Form.Item name="unitId" label={t('people.unit')}>
                <TreeSelect
                  treeData={unitTree}
                  allowClear
                  treeDefaultExpandAll
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  data-testid="filter-unit"
                />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} sm={12} md={8} xl={fixedUnit ? 6 : 4}>
            <Form.Item name="q" label={t('people.q')}>
              <Input
                allowClear
                maxLength={limits.searchMax}
                placeholder={t('people.qPlaceholder')}
                onPressEnter={() => form.submit()}
                data-testid="filter-q"
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={3}>
            <Form.Item name="partyStatus" label={t('people.partyStatus')}>
              <Select<PartyStatus>
                allowClear
                options={partyStatuses.map((s) => ({ value: s, label: t(`partyStatus.${s}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={2}>
            <Form.Item name="gender" label={t('people.gender')}>
              <Select<Gender> allowClear options={genders.map((g) => ({ value: g, label: t(`gender.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={2}>
            <Form.Item name="isLeader" label={t('people.isLeader')}>
              <Select allowClear options={yesNo} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={3}>
            <Form.Item name="active" label={t('people.activeFilter')}>
              <Select
                options={[
                  { value: 'true', label: t('common.active') },
                  { value: 'false', label: t('common.inactive') },
                  { value: 'all', label: t('common.all') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8} xl={4}>
            <Form.Item label=" " colon={false}>
              <Space>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="filter-submit">
                  {t('common.search')}
                </Button>
                <Button
                  onClick={() => {
                    form.resetFields();
                    applyFilters(emptyFilters);
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
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ kind: 'create' })} data-testid="person-create">
            {t('people.create')}
          </Button>
        )}
        {canImport && (
          <>
            <Button
              icon={<DownloadOutlined />}
              disabled={download.busy}
              onClick={() =>
                void download.start(t('people.downloadTemplate'), '/people/import-template.xlsx', undefined, 'people-template.xlsx')
              }
            >
              {t('people.downloadTemplate')}
            </Button>
            <Button icon={<ImportOutlined />} onClick={() => setImportOpen(true)} data-testid="person-import">
              {t('people.import')}
            </Button>
          </>
        )}
        {canExport && (
          <Button
            icon={<ExportOutlined />}
            disabled={download.busy}
            data-testid="person-export"
            onClick={() =>
              void download.start(t('exporter.title'), '/people/export.xlsx', filtersQuery(effective), 'people.xlsx')
            }
          >
            {t('people.export')}
          </Button>
        )}
      </Space>

      <Table<Person>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 900 }}
        rowClassName="tx-row-clickable"
        onRow={(p) => ({ onClick: () => setOpenId(p.id), 'data-testid': 'person-row' } as React.HTMLAttributes<HTMLElement>)}
        pagination={pagination(list.data?.total ?? 0)}
        data-testid="people-table"
      />

      <PersonDrawer
        personId={openId}
        onClose={() => setOpenId(null)}
        onEdit={(p) => setEditing({ kind: 'edit', personId: p.id })}
      />
      <PersonFormModal
        key={formSession}
        open={editing?.kind === 'create' || (editing?.kind === 'edit' && !!editingPerson)}
        person={editing?.kind === 'edit' ? editingPerson : undefined}
        presetUnit={fixedUnit}
        onClose={() => setEditing(null)}
        onSaved={(p) => {
          if (editing?.kind === 'create') setOpenId(p.id);
        }}
      />
      <ImportModal open={importOpen} onClose={() => setImportOpen(false)} />
      {download.element}
    </div>
  );
}

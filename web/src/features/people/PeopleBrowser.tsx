import { useMemo } from 'react';
import { Col, Form, Input, Select, Tag, TreeSelect } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { genders, limits, partyStatuses, type OrgUnit } from '@tongxin/contracts';
import { useCan } from '../../app/auth';
import { RegistryBrowser, type RegistryEditing } from '../../components/RegistryBrowser';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { filtersQuery, usePeopleList, usePerson, type PeopleFilters } from './peopleApi';
import { partyStatusColor } from './labels';
import { PersonDrawer } from './PersonDrawer';
import { PersonFormModal } from './PersonFormModal';
import { ImportModal } from './ImportModal';
import type { Gender, PartyStatus, Person } from './types';

// the form holds exactly the list's filters
type FilterValues = PeopleFilters;

const emptyFilters: FilterValues = { active: 'true' };

function sameFilters(a: FilterValues, b: FilterValues): boolean {
  const keys: (keyof FilterValues)[] = ['unitId', 'q', 'partyStatus', 'gender', 'isLeader', 'active'];
  return keys.every((k) => (a[k] ?? undefined) === (b[k] ?? undefined));
}

/** The person form, with the person being edited fresh from the server (a stale write refetches it). */
function PersonEditor({ editing, presetUnit, onClose, onCreated }: { editing: RegistryEditing; presetUnit?: OrgUnit | undefined; onClose: () => void; onCreated: (id: string) => void }) {
  const editingPerson = usePerson(editing?.kind === 'edit' ? editing.id : null).data;
  return (
    <PersonFormModal
      open={editing?.kind === 'create' || (editing?.kind === 'edit' && !!editingPerson)}
      person={editing?.kind === 'edit' ? editingPerson : undefined}
      presetUnit={presetUnit}
      onClose={onClose}
      onSaved={(p) => {
        if (editing?.kind === 'create') onCreated(p.id);
      }}
    />
  );
}

/**
 * Filter form + table + detail drawer + create/edit/import/export. Used by the people page,
 * and by the org page with `fixedUnit` (the unit filter then follows the tree selection).
 */
export function PeopleBrowser({ fixedUnit }: { fixedUnit?: OrgUnit }) {
  const { t } = useTranslation();
  const canWrite = useCan('people.write');
  const canImport = useCan('people.import');
  const canExport = useCan('people.export');
  const canReadOrg = useCan('org.read');

  const { data: units = [] } = useUnits(true);
  const unitTree = useMemo(() => unitTreeSelectData(buildUnitForest(units)), [units]);

  const columns: TableColumnsType<Person> = [
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

  const yesNo = [
    { value: 'true', label: t('common.yes') },
    { value: 'false', label: t('common.no') },
  ];

  return (
    <RegistryBrowser<Person, FilterValues>
      testId="people-browser"
      emptyFilters={emptyFilters}
      normalise={(v) => ({ ...v, q: v.q?.trim() || undefined })}
      sameFilters={sameFilters}
      effective={(f): PeopleFilters => ({ ...f, unitId: fixedUnit ? fixedUnit.id : f.unitId })}
      resetKey={fixedUnit?.id}
      useList={usePeopleList}
      filtersTestId="people-filters"
      submitTestId="filter-submit"
      submitCol={{ xs: 24, md: 8, xl: 4 }}
      filterFields={(form) => (
        <>
          {!fixedUnit && canReadOrg && (
            <Col xs={24} sm={12} md={8} xl={6}>
              <Form.Item name="unitId" label={t('people.unit')}>
                <TreeSelect treeData={unitTree} allowClear treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="filter-unit" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} sm={12} md={8} xl={fixedUnit ? 6 : 4}>
            <Form.Item name="q" label={t('people.q')}>
              <Input allowClear maxLength={limits.searchMax} placeholder={t('people.qPlaceholder')} onPressEnter={() => form.submit()} data-testid="filter-q" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} md={4} xl={3}>
            <Form.Item name="partyStatus" label={t('people.partyStatus')}>
              <Select<PartyStatus> allowClear options={partyStatuses.map((s) => ({ value: s, label: t(`partyStatus.${s}`) }))} />
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
        </>
      )}
      activeLabel={t('people.activeFilter')}
      nameColumn={{ title: t('people.name'), width: 120 }}
      columns={columns}
      scrollX={900}
      tableTestId="people-table"
      rowTestId="person-row"
      create={canWrite ? { label: t('people.create'), testId: 'person-create' } : undefined}
      importer={
        canImport
          ? { label: t('people.import'), testId: 'person-import', templateLabel: t('people.downloadTemplate'), templatePath: '/people/import-template.xlsx', templateFile: 'people-template.xlsx' }
          : undefined
      }
      exporter={canExport ? { label: t('people.export'), testId: 'person-export', path: '/people/export.xlsx', query: filtersQuery, file: 'people.xlsx' } : undefined}
      renderDetail={({ openId, onClose, onEdit }) => <PersonDrawer personId={openId} onClose={onClose} onEdit={(p) => onEdit(p.id)} />}
      renderForm={(p) => <PersonEditor {...p} presetUnit={fixedUnit} />}
      renderImport={(p) => <ImportModal {...p} />}
    />
  );
}

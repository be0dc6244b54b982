import { useEffect, useMemo } from 'react';
import { Col, DatePicker, Form, Input, Modal, Row, Select, Switch, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import {
  committeeRoles,
  genders,
  limits,
  partyStatuses,
  type OrgUnit,
} from '@tongxin/contracts';
import { notifier } from '../../app/notify';
import { buildUnitForest, compareUnits, unitTreeSelectData, useUnits } from '../org/units';
import { usePersonMutations } from './peopleApi';
import type { CommitteeRole, CreatePersonRequest, Gender, PartyStatus, Person, UpdatePersonRequest } from './types';

interface Values {
  name: string;
  gender: Gender;
  birthDate?: Dayjs | null;
  ethnicity?: string;
  phone?: string;
  idNumber?: string;
  officeId?: string;
  partyStatus: PartyStatus;
  partyJoinedOn?: Dayjs | null;
  fullMemberOn?: Dayjs | null;
  branchId?: string | null;
  groupId?: string | null;
  committeeRole?: CommitteeRole | null;
  isLeader: boolean;
}

const dateFormat = 'YYYY-MM-DD';
const toDate = (d: Dayjs | null | undefined) => (d ? d.format(dateFormat) : null);
const fromDate = (s: string | null) => (s ? dayjs(s, dateFormat) : null);
const blankToNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

function initialValues(person: Person | undefined, preset: OrgUnit | undefined, units: readonly OrgUnit[]): Partial<Values> {
  if (person) {
    return {
      name: person.name,
      gender: person.gender,
      birthDate: fromDate(person.birthDate),
      ethnicity: person.ethnicity ?? undefined,
      officeId: person.officeId,
      partyStatus: person.partyStatus,
      partyJoinedOn: fromDate(person.partyJoinedOn),
      fullMemberOn: fromDate(person.fullMemberOn),
      branchId: person.branchId,
      groupId: person.groupId,
      committeeRole: person.committeeRole,
      isLeader: person.isLeader,
    };
  }
  // opened from the org tree: start in the selected unit
  const base: Partial<Values> = { gender: 'male', partyStatus: 'full', isLeader: false, ethnicity: '汉族' };
  switch (preset?.type) {
    case 'office':
    case 'department':
      return { ...base, officeId: preset.id };
    case 'branch':
      return { ...base, branchId: preset.id };
    case 'party_group': {
      const branch = units.find((u) => u.id === preset.parentId && u.type === 'branch');
      return { ...base, groupId: preset.id, branchId: branch?.id ?? null };
    }
    case 'party_committee':
    case 'discipline_committee':
    case undefined:
      return base;
  }
}

export function PersonFormModal({
  open,
  person,
  presetUnit,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** edit this person; absent = create */
  person?: Person;
  presetUnit?: OrgUnit;
  onClose: () => void;
  onSaved?: (p: Person) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { data: units = [] } = useUnits(false);
  const { create, update } = usePersonMutations();
  const partyStatus = Form.useWatch('partyStatus', form);
  const branchId = Form.useWatch('branchId', form);
  const isMember = partyStatus === 'full' || partyStatus === 'probationary';

  const forest = useMemo(() => buildUnitForest(units), [units]);
  const officeTree = useMemo(
    () => unitTreeSelectData(forest, (u) => u.type === 'office' || u.type === 'department'),
    [forest],
  );
  const branchOptions = useMemo(
    () =>
      units
        .filter((u) => u.type === 'branch')
        .sort(compareUnits)
        .map((u) => ({ value: u.id, label: u.name })),
    [units],
  );
  const groupOptions = useMemo(
    () =>
      units
        .filter((u) => u.type === 'party_group' && u.parentId === branchId)
        .sort(compareUnits)
        .map((u) => ({ value: u.id, label: u.name })),
    [units, branchId],
  );

  // a refetch after a stale write (409) brings a new version: show the fresh record
  const version = person?.version;
  useEffect(() => {
    if (version !== undefined) form.resetFields();
  }, [form, version]);

  const submit = (v: Values) => {
    const member = v.partyStatus !== 'none';
    const common = {
      name: v.name.trim(),
      gender: v.gender,
      birthDate: toDate(v.birthDate),
      ethnicity: blankToNull(v.ethnicity),
      officeId: v.officeId ?? '',
      partyStatus: v.partyStatus,
      partyJoinedOn: member ? toDate(v.partyJoinedOn) : null,
      fullMemberOn: v.partyStatus === 'full' ? toDate(v.fullMemberOn) : null,
      branchId: member ? (v.branchId ?? null) : null,
      groupId: member ? (v.groupId ?? null) : null,
      committeeRole: member ? (v.committeeRole ?? null) : null,
      isLeader: v.isLeader,
    };
    const phone = blankToNull(v.phone);
    const idNumber = blankToNull(v.idNumber)?.toUpperCase() ?? null;
    if (person) {
      // phone and ID number are only shown masked: blank means "keep"
      const body: UpdatePersonRequest = {
        ...common,
        version: person.version,
        ...(phone ? { phone } : {}),
        ...(idNumber ? { idNumber } : {}),
      };
      update.mutate(
        { id: person.id, body },
        {
          onSuccess: (saved) => {
            notifier().success(t('common.saved'));
            onSaved?.(saved);
            onClose();
          },
        },
      );
    } else {
      const body: CreatePersonRequest = { ...common, phone, idNumber };
      create.mutate(body, {
        onSuccess: (saved) => {
          notifier().success(t('people.created'));
          onSaved?.(saved);
          onClose();
        },
      });
    }
  };

  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });
  const selectRequired = (field: string) => ({ required: true, message: t('common.selectRequired', { field }) });

  return (
    <Modal
      open={open}
      title={person ? t('people.editTitle') : t('people.createTitle')}
      width={760}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues(person, presetUnit, units)}
        onFinish={submit}
        onValuesChange={(changed: Partial<Values>) => {
          if ('branchId' in changed) form.setFieldValue('groupId', null);
        }}
        data-testid="person-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('people.name')} rules={[{ ...required(t('people.name')), whitespace: true }]}>
              <Input maxLength={limits.nameMax} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="gender" label={t('people.gender')} rules={[selectRequired(t('people.gender'))]}>
              <Select<Gender> options={genders.map((g) => ({ value: g, label: t(`gender.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="birthDate" label={t('people.birthDate')}>
              <DatePicker style={{ width: '100%' }} format={dateFormat} disabledDate={(d) => d.isAfter(dayjs())} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ethnicity" label={t('people.ethnicity')}>
              <Input maxLength={limits.ethnicityMax} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="phone"
              label={t('people.phone')}
              rules={[{ pattern: /^1\d{10}$/, message: t('people.phoneInvalid') }]}
            >
              <Input
                maxLength={11}
                inputMode="numeric"
                placeholder={person?.phoneMasked ? t('people.keepBlank', { masked: person.phoneMasked }) : undefined}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="idNumber"
              label={t('people.idNumber')}
              rules={[{ pattern: /^\d{17}[\dXx]$/, message: t('people.idNumberInvalid') }]}
            >
              <Input
                maxLength={18}
                placeholder={
                  person?.idNumberMasked ? t('people.keepBlank', { masked: person.idNumberMasked }) : undefined
                }
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="officeId" label={t('people.office')} rules={[selectRequired(t('people.office'))]}>
              <TreeSelect
                treeData={officeTree}
                treeDefaultExpandAll
                showSearch={{ treeNodeFilterProp: 'title' }}
                data-testid="person-office"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="isLeader" label={t('people.leader')} valuePropName="checked">
              <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="partyStatus" label={t('people.partyStatus')} rules={[selectRequired(t('people.partyStatus'))]}>
              <Select<PartyStatus>
                options={partyStatuses.map((s) => ({ value: s, label: t(`partyStatus.${s}`) }))}
                data-testid="person-party-status"
              />
            </Form.Item>
          </Col>
          {isMember && (
            <Col xs={24} sm={12}>
              <Form.Item name="partyJoinedOn" label={t('people.partyJoinedOn')}>
                <DatePicker style={{ width: '100%' }} format={dateFormat} />
              </Form.Item>
            </Col>
          )}
          {partyStatus === 'full' && (
            <Col xs={24} sm={12}>
              <Form.Item name="fullMemberOn" label={t('people.fullMemberOn')}>
                <DatePicker style={{ width: '100%' }} format={dateFormat} />
              </Form.Item>
            </Col>
          )}
          {isMember && (
            <>
              <Col xs={24} sm={12}>
                <Form.Item name="branchId" label={t('people.branch')}>
                  <Select
                    options={branchOptions}
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    data-testid="person-branch"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="groupId" label={t('people.group')}>
                  <Select options={groupOptions} allowClear disabled={!branchId} data-testid="person-group" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="committeeRole" label={t('people.committeeRole')}>
                  <Select<CommitteeRole>
                    allowClear
                    options={committeeRoles.map((r) => ({ value: r, label: t(`committeeRole.${r}`) }))}
                  />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
      </Form>
    </Modal>
  );
}

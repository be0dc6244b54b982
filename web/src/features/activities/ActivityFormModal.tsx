import { useEffect, useMemo } from 'react';
import { DatePicker, Form, Input, InputNumber, Modal, Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { activityLimits, type ActivityDetail, type ActivityType, type FieldDef } from '@tongxin/contracts';
import { currentLanguage } from '../../app/i18n';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { useActivityMutations, useActivityTypes } from './activitiesApi';
import { PersonPicker } from './PersonPicker';
import { ProgramItemPicker } from './ProgramItemPicker';
import { ContactPicker, EnterprisePicker } from './RegistryPickers';
import { useCan } from '../../app/auth';

interface Values {
  typeId: string;
  unitId: string;
  topic: string;
  content?: string;
  place?: string;
  time: [Dayjs, Dayjs];
  extra?: Record<string, string | number | null>;
  unitIds?: string[];
  personIds?: string[];
  contactIds?: string[];
  enterpriseIds?: string[];
  requiredSessions?: number | null;
  speakerIds?: string[];
  hostIds?: string[];
  programItemIds?: string[];
}

export function typeName(t: Pick<ActivityType, 'nameZh' | 'nameEn'>): string {
  return currentLanguage() === 'en' ? t.nameEn : t.nameZh;
}

function fieldLabel(f: FieldDef): string {
  return currentLanguage() === 'en' ? f.labelEn : f.labelZh;
}

/** One input per extra field of the type, by its kind. */
export function ExtraFields({ fields }: { fields: FieldDef[] }) {
  return (
    <>
      {fields.map((f) => (
        <Form.Item key={f.key} name={['extra', f.key]} label={fieldLabel(f)} rules={f.required ? [{ required: true }] : []}>
          {f.kind === 'number' ? (
            <InputNumber min={0} style={{ width: '100%' }} />
          ) : f.kind === 'select' ? (
            <Select allowClear options={(f.options ?? []).map((o) => ({ value: o.value, label: currentLanguage() === 'en' ? o.labelEn : o.labelZh }))} />
          ) : f.kind === 'date' ? (
            <Input type="date" />
          ) : (
            <Input maxLength={activityLimits.extraTextMax} />
          )}
        </Form.Item>
      ))}
    </>
  );
}

/** Create (with expected participants) or edit an activity; the type's extra fields follow the chosen type. */
export function ActivityFormModal({ open, activity, onClose, onSaved }: { open: boolean; activity?: ActivityDetail; onClose: () => void; onSaved: (a: ActivityDetail) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const types = useActivityTypes();
  const units = useUnits();
  const { create, update } = useActivityMutations(activity?.id);
  // the picker reads the programs area; without that permission the links are left as they are
  const canReadPrograms = useCan('programs.read');
  // contacts and enterprises come from the united-front registry, which this permission reads
  const canReadRegistry = useCan('unitedfront.read');
  const typeId = Form.useWatch('typeId', form);
  const unitId = Form.useWatch('unitId', form);
  const forest = useMemo(() => buildUnitForest(units.data ?? []), [units.data]);
  const type = types.data?.find((x) => x.id === (activity?.typeId ?? typeId));
  const unitType = units.data?.find((u) => u.id === unitId)?.type;
  const typeOptions = (types.data ?? []).map((x) => ({
    value: x.id,
    label: typeName(x),
    disabled: !!unitType && x.unitTypes.length > 0 && !x.unitTypes.includes(unitType),
  }));

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (activity) {
      form.setFieldsValue({
        topic: activity.topic,
        content: activity.content ?? undefined,
        place: activity.place ?? undefined,
        time: [dayjs(activity.startsAt), dayjs(activity.endsAt)],
        extra: activity.extra,
        programItemIds: activity.programItems.map((x) => x.id),
        enterpriseIds: activity.enterprises.map((x) => x.id),
        requiredSessions: activity.training?.requiredSessions ?? null,
      });
    }
  }, [open, activity, form]);

  const submit = async (v: Values) => {
    const [start, end] = v.time;
    const extra = Object.fromEntries(Object.entries(v.extra ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== ''));
    const saved = activity
      ? await update.mutateAsync({
          version: activity.version,
          topic: v.topic,
          content: v.content ?? null,
          place: v.place ?? null,
          startsAt: start.toISOString(),
          endsAt: end.toISOString(),
          extra,
          ...(canReadPrograms ? { programItemIds: v.programItemIds ?? [] } : {}),
          ...(canReadRegistry && type?.category === 'visit' ? { enterpriseIds: v.enterpriseIds ?? [] } : {}),
          ...(type?.category === 'training' ? { requiredSessions: v.requiredSessions ?? null } : {}),
        })
      : await create.mutateAsync({
          typeId: v.typeId,
          unitId: v.unitId,
          topic: v.topic,
          content: v.content ?? null,
          place: v.place ?? null,
          startsAt: start.toISOString(),
          endsAt: end.toISOString(),
          extra,
          programItemIds: v.programItemIds ?? [],
          enterpriseIds: type?.category === 'visit' ? (v.enterpriseIds ?? []) : [],
          ...(type?.category === 'training' ? { requiredSessions: v.requiredSessions ?? null } : {}),
          participants: {
            unitIds: v.unitIds ?? [],
            personIds: v.personIds ?? [],
            contactIds: v.contactIds ?? [],
            speakerIds: v.speakerIds ?? [],
            hostIds: v.hostIds ?? [],
          },
        });
    onSaved(saved);
  };

  return (
    <Modal
      open={open}
      title={activity ? t('activities.form.editTitle') : t('activities.form.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending || update.isPending}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v).catch(() => undefined)}>
        {!activity && (
          <>
            <Form.Item name="unitId" label={t('activities.form.unit')} rules={[{ required: true }]}>
              <TreeSelect treeData={unitTreeSelectData(forest)} showSearch treeNodeFilterProp="title" treeDefaultExpandAll data-testid="activity-unit" />
            </Form.Item>
            <Form.Item name="typeId" label={t('activities.form.type')} rules={[{ required: true }]}>
              <Select options={typeOptions} showSearch optionFilterProp="label" data-testid="activity-type" />
            </Form.Item>
          </>
        )}
        <Form.Item name="topic" label={t('activities.form.topic')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={activityLimits.topicMax} />
        </Form.Item>
        <Form.Item name="time" label={t('activities.form.time')} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="activity-time" />
        </Form.Item>
        <Form.Item name="place" label={t('activities.form.place')}>
          <Input maxLength={activityLimits.placeMax} />
        </Form.Item>
        <Form.Item name="content" label={t('activities.form.content')}>
          <Input.TextArea rows={3} maxLength={activityLimits.contentMax} />
        </Form.Item>
        {type && type.fields.length > 0 && <ExtraFields fields={type.fields} />}
        {canReadRegistry && type?.category === 'visit' && (
          <Form.Item name="enterpriseIds" label={t('activities.form.enterprises')} extra={t('activities.form.enterprisesHelp')}>
            <EnterprisePicker max={activityLimits.enterprisesMax} testId="activity-enterprises" />
          </Form.Item>
        )}
        {type?.category === 'training' && (
          <Form.Item name="requiredSessions" label={t('activities.form.requiredSessions')} extra={t('activities.form.requiredSessionsHelp')}>
            <InputNumber min={1} max={500} precision={0} style={{ width: '100%' }} data-testid="activity-required-sessions" />
          </Form.Item>
        )}
        {canReadPrograms && (
          <Form.Item name="programItemIds" label={t('activities.form.programItems')} extra={t('activities.form.programItemsHelp', { max: activityLimits.programItemsMax })}>
            <ProgramItemPicker max={activityLimits.programItemsMax} />
          </Form.Item>
        )}
        {!activity && (
          <>
            <Form.Item name="unitIds" label={t('activities.form.participantUnits')} extra={t('activities.form.participantUnitsHelp')}>
              <TreeSelect multiple treeData={unitTreeSelectData(forest)} showSearch treeNodeFilterProp="title" treeDefaultExpandAll data-testid="activity-participant-units" />
            </Form.Item>
            <Form.Item name="personIds" label={t('activities.form.participantPeople')}>
              <PersonPicker />
            </Form.Item>
            {canReadRegistry && (
              <Form.Item name="contactIds" label={t('activities.form.participantContacts')} extra={t('activities.form.participantContactsHelp')}>
                <ContactPicker testId="activity-contacts" />
              </Form.Item>
            )}
            <Form.Item name="speakerIds" label={t('activities.form.speakers')}>
              <PersonPicker />
            </Form.Item>
            <Form.Item name="hostIds" label={t('activities.form.hosts')}>
              <PersonPicker />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}

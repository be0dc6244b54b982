import { useState } from 'react';
import { Button, Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import type { ActivityDetail, CreateCaseRequest, ServiceCase } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan } from '../../app/auth';
import { notifier } from '../../app/notify';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';

interface Values {
  requester: string;
  officeId: string;
  category: string;
  problem: string;
}

/**
 * A problem raised during a visit becomes a service case (办实事) of the united-front area,
 * citing the visit; the requester is one of the visited enterprises or contacts.
 */
export function OpenCaseButton({ a }: { a: ActivityDetail }) {
  const { t } = useTranslation();
  const canWrite = useCan('unitedfront.write');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const units = useUnits();
  const offices = (units.data ?? []).filter((u) => u.type === 'office' || u.type === 'department');
  const forest = buildUnitForest(units.data ?? []);
  const create = useMutation({ mutationFn: (body: CreateCaseRequest) => api.post<ServiceCase>('/unitedfront/cases', body) });
  const requesters = [
    ...a.enterprises.map((e) => ({ value: `e:${e.id}`, label: e.name })),
    ...a.participants.filter((p) => p.contactId).map((p) => ({ value: `c:${p.contactId ?? ''}`, label: p.name })),
  ];
  if (!canWrite || requesters.length === 0) return null;
  const submit = async (v: Values) => {
    const [kind, id] = v.requester.split(':');
    await create.mutateAsync({
      officeId: v.officeId,
      ...(kind === 'e' ? { enterpriseId: id } : { contactId: id }),
      activityId: a.id,
      problem: v.problem.trim(),
      category: v.category.trim(),
      departments: [],
      raisedOn: dayjs(a.startsAt).format('YYYY-MM-DD'),
    });
    notifier().success(t('activities.visit.caseOpened'));
    setOpen(false);
    form.resetFields();
  };
  const defaultOffice = offices.find((u) => u.id === a.unitId)?.id;
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="open-case">
        {t('activities.visit.openCase')}
      </Button>
      <Modal open={open} title={t('activities.visit.openCase')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ requester: requesters[0]?.value, officeId: defaultOffice }}
          onFinish={(v) => void submit(v).catch(() => undefined)}
        >
          <Form.Item name="requester" label={t('activities.visit.requester')} rules={[{ required: true }]}>
            <Select options={requesters} data-testid="case-requester" />
          </Form.Item>
          <Form.Item name="officeId" label={t('activities.visit.office')} rules={[{ required: true }]}>
            <TreeSelect
              treeData={unitTreeSelectData(forest, (u) => u.type === 'office' || u.type === 'department')}
              showSearch
              treeNodeFilterProp="title"
              treeDefaultExpandAll
              data-testid="case-office"
            />
          </Form.Item>
          <Form.Item name="category" label={t('activities.visit.category')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={40} data-testid="case-category" />
          </Form.Item>
          <Form.Item name="problem" label={t('activities.visit.problem')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="case-problem" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

import { Alert, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Entry } from '@tongxin/contracts';
import { notifier } from '../../app/notify';
import { entrySubject, signed } from './labels';
import { useCreateManual } from './pointsApi';

/**
 * An adjustment of an entry of a closed period: a manual entry in the branch's open period
 * citing it. It waits for someone other than its author to approve it, like every manual entry.
 */
export function AdjustModal({ entry, onClose }: { entry: Entry; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateManual();
  const [form] = Form.useForm<{ amount: number; reason: string; evidence: string }>();
  return (
    <Modal open title={t('points.adjust.title')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} okButtonProps={{ id: 'adjust-submit' }}>
      <Typography.Paragraph>
        {entry.personName} · {entry.period} · {t(`points.rules.kind.${entry.ruleKind}`)} · {entrySubject(entry)} · {signed(entry.amount)}
      </Typography.Paragraph>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('points.adjust.hint', { period: entry.adjustmentPeriod ?? '' })} />
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          create.mutate(
            { personId: entry.personId, ruleCode: entry.ruleCode, amount: v.amount, reason: v.reason, evidence: v.evidence, correctsEntryId: entry.id },
            {
              onSuccess: (m) => {
                notifier().success(t('points.adjust.created', { period: m.period }));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item
          name="amount"
          label={t('points.adjust.amount')}
          rules={[{ required: true }, { validator: (_, v: number | null) => (v === 0 ? Promise.reject(new Error(t('points.adjust.nonZero'))) : Promise.resolve()) }]}
        >
          <InputNumber min={-1000} max={1000} step={0.5} style={{ width: 200 }} data-testid="adjust-amount" />
        </Form.Item>
        <Form.Item name="reason" label={t('points.manual.reason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="adjust-reason" />
        </Form.Item>
        <Form.Item name="evidence" label={t('points.manual.evidence')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={1000} data-testid="adjust-evidence" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Rate, Result, Spin, Typography, Upload } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { programLimits, type FormField, type PublicForm } from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';
import { LanguageSwitch } from '../../app/LanguageSwitch';

type FileValue = { name: string; type: string; data: string };

function readFile(file: File): Promise<FileValue> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve({ name: file.name, type: file.type, data: url.slice(url.indexOf(',') + 1) });
    };
    r.onerror = () => reject(r.error ?? new Error('read'));
    r.readAsDataURL(file);
  });
}

/**
 * /f/:publicId: answered on a phone without an account. Answers are sent as text; what
 * the server keeps is shown to organisers as text only.
 */
export default function PublicFormPage() {
  const { publicId = '' } = useParams();
  const [search] = useSearchParams();
  const token = search.get('t') ?? undefined;
  const { t } = useTranslation();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [done, setDone] = useState(false);
  const { data, error, isLoading } = useQuery({
    queryKey: ['public-form', publicId],
    queryFn: ({ signal }) => api.get<PublicForm>(`/public/forms/${publicId}`, undefined, signal),
    retry: false,
    meta: { quietCodes: ['NOT_FOUND'] },
  });
  const submit = useMutation({
    mutationFn: (values: Record<string, unknown>) => {
      const { __name, __contact, website, ...answers } = values;
      const clean = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined && v !== null && v !== ''));
      return api.post(`/public/forms/${publicId}/responses`, {
        answers: clean,
        ...(typeof __name === 'string' && __name ? { name: __name } : {}),
        ...(typeof __contact === 'string' && __contact ? { contact: __contact } : {}),
        ...(typeof website === 'string' && website ? { website } : {}),
        ...(token ? { token } : {}),
      });
    },
    onSuccess: () => setDone(true),
  });

  const shell = (children: React.ReactNode) => (
    <div style={{ maxWidth: 640, margin: '0 auto', padding: 12 }}>
      <div style={{ textAlign: 'right' }}>
        <LanguageSwitch />
      </div>
      {children}
    </div>
  );
  if (isLoading) return shell(<Spin />);
  if (error || !data) return shell(<Result status="404" title={isApiError(error) && error.code !== 'NOT_FOUND' ? error.message : t('programs.answer.notFound')} />);
  if (done) return shell(<Result status="success" title={t('programs.answer.thanks')} data-testid="answer-thanks" />);
  if (data.status === 'closed') return shell(<Result status="info" title={t('programs.answer.closed')} />);

  const input = (f: FormField) => {
    switch (f.kind) {
      case 'text':
        return f.long ? <Input.TextArea rows={4} maxLength={programLimits.answerTextMax} showCount /> : <Input maxLength={programLimits.answerTextMax} />;
      case 'choice':
        return f.multiple ? <Checkbox.Group options={f.options ?? []} /> : <Radio.Group options={f.options ?? []} />;
      case 'rating':
        return <Rate />;
      case 'file':
        return <FileInput />;
      default: {
        const unhandled: never = f.kind;
        return String(unhandled);
      }
    }
  };

  return shell(
    <Card title={<span data-testid="public-form-title">{data.title}</span>} size="small">
      {data.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{data.description}</Typography.Paragraph>}
      {data.mode === 'anonymous' && <Alert type="info" showIcon message={t('programs.answer.anonymous')} style={{ marginBottom: 12 }} />}
      {data.inviteOnly && !token && <Alert type="warning" showIcon message={t('programs.answer.inviteOnly')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => submit.mutate(v)}>
        {data.mode === 'named' && (
          <>
            <Form.Item name="__name" label={t('programs.answer.name')} rules={[{ required: true, max: programLimits.respondentNameMax }]}>
              <Input />
            </Form.Item>
            <Form.Item name="__contact" label={t('programs.answer.contact')} rules={[{ max: programLimits.respondentContactMax }]}>
              <Input />
            </Form.Item>
          </>
        )}
        {data.fields.map((f) => (
          <Form.Item key={f.key} name={f.key} label={f.label} rules={f.required ? [{ required: true }] : []}>
            {input(f)}
          </Form.Item>
        ))}
        {/* honeypot: off-screen and skipped by keyboard and screen readers; people leave it empty */}
        <div aria-hidden="true" style={{ position: 'absolute', left: -10000, width: 1, height: 1, overflow: 'hidden' }}>
          <Form.Item name="website" label="Website">
            <Input tabIndex={-1} autoComplete="off" />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" block size="large" loading={submit.isPending} data-testid="answer-submit">
          {t('programs.answer.submit')}
        </Button>
      </Form>
    </Card>,
  );
}

function FileInput({ value, onChange }: { value?: FileValue; onChange?: (v: FileValue | undefined) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Upload
        maxCount={1}
        beforeUpload={(file) => {
          if (file.size > programLimits.answerFileMaxBytes) {
            setError(t('programs.answer.fileTooLarge'));
            return Upload.LIST_IGNORE;
          }
          setError(null);
          void readFile(file).then((v) => onChange?.(v));
          return false;
        }}
        onRemove={() => onChange?.(undefined)}
      >
        <Button>{value ? value.name : t('programs.answer.file')}</Button>
      </Upload>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}
